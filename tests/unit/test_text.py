"""Pure logic: folding, splitting, cleaning, settings, templates."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from bot.split import split_html, utf16_len
from catalog.cleaning import (
    clean_document,
    clean_fees,
    clean_processing_time,
    parse_copies,
    split_glued_form,
)
from catalog.normalize import fold
from catalog.reading import read_card
from dossiers.models import Dossier
from dossiers.service import DossierService
from dossiers.status import Status
from foundation.settings import ConfigError, load_settings
from messages import Messages
from reports.figures import DossierReport, DossierRow, Group, SatisfactionReport, Shares


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Làm lại CĂN CƯỚC!!", "lam lai can cuoc"),
        (unicodedata.normalize("NFD", "Đăng ký khai sinh"), "dang ki khai sinh"),
        ("dda8ng kys ket hon", "dang ki ket hon"),
        ("caaps laij cccd", "cap lai cccd"),
        ("GPLX", "gplx"),
        ("xác nhận số CMND 09 số", "xac nhan so cmnd 9 so"),
        ("đăng kí", "dang ki"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_split_keeps_markup_balanced_and_under_limit() -> None:
    text = "<b>Tiêu đề</b>\n" + "\n".join(f"<i>dòng {i}</i> &amp; nội dung dài" for i in range(600))
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= 4096
        assert part.count("<i>") == part.count("</i>")
    assert "".join(parts).count("dòng 599") == 1


def test_split_cuts_a_single_huge_word() -> None:
    parts = split_html("<b>" + "x" * 9000 + "</b>")
    assert len(parts) == 3
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts)


def test_cleaning_repairs_portal_defects() -> None:
    assert parse_copies("20261 bản chính,1 bản sao") == (1, 1, "1 bản chính, 1 bản sao")
    assert clean_processing_time("1") == ("1", None)  # the card reader finds the unit
    assert clean_processing_time("1 (cổng Dịch vụ công không ghi đơn vị)") == ("1", None)
    assert clean_processing_time("5 Ngày làm việc") == ("5 ngày làm việc", 5.0)
    assert clean_fees("20,000 VNĐ(Theo khoản 1)") == ("20.000 đồng (Theo khoản 1)", [20000])
    name, form = split_glued_form(
        "Bản chính Văn bản đề nghị theo quy địnhvăn bản đề nghị.docx", None
    )
    assert (name, form) == ("Bản chính Văn bản đề nghị theo quy định", "văn bản đề nghị.docx")
    doc = clean_document(
        {"name": "- Tờ khai theo mẫu", "copies": "1 bản chính", "case": "* Giấy tờ phải nộp:"}
    )
    assert (
        doc["name"] == "Tờ khai theo mẫu"
        and doc["case"] == "Giấy tờ phải nộp"
        and doc["originals"] == 1
    )


def test_settings_name_the_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12,abc")
    with pytest.raises(ConfigError, match="^ADMIN_IDS: "):
        load_settings(_env_file=None)
    monkeypatch.setenv("ADMIN_IDS", "12, 34")
    assert load_settings(_env_file=None).admin_ids == frozenset({12, 34})
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(ConfigError, match="^DATABASE_URL: "):
        load_settings(_env_file=None)


def satisfaction_report() -> SatisfactionReport:
    shares = Shares([415, 12, 0])
    group = Group("Sở Tư pháp <&>", Shares([1, 0, 1]), ["Chờ lâu <&>"])
    return SatisfactionReport(
        start=date(2025, 1, 1), end=date(2025, 3, 31), scale=["Rất hài lòng", "Hài lòng", "Không hài lòng"],
        criteria=["Thái độ"], overall=shares, general=Shares([0, 0, 0]),
        per_criterion={"Thái độ": shares}, breakdown=[group], by="agency", trend=[group, group],
        lowest_procedures=[group], lowest_agencies=[group], stored=428,
    )  # fmt: skip


GLUED = re.compile(r"[a-zà-ỹđ][.?!:][A-ZÀ-ỸĐ]")


def test_every_template_renders_in_every_language() -> None:
    messages = Messages()
    procedure = SimpleNamespace(
        code="1.000656",
        name="Thủ tục đăng ký khai tử <&>",
        levels=["Cấp xã"],
        agency="UBND xã",
        processing_time="1 ngày làm việc",
        fees="Miễn phí",
        documents=[{"key": "k", "name": "Tờ khai"}],
        steps=["Nộp hồ sơ"],
        ways=[{"kind": "in_person", "label": "Trực tiếp"}],
        legal_basis=["Luật Hộ tịch"],
        result=None,
        conditions=None,
        source_url=None,
        updated_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    context = {
        "name": "Lan",
        "procedures": 2627,
        "updated": datetime(2026, 1, 2, tzinfo=UTC),
        "command": "/x",
        "length": 5000,
        "limit": 500,
        "query": "a < b",
        "items": [
            {
                "name": "A <&>",
                "levels": "Cấp xã",
                "agency": "UBND",
                "ticket": "PA-000001",
                "created": datetime(2026, 1, 2, tzinfo=UTC),
                "about": "1.000656",
                "attachment": True,
                "text": "Phản ánh <&>",
            }
        ],
        "r": satisfaction_report(),
        "members": [(42, "staff")],
        "user_id": 42,
        "role": "staff",
        "grant": True,
        "done": True,
        "usage": "/traloi PA-000001 <text>",
        "level": "Hài lòng",
        "replaced": True,
        "status": "Đang xử lý",
        "criteria": [("Thái độ <&>", "🙂 Hài lòng"), ("Kết quả", None)],
        "comment": "Tốt <&>",
        "answer": "Trả lời <&>",
        "ticket": "PA-000001",
        "about": "1.000656",
        "p": procedure,
        "f": read_card(procedure, date(2026, 1, 2)),
        "raw": "documents",
        "variants": ["Cấp tỉnh"],
        "section": "documents",
        "code": "9.999<>",
        "kind": "f",
        "total": 12,
        "page": 1,
        "pages": 2,
        "have": 1,
        "entries": [(1, True, "Tờ khai <&>"), (2, False, "Giấy tờ")],
        "missing": [2],
        "d": DossierService._view(
            Dossier(
                code="000.00.20.H56-240527-0001",
                procedure_code="1.000656",
                procedure_name="Đăng ký khai tử <&>",
                agency="UBND xã",
                level="Cấp xã",
                applicant="Lê Thanh Long",
                status=int(Status.DONE),
                received_at=datetime(2026, 1, 2, tzinfo=UTC),
                due_at=datetime(2026, 1, 5, tzinfo=UTC),
                finished_at=datetime(2026, 1, 4, tzinfo=UTC),
                return_method="Trực tuyến",
            ),
            True,
            datetime(2026, 1, 6, tzinfo=UTC),
        ),
        "example": "000.00.20.H56-240527-0001",
        "left": 2,
        "delivered": False,
        "days": 10,
        "due": date(2026, 1, 16),
        "text": "Phản ánh <&>",
        "attachment": "photo",
        "retry": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        "minutes": 15,
        "count": 2,
        "previous": "Đang xử lý",
        "service": "Cấp thẻ căn cước <&>",
        "people": True,
        "groups": [
            {
                "case": None,
                "documents": [
                    {"name": "Tờ khai", "originals": 1, "copies_count": None, "form": None}
                ],
            }
        ],
    }
    row = DossierRow("Cấp xã <&>", received=10, done=8, on_time=7, late=1, in_progress=2)
    overrides: dict[str, dict[str, object]] = {
        "chitchat": {"kind": "greeting"},
        "report_dossiers": {
            "r": DossierReport(date(2025, 1, 1), date(2025, 3, 31), "level", [row], row)
        },
    }
    names = messages.template_names()
    assert "procedure_card" in names and len(names) >= 15
    for lang in ("vi", "en"):
        for name in names:
            text = messages.render(lang, name, **{**context, **overrides.get(name, {})})
            assert text and text == unicodedata.normalize("NFC", text)
            assert "<&>" not in text  # autoescaped
            # A block tag at a line end eats the newline: "…công?Bấm một mức…".
            glued = GLUED.search(re.sub(r"<[^>]+>", "", text))
            assert glued is None, (lang, name, glued.group(0) if glued else "")
        assert messages.label(lang, "back")
    assert messages.template_names() == sorted(p for p in Messages("en").template_names())

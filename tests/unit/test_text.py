"""Pure logic: folding, splitting, cleaning, settings, templates."""

from __future__ import annotations

import unicodedata

import pytest

from tthc.bot.split import split_html, utf16_len
from tthc.catalog.cleaning import (
    clean_document,
    clean_fees,
    clean_processing_time,
    parse_copies,
    split_glued_form,
)
from tthc.core.settings import ConfigError, load_settings
from tthc.core.text import fold


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


@pytest.mark.parametrize("value", ["4242 , ٤٣", "4_242", "9223372036854775808", "-5", "0"])
def test_admin_ids_are_ascii_digits_within_bigint(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMIN_IDS", value)
    with pytest.raises(ConfigError, match="^ADMIN_IDS: .*digits 0-9"):
        load_settings(_env_file=None)


def test_names_and_file_names_are_neutralised() -> None:
    from tthc.core.inputs import display_name, file_name

    name = "Lan\u202e\u200bgnahT" + "x" * 1190
    shown = display_name(name)
    assert "\u202e" not in shown and "\u200b" not in shown and len(shown) == 64
    long = "báo cáo " * 40 + ".xlsx"  # 268 bytes and more
    kept = file_name(long)
    assert len(kept) <= 120 and kept.endswith(".xlsx") and "/" not in file_name("../../a.csv")

"""Every template renders with the context its real call site passes, in both languages.

Two kinds of call site: the views (a method builds the context: called here with real
objects) and the plain replies (`reply_text(..., "name", key=...)`, found in the source
with `ast`, rendered with exactly the keywords that call passes). Templates use
StrictUndefined, so a call site that forgets a variable fails here, not in a chat.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tthc.audit.models import AuditEntry
from tthc.audit.service import AuditPage
from tthc.bot.catalog.callbacks import RAW_SECTIONS
from tthc.bot.catalog.checklist import ChecklistViews
from tthc.bot.catalog.views import SECTIONS, CatalogViews
from tthc.bot.complaints.views import ComplaintViews
from tthc.bot.dossiers.views import DossierViews
from tthc.bot.ratings.views import RatingViews
from tthc.bot.replies import Reply
from tthc.bot.staff.views import StaffViews
from tthc.bot.views import Views
from tthc.catalog.browse import Facet, FacetKind
from tthc.catalog.bundled import bundled_answerer, bundled_catalog, bundled_topics
from tthc.catalog.inbox import InboxPage, Mapped, Question, TakesOver
from tthc.catalog.models import Procedure
from tthc.catalog.service import CatalogInfo
from tthc.catalog.versions import Undoable
from tthc.checklist.service import ChecklistEntry
from tthc.core.spreadsheet import Problem
from tthc.dossiers.models import Dossier
from tthc.dossiers.service import DossierService, LookupResult, Outcome
from tthc.dossiers.status import Status
from tthc.messages import Messages
from tthc.reports.complaints import ComplaintReport, ComplaintRow
from tthc.reports.figures import DossierReport, DossierRow, Group, SatisfactionReport, Shares
from tthc.staff.uploads import Decision, Kind, Upload, UploadRejected
from tthc.users.conversation import ComplaintDraft, RatingDraft

ROOT = Path(__file__).resolve().parents[2] / "src" / "tthc"
SOURCES = (
    "bot",
    "catalog",
    "checklist",
    "complaints",
    "dossiers",
    "ratings",
    "reports",
    "users",
    "staff",
)
RENDERERS = {
    "reply_text",
    "text",
    "_text",
    "_send_file",
}  # views call `render` themselves: called below
GLUED = re.compile(r"[a-zà-ỹđ][.?!:][A-ZÀ-ỸĐ]")
NOW = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
SCALE = ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
CRITERIA = ["Công khai, minh bạch thông tin", "Thái độ, hướng dẫn của cán bộ"]


def procedure() -> Procedure:
    record = bundled_catalog().records["1.001193"]  # đăng ký khai sinh: every section
    return Procedure(**{**record, "name": record["name"] + " <&>"}, updated_at=NOW)


def dossier() -> Any:
    row = Dossier(
        code="000.00.20.H56-240527-0001", procedure_code="1.000656",
        procedure_name="Đăng ký khai tử <&>", agency="UBND xã", level="Cấp xã",
        applicant="Lê Thanh Long", status=int(Status.DONE), received_at=NOW,
        due_at=NOW + timedelta(days=3), finished_at=NOW + timedelta(days=2),
        return_method="Trực tuyến",
    )  # fmt: skip
    return DossierService._view(row, True, NOW + timedelta(days=4))


def satisfaction() -> SatisfactionReport:
    shares = Shares([415, 12, 0])
    group = Group("Sở Tư pháp <&>", Shares([1, 0, 1]), ["Chờ lâu <&>"])
    return SatisfactionReport(
        start=date(2025, 1, 1), end=date(2025, 3, 31), scale=SCALE, criteria=CRITERIA[:1],
        overall=shares, general=Shares([0, 0, 0]), per_criterion={CRITERIA[0]: shares},
        breakdown=[group], by="agency", trend=[group, group], lowest_procedures=[group],
        lowest_agencies=[group], stored=428,
    )  # fmt: skip


def dossier_table(by: str = "level") -> DossierReport:
    counts = {
        "carried_over": 3,
        "received": 10,
        "resolved": 8,
        "early": 2,
        "on_time": 5,
        "late": 1,
        "pending": 5,
        "pending_overdue": 1,
        "online": 4,
        "channel_known": 9,
    }
    row = DossierRow("Cấp xã <&>", unit="000.25.31.H56" if by == "unit" else "", **counts)
    total = DossierRow("Tổng cộng", **counts)
    return DossierReport(date(2025, 1, 1), date(2025, 3, 31), by, [row], total)


def complaint_table() -> ComplaintReport:
    row = ComplaintRow(
        "Sở Tư pháp <&>", received=2, answered=1, answered_on_time=1, overdue_now=1, hours=[30.5]
    )
    total = ComplaintRow(
        "Tổng cộng", received=2, answered=1, answered_on_time=1, overdue_now=1, hours=[30.5]
    )
    return ComplaintReport(date(2025, 1, 1), date(2025, 3, 31), 10, total, [row])


# What the plain replies pass, by keyword (the values their call sites compute).
JOURNEYS = ("birth", "death", "move", "business", "foreign_marriage")
SAMPLES: dict[str, Any] = {
    "kind": "greeting", "length": 5000, "limit": 500, "example": "000.00.20.H56-240527-0001",
    "count": 2, "command": "/x<>", "role": "cán bộ", "code": "9.999<>", "ticket": "PA-000001",
    "answer": "Trả lời <&>", "days": 10, "created": NOW, "due": date(2026, 1, 16), "about": "1.000656",
    "items": [
        {"ticket": "PA-000001", "created": NOW, "about": "1.000656", "attachment": True,
         "text": "Phản ánh <&>", "due": date(2026, 1, 16), "overdue": True}
    ],
    "level": "Hài lòng", "replaced": True, "status": "Đang xử lý", "user_id": 42,
    "grant": True, "done": True, "members": [(42, "cán bộ")], "delivered": False,
    "usage": "/traloi PA-000001 <text>", "retry": NOW, "minutes": 15, "size": 25 << 20,
    "query": "xin phép bán rượu <&>", "staff": True, "manager": True,
    "contact": "Bộ phận một cửa <&>, 0236 3822 222", "removed": True, "filename": "dm <&>.xlsx",
    "u": SimpleNamespace(source="dm <&>.xlsx", actor="telegram:1 Lan <&>", at=NOW, added=1,
                         restored=2, removed=1),
}  # fmt: skip


def _literal_templates(node: ast.expr, assigned: dict[str, ast.expr], names: set[str]) -> list[str]:
    """The template names an argument can take: a literal, `a if x else b`, or a local set so."""
    if isinstance(node, ast.Constant) and node.value in names:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return [
            *_literal_templates(node.body, {}, names),
            *_literal_templates(node.orelse, {}, names),
        ]
    if isinstance(node, ast.Name) and node.id in assigned:
        return _literal_templates(assigned[node.id], {}, names)
    return []


def plain_call_sites(names: set[str]) -> list[tuple[str, str, frozenset[str]]]:
    """(where, template, keywords) of every plain reply in the source."""
    found = []
    for package in SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                assigned = {
                    t.id: n.value
                    for n in ast.walk(function) if isinstance(n, ast.Assign)
                    for t in n.targets if isinstance(t, ast.Name)
                }  # fmt: skip
                for call in ast.walk(function):
                    if not isinstance(call, ast.Call):
                        continue
                    func = call.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if name not in RENDERERS or any(k.arg is None for k in call.keywords):
                        continue  # `**values` is a view's own context, covered below
                    keywords = frozenset(k.arg for k in call.keywords if k.arg and k.arg != "menu")
                    where = f"{path.relative_to(ROOT)}:{call.lineno}"
                    for arg in call.args:
                        for template in _literal_templates(arg, assigned, names):
                            found.append((where, template, keywords))
    return found


def view_replies(messages: Messages, lang: str) -> list[str]:
    """Every view method, called the way the handlers call it."""
    p = procedure()
    answerer = bundled_answerer()
    listed, none, choice = (answerer.answer(q) for q in ("thu tuc bang lai xe", "đặt pizza",
                                                         "cấp căn cước"))  # fmt: skip
    topics = [answerer.answer(q) for q in ("thủ tục ly hôn thuận tình", "vay vốn ngân hàng",
                                           "viện phí bệnh viện", "trợ cấp thất nghiệp",
                                           "thời tiết ngày mai", "vừa sinh con", "bố mới mất",
                                           "mới chuyển nhà", "cưới vợ người hàn")]  # fmt: skip
    assert choice.kind.value == "choice" and listed.kind.value == "list"
    assert [a.topic.name if a.topic else None for a in topics] == [
        "court", "bank", "health", "labour", "other", "birth", "death", "move", None
    ]  # fmt: skip
    journeys = [bundled_topics().journey(name) for name in JOURNEYS]
    catalog = CatalogViews(messages)
    facet = Facet("abcd1234", "Hộ tịch <&>", 2)
    entries = answerer.index.level_variants("1.001193") or []
    replies = [
        Views(messages).main_menu(lang, CatalogInfo(3, NOW, 2834), "Lan <&>"),
        Views(messages).private_only(lang, "tthc_bot"),
        Views(messages).language_prompt(lang),
        catalog.search_result(lang, listed),
        catalog.search_result(lang, none),
        catalog.search_choice(lang, choice),
        *(catalog.search_topic(lang, a.topic, a.shown) for a in topics if a.topic),
        *(
            catalog.search_topic(lang, j, [answerer.index.hit(c) for c in j.codes])
            for j in journeys
            if j
        ),
        catalog.procedure_card(lang, p, entries, share_url="https://t.me/x", dossiers=True),
        *(catalog.procedure_card(lang, p, [], journey=name) for name in JOURNEYS),
        catalog.browse_menu(lang),
        catalog.facet_page(lang, FacetKind.FIELD, [facet], 0),
        catalog.facet_members(lang, FacetKind.AGENCY, facet, entries, 0, 0),
        *(catalog.procedure_section(lang, p, s) for s in (*SECTIONS, "notes")),
        *(catalog.procedure_section(lang, p, s, raw=True) for s in RAW_SECTIONS),
        ChecklistViews(messages).checklist(
            lang,
            p,
            [ChecklistEntry("a", "Tờ khai <&>", True), ChecklistEntry("b", "CCCD", False)],
            0,
        ),
        ComplaintViews(messages).complaint_draft(
            lang, ComplaintDraft("1.000656", "Phản ánh <&>", ("photo", "f1"))
        ),
        RatingViews(messages, SCALE, CRITERIA).rating_prompt(lang, "H56-1"),
        RatingViews(messages, SCALE, CRITERIA).rating_draft(
            lang, RatingDraft("H56-1", 1, {"0": 0}, "Tốt <&>")
        ),
    ]
    dossiers = DossierViews(messages)
    d = dossier()
    replies += [dossiers.dossier_status(lang, d), dossiers.dossier_changed(lang, d, "Đang xử lý")]
    for outcome in Outcome:
        result = LookupResult(
            outcome, d.code, d if outcome is Outcome.FOUND else None,
            NOW + timedelta(minutes=15), 2,
        )  # fmt: skip
        replies.append(dossiers.dossier_lookup(lang, result, "000.00.20.H56-240527-0001"))
    replies += staff_replies(messages, lang, answerer)
    texts = [r.text for r in replies]
    texts.append(messages.render(lang, "report_satisfaction", r=satisfaction()))
    texts.append(messages.render(lang, "report_dossiers", r=dossier_table()))
    texts.append(messages.render(lang, "report_dossiers", r=dossier_table("unit")))
    texts.append(messages.render(lang, "report_complaints", r=complaint_table()))
    texts.append(messages.render(lang, "too_fast"))  # app.application.tell_too_fast
    for guide in ("export_guide", "dossier_template_guide"):  # bot.staff: sheets in files
        texts.append(messages.render(lang, guide))
    return texts


def staff_replies(messages: Messages, lang: str, answerer: Any) -> list[Reply]:
    """The staff desk's views: previews, refusals, outcomes, the inbox, the journal."""
    staff = StaffViews(messages)
    card = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh <&>",
        "levels": ["Cấp xã"],
        "fees": "Lệ phí: 10.000 đồng <&>",
        "effective_date": "2026-01-01",
    }
    catalog_preview = {
        "records": 3, "added": 1, "added_sample": [["9.000001", "Thủ tục mới <&>"]],
        "changed": 1,
        "changed_sample": [["1.001193", "Đăng ký khai sinh <&>",
                            {"fees": ["50.000 <&>", "bằng 50% <&>"], "name": ["", "x"]}]],
        "unchanged": 1, "removable": 2, "not_in_file": 2, "catalogue": 3, "min_share": 50,
        "removable_sample": [["1.000656", "Khai tử <&>"]], "card": card,
        "fee_clauses": [["1.001193", "Đăng ký khai sinh <&>"]], "ignored_columns": ["Ghi chú <&>"],
    }  # fmt: skip
    small_preview = {**catalog_preview, "removable": 0}
    dossier_preview = {
        "rows": 3, "added": 1, "changed": 1, "unchanged": 1, "status_changes": 1,
        "notifications": 1, "ignored_columns": [], "absent": ["secret_hash", "agency"],
        "emptied": {"level": 2},
    }  # fmt: skip
    catalog_upload = Upload(1, Kind.CATALOG, "danh-muc <&>.xlsx", catalog_preview, NOW)
    small_upload = Upload(3, Kind.CATALOG, "xa <&>.xlsx", small_preview, NOW)
    dossier_upload = Upload(2, Kind.DOSSIERS, "ho-so.csv", dossier_preview, NOW)
    problems = [
        Problem("Danh mục, row 7", "code", "'x' is not a procedure code like 1.000656"),
        Problem("record 2", "name", "is missing"),
        Problem("row 9", "status", "unknown status 'Lạ <&>'"),
        Problem("row 9", "odd", "something else <&>"),
        Problem("record 3", "fees", "NaN or Infinity is not a value"),
    ]
    question = Question(7, "xin phep ban ruou", "xin phép bán rượu <&>", 2, 1, NOW, NOW)
    hits = list(answerer.index.search("đăng ký khai sinh").hits[:2])
    entry = AuditEntry(id=1, at=NOW, actor="telegram:1 Lan <&>", action="import", source="x")
    journal = [
        entry,
        AuditEntry(at=NOW, actor="cli", action="dossier_import", added=1, changed=2),
        AuditEntry(at=NOW, actor="a", action="map_question", details={"question": "q <&>", "code": "1.0"}),
        AuditEntry(at=NOW, actor="a", action="aliases", details={"code": "1.0"}),
        AuditEntry(at=NOW, actor="a", action="synonym", details={"term": "sổ đỏ"}),
        AuditEntry(at=NOW, actor="a", action="out_of_scope", details={"question": "q"}),
        AuditEntry(at=NOW, actor="a", action="role_grant", details={"user": 5, "role": "staff"}),
        AuditEntry(at=NOW, actor="a", action="role_revoke", details={"user": 5, "role": "manager"}),
        AuditEntry(at=NOW, actor="a", action="something_new"),
    ]  # fmt: skip
    summary = {"added": 1, "changed": 2, "removed": 0, "status_changes": 1, "notifications": 1}
    return [
        staff.upload_preview(lang, catalog_upload),
        staff.upload_preview(lang, catalog_upload, moved=True),
        staff.upload_preview(lang, small_upload),
        staff.prune_confirm(lang, catalog_upload),
        staff.alias_takes_over(lang, TakesOver("1.000005", "1.014064", "Cấp lại thẻ căn cước <&>")),
        staff.undo_confirm(lang, Undoable(4, "dm <&>.xlsx", "telegram:1 Lan <&>", NOW, 1, 2)),
        staff.upload_preview(lang, dossier_upload),
        *(
            staff.upload_rejected(lang, UploadRejected(r, "detail <&>", problems, 12))
            for r in ("type", "unreadable", "problems", "empty", "small")
        ),
        *(  # the handler names these templates after the decision
            Views(messages).text(lang, f"upload_{d.value}", kind=k.value, s=summary)
            for d in (Decision.APPLIED, Decision.CANCELLED, Decision.EXPIRED, Decision.GONE)
            for k in Kind
        ),
        staff.inbox(lang, InboxPage([question], 0, 2, 6)),
        staff.inbox(lang, InboxPage([], 0, 1, 0)),
        staff.question(lang, question, hits),
        staff.question(lang, question, [], searched="abc <&>"),
        staff.mapped(lang, Mapped("1.001193", "Đăng ký khai sinh <&>", "q <&>", 2), edit=True),
        staff.mapped(lang, Mapped("1.001193", "Đăng ký khai sinh", "q", 0), edit=False),
        staff.audit(lang, AuditPage(journal, 0, 2, 12)),
        staff.audit(lang, AuditPage([], 0, 1, 0)),
        staff.answer(lang, {"query": "q <&>", "code": "1.001193", "name": "Khai sinh <&>"}),
    ]


def _check(text: str, where: object) -> None:
    assert text and text == unicodedata.normalize("NFC", text), where
    assert "<&>" not in text, where  # autoescaped
    # A block tag at a line end eats the newline: "…công?Bấm một mức…".
    glued = GLUED.search(re.sub(r"<[^>]+>", "", text))
    assert glued is None, (where, glued.group(0) if glued else "")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_template_renders_from_its_call_sites(lang: str) -> None:
    messages = Messages()
    names = set(messages.template_names())
    messages.rendered = set()
    for text in view_replies(messages, lang):
        _check(text, lang)
    sites = plain_call_sites(names)
    assert len(sites) > 40
    for where, template, keywords in sites:
        _check(messages.render(lang, template, **{k: SAMPLES[k] for k in keywords}), where)
    # No template without a caller (a dead or misnamed one fails here).
    assert sorted(names - messages.rendered) == []


def test_a_call_site_that_forgets_a_variable_fails() -> None:
    with pytest.raises(Exception, match="ticket"):
        Messages().render("vi", "complaint_answer", answer="Trả lời")


def test_both_languages_have_the_same_templates() -> None:
    assert Messages("vi").template_names() == Messages("en").template_names()
    for name in Messages().template_names():
        assert (ROOT / "messages" / "en" / f"{name}.html").exists()


def test_english_shows_data_terms_in_english() -> None:
    messages = Messages()
    d = dossier()
    status = DossierViews(messages).dossier_status("en", d).text
    assert "Processed" in status or "Result handed over" in status
    assert "Đã xử lý xong" not in status
    draft = RatingViews(messages, SCALE, CRITERIA).rating_draft(
        "en", RatingDraft(None, 0, {"1": 1})
    )
    assert "Very satisfied" in draft.text and "Staff attitude and guidance" in draft.text
    assert "Hài lòng" not in draft.text
    report = messages.render("en", "report_dossiers", r=dossier_table())
    assert "Total" in report and "Tổng cộng" not in report

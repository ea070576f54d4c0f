"""Staff work in the chat: catalogue and dossier files, unanswered questions, the journal.

Driven through the fake Bot API as a staff member and citizens would: a file is only a
preview until ✅ Áp dụng; a question nobody answered reaches the citizen once staff map it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.conftest import _fresh_db
from tests.e2e.test_dossiers import HEADER, code, load, row
from tests.harness import BotHarness, FakeServer, staffed, wait_until
from tthc.audit.models import AuditEntry
from tthc.dossiers.status import Status
from tthc.staff.models import PendingUpload

ADMIN = 900
STAFF = 910
NEW_CODE = "9.990001"
NEW_NAME = "Cấp phép nuôi chim yến trong khu dân cư"
UNANSWERED = "xin giấy phép bán rượu ở chợ quê"
BUSINESS = "1.001612"  # Đăng ký thành lập hộ kinh doanh


@pytest.fixture
async def sbot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    """The bot with an administrator and one staff member."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    async with staffed(server, url, admin=ADMIN, staff=(STAFF,)) as bot:
        yield bot


def catalogue_file(bot: BotHarness) -> bytes:
    """An export of two procedures: one new, and đăng ký khai sinh with a new fee."""
    assert bot.services is not None
    existing = next(r for r in bot.services.catalog.export_records() if r["code"] == "1.001193")
    changed = {**existing, "fees": "Lệ phí: 10.000 đồng (mức mới)"}
    new = {"code": NEW_CODE, "name": NEW_NAME, "levels": ["Cấp xã"], "fees": "Miễn phí"}
    return json.dumps([changed, new], ensure_ascii=False).encode()


def _count(bot: BotHarness, model: type) -> int:
    assert bot.services is not None
    with bot.services.db.session() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


async def test_a_catalogue_file_changes_nothing_until_applied(sbot: BotHarness) -> None:
    staff, citizen = sbot.user(STAFF, first_name="Hoa"), sbot.user(301)
    assert sbot.services is not None
    version = sbot.services.catalog.info().version
    preview = (await staff.send_document("danh-muc.json", catalogue_file(sbot)))[-1]
    lines = preview.plain.splitlines()
    assert "📚 Tệp danh mục thủ tục: danh-muc.json" in lines
    assert "• Thêm mới: 1" in lines and "• Thay đổi: 1" in lines
    assert any(line.strip().startswith(f"+ {NEW_CODE} {NEW_NAME}") for line in lines)
    # Old → new in the staff member's words, and the card as citizens will see it.
    changed = lines.index(next(line for line in lines if line.strip().startswith("~ 1.001193")))
    assert lines[changed + 1].strip().startswith("Phí, lệ phí: ")
    assert lines[changed + 1].endswith("→ Lệ phí: 10.000 đồng (mức mới)")
    assert "👁 Công dân sẽ thấy (thủ tục 1.001193):" in lines
    assert any(line.startswith("💰 Lệ phí: 10.000 đồng") for line in lines)
    # Two procedures cannot replace the catalogue: nothing is offered for removal.
    assert (
        "• Tệp chỉ có 2 trên 2.834 thủ tục của danh mục (cần ít nhất 50% để thay cả danh mục): "
        "chỉ thêm và cập nhật, không xoá thủ tục nào." in lines
    )
    assert preview.captions == ["✅ Áp dụng", "✖️ Huỷ"]
    # Nothing changed yet: the citizen does not find the new procedure.
    before = (await citizen.send("nuôi chim yến"))[-1]
    assert NEW_CODE not in before.plain
    assert sbot.services.catalog.info().version == version
    applied = (await staff.press("✅ Áp dụng", preview))[-1]
    assert applied.edited
    assert applied.plain.startswith("✅ Đã cập nhật danh mục: thêm 1, thay đổi 1, xoá 0 thủ tục.")
    await sbot.indexed()
    card = (await citizen.send("nuôi chim yến"))[-1]
    assert card.plain.startswith(f"📋 {NEW_NAME}") and f"Mã: {NEW_CODE}" in card.plain
    fees = sbot.services.catalog.get("1.001193")
    assert fees is not None and fees.fees == "Lệ phí: 10.000 đồng (mức mới)"
    # A second press applies nothing twice.
    again = (await staff.press_data(preview.button("✅ Áp dụng")["callback_data"], preview))[-1]
    assert "đã được xử lý" in again.plain
    with sbot.services.db.session() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.id.desc())  # type: ignore[union-attr]
        ).first()
    assert entry is not None and entry.actor == f"telegram:{STAFF} Hoa"
    assert (entry.added, entry.changed, entry.removed) == (1, 1, 0)
    journal = (await staff.send("/nhatky"))[-1]
    assert f"telegram:{STAFF} Hoa" in journal.plain
    assert (
        "Cập nhật danh mục từ telegram: danh-muc.json: thêm 1, thay đổi 1, xoá 0" in journal.plain
    )


async def test_a_pending_upload_survives_a_restart_and_can_be_cancelled(sbot: BotHarness) -> None:
    staff = sbot.user(STAFF)
    preview = (await staff.send_document("dm.json", catalogue_file(sbot)))[-1]
    await sbot.restart()
    cancelled = (await staff.press("✖️ Huỷ", preview))[-1]
    assert cancelled.plain == "Đã huỷ, danh mục và hồ sơ không thay đổi."
    assert sbot.services is not None and sbot.services.catalog.get(NEW_CODE) is None
    second = (await staff.send_document("dm.json", catalogue_file(sbot)))[-1]
    await sbot.restart()
    applied = (await staff.press("✅ Áp dụng", second))[-1]
    assert applied.plain.startswith("✅ Đã cập nhật danh mục")
    assert sbot.services is not None and sbot.services.catalog.get(NEW_CODE) is not None


async def test_a_citizens_file_is_refused_and_nothing_is_stored(sbot: BotHarness) -> None:
    citizen = sbot.user(302)
    reply = (await citizen.send_document("danh-muc.json", catalogue_file(sbot)))[-1]
    assert reply.plain.startswith("Xin lỗi, chỉ cán bộ được cấp quyền mới gửi được tệp")
    assert _count(sbot, PendingUpload) == 0
    other = (await citizen.send_document("anh.pdf", b"%PDF-1.4"))[-1]
    assert "Tôi chỉ đọc được tin nhắn chữ" in other.plain or "chữ" in other.plain


async def test_a_malformed_file_gets_its_row_numbers_and_changes_nothing(
    sbot: BotHarness,
) -> None:
    staff = sbot.user(STAFF)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mã số", "Tên", "Cấp thực hiện"])
    writer.writerow(["1.001193", "Đăng ký khai sinh", "Cấp xã"])
    writer.writerow(["không phải mã", "Thủ tục lạ", "Cấp xã"])
    writer.writerow(["9.990009", "", "Cấp xã"])
    writer.writerow(["9.990010", "Thủ tục mới", "Tỉnh ủy"])
    assert sbot.services is not None
    version = sbot.services.catalog.info().version
    reply = (await staff.send_document("sai.csv", buffer.getvalue().encode()))[-1]
    lines = reply.plain.splitlines()
    assert lines[0] == "⚠️ Tệp có 3 lỗi, chưa có gì thay đổi. Bạn hãy sửa rồi gửi lại tệp."
    assert "• dòng 3, Mã số: «không phải mã» không phải mã thủ tục (dạng 1.000656)" in lines
    assert "• dòng 4, Tên: còn trống" in lines
    assert (
        "• dòng 5, Cấp thực hiện: «Tỉnh ủy» không phải cấp thực hiện (Cấp bộ, Cấp tỉnh, Cấp xã…)"
        in lines
    )
    assert reply.captions == []
    assert sbot.services.catalog.info().version == version
    assert _count(sbot, PendingUpload) == 0
    broken = (await staff.send_document("hong.xlsx", b"PK\x03\x04 not a workbook"))[-1]
    assert broken.plain.startswith("⚠️ Không đọc được tệp, chưa có gì thay đổi.")
    too_big = (await staff.send_document("to.csv", b"x", size=25 << 20))[-1]
    assert too_big.plain.startswith("Tệp quá lớn (25 MB): bot chỉ nhận tệp đến 20 MB.")


async def test_a_dossier_export_in_the_chat_notifies_the_follower(
    sbot: BotHarness, tmp_path: Path
) -> None:
    load(sbot, tmp_path, [row(3, Status.PROCESSING), row(4, Status.PROCESSING)])
    citizen, staff = sbot.user(303), sbot.user(STAFF)
    await citizen.send(code(3))
    await citizen.press("🔔 Báo cho tôi khi có thay đổi")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows([row(3, Status.DONE), row(4, Status.PROCESSING), row(5, Status.ACCEPTED)])
    before = len(sbot.api.sent)
    preview = (await staff.send_document("mot-cua.csv", buffer.getvalue().encode("utf-8-sig")))[-1]
    lines = preview.plain.splitlines()
    assert lines[:2] == ["📂 Tệp hồ sơ: mot-cua.csv", "3 dòng:"]
    assert "• Hồ sơ mới: 1" in lines and "• Hồ sơ thay đổi: 1 (đổi trạng thái: 1)" in lines
    assert "• Tin báo sẽ gửi cho người theo dõi: 1" in lines
    assert not [m for m in sbot.api.sent[before:] if m.chat_id == 303]  # a preview sends nothing
    applied = (await staff.press("✅ Áp dụng", preview))[-1]
    assert applied.plain.startswith("✅ Đã cập nhật hồ sơ: 1 hồ sơ mới, 1 hồ sơ thay đổi")
    await wait_until(lambda: any(m.chat_id == 303 for m in sbot.api.sent[before:]))
    note = next(m for m in sbot.api.sent[before:] if m.chat_id == 303)
    assert note.plain.startswith(f"🔔 Hồ sơ {code(3)} có thay đổi")


async def test_staff_answer_an_unanswered_question_and_the_citizen_hears_once(
    sbot: BotHarness,
) -> None:
    asker, later, staff = sbot.user(304), sbot.user(305), sbot.user(STAFF)
    none = (await asker.send(UNANSWERED))[-1]
    assert none.plain.startswith("Xin lỗi")
    inbox = (await staff.send("/chuatraloi"))[-1]
    assert f"1. «{UNANSWERED}»" in inbox.plain and "1 lần" in inbox.plain
    before = len(sbot.api.sent)
    mapped = (await staff.send(f"/gan {BUSINESS} {UNANSWERED}"))[-1]
    assert mapped.plain.startswith(
        f"✅ Từ nay «{UNANSWERED}» dẫn tới Đăng ký thành lập hộ kinh doanh"
    )
    assert "Đã xếp tin báo cho 1 người đã hỏi câu này." in mapped.plain
    await wait_until(lambda: any(m.chat_id == 304 for m in sbot.api.sent[before:]))
    note = next(m for m in sbot.api.sent[before:] if m.chat_id == 304)
    assert note.plain.startswith(
        f"🔔 Bạn đã hỏi «{UNANSWERED}» — thủ tục phù hợp là Đăng ký thành lập hộ kinh doanh"
    )
    card = (await asker.press("📋 Xem thủ tục", note))[-1]
    assert card.plain.startswith("📋 Đăng ký thành lập hộ kinh doanh")
    await sbot.indexed()
    # Mapping it again tells nobody twice; another citizen now gets the card directly,
    # also without diacritics.
    again = (await staff.send(f"/gan {BUSINESS} {UNANSWERED}"))[-1]
    assert "Không có ai cần báo lại" in again.plain
    direct = (await later.send("xin giay phep ban ruou o cho que"))[-1]
    assert direct.plain.startswith("📋 Đăng ký thành lập hộ kinh doanh")
    notes = [m for m in sbot.api.sent[before:] if m.chat_id == 304 and "Bạn đã hỏi" in m.plain]
    assert len(notes) == 1
    empty = (await staff.send("/chuatraloi"))[-1]
    assert empty.plain.startswith("Không có câu hỏi nào đang chờ")


async def test_the_inbox_buttons_map_search_and_set_aside(sbot: BotHarness) -> None:
    asker, staff = sbot.user(306), sbot.user(STAFF)
    await asker.send(UNANSWERED)
    await asker.send("đăng ký bắn pháo hoa đám cưới")
    inbox = (await staff.send("/chuatraloi"))[-1]
    assert len(inbox.captions) == 2
    fireworks = next(c for c in inbox.captions if "pháo hoa" in c)
    question = (await staff.press(fireworks, inbox))[-1]
    assert question.edited and question.plain.startswith("❓ «đăng ký bắn pháo hoa đám cưới»")
    assert question.captions[-3:] == [
        "🔎 Tìm thủ tục khác",
        "🚫 Ngoài phạm vi",
        "⬅️ Danh sách câu hỏi",
    ]
    aside = (await staff.press("🚫 Ngoài phạm vi", question))[-1]
    assert aside.plain.startswith("🚫 Đã đánh dấu «đăng ký bắn pháo hoa đám cưới»")
    inbox = (await staff.send("/chuatraloi"))[-1]
    assert len(inbox.captions) == 1
    question = (await staff.press(inbox.captions[0], inbox))[-1]
    prompt = (await staff.press("🔎 Tìm thủ tục khác", question))[-1]
    assert prompt.plain.startswith("🔎 Gõ tên hoặc mã thủ tục trả lời câu hỏi")
    found = (await staff.send("thành lập hộ kinh doanh"))[-1]
    assert "Kết quả tìm «thành lập hộ kinh doanh»" in found.plain
    choice = next(c for c in found.captions if "Đăng ký thành lập hộ kinh doanh" in c)
    mapped = (await staff.press(choice, found))[-1]
    assert mapped.plain.startswith(
        f"✅ Từ nay «{UNANSWERED}» dẫn tới Đăng ký thành lập hộ kinh doanh"
    )
    # The search step is over: the staff member's next text is a question again.
    await sbot.indexed()
    card = (await staff.send(UNANSWERED))[-1]
    assert card.plain.startswith("📋 Đăng ký thành lập hộ kinh doanh")
    stale = await staff.press_data(question.button("🚫 Ngoài phạm vi")["callback_data"], question)
    assert "đã được xử lý" in stale[-1].plain


async def test_staff_commands_are_refused_to_citizens_and_listed_for_staff(
    sbot: BotHarness,
) -> None:
    citizen, staff = sbot.user(307), sbot.user(STAFF)
    for command in ("/chuatraloi", "/nhatky", f"/gan {BUSINESS} câu hỏi"):
        refused = (await citizen.send(command))[-1]
        assert refused.plain.startswith("Xin lỗi, lệnh này chỉ dành cho cán bộ"), command
    assert "/chuatraloi" not in (await citizen.send("/help"))[-1].plain
    help_text = (await staff.send("/help"))[-1].plain
    assert "Dành cho cán bộ" in help_text and "/chuatraloi" in help_text and "/nhatky" in help_text
    assert "/baocao" not in help_text
    usage = (await staff.send("/gan 1.001612"))[-1]
    assert usage.plain == "Cách dùng: /gan 1.001193 câu hỏi của công dân"
    unknown = (await staff.send("/gan 9.999999 câu hỏi gì đó"))[-1]
    assert unknown.plain.startswith("Không tìm thấy thủ tục có mã 9.999999")


async def test_after_an_import_questions_are_answered_while_the_index_is_rebuilt(
    sbot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rebuild is held until the citizen has been answered: it cannot be what they wait for."""
    assert sbot.services is not None
    catalog = sbot.services.catalog
    release, building = threading.Event(), threading.Event()
    build = catalog._build

    def held_build(session: Any) -> Any:
        if threading.current_thread().name == "index":
            building.set()
            assert release.wait(30)
        return build(session)

    await sbot.indexed()  # a running bot has answered questions: its index is loaded
    monkeypatch.setattr(catalog, "_build", held_build)
    staff, citizen = sbot.user(STAFF), sbot.user(311)
    preview = (await staff.send_document("danh-muc.json", catalogue_file(sbot)))[-1]
    applied = (await staff.press("✅ Áp dụng", preview))[-1]
    assert applied.plain.startswith("✅ Đã cập nhật danh mục")
    started = time.perf_counter()
    card = (await citizen.send("đăng ký khai sinh cho con"))[-1]
    answered_in = time.perf_counter() - started
    assert await asyncio.to_thread(building.wait, 10)  # the rebuild had begun: it is held
    assert not release.is_set()
    assert card.plain.startswith("📋 Thủ tục đăng ký khai sinh")  # answered by the old index
    print(f"answered during the rebuild in {answered_in * 1000:.0f} ms")
    release.set()
    await sbot.indexed()
    new = (await citizen.send("nuôi chim yến"))[-1]
    assert new.plain.startswith(f"📋 {NEW_NAME}")

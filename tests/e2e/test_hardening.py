"""The red-team findings, replayed through the fake Bot API (PostgreSQL where it matters)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import _fresh_db
from tests.e2e.test_dossiers import code, load, row
from tests.harness import BotHarness, FakeServer
from tests.pg import PostgresServer
from tthc.dossiers.status import Status

pytestmark = pytest.mark.postgres


async def test_a_complaint_with_a_topic_is_filed_on_postgresql(pg_bot: BotHarness) -> None:
    citizen = pg_bot.user(401)
    draft = (await citizen.send("/phananh Cán bộ phường hẹn sai ngày trả kết quả"))[0]
    assert "Cán bộ phường hẹn sai ngày trả kết quả" in draft.plain
    filed = (await citizen.press("✅ Gửi"))[0]
    assert filed.plain.startswith("✅ Đã gửi phản ánh của bạn. Mã số: PA-000001.")
    after = (await citizen.send("lam lai can cuoc"))[0]  # the conversation goes on
    assert after.plain.startswith("📋 Cấp lại thẻ căn cước")
    assert pg_bot.api.errors == []


async def test_nul_bytes_are_dropped_at_the_boundary(pg_bot: BotHarness) -> None:
    citizen = pg_bot.user(402)
    card = (await citizen.send("lam lai\x00 can cuoc"))[0]
    assert card.plain.startswith("📋 Cấp lại thẻ căn cước")
    await citizen.send("/phananh")
    draft = (await citizen.send("Chờ\x00 lâu quá"))[0]
    assert "Chờ lâu quá" in draft.plain
    filed = (await citizen.press("✅ Gửi"))[0]
    assert filed.plain.startswith("✅ Đã gửi phản ánh của bạn.")
    assert pg_bot.services is not None
    with pg_bot.services.db.session() as session:
        from sqlmodel import select

        from tthc.complaints.models import Complaint

        stored = session.exec(select(Complaint)).one()
    assert stored.text == "Chờ lâu quá"


async def test_long_complaints_and_comments_are_not_questions(
    pg_bot: BotHarness, tmp_path: Path
) -> None:
    citizen = pg_bot.user(403)
    await citizen.send("/phananh")
    complaint = ("Tôi chờ ở quầy số 3 rất lâu. " * 30)[:840]
    draft = (await citizen.send(complaint))[0]
    assert draft.plain.startswith("📣 Phản ánh, kiến nghị của bạn")
    await citizen.press("✅ Gửi")
    load(pg_bot, tmp_path, [row(1, Status.RETURNED)])
    await citizen.send(f"/danhgia {code(1)}")
    await citizen.press("🙂 Hài lòng")
    await citizen.press("✍️ Thêm nhận xét")
    comment = "Cán bộ nhiệt tình, hướng dẫn rõ ràng. " * 24  # 912 characters
    draft = (await citizen.send(comment))[0]
    assert "Nhận xét:" in draft.plain
    too_long = (await citizen.send("/danhgia"))[0]  # a question still has its own limit
    assert too_long.plain.startswith("⭐")
    question = (await citizen.send("x " * 400))[0]
    assert question.plain.startswith("Tin nhắn dài quá (800 ký tự)")


async def test_a_forged_out_of_scale_criterion_stores_nothing(
    pg_bot: BotHarness, tmp_path: Path
) -> None:
    load(pg_bot, tmp_path, [row(2, Status.RETURNED)])
    citizen = pg_bot.user(404)
    await citizen.send(f"/danhgia {code(2)}")
    draft = (await citizen.press("🙂 Hài lòng"))[0]
    forged = (await citizen.press_data("g:c:0:9", draft))[0]
    assert forged.plain.startswith("Danh sách này đã thay đổi")  # the stale-button reply
    again = (await citizen.press("1 😀", draft))[0]  # the real draft still works
    assert "1. Công khai, minh bạch thông tin — 😀 Rất hài lòng" in again.plain


@pytest.fixture
async def admin_bot(
    server: FakeServer, pg_server: PostgresServer | None, sqlite_templates: dict[str, Path],
    tmp_path: Path,
) -> AsyncIterator[BotHarness]:  # fmt: skip
    url = _fresh_db("postgres", True, sqlite_templates, pg_server, tmp_path)
    harness = BotHarness(server, url, admin_ids=frozenset({900}))
    await harness.start()
    yield harness
    await harness.stop()


async def test_bad_numbers_in_staff_commands(admin_bot: BotHarness) -> None:
    pg_bot = admin_bot
    admin = pg_bot.user(900)
    roles = (await admin.send("/quyen cap ² manager"))[0]
    assert "/quyen" in roles.plain or "Quyền" in roles.plain  # the usage/list, not an error
    huge = (await admin.send("/quyen cap 99999999999999999999 manager"))[0]
    assert "Xin lỗi, đã có lỗi" not in huge.plain
    await admin.send("/quyen cap 405 manager")
    manager = pg_bot.user(405)
    usage = await manager.send("/baocao ²")  # not a period: the usage line, no guessing
    assert [m.kind for m in usage] == ["text"] and "/baocao [30 | tháng 11" in usage[0].plain
    assert pg_bot.api.errors == []


async def _in_group(bot: BotHarness, user_id: int, text: str, chat_id: int = -100777) -> list:  # type: ignore[type-arg]
    import time

    message = {
        "message_id": next(bot.message_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "supergroup", "title": "Cán bộ một cửa"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Staff", "language_code": "vi"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return await bot.deliver({"message": message})


async def test_personal_data_stays_out_of_group_chats(
    admin_bot: BotHarness, tmp_path: Path
) -> None:
    await admin_bot.user(900).send("/quyen cap 406 staff")
    await admin_bot.user(900).send("/quyen cap 406 manager")
    citizen = admin_bot.user(407)
    await citizen.send("/phananh Gọi 0912345678 giúp tôi")
    await citizen.press("✅ Gửi")
    for command in ("/hopthu", "/baocao", f"/hoso {code(1)}", "/danhgia", "/phananh"):
        replies = await _in_group(admin_bot, 406, command)
        assert [r.chat_id for r in replies] == [-100777]
        assert replies[0].plain.startswith("🔒 Việc này chỉ làm được khi nhắn riêng với bot")
        assert "0912345678" not in replies[0].plain
    asked = await _in_group(admin_bot, 407, "lam lai can cuoc")  # procedures are public
    assert asked[0].plain.startswith("📋 Cấp lại thẻ căn cước")
    pasted = await _in_group(admin_bot, 407, code(1))  # a receipt code is not looked up
    assert not pasted[0].plain.startswith("🔒 Để bảo vệ thông tin")


async def test_a_configured_staff_group_may_use_staff_commands(
    server: FakeServer, pg_server: PostgresServer | None, sqlite_templates: dict[str, Path],
    tmp_path: Path,
) -> None:  # fmt: skip
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(
        server, url, admin_ids=frozenset({900}), staff_group_chats=frozenset({-100888})
    )
    await harness.start()
    try:
        await harness.user(900).send("/quyen cap 408 staff")
        inbox = await _in_group(harness, 408, "/hopthu", chat_id=-100888)
        assert inbox[0].plain == "Không có phản ánh nào đang chờ trả lời."
        other = await _in_group(harness, 408, "/hopthu", chat_id=-100999)
        assert other[0].plain.startswith("🔒")
        dossier = await _in_group(harness, 408, f"/hoso {code(1)}", chat_id=-100888)
        assert dossier[0].plain.startswith("🔒")  # only staff tools, not citizens' dossiers
    finally:
        await harness.stop()

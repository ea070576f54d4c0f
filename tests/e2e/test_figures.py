"""Managers' figures in the chat: the period asked for, complaints, overdue tickets flagged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import _fresh_db
from tests.harness import BotHarness, FakeServer, staffed, wait_until
from tthc.bot.complaints.handlers import overdue_reminders
from tthc.complaints.models import Complaint
from tthc.core.clock import utcnow

ADMIN, MANAGER, STAFF, CITIZEN = 950, 951, 952, 953


@pytest.fixture
async def mbot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    async with staffed(server, url, admin=ADMIN, staff=(STAFF,), managers=(MANAGER,)) as bot:
        yield bot


async def test_the_period_asked_for_is_the_period_reported(mbot: BotHarness) -> None:
    manager = mbot.user(MANAGER)
    for words in ("/baocao 01/07/2026 30/09/2026", "/baocao quy 3/2026", "/baocao quý 3/2026"):
        pack = await manager.send(words)
        assert pack[0].plain.startswith("📊 Mức độ hài lòng 01/07/2026 – 30/09/2026"), words
        assert pack[1].plain.startswith("📁 Tình hình giải quyết hồ sơ 01/07/2026 – 30/09/2026")
        assert pack[2].plain.startswith("📣 Phản ánh, kiến nghị 01/07/2026 – 30/09/2026")
    month = await manager.send("/baocao thang 2/2026")
    assert month[0].plain.startswith("📊 Mức độ hài lòng 01/02/2026 – 28/02/2026")
    wrong = await manager.send("/baocao hôm kia")
    assert len(wrong) == 1 and wrong[0].plain.startswith("Cách dùng: /baocao [30 | tháng 11")


async def _file(bot: BotHarness, user_id: int, text: str) -> None:
    citizen = bot.user(user_id)
    await citizen.send("/phananh")
    await citizen.send(text)
    await citizen.press("✅ Gửi")


async def test_complaint_figures_and_an_overdue_ticket_flagged(mbot: BotHarness) -> None:
    assert mbot.services is not None
    await _file(mbot, CITIZEN, "Quầy số 3 đóng cửa sớm")
    await _file(mbot, CITIZEN + 1, "Cán bộ hẹn mà không trả hồ sơ")
    staff = mbot.user(STAFF)
    await staff.send("/traloi PA-000001 Đã nhắc nhở quầy số 3.")
    # The second ticket was filed three weeks ago: past its ten working days.
    with mbot.services.db.session() as session:
        late = session.exec(select(Complaint).where(Complaint.id == 2)).one()
        late.created_at = utcnow() - timedelta(days=21)
        session.add(late)
    inbox = (await staff.send("/hopthu"))[0]
    lines = inbox.plain.splitlines()
    assert lines[0] == "📥 Phản ánh đang chờ trả lời (1) · ⚠️ quá hạn: 1"
    assert lines[1].startswith("⚠️ PA-000002") and lines[1].endswith("(quá hạn)")
    figures = (await mbot.user(MANAGER).send("/baocao 60"))[2]
    assert "Tiếp nhận 2; đã trả lời 1" in figures.plain
    assert "⚠️ Đang quá hạn chưa trả lời: 1 (xem /hopthu)." in figures.plain
    # Staff are reminded once, however often the check runs.
    before = len(mbot.api.sent)
    for _ in range(2):
        mbot.application.job_queue.run_once(overdue_reminders, 0)
    await wait_until(lambda: any(m.chat_id == STAFF for m in mbot.api.sent[before:]), 10)
    await mbot.indexed()
    reminders = [m for m in mbot.api.sent[before:] if m.plain.startswith("⏰ Phản ánh PA-000002")]
    assert {m.chat_id for m in reminders} == {STAFF, ADMIN} and len(reminders) == 2

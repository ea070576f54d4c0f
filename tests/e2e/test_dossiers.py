"""Dossier status journeys: lookup in every status, bad codes, secret check, rate limit,
notifications through the outbox (also across a restart)."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from tests.conftest import _fresh_db
from tests.harness import BotHarness, FakeServer, wait_until
from tthc.app.services import build_services
from tthc.core.clock import VIETNAM
from tthc.core.models import OutboxMessage
from tthc.dossiers.importer import import_dossiers
from tthc.dossiers.status import LABELS, Status

HEADER = [
    "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cơ quan tiếp nhận", "Cấp thực hiện",
    "Người nộp", "Số điện thoại", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
    "Ngày trả kết quả", "Trạng thái", "Hình thức nhận kết quả",
]  # fmt: skip


def code(n: int) -> str:
    return f"000.00.20.H56-240527-{n:04d}"


def row(n: int, status: Status, *, phone: str = "", due_days: int = 3) -> list[str]:
    # Today at 9:00, taken when the row is made: a module-level "now" goes stale when a
    # run crosses midnight in Vietnam, and every "còn 3 ngày" with it.
    now = datetime.now(VIETNAM).replace(hour=9, minute=0, second=0, microsecond=0)
    received = now - timedelta(days=2)
    due = now + timedelta(days=due_days)
    finished = now - timedelta(days=1) if status.finished else None
    returned = now if status is Status.RETURNED else None
    fmt = "%d/%m/%Y %H:%M"
    return [
        code(n), "1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", "Ủy ban nhân dân cấp xã",
        "Cấp xã", "Lê Thanh Long", phone, received.strftime(fmt), due.strftime(fmt),
        finished.strftime(fmt) if finished else "", returned.strftime(fmt) if returned else "",
        LABELS[status], "Trực tiếp tại bộ phận một cửa",
    ]  # fmt: skip


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def load(bot: BotHarness, tmp_path: Path, rows: list[list[str]], name: str = "export.csv") -> int:
    """Import rows as staff would, with the running bot's settings; notifications queued."""
    with closing(build_services(bot.settings())) as services:
        path = _write(tmp_path / name, rows)
        report = import_dossiers(services.db, path, services.dossier_reader(), source=name)
    return report.notifications


def _outbox_settled(bot: BotHarness) -> bool:
    assert bot.services is not None
    with bot.services.db.session() as session:
        waiting = session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(col(OutboxMessage.sent_at).is_(None), col(OutboxMessage.failed_at).is_(None))
        ).one()
    return waiting == 0


@pytest.fixture
async def dbot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    """The bot with three wrong check-digit answers per user, four per dossier."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(
        server, url, lookup_max_failures=3, lookup_max_failures_per_dossier=4, lookup_budget=10
    )
    await harness.start()
    yield harness
    await harness.stop()


NEXT_STEP = {
    Status.REGISTERED: "Hồ sơ đã được đăng ký và đang chờ bộ phận một cửa tiếp nhận.",
    Status.ACCEPTED: "Bộ phận một cửa đã tiếp nhận hồ sơ",
    Status.REJECTED: "Hồ sơ không được tiếp nhận.",
    Status.PROCESSING: "Cơ quan chuyên môn đang thẩm định hồ sơ.",
    Status.NEEDS_DOCUMENTS: "👉 Bạn cần bổ sung giấy tờ: mang giấy tờ còn thiếu",
    Status.NEEDS_PAYMENT: "👉 Bạn cần nộp thuế, phí hoặc lệ phí theo thông báo",
    Status.WITHDRAWN: "Hồ sơ đã được rút theo yêu cầu của bạn.",
    Status.STOPPED: "Hồ sơ đang tạm dừng xử lý.",
    Status.DONE: "👉 Đã có kết quả. Bạn có thể nhận kết quả theo hình thức đã chọn",
    Status.RETURNED: "Kết quả đã được trả.",
}


async def test_lookup_in_every_status(dbot: BotHarness, tmp_path: Path) -> None:
    load(dbot, tmp_path, [row(int(s), s) for s in Status])
    citizen = dbot.user(201)
    for status in Status:
        reply = (await citizen.send(code(int(status))))[0]
        lines = reply.plain.splitlines()
        assert lines[0] == f"📂 Hồ sơ {code(int(status))}"
        assert "Thủ tục: Thủ tục đăng ký khai tử (1.000656)" in lines
        assert "Người nộp: L* T**** L***" in lines  # masked
        assert f"Tình trạng: {LABELS[status]}" in lines
        assert any(line.startswith(NEXT_STEP[status]) for line in lines), (status, lines)
        if status.finished:
            assert any(
                line.startswith("✅ Có kết quả:") and line.endswith("trước hạn 4 ngày")
                for line in lines
            )
        elif status.paused:  # the clock stands still: no days counted
            due = next(line for line in lines if line.startswith("📅 Ngày hẹn trả:"))
            assert "tạm dừng tính thời hạn" in due and "còn" not in due
        elif status is Status.REGISTERED:
            assert any("chưa được tiếp nhận" in line for line in lines)
        elif not status.closed:
            assert any(
                line.startswith("📅 Ngày hẹn trả:") and line.endswith("còn 3 ngày")
                for line in lines
            )
        follow = ["🔔 Báo cho tôi khi có thay đổi", "🔄 Cập nhật"]
        assert reply.captions[:3] == (
            ["⭐ Đánh giá", *follow] if status.finished else [*follow, "📋 Xem thủ tục"]
        )


async def test_overdue_and_wrong_or_unknown_codes(dbot: BotHarness, tmp_path: Path) -> None:
    load(dbot, tmp_path, [row(1, Status.PROCESSING, due_days=-2)])
    citizen = dbot.user(202)
    overdue = (await citizen.send(f"/hoso {code(1).lower()}"))[0]
    assert "đã quá hạn 2 ngày" in overdue.plain
    wrong = (await citizen.send("/hoso 12345"))[0]
    assert wrong.plain == (
        "Mã 12345 không đúng dạng mã hồ sơ. Mã hồ sơ in trên giấy biên nhận có dạng "
        "000.00.20.H56-240527-0001 (mã đơn vị - ngày nhận YYMMDD - số thứ tự). Bạn kiểm tra lại "
        "giúp nhé."
    )
    # An unknown code is asked for the check digits like a protected one: whether a code
    # exists shows only with the right digits.
    unknown = (await citizen.send(code(999)))[0]
    assert unknown.plain.startswith("🔒 Để bảo vệ thông tin, bạn gõ 4 số cuối số điện thoại")
    answer = (await citizen.send("1234"))[0]
    assert answer.plain.startswith(
        f"Mã hồ sơ {code(999)} hoặc 4 số kiểm tra chưa đúng. Bạn còn 2 lần thử"
    )
    # The menu button asks for a code; the next message is read as one, even a bad one.
    await citizen.send("/start")
    prompt = (await citizen.press("📂 Tra cứu hồ sơ"))[0]
    assert prompt.plain.startswith("📂 Bạn gõ mã hồ sơ in trên giấy biên nhận")
    assert (await citizen.send("abc"))[0].plain.startswith("Mã ABC không đúng dạng mã hồ sơ.")


async def test_check_digits_are_retried_without_the_code(dbot: BotHarness, tmp_path: Path) -> None:
    load(dbot, tmp_path, [row(7, Status.DONE, phone="0912345678")])
    citizen = dbot.user(203)
    ask = (await citizen.send(code(7)))[0]
    assert ask.plain.startswith("🔒 Để bảo vệ thông tin, bạn gõ 4 số cuối số điện thoại")
    wrong = (await citizen.send("0000"))[0]
    assert wrong.plain.startswith(f"Mã hồ sơ {code(7)} hoặc 4 số kiểm tra chưa đúng.")
    assert "Bạn còn 2 lần thử: gõ lại 4 số cuối số điện thoại" in wrong.plain
    right = (await citizen.send("56 78"))[0]  # only the digits again, spaces forgiven
    assert right.plain.startswith(f"📂 Hồ sơ {code(7)}")
    again = (await citizen.send(code(7)))[0]  # already verified: no second question
    assert again.plain.startswith(f"📂 Hồ sơ {code(7)}")


async def test_a_question_at_the_digit_prompt_is_not_a_guess(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(7, Status.DONE, phone="0912345678")])
    citizen = dbot.user(209)
    await citizen.send(code(7))
    card = (await citizen.send("lam lai can cuoc"))[0]  # leaves the question, not counted
    assert card.plain.startswith("📋 Cấp lại thẻ căn cước")
    for _ in range(2):
        await citizen.send(code(7))
        await citizen.send("0000")
    await citizen.send(code(7))
    right = (await citizen.send("5678"))[0]  # 2 wrong answers so far: still allowed
    assert right.plain.startswith(f"📂 Hồ sơ {code(7)}")


async def test_wrong_digits_are_limited_per_user_and_per_dossier(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(7, Status.DONE, phone="0912345678")])
    first = dbot.user(204)
    await first.send(code(7))
    for digits in ("1111", "2222"):
        await first.send(digits)
    limited = (await first.send("3333"))[0]  # the third wrong answer of this user
    assert limited.plain.startswith("Bạn đã tra cứu nhiều mã hồ sơ hoặc gõ sai số kiểm tra")
    assert "khoảng 15 phút nữa" in limited.plain
    still = (await first.send(code(7)))[0]
    assert still.plain.startswith("Bạn đã tra cứu nhiều mã hồ sơ")
    # Another account's wrong answer is the dossier's fourth: the code is now protected,
    # and this account (which guessed wrong) is told so, without blame.
    second = dbot.user(210)
    await second.send(code(7))
    await second.send("4444")
    refused = (await second.send(code(7)))[0]
    assert refused.plain.startswith(f"🛡 Mã hồ sơ {code(7)} vừa bị nhập sai số kiểm tra")
    assert "/phananh" in refused.plain
    # A button forged for a dossier this user never unlocked shows nothing of it.
    forged = (await second.press_data(f"d:s:{code(7)}", refused))[0]
    assert forged.plain.startswith("📂 Bạn gõ mã hồ sơ")
    # The owner, who never used the bot, is not locked out: one answer, the right one.
    owner = dbot.user(212)
    asked = (await owner.send(f"/danhgia {code(7)}"))[0]
    assert asked.plain.startswith("🔒 Để bảo vệ thông tin")
    rating = (await owner.send("5678"))[0]
    assert rating.plain.startswith("⭐")


async def test_every_lookup_of_a_new_code_spends_the_budget(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(n, Status.PROCESSING) for n in range(1, 12)])
    citizen = dbot.user(211)
    for n in range(1, 11):  # found or not, each new code counts
        reply = (await citizen.send(code(n)))[0]
        assert reply.plain.startswith(f"📂 Hồ sơ {code(n)}")
    refused = (await citizen.send(code(11)))[0]
    assert refused.plain.startswith("Bạn đã tra cứu nhiều mã hồ sơ")
    seen = (await citizen.send(code(3)))[0]  # a dossier already unlocked costs nothing
    assert seen.plain.startswith(f"📂 Hồ sơ {code(3)}")


async def test_subscribe_then_import_sends_exactly_one_notification(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(3, Status.PROCESSING), row(4, Status.PROCESSING)])
    citizen = dbot.user(205)
    await citizen.send(code(3))
    followed = (await citizen.press("🔔 Báo cho tôi khi có thay đổi"))[0]
    assert followed.edited and "🔔 Bạn đang theo dõi hồ sơ này" in followed.plain
    assert followed.captions[0] == "🔕 Huỷ theo dõi"
    assert dbot.api.answered_callbacks[-1].get("text") == "Đã bật thông báo cho hồ sơ này."
    before = len(dbot.api.sent)
    changed = [row(3, Status.NEEDS_DOCUMENTS), row(4, Status.DONE)]
    assert load(dbot, tmp_path, changed, "second.csv") == 1  # only dossier 3 is followed
    await wait_until(lambda: len(dbot.api.sent) > before)
    assert load(dbot, tmp_path, changed, "again.csv") == 0  # same file: nothing changed
    await wait_until(lambda: _outbox_settled(dbot))
    notes = [m for m in dbot.api.sent[before:] if m.chat_id == 205]
    assert len(notes) == 1
    assert notes[0].plain.splitlines()[:2] == [
        f"🔔 Hồ sơ {code(3)} có thay đổi",
        "Tình trạng mới: Yêu cầu bổ sung giấy tờ (trước đó: Đang xử lý)",
    ]
    assert notes[0].captions == ["📂 Xem chi tiết", "🔕 Huỷ theo dõi"]
    details = (await citizen.press("📂 Xem chi tiết", notes[0]))[0]
    assert "👉 Bạn cần bổ sung giấy tờ" in details.plain
    card = (await citizen.press("📋 Xem thủ tục", details))[0]
    assert card.plain.startswith("📋 Thủ tục đăng ký khai tử")
    assert "📂 Tra cứu hồ sơ" in card.captions  # statuses are published: offer lookup
    gone = (await citizen.send("/huy_theo_doi"))[0]
    assert gone.plain.startswith("🔕 Đã huỷ theo dõi 1 hồ sơ.")


async def test_restart_between_import_and_sending_delivers_once(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(5, Status.PROCESSING)])
    citizen = dbot.user(206)
    await citizen.send(f"/start hs_{code(5).replace('.', '_')}")  # deep link from a receipt QR
    await citizen.press("🔔 Báo cho tôi khi có thay đổi")
    await dbot.stop()  # no sender runs while staff import
    before = len(dbot.api.sent)
    assert load(dbot, tmp_path, [row(5, Status.DONE)], "later.csv") == 1
    await dbot.start()
    await wait_until(lambda: _outbox_settled(dbot))
    notes = [m for m in dbot.api.sent[before:] if m.chat_id == 206]
    assert [n.plain.splitlines()[1] for n in notes] == [
        "Tình trạng mới: Đã xử lý xong (trước đó: Đang xử lý)"
    ]
    await dbot.restart()
    await wait_until(lambda: _outbox_settled(dbot))
    assert len([m for m in dbot.api.sent[before:] if m.chat_id == 206]) == 1


async def test_transient_errors_are_retried_and_a_blocked_chat_is_not(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(8, Status.PROCESSING), row(9, Status.PROCESSING)])
    for user_id, n in ((207, 8), (208, 9)):
        citizen = dbot.user(user_id)
        await citizen.send(code(n))
        await citizen.press("🔔 Báo cho tôi khi có thay đổi")
    before = len(dbot.api.sent)
    dbot.api.failures["sendMessage"] = [
        (429, "Too Many Requests: retry after 1", 1),
        (502, "Bad Gateway", None),
        (403, "Forbidden: bot was blocked by the user", None),
    ]
    assert load(dbot, tmp_path, [row(8, Status.DONE), row(9, Status.DONE)], "done.csv") == 2
    await wait_until(lambda: _outbox_settled(dbot))
    delivered = [m.chat_id for m in dbot.api.sent[before:]]
    # The first send hits the 429 (postponed), the next the 502 (retried), the third the
    # 403: that chat is given up; the other gets exactly one message.
    assert len(delivered) == 1 and delivered[0] in (207, 208)
    assert [e for _, e in dbot.api.errors[-3:]] == [
        "Too Many Requests: retry after 1",
        "Bad Gateway",
        "Forbidden: bot was blocked by the user",
    ]
    assert dbot.services is not None
    with dbot.services.db.session() as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert sorted((r.sent_at is not None, r.failed_at is not None) for r in rows) == [
        (False, True),
        (True, False),
    ]
    # The chat that refused is remembered as blocked: nothing new is queued for it.
    assert len(dbot.services.users.blocked({207, 208})) == 1


async def test_a_notification_that_timed_out_after_delivery_is_not_sent_again(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> None:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, read_timeout=0.5)
    await harness.start()
    try:
        load(harness, tmp_path, [row(12, Status.PROCESSING)])
        citizen = harness.user(212)
        await citizen.send(code(12))
        await citizen.press("🔔 Báo cho tôi khi có thay đổi")
        before = len(harness.api.sent)
        harness.api.slow["sendMessage"] = [2.0]  # accepted, but the answer comes too late
        assert load(harness, tmp_path, [row(12, Status.DONE)], "done.csv") == 1
        await wait_until(lambda: _outbox_settled(harness))
        assert harness.services is not None
        with harness.services.db.session() as session:
            (message,) = session.exec(select(OutboxMessage)).all()
        assert message.sent_at is not None and "delivery unknown" in (message.last_error or "")
        await harness.restart()  # nothing is left to send, even after the lease
        await wait_until(lambda: _outbox_settled(harness))
        delivered = [m for m in harness.api.sent[before:] if m.chat_id == 212]
        assert len(delivered) == 1  # Telegram got it once; the bot did not resend
    finally:
        await harness.stop()


async def test_a_code_inside_a_sentence_is_looked_up_and_a_cut_one_asked_again(
    dbot: BotHarness, tmp_path: Path
) -> None:
    load(dbot, tmp_path, [row(3, Status.PROCESSING)])
    citizen = dbot.user(212)
    reply = (await citizen.send(f"ma ho so cua toi la {code(3)} da xong chua a"))[0]
    assert reply.plain.splitlines()[0] == f"📂 Hồ sơ {code(3)}"
    spaced = code(3).replace("-", " - ")
    assert (await citizen.send(f"Hồ sơ {spaced} của em"))[0].plain.startswith("📂 Hồ sơ")
    cut = (await citizen.send(f"hồ sơ {code(3)[:-2]} tới đâu rồi"))[0]
    assert cut.plain.startswith(f"Mã {code(3)[:-2]} có vẻ còn thiếu số cuối.")
    # The whole code, typed next, answers the question.
    assert (await citizen.send(code(3)))[0].plain.startswith(f"📂 Hồ sơ {code(3)}")
    assert dbot.services is not None and dbot.services.catalog.unanswered() == []

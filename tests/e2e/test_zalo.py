"""Citizens on Zalo through the fake Zalo Bot API; the conversations shared with Telegram
are written once against a channel-neutral driver and run on both fakes."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from pydantic import SecretStr
from sqlmodel import select

from tests.conftest import _fresh_db
from tests.e2e.test_dossiers import code, load, row
from tests.fakezalo import ZALO_TOKEN, FakeZalo
from tests.harness import TOKEN, BotHarness, FakeServer, until_healthy, wait_until
from tests.zaloharness import (
    ZALO_SECRET,
    Driver,
    TelegramCitizen,
    ZaloCitizen,
    ZaloHarness,
    free_port,
)
from tthc.app.application import build_application
from tthc.app.runner import serve_channels
from tthc.app.services import build_services
from tthc.app.zalo.channel import build_zalo
from tthc.app.zalo.client import ZaloUnreachable
from tthc.complaints.models import Complaint
from tthc.dossiers.status import Status
from tthc.users.models import ChannelFile, User


@pytest.fixture
async def both(
    server: FakeServer, fake_zalo: FakeZalo, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[tuple[BotHarness, ZaloHarness]]:
    """Telegram and Zalo on one database, as one `tthc run` with both tokens would be."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    telegram = BotHarness(server, url)
    await telegram.start()
    zalo = ZaloHarness(fake_zalo, telegram)
    await zalo.start()
    yield telegram, zalo
    await zalo.stop()
    await telegram.stop()


def _driver(kind: str, both: tuple[BotHarness, ZaloHarness], n: int) -> Driver:
    telegram, zalo = both
    return (
        TelegramCitizen(telegram.user(700 + n)) if kind == "telegram" else zalo.user(f"a1b2{n:04x}")
    )


CHANNELS = pytest.mark.parametrize("kind", ["telegram", "zalo"])


@CHANNELS
async def test_a_question_then_a_section(kind: str, both: tuple[BotHarness, ZaloHarness]) -> None:
    citizen = _driver(kind, both, 1)
    card = "\n".join(await citizen.send("lam lai can cuoc"))
    assert card.startswith("📋 Cấp lại thẻ căn cước")
    section = "\n".join(await citizen.press("📄 Hồ sơ cần chuẩn bị"))
    assert section.startswith("Cấp lại thẻ căn cước\n📄 Hồ sơ cần chuẩn bị")


@CHANNELS
async def test_dossier_lookup_with_check_digits_then_a_rating(
    kind: str, both: tuple[BotHarness, ZaloHarness], tmp_path: Path
) -> None:
    load(both[0], tmp_path, [row(7, Status.RETURNED, phone="0912345678")])
    citizen = _driver(kind, both, 2)
    ask = "\n".join(await citizen.send(code(7)))
    assert ask.startswith("🔒 Để bảo vệ thông tin, bạn gõ 4 số cuối số điện thoại")
    status = "\n".join(await citizen.send("5678"))
    assert status.startswith(f"📂 Hồ sơ {code(7)}")
    prompt = "\n".join(await citizen.press("⭐ Đánh giá"))
    assert prompt.startswith(f"⭐ Bạn hài lòng thế nào với việc giải quyết hồ sơ {code(7)}?")
    await citizen.press("😀 Rất hài lòng")
    thanks = "\n".join(await citizen.press("✅ Gửi đánh giá"))
    assert "Cảm ơn" in thanks


@CHANNELS
async def test_a_complaint_by_typing(kind: str, both: tuple[BotHarness, ZaloHarness]) -> None:
    citizen = _driver(kind, both, 3)
    prompt = "\n".join(await citizen.send("/phananh 1.000656"))
    assert prompt.startswith("📣 Bạn gõ nội dung phản ánh, kiến nghị về 1.000656.")
    draft = "\n".join(await citizen.send("Quầy số 3 đóng cửa sớm"))
    assert "Quầy số 3 đóng cửa sớm" in draft
    filed = "\n".join(await citizen.press("✅ Gửi"))
    assert filed.startswith("✅ Đã gửi phản ánh của bạn. Mã số: PA-")


async def test_zalo_webhook_secret_numbered_choices_and_limits(
    both: tuple[BotHarness, ZaloHarness], fake_zalo: FakeZalo
) -> None:
    _, zalo = both
    assert fake_zalo.webhook == {
        "url": f"http://127.0.0.1:{zalo.port}/zalo/hook",
        "secret_token": ZALO_SECRET,
    }
    event = fake_zalo.text_event("ff01", "lam lai can cuoc", "no-secret")
    assert await fake_zalo.deliver(event, secret="") == 403
    assert await fake_zalo.deliver(event, secret="wrong-secret") == 403
    assert fake_zalo.sent == []
    citizen = zalo.user("ff01")
    card = await citizen.send("lam lai can cuoc")
    assert all(1 <= len(part.text) <= 2000 for part in fake_zalo.sent)
    assert "<b>" not in "".join(card) and "&amp;" not in "".join(card)
    numbered = re.findall(r"^\[(\d+)\] (.+)$", card[-1], re.M)
    assert numbered[0] == ("1", "📄 Hồ sơ cần chuẩn bị")
    assert card[-1].rstrip().endswith(f"Gõ số (1–{len(numbered)}) để chọn.")
    first = await citizen.send("1")
    assert first[0].startswith("Cấp lại thẻ căn cước\n📄 Hồ sơ cần chuẩn bị")
    # A long card is split under Zalo's 2,000 characters, nothing lost or cut mid-word.
    assert all(len(m.text) <= 2000 for m in fake_zalo.sent)


async def test_the_same_event_twice_is_answered_once(
    both: tuple[BotHarness, ZaloHarness], fake_zalo: FakeZalo
) -> None:
    citizen = both[1].user("ff02")
    first = await citizen.send("dang ky khai sinh", message_id="dup-1")
    again = await citizen.send("dang ky khai sinh", message_id="dup-1")
    assert first and again == []


async def _following(
    both: tuple[BotHarness, ZaloHarness], tmp_path: Path, n: int, user: str
) -> ZaloCitizen:
    """A person on Zalo who looked dossier n up and asked to be told of changes."""
    load(both[0], tmp_path, [row(n, Status.PROCESSING)], f"first{n}.csv")
    citizen = both[1].user(user)
    await citizen.send(code(n))
    followed = "\n".join(await citizen.press("🔔 Báo cho tôi khi có thay đổi"))
    assert "🔔 Bạn đang theo dõi hồ sơ này" in followed
    assert "Đã bật thông báo cho hồ sơ này." in followed  # the button's notice, as a line
    return citizen


async def test_a_status_change_notifies_a_zalo_follower_once(
    both: tuple[BotHarness, ZaloHarness], fake_zalo: FakeZalo, tmp_path: Path
) -> None:
    telegram, zalo = both
    citizen = await _following(both, tmp_path, 3, "ff03")
    before = len(fake_zalo.sent)
    telegram_before = len(telegram.api.sent)
    assert load(telegram, tmp_path, [row(3, Status.NEEDS_DOCUMENTS)], "second.csv") == 1
    await wait_until(lambda: len(fake_zalo.sent) > before)
    assert load(telegram, tmp_path, [row(3, Status.NEEDS_DOCUMENTS)], "again.csv") == 0
    notes = [m.text for m in fake_zalo.sent[before:] if m.chat_id == "ff03"]
    assert len(notes) == 1 and notes[0].startswith(f"🔔 Hồ sơ {code(3)} có thay đổi")
    assert len(telegram.api.sent) == telegram_before  # not sent on Telegram
    citizen.last = notes
    details = "\n".join(await citizen.press("📂 Xem chi tiết"))
    assert "👉 Bạn cần bổ sung giấy tờ" in details


async def test_a_person_who_may_not_be_written_to_is_marked_unreachable(
    both: tuple[BotHarness, ZaloHarness], fake_zalo: FakeZalo, tmp_path: Path
) -> None:
    telegram, zalo = both
    await _following(both, tmp_path, 5, "ff04")
    fake_zalo.forbidden.add("ff04")
    load(telegram, tmp_path, [row(5, Status.DONE)], "second.csv")
    assert zalo.channel is not None
    user_id = zalo.channel.users.user_id("ff04")
    await wait_until(lambda: _blocked(zalo, user_id))
    async with ClientSession() as http, http.get(f"http://127.0.0.1:{zalo.port}/metrics") as got:
        text = await got.text()
    assert re.search(r'tthc_unreachable_users_total\{channel="zalo"\} [1-9]', text)


def _blocked(zalo: ZaloHarness, user_id: int) -> bool:
    assert zalo.services is not None
    with zalo.services.db.session() as session:
        user = session.get(User, user_id)
        return user is not None and user.blocked_at is not None


TG_SECRET = "telegram-secret-0123456789"


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_one_process_serves_both_channels_on_one_server(
    mode: str,
    server: FakeServer,
    fake_zalo: FakeZalo,
    sqlite_templates: dict[str, Path],
    tmp_path: Path,
) -> None:
    """What `tthc run` does with both tokens: Telegram polling or by webhook, Zalo's
    webhook, one port."""
    telegram = BotHarness(server, _fresh_db("sqlite", True, sqlite_templates, None, tmp_path))
    zalo = ZaloHarness(fake_zalo, telegram)
    if mode == "webhook":
        zalo.extra = {
            "webhook_url": f"http://127.0.0.1:{zalo.port}/tg",
            "webhook_secret": SecretStr(TG_SECRET),
        }
    services = build_services(zalo.settings())
    channel = build_zalo(services, ZALO_TOKEN)
    application = build_application(services, token=TOKEN, rate_limit=False)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_channels(application, channel, stop))
    try:
        base = f"http://127.0.0.1:{zalo.port}"
        await wait_until(lambda: fake_zalo.webhook is not None and application.running)
        message = {"message_id": 1, "date": int(time.time()), "text": "lam lai can cuoc",
                   "chat": {"id": 990, "type": "private"},
                   "from": {"id": 990, "is_bot": False, "first_name": "An"}}  # fmt: skip
        if mode == "polling":
            server.api.push({"message": message})
        else:
            assert server.api.webhook is not None
            assert server.api.webhook["url"] == f"{base}/tg"
            await until_healthy(f"{base}/healthz")
            async with ClientSession() as http, http.post(
                f"{base}/tg", json={"update_id": 5, "message": message},
                headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
            ) as response:  # fmt: skip
                assert response.status == 200
        await wait_until(lambda: any(m.chat_id == 990 for m in server.api.sent))
        event = fake_zalo.text_event("ee01", "lam lai can cuoc", "both-1")
        assert await fake_zalo.deliver(event) == 200
        assert fake_zalo.sent[-1].chat_id == "ee01"
        async with ClientSession() as http:
            async with http.get(f"{base}/healthz") as response:
                assert (await response.json())["ok"] is True
            async with http.get(f"{base}/metrics") as response:
                text = await response.text()
        for name in ("telegram", "zalo"):
            assert re.search(rf'tthc_updates_total\{{channel="{name}",kind="message"', text)
    finally:
        stop.set()
        await task
        services.close()
    assert "deleteWebhook" not in [method for method, _ in fake_zalo.calls]


async def test_polling_for_development_answers_a_replayed_event_once(
    both: tuple[BotHarness, ZaloHarness], fake_zalo: FakeZalo
) -> None:
    telegram, webhooked = both
    await webhooked.stop()  # the same database, now polling
    zalo = ZaloHarness(fake_zalo, telegram, zalo_webhook_url=None)
    fake_zalo.webhook = None
    await zalo.start()
    try:
        fake_zalo.queue.append(fake_zalo.text_event("ee02", "dang ky khai sinh", "poll-1"))
        await wait_until(lambda: any(m.chat_id == "ee02" for m in fake_zalo.sent))
        await wait_until(lambda: fake_zalo.replayed)  # the batch came back once
        await asyncio.sleep(0.3)
        answers = [m for m in fake_zalo.sent if m.chat_id == "ee02"]
        assert len(answers) == 1
    finally:
        await zalo.stop()
        await webhooked.start()


async def test_a_complaint_photo_is_downloaded_and_kept(
    both: tuple[BotHarness, ZaloHarness], fake_zalo: FakeZalo
) -> None:
    _, zalo = both
    fake_zalo.photos["p1.jpg"] = b"\xff\xd8\xff" + b"0" * 2000
    citizen = zalo.user("ee03")
    await citizen.send("/phananh 1.000656")
    before = len(fake_zalo.sent)
    image = {
        "event_name": "message.image.received",
        "message": {
            "from": {"id": "ee03"}, "chat": {"id": "ee03"}, "message_id": "img-1",
            "photo_url": f"{fake_zalo.base_url}/photos/p1.jpg", "caption": "Quầy đóng cửa",
        },
    }  # fmt: skip
    assert await fake_zalo.deliver(image) == 200
    draft = "\n".join(m.text for m in fake_zalo.sent[before:])
    assert "Quầy đóng cửa" in draft and "📎 Kèm 1 ảnh." in draft
    citizen.last = [draft]
    await citizen.press("✅ Gửi")
    assert zalo.services is not None
    with zalo.services.db.session() as session:
        complaint = session.exec(select(Complaint)).one()
        stored = session.get(ChannelFile, int(str(complaint.attachment_file_id).split(":")[1]))
        assert stored is not None and stored.content == fake_zalo.photos["p1.jpg"]
    assert complaint.attachment_file_id == f"zalo-file:{stored.id}"


async def test_an_unreachable_zalo_api_stops_the_start_cleanly(
    server: FakeServer, fake_zalo: FakeZalo, sqlite_templates: dict[str, Path], tmp_path: Path
) -> None:
    telegram = BotHarness(server, _fresh_db("sqlite", True, sqlite_templates, None, tmp_path))
    zalo = ZaloHarness(fake_zalo, telegram, zalo_base_url=f"http://127.0.0.1:{free_port()}")
    services = build_services(zalo.settings())
    application = build_application(services, token=TOKEN, rate_limit=False)
    try:
        with pytest.raises(ZaloUnreachable, match="setWebhook"):
            await asyncio.wait_for(
                serve_channels(application, build_zalo(services, ZALO_TOKEN), asyncio.Event()),
                30,
            )
        assert not application.running  # Telegram, started first, was stopped again
    finally:
        services.close()

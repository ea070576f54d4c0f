"""The second attack round (issue "Fair under abuse…"), each finding replayed as a test.

Polling through the fake Bot API, webhook with a real socket, SQLite and PostgreSQL where
the database decides the outcome.
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from aiohttp import ClientSession
from openpyxl import load_workbook

from tests.conftest import _fresh_db
from tests.e2e.test_dossiers import HEADER, code, load, row
from tests.e2e.test_webhook import _message, _press
from tests.harness import BotHarness, FakeServer, staffed, wait_until
from tests.pg import PostgresServer
from tests.webhooks import SECRET, Instance, Proxy, webhook_instance
from tthc.app.services import build_services
from tthc.app.web import SECRET_HEADER, check_health
from tthc.complaints.models import Complaint
from tthc.core.logs import configure_logging
from tthc.core.settings import Settings
from tthc.dossiers.status import Status
from tthc.users.roles import Role


@pytest.fixture
async def budget_bot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    """The bot with the production budget: 20 messages a minute per user."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, user_messages_per_minute=20, user_presses_per_minute=60)
    await harness.start()
    yield harness
    await harness.stop()


async def test_1_a_flood_is_told_once_then_ignored_and_others_are_answered(
    budget_bot: BotHarness,
) -> None:
    flooder, other = budget_bot.user(701), budget_bot.user(702)
    replies = [await flooder.send("đăng ký khai sinh") for _ in range(26)]
    answered = [r for r in replies if r and r[0].plain.startswith("📋")]
    told = [r for r in replies if r and r[0].plain.startswith("⏳ Bạn gửi nhanh quá")]
    assert len(answered) == 20 and len(told) == 1 and sum(1 for r in replies if not r) == 5
    card = (await other.send("đăng ký khai sinh"))[0]
    assert card.plain.startswith("📋")


async def test_2_an_update_nobody_can_read_is_skipped_once(bot: BotHarness) -> None:
    citizen = bot.user(703)
    poison = {"message": {"message_id": 1, "date": "not a time", "chat": {"id": 703}}}
    bot.api.push(poison)  # PTB cannot parse it: polling used to ask for it forever
    card = (await citizen.send("lam lai can cuoc"))[0]  # answered right after it
    assert card.plain.startswith("📋 Cấp lại thẻ căn cước")


async def test_12_an_edited_message_is_not_a_new_message(bot: BotHarness) -> None:
    citizen = bot.user(704)
    await citizen.send("/phananh")
    edit = {
        "message_id": 1,
        "date": int(time.time()),
        "edit_date": int(time.time()),
        "chat": {"id": 704, "type": "private"},
        "from": citizen.user,
        "text": "lời cũ đã sửa",
    }
    assert await bot.deliver({"edited_message": edit}) == []
    draft = (await citizen.send("Quầy số 3 đóng cửa sớm"))[0]
    assert "Quầy số 3 đóng cửa sớm" in draft.plain and "lời cũ" not in draft.plain


async def test_13_a_channel_post_gets_no_answer_and_no_error(bot: BotHarness) -> None:
    post = {
        "message_id": 5,
        "date": int(time.time()),
        "chat": {"id": -100123, "type": "channel", "title": "Tin phường"},
        "text": "lam lai can cuoc",
    }
    assert await bot.deliver({"channel_post": post}) == []
    assert bot.api.errors == []


# -- the same update twice, a double tap on two instances (PostgreSQL) -------------------


async def _post(url: str, body: Any, *, secret: str = SECRET, raw: bytes | None = None) -> int:
    headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
    data = raw if raw is not None else json.dumps(body).encode()
    async with ClientSession() as session, session.post(url, data=data, headers=headers) as r:
        return r.status


@pytest.mark.postgres
async def test_3_one_update_delivered_to_both_instances_is_answered_once(
    server: FakeServer, cluster: tuple[Proxy, list[Instance]]
) -> None:
    _, instances = cluster
    body = {"update_id": 880001, **_message(705, "lam lai can cuoc")}
    statuses = await asyncio.gather(
        *(_post(i.url, body) for i in instances), _post(instances[0].url, body)
    )
    assert statuses == [200, 200, 200]
    replies = [m for m in server.api.sent if m.chat_id == 705]
    assert len(replies) == 1 and replies[0].plain.startswith("📋 Cấp lại thẻ căn cước")


@pytest.mark.postgres
async def test_3_a_double_tap_on_send_landing_on_two_instances_files_one_complaint(
    server: FakeServer, cluster: tuple[Proxy, list[Instance]]
) -> None:
    _, instances = cluster
    api = server.api
    await api.post_update(_message(706, "/phananh Quầy số 3 đóng cửa sớm"))
    draft = [m for m in api.sent if m.chat_id == 706][-1]
    presses = [{"update_id": 880100 + n, **_press(api, 706, draft, "✅ Gửi")} for n in range(2)]
    await asyncio.gather(*(_post(i.url, p) for i, p in zip(instances, presses, strict=True)))
    with instances[0].services.db.session() as session:
        from sqlmodel import select

        complaints = session.exec(select(Complaint)).all()
    assert len(complaints) == 1


# -- the web server ----------------------------------------------------------------------


@pytest.fixture
async def lone(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[Instance]:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    instance = await webhook_instance(
        server, url, 9, web_max_connections=20, web_read_timeout_seconds=0.5
    )
    yield instance
    await instance.stop()


async def test_4_half_sent_requests_are_cut_off_and_capped(lone: Instance) -> None:
    site = lone.server.site
    writers = []
    for _ in range(30):  # more than the cap, each sending half a request line
        _, writer = await asyncio.open_connection("127.0.0.1", lone.server.port)
        writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")
        writers.append(writer)
    await asyncio.sleep(0.1)
    assert site.open <= 20 and site.refused >= 10
    await asyncio.sleep(1.0)  # past the read timeout: every half-sent request is gone
    assert site.open == 0 and site.timed_out >= 1
    body = {"update_id": 880200, **_message(707, "lam lai can cuoc")}
    assert await _post(lone.url, body) == 200  # and the server still serves
    for writer in writers:
        writer.close()


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 200_000 + b"]" * 200_000,
        b"[1, 2, 3]",
        b'"update"',
        b"{not json",
        b'{"update_id": "x"}',
    ],
    ids=["deep", "array", "string", "broken", "no id"],
)
async def test_17_malformed_bodies_get_400_without_a_traceback(
    lone: Instance, raw: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    assert await _post(lone.url, None, raw=raw) == 400
    assert "Traceback" not in caplog.text


async def test_2_an_unreadable_update_by_webhook_is_acknowledged(lone: Instance) -> None:
    bad = {"update_id": 880300, "message": {"message_id": 1, "date": "x", "chat": {"id": 1}}}
    assert await _post(lone.url, bad) == 200  # or Telegram retries it ahead of everything


def test_19_healthz_does_not_name_the_database_host() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url="postgresql://tthc:secret@db-internal.invalid:5432/tthc",
    )
    services = build_services(settings)
    try:
        report = check_health(services)
    finally:
        services.close()
    assert report["ok"] is False and report["error"] == "database unavailable"
    assert "db-internal" not in json.dumps(report)


# -- the clock ---------------------------------------------------------------------------


async def test_8_notifications_go_out_after_the_clock_steps_back_an_hour(
    bot: BotHarness, tmp_path: Path
) -> None:
    load(bot, tmp_path, [row(8, Status.PROCESSING)])
    citizen = bot.user(708)
    await citizen.send(f"/start hs_{code(8).replace('.', '_')}")
    await citizen.press("🔔 Báo cho tôi khi có thay đổi")

    def told(since: int) -> list[str]:
        return [m.plain for m in bot.api.sent[since:] if m.chat_id == 708]

    # Queued at the real time, sent after the clock stepped back an hour.
    await bot.stop()
    before = len(bot.api.sent)
    assert load(bot, tmp_path, [row(8, Status.NEEDS_PAYMENT)], "a.csv") == 1
    with time_machine.travel(datetime.now(UTC) - timedelta(hours=1), tick=True):
        await bot.start()
        await wait_until(lambda: told(before), 10)
        # The clock steps back again while the bot runs: the sender keeps its pace.
        before = len(bot.api.sent)
        with time_machine.travel(datetime.now(UTC) - timedelta(hours=1), tick=True):
            assert load(bot, tmp_path, [row(8, Status.DONE)], "b.csv") == 1
            await wait_until(lambda: told(before), 10)
    assert "Đã xử lý xong" in told(before)[0]


# -- a large preview -----------------------------------------------------------------------


async def test_11_a_large_file_being_previewed_keeps_nobody_waiting(
    server: FakeServer,
    sqlite_templates: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, slots=4)
    await harness.start()
    try:
        assert harness.services is not None
        harness.services.roles.grant(709, Role.STAFF, by=None)
        uploads = harness.services.uploads
        reading, release = threading.Event(), threading.Event()
        prepare = uploads.prepare

        def slow_prepare(name: str, content: bytes) -> Any:
            reading.set()
            assert release.wait(30)  # as a 30,000-row export takes seconds to read
            return prepare(name, content)

        monkeypatch.setattr(uploads, "prepare", slow_prepare)
        staff, citizen = harness.user(709), harness.user(710)
        rows = [HEADER, *(row(n, Status.PROCESSING) for n in range(1, 50))]
        content = "\n".join(",".join(cells) for cells in rows).encode()
        sending = asyncio.create_task(staff.send_document("ho-so.csv", content))
        assert await asyncio.to_thread(reading.wait, 10)
        card = (await citizen.send("lam lai can cuoc"))[0]  # while the file is being read
        assert card.plain.startswith("📋 Cấp lại thẻ căn cước") and not release.is_set()
        release.set()
        preview = (await sending)[-1]
        assert "Hồ sơ" in preview.plain and "49" in preview.plain
    finally:
        await harness.stop()


# -- inputs and privacy --------------------------------------------------------------------


@pytest.fixture
async def pg_staff_bot(
    server: FakeServer,
    pg_server: PostgresServer | None,
    sqlite_templates: dict[str, Path],
    tmp_path: Path,
) -> AsyncIterator[BotHarness]:
    url = _fresh_db("postgres", True, sqlite_templates, pg_server, tmp_path)
    async with staffed(server, url, admin=900, staff=(711,), managers=(712,)) as bot:
        yield bot


@pytest.mark.postgres
async def test_5_nul_in_a_caption_and_in_gan_is_dropped_on_postgresql(
    pg_staff_bot: BotHarness,
) -> None:
    citizen = pg_staff_bot.user(713)
    await citizen.send("/phananh")
    photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 10, "height": 10}]
    draft = (await citizen.send_raw({"photo": photo, "caption": "Quầy\x00 đóng sớm"}))[0]
    assert "Quầy đóng sớm" in draft.plain
    filed = (await citizen.press("✅ Gửi"))[0]
    assert filed.plain.startswith("✅ Đã gửi phản ánh của bạn.")
    staff = pg_staff_bot.user(711, first_name="Hoa\u202e\u200b" + "x" * 1190)
    mapped = (await staff.send("/gan 1.001612 <b>xin\x00 phép</b> bán rượu, gọi 0912 345 678"))[-1]
    assert mapped.plain.startswith("✅ Từ nay «xin phép bán rượu, gọi •••» dẫn tới")
    journal = (await staff.send("/nhatky"))[-1]
    assert "0912" not in journal.plain and "\u202e" not in journal.plain
    assert "&lt;b&gt;" not in journal.text  # the markup typed was dropped, not shown escaped
    assert "x" * 70 not in journal.plain  # the name is capped
    assert pg_staff_bot.api.errors == []


@pytest.mark.postgres
async def test_6_managers_read_comments_without_phone_or_id_numbers(
    pg_staff_bot: BotHarness, tmp_path: Path
) -> None:
    load(pg_staff_bot, tmp_path, [row(9, Status.RETURNED)])
    citizen = pg_staff_bot.user(714)
    await citizen.send(f"/danhgia {code(9)}")
    await citizen.press("🙁 Không hài lòng")
    await citizen.press("✍️ Thêm nhận xét")
    await citizen.send("Gọi tôi 0912 345 678 hoặc +84 (912) 345 679, CCCD 001203004567")
    await citizen.press("✅ Gửi đánh giá")
    pack = await pg_staff_bot.user(712).send("/baocao 30")
    texts = " ".join(m.plain for m in pack if m.kind == "text")
    workbook = next(m for m in pack if m.kind == "document")
    raw = pg_staff_bot.api.files[f"document/{workbook.raw['file_id']}"]
    cells = " ".join(
        str(c)
        for ws in load_workbook(io.BytesIO(raw))
        for r in ws.iter_rows(values_only=True)
        for c in r
        if c
    )
    for number in ("0912", "345 679", "001203004567"):
        assert number not in texts and number not in cells
    assert "Gọi tôi •••" in cells


async def test_16_debug_logs_hold_no_texts_and_no_check_digits(
    bot: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("DEBUG", "text")
    try:
        load(bot, tmp_path, [row(10, Status.DONE, phone="0912345678")])
        citizen = bot.user(715)
        await citizen.send(code(10))
        await citizen.send("5678")
        await citizen.send("tôi tên Nguyễn Văn Bình cần làm lại căn cước")
    finally:
        configure_logging("WARNING", "text")
    out = stream.getvalue()
    assert "5678" not in out and "Bình" not in out and code(10) not in out


@pytest.mark.postgres
async def test_10_a_file_with_a_268_byte_name_is_previewed(pg_staff_bot: BotHarness) -> None:
    assert pg_staff_bot.services is not None
    records = [r for r in pg_staff_bot.services.catalog.export_records() if r["code"] == "1.001193"]
    name = "danh mục thủ tục cấp xã đã sửa " * 8 + ".json"
    assert len(name.encode()) >= 268
    staff = pg_staff_bot.user(711)
    preview = (await staff.send_document(name, json.dumps(records, ensure_ascii=False).encode()))[
        -1
    ]
    assert preview.plain.startswith("📚 Tệp danh mục thủ tục: danh mục thủ tục")
    assert "…" in preview.plain.splitlines()[0] and pg_staff_bot.api.errors == []

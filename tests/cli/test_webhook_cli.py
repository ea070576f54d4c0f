"""`tthc run` in webhook mode as an operator starts it, with `tthc health` and
`tthc webhook info` beside it, against the fake Bot API."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

from aiohttp import ClientSession

from tests.fakezalo import ZALO_TOKEN, FakeZalo
from tests.harness import TOKEN, FakeServer, until_healthy
from tthc import __version__

TTHC = str(Path(sys.executable).with_name("tthc"))
SECRET = "operator-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _tthc(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        TTHC, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode()


async def _wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    await until_healthy(url, running=lambda: process.returncode is None, timeout=120)


async def test_run_serves_the_webhook_and_keeps_it_registered_at_stop(
    server: FakeServer, seeded_sqlite_url: str
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "DATABASE_URL": seeded_sqlite_url,
        "ENVIRONMENT": "development",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/tg-hook",
        "WEBHOOK_SECRET": SECRET,
        "LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    missing = {k: v for k, v in env.items() if k != "WEBHOOK_SECRET"}
    code, out = await _tthc(missing, "run")
    assert code != 0 and "WEBHOOK_SECRET is required with WEBHOOK_URL" in out
    process = await asyncio.create_subprocess_exec(
        TTHC, "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        await _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        api = server.api
        assert api.webhook == {
            "url": f"http://127.0.0.1:{port}/tg-hook",
            "secret_token": SECRET,
            "max_connections": 8,
        }
        await api.post_update(
            {
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": 77, "type": "private"},
                    "from": {"id": 77, "is_bot": False, "first_name": "An"},
                    "text": "lam lai can cuoc",
                }
            }
        )
        assert [m.plain.splitlines()[0] for m in api.sent if m.chat_id == 77] == [
            "📋 Cấp lại thẻ căn cước"
        ]
        code, out = await _tthc(env, "health")
        assert code == 0 and json.loads(out)["ok"] is True
        code, out = await _tthc(env, "webhook", "info")
        assert code == 0 and f"url: http://127.0.0.1:{port}/tg-hook" in out
        assert "pending updates: 0" in out
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
    assert process.returncode == 0
    assert "deleteWebhook" not in [method for method, _ in server.api.calls]
    code, out = await _tthc(env, "health")
    assert code != 0 and "unhealthy" in out


async def test_run_serves_zalo_alone_when_only_its_token_is_set(
    fake_zalo: FakeZalo, seeded_sqlite_url: str
) -> None:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"},
        "ZALO_BOT_TOKEN": ZALO_TOKEN,
        "ZALO_BASE_URL": fake_zalo.base_url,
        "ZALO_WEBHOOK_URL": f"http://127.0.0.1:{port}/zalo-hook",
        "DATABASE_URL": seeded_sqlite_url,
        "ENVIRONMENT": "development",
        "LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    code, out = await _tthc(env, "run")
    assert code == 2 and "ZALO_WEBHOOK_SECRET is required with ZALO_WEBHOOK_URL" in out
    env["ZALO_WEBHOOK_SECRET"] = "zalo-secret-0123"
    process = await asyncio.create_subprocess_exec(
        TTHC, "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        await _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        assert fake_zalo.webhook == {
            "url": f"http://127.0.0.1:{port}/zalo-hook",
            "secret_token": "zalo-secret-0123",
        }
        event = fake_zalo.text_event("cc01", "lam lai can cuoc", "cli-1")
        assert await fake_zalo.deliver(event) == 200
        assert fake_zalo.sent[0].chat_id == "cc01"
        assert fake_zalo.sent[0].text.startswith("📋 Cấp lại thẻ căn cước")
        code, out = await _tthc(env, "health")
        assert code == 0 and json.loads(out)["ok"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
    assert process.returncode == 0


async def test_run_polling_with_port_serves_health_and_metrics(
    server: FakeServer, seeded_sqlite_url: str
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "DATABASE_URL": seeded_sqlite_url,
        "ENVIRONMENT": "development",
        "LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    env.pop("WEBHOOK_URL", None)
    process = await asyncio.create_subprocess_exec(
        TTHC, "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        await _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        server.api.push(
            {"message": {"message_id": 1, "date": int(time.time()), "text": "lam lai can cuoc",
                         "chat": {"id": 78, "type": "private"},
                         "from": {"id": 78, "is_bot": False, "first_name": "An"}}}
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not any(m.chat_id == 78 for m in server.api.sent):
            assert time.monotonic() < deadline, "no answer while polling"
            await asyncio.sleep(0.1)
        async with ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert (await response.json())["version"] == __version__
            async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                text = await response.text()
        assert 'tthc_updates_total{channel="telegram",kind="message"' in text
        assert server.api.webhook is None  # polling: no webhook registered
        code, out = await _tthc(env, "health")  # asks the running instance
        assert code == 0 and json.loads(out)["version"] == __version__
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
    assert process.returncode == 0

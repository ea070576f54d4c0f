"""Throughput: 200 citizens each send one search at once; replies per second.

Run: make bench-throughput (part of make bench), or .venv/bin/python -m bench.throughput [N]
Through the fake Bot API (tests/fakeapi.py), served by a child process as Telegram is by
another machine, in one run: PTB's plain echo bot and tthc-bot (seeded SQLite file), each
with the rate limiter at Telegram's ~30 messages/s (TELEGRAM_MAX_RATE=30) and with it off
(TELEGRAM_MAX_RATE=0); tthc-bot also with 200 different questions (nothing answered from
the cache of repeated questions). Prints replies per second and tthc-bot's share of the
echo bot's: the echo bot is what the library and the loopback allow, so the ratio is what
our own work costs.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web
from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from tests.harness import TOKEN, FakeServer
from tests.pg import PostgresServer, find_pg_bin
from tthc.app.application import build_application
from tthc.app.migrations import upgrade
from tthc.app.services import build_services
from tthc.catalog.service import CatalogService
from tthc.core.database import Database
from tthc.core.settings import Settings

QUERIES = (
    "lam lai can cuoc", "đăng ký khai sinh", "đổi bằng lái xe", "xin giấy phép xây dựng",
    "đăng ký tạm trú", "sang tên sổ đỏ", "đăng ký kết hôn", "cấp phiếu lý lịch tư pháp",
)  # fmt: skip
LATENCY = 0.05  # seconds per call to Telegram, for the network run
EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "search" / "eval.tsv"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None and update.message.text is not None:
        await update.message.reply_text(update.message.text)


def echo_application(base_url: str, limited: bool) -> Any:
    builder = ApplicationBuilder().token(TOKEN).base_url(base_url)
    if limited:
        builder = builder.rate_limiter(AIORateLimiter())
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def serve_fake_api(ready: Connection) -> None:
    """The fake Bot API in this (child) process, with two control routes for the bench."""

    async def main() -> None:
        server = FakeServer()
        api = server.api

        async def push(request: web.Request) -> web.Response:
            for update in await request.json():
                api.push(update)
            return web.json_response({"ok": True})

        async def sent(_: web.Request) -> web.Response:
            return web.json_response({"sent": len(api.sent)})

        async def sent_by_chat(request: web.Request) -> web.Response:
            chats = {int(c) for c in request.query.get("chats", "").split(",") if c}
            counts = {c: 0 for c in chats}
            for message in api.sent:
                if message.chat_id in counts:
                    counts[message.chat_id] += 1
            return web.json_response({str(c): n for c, n in counts.items()})

        async def latency(request: web.Request) -> web.Response:
            api.latency = float((await request.json())["seconds"])
            return web.json_response({"ok": True})

        app = api.app()
        app.router.add_post("/_push", push)
        app.router.add_get("/_sent", sent)
        app.router.add_get("/_sent_by_chat", sent_by_chat)
        app.router.add_post("/_latency", latency)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.send(int(runner.addresses[0][1]))
        await asyncio.Event().wait()

    asyncio.run(main())


async def measure(port: int, application: Any, questions: list[str]) -> float:
    """Replies per second for one message per citizen, all waiting when polling starts."""
    base = f"http://127.0.0.1:{port}"
    first = 10_000_000 + int(time.time() * 1000) % 1_000_000 * 100
    updates = [
        {
            "message": {
                "message_id": i + 1,
                "date": int(time.time()),
                "chat": {"id": first + i, "type": "private"},
                "from": {"id": first + i, "is_bot": False, "first_name": "Lan"},
                "text": text,
            }
        }
        for i, text in enumerate(questions)
    ]
    async with ClientSession() as session:

        async def sent() -> int:
            async with session.get(f"{base}/_sent") as response:
                return int((await response.json())["sent"])

        await application.initialize()
        await application.start()
        before = await sent()
        async with session.post(f"{base}/_push", json=updates):
            pass
        started = time.perf_counter()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        while await sent() - before < len(questions):
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - started
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    return len(questions) / elapsed


async def _tthc(port: int, settings: Settings, questions: list[str]) -> float:
    services = build_services(settings)
    services.catalog.index()  # a running instance has its index loaded
    try:
        return await measure(port, build_application(services, token=TOKEN), questions)
    finally:
        services.close()


def different_questions(n: int) -> list[str]:
    """`n` questions citizens wrote, none twice (the evaluation set's in-scope lines)."""
    lines = EVAL.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    questions = list(dict.fromkeys(r[0] for r in rows if len(r) > 1 and r[1] not in ("-", "codes")))
    return questions[:n]


def seed_sqlite(path: Path) -> None:
    """A migrated SQLite file holding the bundled catalogue, to copy for each run."""
    upgrade(f"sqlite:///{path}")
    db = Database(f"sqlite:///{path}")
    CatalogService(db).ensure_seeded()
    db.dispose()


async def run(citizens: int) -> None:
    parent, child = Pipe()
    fake = Process(target=serve_fake_api, args=(child,), daemon=True)
    fake.start()
    port = parent.recv()
    base_url = f"http://127.0.0.1:{port}/bot"
    repeated = [QUERIES[i % len(QUERIES)] for i in range(citizens)]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "seeded.db"
        seed_sqlite(template)
        runs = (
            ("limited", True, repeated),
            ("unlimited", False, repeated),
            ("different", False, different_questions(citizens)),
        )
        for name, limited, questions in runs:
            if name != "different":
                results[f"echo-{name}"] = await measure(
                    port, echo_application(base_url, limited), questions
                )
            copy = Path(folder) / f"{name}.db"
            shutil.copyfile(template, copy)
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                telegram_bot_token=TOKEN,
                telegram_base_url=base_url,
                database_url=f"sqlite:///{copy}",
                telegram_max_rate=30 if limited else 0,
                catalog_refresh_seconds=15,
            )
            results[name] = await _tthc(port, settings, questions)
        # Telegram is tens of milliseconds away, not on loopback: what overlapping the
        # network calls of several updates is worth (one at a time, as before, or 8).
        async with ClientSession() as session:
            await session.post(f"http://127.0.0.1:{port}/_latency", json={"seconds": LATENCY})
        for at_once in (1, 8):
            copy = Path(folder) / f"latency-{at_once}.db"
            shutil.copyfile(template, copy)
            settings = settings.model_copy(
                update={"database_url": f"sqlite:///{copy}", "concurrent_updates": at_once}
            )
            results[f"latency-{at_once}"] = await _tthc(port, settings, repeated)
        async with ClientSession() as session:
            await session.post(f"http://127.0.0.1:{port}/_latency", json={"seconds": 0})
        settings = settings.model_copy(update={"concurrent_updates": 8})
        bindir = find_pg_bin()
        if bindir is not None:  # the production shape: PostgreSQL, updates side by side
            pg = PostgresServer(bindir)
            pg.start()
            try:
                upgrade(pg.url())
                CatalogService(Database(pg.url())).ensure_seeded()
                settings = settings.model_copy(update={"database_url": pg.url()})
                results["postgres"] = await _tthc(port, settings, repeated)
            finally:
                pg.stop()
    fake.terminate()
    print(f"{citizens} citizens, one search each, sent at once (replies per second)")
    for name, label in (("limited", "TELEGRAM_MAX_RATE=30"), ("unlimited", "TELEGRAM_MAX_RATE=0 ")):
        bot, plain = results[name], results[f"echo-{name}"]
        print(f"{label}  tthc-bot {bot:7.1f}/s  echo bot {plain:7.1f}/s  ratio {bot / plain:4.0%}")
    plain = results["echo-unlimited"]
    for name, label in (
        ("different", f"{citizens} different questions"),
        ("postgres", "PostgreSQL"),
    ):
        if name in results:
            bot = results[name]
            print(f"TELEGRAM_MAX_RATE=0, {label}: tthc-bot {bot:7.1f}/s  ratio {bot / plain:4.0%}")
    print(
        f"TELEGRAM_MAX_RATE=0, {LATENCY * 1000:.0f} ms to Telegram, SQLite: one update at a time "
        f"{results['latency-1']:6.1f}/s, 8 at once (database turns) {results['latency-8']:6.1f}/s"
    )


def main() -> None:
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200))


if __name__ == "__main__":
    main()

"""Fairness: one citizen sends 500 messages, then 20 others ask; how long do the others wait?

Run: make bench-flood (part of make bench), or .venv/bin/python -m bench.flood [N]
Through the fake Bot API in a child process (bench/throughput.py), tthc-bot on a seeded
SQLite file with the production defaults (8 updates at once, each user's budget of 20
messages a minute), then with the budget off to show what per-chat ordering alone does.
Prints the others' latency (p50, p95, max: from the moment their message is queued to
their reply) and what the flooder got.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from multiprocessing import Pipe, Process
from pathlib import Path
from typing import Any

from aiohttp import ClientSession

from bench.throughput import QUERIES, seed_sqlite, serve_fake_api
from tests.harness import TOKEN
from tthc.app.application import build_application
from tthc.app.services import build_services
from tthc.core.settings import Settings

FLOODER = 77_000_001
OTHERS = [77_100_000 + i for i in range(20)]


def message(chat: int, n: int, text: str) -> dict[str, Any]:
    return {
        "message": {
            "message_id": n,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Lan"},
            "text": text,
        }
    }


async def flood(port: int, settings: Settings, size: int) -> tuple[list[float], int]:
    """(the others' latencies in seconds, replies the flooder got)."""
    base = f"http://127.0.0.1:{port}"
    services = build_services(settings)
    services.catalog.index()
    application = build_application(services, token=TOKEN)
    chats = ",".join(str(c) for c in [FLOODER, *OTHERS])
    async with ClientSession() as session:

        async def counts() -> dict[int, int]:
            async with session.get(f"{base}/_sent_by_chat", params={"chats": chats}) as r:
                return {int(k): v for k, v in (await r.json()).items()}

        before = await counts()
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        burst = [message(FLOODER, i, QUERIES[i % len(QUERIES)]) for i in range(size)]
        async with session.post(f"{base}/_push", json=burst):
            pass
        await asyncio.sleep(0.2)  # the flood is queued and being handled
        asked = time.perf_counter()
        others = [message(c, 1, QUERIES[i % len(QUERIES)]) for i, c in enumerate(OTHERS)]
        async with session.post(f"{base}/_push", json=others):
            pass
        waited: dict[int, float] = {}
        while len(waited) < len(OTHERS) and time.perf_counter() - asked < 120:
            now = await counts()
            for chat in OTHERS:
                if chat not in waited and now[chat] > before.get(chat, 0):
                    waited[chat] = time.perf_counter() - asked
            await asyncio.sleep(0.005)
        await asyncio.sleep(1.0)  # let the flood drain before counting the flooder's replies
        flooder = (await counts())[FLOODER] - before.get(FLOODER, 0)
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    services.close()
    return sorted(waited.values()), flooder


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


async def run(size: int) -> None:
    parent, child = Pipe()
    fake = Process(target=serve_fake_api, args=(child,), daemon=True)
    fake.start()
    port = parent.recv()
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "seeded.db"
        seed_sqlite(template)
        print(f"one citizen sends {size} messages, then {len(OTHERS)} others ask once each")
        for label, per_minute in (("budget 20/min (default)", 20), ("budget off", 0)):
            copy = Path(folder) / f"{per_minute}.db"
            shutil.copyfile(template, copy)
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                telegram_bot_token=TOKEN,
                telegram_base_url=f"http://127.0.0.1:{port}/bot",
                database_url=f"sqlite:///{copy}",
                telegram_max_rate=0,
                user_messages_per_minute=per_minute,
            )
            waited, flooder = await flood(port, settings, size)
            print(
                f"{label:24} others: p50 {percentile(waited, 0.5) * 1000:6.0f} ms  "
                f"p95 {percentile(waited, 0.95) * 1000:6.0f} ms  "
                f"max {max(waited, default=float('nan')) * 1000:6.0f} ms  "
                f"answered {len(waited)}/{len(OTHERS)};  the flooder got {flooder} replies"
            )
    fake.terminate()


def main() -> None:
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 500))


if __name__ == "__main__":
    main()

"""Operations benchmark: what watching the bot costs, and how long a backup takes.

Run: make bench-ops   (or .venv/bin/python -m bench.operations [DOSSIERS])
Prints the cost of one update's record (log line, counter, histogram), of a /metrics
scrape, and the time and size of `tthc db backup` on a SQLite file holding DOSSIERS
dossiers (default 100,000) while a writer keeps queueing notifications.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.dossier_import import write_export
from tthc.app.backup import backup_sqlite
from tthc.app.migrations import upgrade
from tthc.bot.observe import UpdateObserver
from tthc.core import metrics
from tthc.core.database import Database
from tthc.core.outbox import Outbox
from tthc.core.settings import Settings
from tthc.dossiers.importer import import_dossiers
from tthc.dossiers.records import RowReader


async def _records(n: int) -> float:
    observer = UpdateObserver(b"bench-key")
    started = time.perf_counter()
    for i in range(n):
        async with observer.watch(object(), i):
            pass
    return (time.perf_counter() - started) / n


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    logging.basicConfig(level=logging.INFO, stream=open("/dev/null", "w"))  # noqa: SIM115
    per_update = asyncio.run(_records(20_000))
    print(f"one update's record (INFO line, counter, histogram): {per_update * 1e6:.1f} µs")
    state = metrics.State(
        outbox_pending=3, outbox_oldest_seconds=12.0, catalogue_version=9,
        catalogue_procedures=2834, index_loaded=True,
    )  # fmt: skip
    started = time.perf_counter()
    for _ in range(200):
        body = metrics.exposition(lambda: state)
    print(
        f"/metrics exposition: {(time.perf_counter() - started) / 200 * 1000:.2f} ms, "
        f"{len(body):,} bytes (without the two database reads)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/live.db"
        upgrade(url)
        db = Database(url)
        export = Path(tmp) / "dossiers.csv"
        write_export(export, rows)
        reader = RowReader(b"bench-key-0123456789", Settings(_env_file=None).dossier_code_pattern)
        import_dossiers(db, export, reader, source=export.name)
        outbox = Outbox(db)
        stop = threading.Event()
        written = [0]

        def traffic() -> None:
            while not stop.is_set():
                outbox.enqueue(user_id=1, kind="digest", payload={}, dedupe=f"k{written[0]}")
                written[0] += 1

        writer = threading.Thread(target=traffic)
        writer.start()
        time.sleep(0.5)
        before = written[0]
        started = time.perf_counter()
        copy = backup_sqlite(url, Path(tmp) / "backup.db")
        seconds = time.perf_counter() - started
        during = written[0] - before
        stop.set()
        writer.join()
        db.dispose()
        print(
            f"backup of {rows:,} dossiers: {seconds:.2f} s, {copy.size / 1e6:.1f} MB "
            f"(checked), {during} notifications queued by a writer meanwhile"
        )


if __name__ == "__main__":
    main()

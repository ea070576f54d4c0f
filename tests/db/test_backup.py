"""SQLite backups taken while the bot writes are consistent, and restore what they hold."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tests.conftest import _fresh_db
from tthc.app.backup import BackupError, backup_sqlite, restore_sqlite
from tthc.app.migrations import current_revision
from tthc.core.database import Database
from tthc.core.outbox import Outbox


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM outbox").fetchone()[0])


def test_backup_under_writes_then_restore(
    sqlite_templates: dict[str, Path], tmp_path: Path
) -> None:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    live = Path(url.removeprefix("sqlite:///"))
    db = Database(url)
    outbox = Outbox(db)
    committed = 0
    stop = threading.Event()

    def traffic() -> None:  # notifications queued as fast as one writer can
        nonlocal committed
        while not stop.is_set():
            outbox.enqueue(user_id=committed, kind="digest", payload={}, dedupe=f"k{committed}")
            committed += 1

    writer = threading.Thread(target=traffic)
    writer.start()
    taken = []
    try:
        while committed < 50:
            stop.wait(0.01)
        for i in range(3):
            low = committed
            copy = backup_sqlite(url, tmp_path / f"backup{i}.db")
            high = committed
            rows = _rows(copy.path)
            # One moment of the database: what was committed before, maybe some during.
            assert low <= rows <= high + 1, (low, rows, high)
            assert copy.revision == current_revision(url)
            taken.append((copy.path, rows))
    finally:
        stop.set()
        writer.join()
    db.dispose()
    assert committed > taken[0][1]  # writes went on after the first backup

    restored, kept = restore_sqlite(url, taken[0][0])
    assert _rows(live) == taken[0][1]
    assert kept is not None and _rows(kept) == committed  # what it replaced is kept
    assert restored.revision == current_revision(url)
    db = Database(url)  # the bot opens the restored file and carries on
    assert Outbox(db).enqueue(user_id=1, kind="digest", payload={}, dedupe="after")
    db.dispose()


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    seeded_sqlite_url: str, tmp_path: Path
) -> None:
    live = Path(seeded_sqlite_url.removeprefix("sqlite:///"))
    before = live.read_bytes()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(BackupError, match="not a tthc-bot database"):
        restore_sqlite(seeded_sqlite_url, junk)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="not a tthc-bot database"):
        restore_sqlite(seeded_sqlite_url, foreign)
    assert live.read_bytes() == before

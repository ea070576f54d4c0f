"""Backups an operator can trust: a consistent copy of a live SQLite file, and its restore.

Copying a SQLite file while the bot writes can give a torn copy (the WAL is a second
file, pages change under `cp`). SQLite's online backup API copies a consistent snapshot
through a read transaction, which WAL mode lets writers continue beside. PostgreSQL has
its own tools; for it the commands to run are printed, not wrapped.

A backup is worthless without SECRET_KEY: check digits and phone/ID hashes are keyed
with it (README, Backups).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from tthc.app.migrations import alembic_config, upgrade


class BackupError(Exception):
    """The backup or restore cannot be made; nothing was changed."""


@dataclass(frozen=True)
class Copied:
    """What a backup or restore wrote."""

    path: Path
    size: int
    revision: str | None


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, None for another database."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory database has nothing to back up")
    return Path(parsed.database)


def backup_sqlite(url: str, target: Path) -> Copied:
    """A consistent copy of the live database at `target`, checked before it is kept."""
    source = sqlite_file(url)
    assert source is not None
    if not source.exists():
        raise BackupError(f"no database at {source}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    writer = sqlite3.connect(partial)
    try:
        # One step: a single read transaction, so the copy is one moment of the database
        # however much is written meanwhile (stepped copies restart on every write).
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        writer.close()
        reader.close()
    revision = _checked(partial)
    os.replace(partial, target)
    return Copied(target, target.stat().st_size, revision)


def restore_sqlite(url: str, backup: Path) -> tuple[Copied, Path | None]:
    """Put `backup` in place of the live database, keeping the current data beside it.

    The backup is checked first (a SQLite file of this application, intact, not from a
    newer version); it is copied in through the backup API, which takes the database's
    write lock, so a running bot waits rather than reading half a restore. Migrations
    then bring an older backup up to this version. Returns the restored copy and where
    the data it replaced was saved.
    """
    target = sqlite_file(url)
    assert target is not None
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    revision = _checked(backup)
    if revision not in _known_revisions():
        raise BackupError(
            f"{backup} is at revision {revision}, unknown to this version: restore it with "
            "the version that made it"
        )
    kept = None
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        backup_sqlite(url, kept)
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    writer = sqlite3.connect(target, timeout=60)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    upgrade(url)
    return Copied(target, target.stat().st_size, _checked(target)), kept


def _checked(path: Path) -> str | None:
    """The file's schema revision, after SQLite found it intact; BackupError otherwise."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: {exc}") from None
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{path} is damaged: {verdict}")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:  # not a database, or not ours
        raise BackupError(f"{path} is not a tthc-bot database: {exc}") from None
    finally:
        connection.close()
    return row[0] if row else None


def _known_revisions() -> set[str | None]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {r.revision for r in script.walk_revisions()} | {None}


def pg_commands(url: str, target: Path) -> tuple[str, str]:
    """The pg_dump and pg_restore commands for a PostgreSQL URL (password left out)."""
    # The password stays out of the command line (ps, shell history): PGPASSWORD or ~/.pgpass.
    given = make_url(url)
    dsn = URL.create(
        "postgresql", given.username, None, given.host, given.port, given.database, given.query
    ).render_as_string(hide_password=False)
    file = shlex.quote(str(target))
    dump = f"pg_dump --format=custom --no-owner --no-privileges --file={file} {shlex.quote(dsn)}"
    restore = (
        "pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction "
        f"--dbname={shlex.quote(dsn)} {file}"
    )
    return dump, restore

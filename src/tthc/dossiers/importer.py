"""Applying a dossier export: idempotent upserts, history on change, notifications queued.

One file is one transaction. Rows are read and validated in chunks; while the file is
clean each chunk is written, and the first problem stops writing but not validating, so
staff get every problem at once and the database is left as it was.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

from tthc.audit import repository as audit
from tthc.core.clock import utcnow
from tthc.core.database import Database, table
from tthc.core.models import OutboxMessage
from tthc.core.spreadsheet import Problem
from tthc.dossiers.models import Dossier, DossierAccess, DossierEvent
from tthc.dossiers.records import (
    PROTECTED,
    STORED_FIELDS,
    RowReader,
    Rows,
    read_rows,
    sqlite_timestamp,
    utc_timestamp,
)

log = logging.getLogger(__name__)

CHUNK = 5000
PARALLEL_BYTES = 8 << 20  # smaller files parse faster than worker processes start
MAX_PROBLEMS = 1000
TRACKED = ("status", "due_at", "finished_at", "returned_at")  # a change here is history
DOSSIER = table(Dossier)
EVENT = table(DossierEvent)
ACCESS = table(DossierAccess)
OUTBOX = table(OutboxMessage)


@dataclass
class DossierImportReport:
    """What an import read, changed and queued, or why it changed nothing."""

    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    status_changes: int = 0
    notifications: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    # Stored fields the file has no column for: kept as stored.
    absent: list[str] = field(default_factory=list)
    # Stored dossiers whose check digits, agency or level the file leaves empty, per field:
    # kept unless the import was told to clear them.
    emptied: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the file was applied."""
        return self.problem_count == 0

    def summary(self) -> dict[str, Any]:
        """Counts for `--json` and logs."""
        out = asdict(self)
        out["problems"] = [str(p) for p in self.problems]
        return out


class DossierImportRejected(Exception):
    """The file had problems; nothing was written."""

    def __init__(self, report: DossierImportReport) -> None:
        super().__init__(f"{report.problem_count} problem(s)")
        self.report = report


def import_dossiers(
    db: Database,
    path: Path,
    reader: RowReader,
    *,
    source: str,
    actor: str = "system",
    dry_run: bool = False,
    progress: Callable[[int, float | None], None] | None = None,
    workers: int | None = None,
    clear: bool = False,
) -> DossierImportReport:
    """Import one file, all or nothing; raises DossierImportRejected with every problem.

    Rows are parsed in chunks, by worker processes for large files (`workers`, default:
    one per CPU for files over PARALLEL_BYTES), while this process writes: parsing is
    most of the work. `progress(rows, fraction of the file or None)` follows each chunk.
    A column the file lacks leaves stored values alone; an empty cell never lowers a stored
    dossier's protection (check digits) or its agency and level unless `clear` says so.
    An applied import is recorded in the audit journal as done by `actor`. A dry run only
    reads, in a transaction of its own even inside a unit of work: on SQLite it holds no
    write lock, so a 30,000-row preview keeps nobody waiting.
    """
    report = DossierImportReport()
    rows = read_rows(path)
    reader.find_header(rows)
    report.ignored_columns = reader.ignored
    present = reader.present()
    report.absent = [name for name, there in zip(_STORED, present, strict=True) if not there]
    seen: set[str] = set()
    now = utcnow()
    if workers is None:
        workers = (os.cpu_count() or 1) if path.stat().st_size >= PARALLEL_BYTES else 0
    with db.session(independent=dry_run) as session:
        conn = session.connection()
        sqlite = conn.dialect.name == "sqlite"
        first = _first_import(conn) if sqlite and not dry_run else False
        for parsed in _parse(_chunks(rows), reader, sqlite=sqlite, workers=workers):
            records = _collect(parsed, seen, report)
            if report.problem_count == 0 and records:
                _apply(
                    conn,
                    records,
                    report,
                    source=source,
                    now=now,
                    first=first,
                    write=not dry_run,
                    keep=_Keep(present, clear),
                )
            if progress is not None:
                progress(report.rows, rows.fraction())
        if report.problem_count:
            session.rollback()
            raise DossierImportRejected(report)
        if dry_run:
            session.rollback()
        else:
            audit.record(
                session=session,
                actor=actor,
                action="dossier_import",
                source=source,
                added=report.added,
                changed=report.changed,
                details={
                    "rows": report.rows,
                    "unchanged": report.unchanged,
                    "status_changes": report.status_changes,
                    "notifications": report.notifications,
                },
            )
    log.info("dossier import", extra={"source": source, **report.summary(), "problems": None})
    return report


def _chunks(rows: Rows) -> Iterator[list[tuple[int, list[Any]]]]:
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


@dataclass
class _Parsed:
    """One chunk, parsed: database-ready rows (code first), problems, rows read."""

    rows: list[tuple[Any, ...]]
    numbers: list[int]
    problems: list[Problem]
    read: int


def _parse_chunk(chunk: list[tuple[int, list[Any]]], reader: RowReader, sqlite: bool) -> _Parsed:
    date = sqlite_timestamp if sqlite else utc_timestamp
    out = _Parsed([], [], [], 0)
    for number, row in chunk:
        if all(c in (None, "") for c in row):
            continue
        out.read += 1
        stored = reader.stored_row(number, row, out.problems, date)
        if stored is not None:
            out.rows.append(stored)
            out.numbers.append(number)
    return out


_WORKER_READER: RowReader | None = None


def _start_worker(reader: RowReader) -> None:
    global _WORKER_READER
    _WORKER_READER = reader


def _parse_in_worker(chunk: list[tuple[int, list[Any]]], sqlite: bool) -> _Parsed:
    assert _WORKER_READER is not None
    return _parse_chunk(chunk, _WORKER_READER, sqlite)


def _parse(
    chunks: Iterator[list[tuple[int, list[Any]]]], reader: RowReader, *, sqlite: bool, workers: int
) -> Iterator[_Parsed]:
    """Parsed chunks in file order, from `workers` processes (0: parsed here).

    At most two chunks per worker are in flight, so memory stays flat however large the
    file. Workers are spawned, not forked: the bot calls this from its event loop.
    """
    if workers < 1:
        for chunk in chunks:
            yield _parse_chunk(chunk, reader, sqlite)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(reader,)) as pool:  # fmt: skip
        pending: deque[Future[_Parsed]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_parse_in_worker, chunk, sqlite))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _collect(parsed: _Parsed, seen: set[str], report: DossierImportReport) -> list[tuple[Any, ...]]:
    """The chunk's rows not seen before in the file; every problem counted."""
    report.rows += parsed.read
    problems = list(parsed.problems)
    rows = []
    for number, row in zip(parsed.numbers, parsed.rows, strict=True):
        if row[0] in seen:
            problems.append(Problem(f"row {number}", "code", f"{row[0]} appears twice"))
            continue
        seen.add(row[0])
        rows.append(row)
    report.problem_count += len(problems)
    report.problems.extend(problems[: max(0, MAX_PROBLEMS - len(report.problems))])
    return rows


_STORED = STORED_FIELDS
# Positions in _STORED of the values whose change is history: status, then the dates.
_TRACKED_AT = tuple(_STORED.index(name) for name in TRACKED)
_PROTECTED_AT = tuple(_STORED.index(name) for name in PROTECTED)


@dataclass(frozen=True)
class _Keep:
    """Which stored values a file's row keeps: absent columns, and protection it empties."""

    present: tuple[bool, ...]
    clear: bool = False

    def merged(
        self, values: tuple[Any, ...], stored: tuple[Any, ...], report: DossierImportReport
    ) -> tuple[Any, ...]:
        """The values to store for a row that updates a stored dossier."""
        if not all(self.present):
            values = tuple(
                v if p else s for v, p, s in zip(values, self.present, stored, strict=True)
            )
        emptied = [i for i in _PROTECTED_AT if values[i] is None and stored[i] is not None]
        if not emptied:
            return values
        for i in emptied:
            report.emptied[_STORED[i]] = report.emptied.get(_STORED[i], 0) + 1
        if self.clear:
            return values
        return tuple(stored[i] if i in emptied else v for i, v in enumerate(values))


class _Driver:
    """Plain driver statements for the bulk path, values pre-converted once.

    Going through SQLAlchemy's type processing cost more than the insert itself for a
    province's year; the driver's executemany with ready values does not. Datetimes are
    stored exactly as SQLAlchemy would store them (UTC; on SQLite, its text format), so
    the ORM reads them back unchanged.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.mark = "?" if self.sqlite else "%s"
        self.value = _sqlite_value if self.sqlite else _utc

    def marks(self, n: int) -> str:
        return ", ".join([self.mark] * n)

    def many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.exec_driver_sql(sql, rows)

    def select(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        return list(self.conn.exec_driver_sql(sql, params).all())


_COLUMNS = ", ".join(_STORED)


def _utc(value: Any) -> Any:
    return value.astimezone(UTC) if value.__class__ is datetime else value


def _sqlite_value(value: Any) -> Any:
    """SQLAlchemy's SQLite text for an aware datetime (UTC, "2024-05-27 00:31:00.000000")."""
    if value.__class__ is datetime:
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


def _first_import(conn: Connection) -> bool:
    """Whether the dossier table is empty, asked under SQLite's write lock (SQLite only).

    A province's first import (a year of dossiers) then needs no lookup of existing
    codes: the file's codes are unique, and nobody else can write until we commit.
    """
    conn.exec_driver_sql("DELETE FROM dossier WHERE 0")  # takes the write lock now
    return not conn.exec_driver_sql("SELECT 1 FROM dossier LIMIT 1").first()


def _apply(
    conn: Connection,
    records: list[tuple[Any, ...]],
    report: DossierImportReport,
    *,
    source: str,
    now: datetime,
    first: bool = False,
    write: bool = True,
    keep: _Keep | None = None,
) -> None:
    """Write one chunk of database-ready rows: insert, update, history, notifications.

    `first`: the table was empty when this import began (see _first_import). Without
    `write`, only count what would be written (a preview).
    """
    db = _Driver(conn)
    codes = tuple(r[0] for r in records)
    existing = (
        {}
        if first
        else {
            row[1]: row
            for row in db.select(
                f"SELECT id, code, {_COLUMNS} FROM dossier WHERE code IN ({db.marks(len(codes))})",
                codes,
            )
        }
    )
    stamp = db.value(now)
    new: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for record in records:
        code, values = record[0], record[1:]
        old = existing.get(code)
        if old is None:
            new.append((*record, stamp))
            continue
        stored = tuple(db.value(v) for v in old[2:])
        if keep is not None:
            values = keep.merged(values, stored, report)
        if stored == values:
            report.unchanged += 1
            continue
        changed.append((*values, stamp, old[0]))
        if any(stored[i] != values[i] for i in _TRACKED_AT):
            events.append(
                (
                    old[0],
                    stamp,
                    values[0],
                    stored[0],
                    *(values[i] for i in _TRACKED_AT[1:]),
                    source[:255],
                )
            )
    if not write:
        report.added += len(new)
        report.changed += len(changed)
        moved = {e[0] for e in events if e[3] is not None and e[3] != e[2]}
        report.status_changes += len(moved)
        report.notifications += _subscribers(conn, moved)
        return
    if new:
        # SQLite numbers new rows after the largest id, and we hold its write lock: the
        # chunk's rows are those above it (a range, not thousands of code lookups).
        before = db.select("SELECT coalesce(max(id), 0) FROM dossier", ())[0][0] if db.sqlite else 0
        new.sort()  # by code: the unique index takes them in order, page after page
        db.many(
            f"INSERT INTO dossier (code, {_COLUMNS}, updated_at) VALUES ({db.marks(len(_STORED) + 2)})",
            new,
        )
        added = tuple(row[0] for row in new)
        chunk_rows = f"id > {db.mark}" if db.sqlite else f"code IN ({db.marks(len(added))})"
        conn.exec_driver_sql(
            "INSERT INTO dossier_event (dossier_id, at, status, previous_status, due_at, "
            f"finished_at, returned_at, source) SELECT id, {db.mark}, status, NULL, due_at, "
            f"finished_at, returned_at, {db.mark} FROM dossier WHERE {chunk_rows}",
            (stamp, source[:255], *((before,) if db.sqlite else added)),
        )
    if changed:
        assignments = ", ".join(f"{name} = {db.mark}" for name in (*_STORED, "updated_at"))
        db.many(f"UPDATE dossier SET {assignments} WHERE id = {db.mark}", changed)
    report.added += len(new)
    report.changed += len(changed)
    if events:
        db.many(
            "INSERT INTO dossier_event (dossier_id, at, status, previous_status, due_at, "
            f"finished_at, returned_at, source) VALUES ({db.marks(8)})",
            events,
        )
        moved = {e[0] for e in events if e[3] is not None and e[3] != e[2]}
        report.status_changes += len(moved)
        if moved:
            report.notifications += _queue(conn, moved, now)


def _subscribers(conn: Connection, dossier_ids: set[int]) -> int:
    """How many notifications a status change of these dossiers would queue."""
    if not dossier_ids:
        return 0
    query = select(func.count()).where(
        ACCESS.c.dossier_id.in_(dossier_ids), ACCESS.c.subscribed.is_(True)
    )
    return int(conn.execute(query).scalar() or 0)


def _queue(conn: Connection, dossier_ids: set[int], now: datetime) -> int:
    """One outbox row per subscriber of each dossier whose status changed (this import)."""
    subscribers = conn.execute(
        select(ACCESS.c.user_id, ACCESS.c.dossier_id).where(
            ACCESS.c.dossier_id.in_(dossier_ids), ACCESS.c.subscribed.is_(True)
        )
    ).all()
    if not subscribers:
        return 0
    events: dict[int, int] = dict(
        conn.execute(
            select(EVENT.c.dossier_id, EVENT.c.id).where(
                EVENT.c.dossier_id.in_({d for _, d in subscribers}), EVENT.c.at == now
            )
        ).all()
    )
    rows = [
        {
            "user_id": user_id,
            "event_id": events[dossier_id],
            "kind": "status",
            "payload": {},
            "created_at": now,
            "next_attempt_at": now,
            "attempts": 0,
        }
        for user_id, dossier_id in subscribers
    ]
    if rows:
        conn.execute(insert(OUTBOX), rows)
    return len(rows)

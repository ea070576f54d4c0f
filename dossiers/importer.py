"""Applying a dossier export: idempotent upserts, history on change, notifications queued.

One file is one transaction. Rows are read and validated in chunks; while the file is
clean each chunk is written, and the first problem stops writing but not validating, so
staff get every problem at once and the database is left as it was.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.sql import bindparam

from catalog.records import Problem
from dossiers.models import Dossier, DossierAccess, DossierEvent, OutboxMessage
from dossiers.records import DossierRecord, RowReader, read_rows
from tthc.db import Database
from tthc.timeutil import utcnow

log = logging.getLogger(__name__)

CHUNK = 5000
MAX_PROBLEMS = 1000
TRACKED = ("status", "due_at", "finished_at", "returned_at")  # a change here is history
DOSSIER = Dossier.__table__  # type: ignore[attr-defined]
EVENT = DossierEvent.__table__  # type: ignore[attr-defined]
ACCESS = DossierAccess.__table__  # type: ignore[attr-defined]
OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


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
    db: Database, path: Path, reader: RowReader, *, source: str, dry_run: bool = False
) -> DossierImportReport:
    """Import one file, all or nothing; raises DossierImportRejected with every problem."""
    report = DossierImportReport()
    rows = read_rows(path)
    reader.find_header(rows)
    report.ignored_columns = reader.ignored
    seen: set[str] = set()
    now = utcnow()
    with db.session() as session:
        conn = session.connection()
        for chunk in _chunks(rows):
            records = _validate(chunk, reader, seen, report)
            if report.problem_count == 0 and records:
                _apply(conn, records, report, source=source, now=now)
        if report.problem_count:
            session.rollback()
            raise DossierImportRejected(report)
        if dry_run:
            session.rollback()
    log.info("dossier import", extra={"source": source, **report.summary(), "problems": None})
    return report


def _chunks(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[list[tuple[int, list[Any]]]]:
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def _validate(
    chunk: list[tuple[int, list[Any]]],
    reader: RowReader,
    seen: set[str],
    report: DossierImportReport,
) -> list[DossierRecord]:
    records = []
    for number, row in chunk:
        if all(c in (None, "") for c in row):
            continue
        report.rows += 1
        problems: list[Problem] = []
        record = reader.parse(number, row, problems)
        if record is not None and record.code in seen:
            problems.append(Problem(f"row {number}", "code", f"{record.code} appears twice"))
            record = None
        if record is not None:
            seen.add(record.code)
            records.append(record)
        report.problem_count += len(problems)
        report.problems.extend(problems[: MAX_PROBLEMS - len(report.problems)])
    return records


def _apply(
    conn: Connection,
    records: list[DossierRecord],
    report: DossierImportReport,
    *,
    source: str,
    now: datetime,
) -> None:
    columns = [DOSSIER.c[name] for name in ("id", "code", *_STORED)]
    existing = {
        row.code: row
        for row in conn.execute(
            select(*columns).where(DOSSIER.c.code.in_([r.code for r in records]))
        )
    }
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for record in records:
        values = _values(record)
        old = existing.get(record.code)
        if old is None:
            new.append({"code": record.code, **values, "updated_at": now})
            continue
        if all(_same(getattr(old, k), v) for k, v in values.items()):
            report.unchanged += 1
            continue
        changed.append({"b_id": old.id, **values, "updated_at": now})
        if any(not _same(getattr(old, k), values[k]) for k in TRACKED):
            events.append(_event(old.id, values, old.status, now, source))
    if new:
        conn.execute(insert(DOSSIER), new)
        ids = dict(
            conn.execute(
                select(DOSSIER.c.code, DOSSIER.c.id).where(
                    DOSSIER.c.code.in_([v["code"] for v in new])
                )
            ).all()
        )
        conn.execute(insert(EVENT), [_event(ids[v["code"]], v, None, now, source) for v in new])
    if changed:
        statement = update(DOSSIER).where(DOSSIER.c.id == bindparam("b_id"))
        conn.execute(statement, changed)
    report.added += len(new)
    report.changed += len(changed)
    if events:
        conn.execute(insert(EVENT), events)
        moved = {e["dossier_id"] for e in events if e["previous_status"] not in (None, e["status"])}
        report.status_changes += len(moved)
        if moved:
            report.notifications += _queue(conn, moved, now)


def _event(
    dossier_id: int, values: dict[str, Any], previous: int | None, now: datetime, source: str
) -> dict[str, Any]:
    """A history row: the tracked values after the change, and the status before it."""
    return {
        "dossier_id": dossier_id,
        "at": now,
        "previous_status": previous,
        "source": source[:255],
        **{name: values[name] for name in TRACKED},
    }


def _queue(conn: Connection, dossier_ids: set[int], now: datetime) -> int:
    """One outbox row per subscriber of each dossier whose status changed (this import)."""
    subscribers = conn.execute(
        select(ACCESS.c.user_id, ACCESS.c.dossier_id).where(
            ACCESS.c.dossier_id.in_(dossier_ids), ACCESS.c.subscribed.is_(True)
        )
    ).all()
    if not subscribers:
        return 0
    events = dict(
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


_STORED = (
    "status", "procedure_code", "procedure_name", "field", "agency", "level", "applicant",
    "secret_hash", "received_at", "due_at", "finished_at", "returned_at", "return_method",
)  # fmt: skip


def _values(record: DossierRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _STORED}
    values["status"] = int(record.status)
    return values


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old == new  # aware datetimes compare by instant
    if isinstance(old, datetime) or isinstance(new, datetime):
        return False
    return old == new

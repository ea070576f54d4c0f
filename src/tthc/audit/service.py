"""Reading the audit journal (writers record entries in their own transactions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tthc.audit import repository
from tthc.audit.models import AuditEntry
from tthc.core.database import Database
from tthc.core.inputs import display_name
from tthc.core.redaction import redact


@dataclass(frozen=True)
class AuditPage:
    """One page of the journal, newest first."""

    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


class AuditService:
    """The journal as staff read it (`/nhatky`, `tthc audit`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def page(self, page: int = 0, *, size: int = 10) -> AuditPage:
        """Page `page` (0 is the newest); a page past the end gives the last one."""
        with self.db.session() as session:
            total = repository.count(session=session)
            pages = max(1, -(-total // size))
            page = min(max(page, 0), pages - 1)
            entries = repository.recent(session=session, offset=page * size, limit=size)
            for entry in entries:
                session.expunge(entry)
                entry.details = _redacted(entry.details)
                entry.actor = display_name(entry.actor, limit=100)
        return AuditPage(entries, page, pages, total)

    def get(self, entry_id: int) -> AuditEntry | None:
        """One entry as it was written (a mapping to undo needs the exact question)."""
        with self.db.session() as session:
            entry = session.get(AuditEntry, entry_id)
            if entry is not None:
                session.expunge(entry)
            return entry


def _redacted(value: Any) -> Any:
    """Journal details as staff read them in bulk: citizens' words through the one rule."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    return value

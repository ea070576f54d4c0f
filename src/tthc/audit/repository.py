"""Writing to and reading the audit journal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tthc.audit.models import AuditEntry


def record(*, session: Session, actor: str, action: str, **fields: Any) -> AuditEntry:
    """Add an entry to the journal, in the caller's transaction.

    It is kept only if the change it describes is.
    """
    entry = AuditEntry(actor=actor[:100], action=action, **fields)
    session.add(entry)
    return entry


def recent(*, session: Session, offset: int, limit: int) -> list[AuditEntry]:
    """Entries, newest first."""
    query = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    return list(session.exec(query.offset(offset).limit(limit)))


def count(*, session: Session) -> int:
    """How many entries the journal holds."""
    return int(session.exec(select(func.count()).select_from(AuditEntry)).one())

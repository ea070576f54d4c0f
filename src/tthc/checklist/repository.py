"""Persistence for checklists; keyword-only functions over a session."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from tthc.checklist.models import ChecklistItem
from tthc.core.clock import utcnow
from tthc.core.database import insert_or_ignore


def checked_keys(*, session: Session, user_id: int, code: str) -> set[str]:
    """Keys of the documents ticked by this user for this procedure."""
    query = select(ChecklistItem.document_key).where(
        ChecklistItem.user_id == user_id, ChecklistItem.procedure_code == code
    )
    return set(session.exec(query))


def tick(*, session: Session, user_id: int, code: str, key: str) -> None:
    """Mark one document as present (a no-op when it already is, or another instance did)."""
    insert_or_ignore(
        session,
        ChecklistItem,
        user_id=user_id,
        procedure_code=code,
        document_key=key,
        checked_at=utcnow(),
    )


def untick(*, session: Session, user_id: int, code: str, key: str) -> None:
    """Mark one document as missing again."""
    session.execute(
        delete(ChecklistItem).where(
            col(ChecklistItem.user_id) == user_id,
            col(ChecklistItem.procedure_code) == code,
            col(ChecklistItem.document_key) == key,
        )
    )

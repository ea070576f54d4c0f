"""Stored uploads: keep, claim for a decision, forget."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session

from tthc.core.database import changed_rows, table
from tthc.staff.models import PendingUpload

UPLOADS = table(PendingUpload)


def add(*, session: Session, upload: PendingUpload) -> PendingUpload:
    """Store an upload; its id is known on return."""
    session.add(upload)
    session.flush()
    return upload


def get(*, session: Session, upload_id: int) -> PendingUpload | None:
    return session.get(PendingUpload, upload_id)


def decide(*, session: Session, upload_id: int, user_id: int, status: str, at: datetime) -> bool:
    """Move a pending upload of this user to `status`; False when it is not pending (any more).

    A conditional update, so two presses (two instances, a double tap) decide it once: the
    second waits for the first's transaction and then finds it decided.
    """
    statement = (
        update(UPLOADS)
        .where(
            UPLOADS.c.id == upload_id,
            UPLOADS.c.user_id == user_id,
            UPLOADS.c.status == "pending",
        )
        .values(status=status, decided_at=at)
    )
    return changed_rows(session, statement) == 1


def reopen(*, session: Session, upload_id: int, **values: Any) -> None:
    """Make an upload pending again with a new preview (the catalogue moved on)."""
    statement = (
        update(UPLOADS)
        .where(UPLOADS.c.id == upload_id)
        .values(status="pending", decided_at=None, **values)
    )
    changed_rows(session, statement)


def forget_content(*, session: Session, upload_id: int) -> None:
    """Drop a decided upload's file: the audit journal keeps what it changed."""
    changed_rows(session, update(UPLOADS).where(UPLOADS.c.id == upload_id).values(content=b""))


def purge_expired(*, session: Session, before: datetime) -> int:
    """Delete uploads that expired (or were decided) before `before`."""
    statement = delete(UPLOADS).where(UPLOADS.c.expires_at < before)
    return changed_rows(session, statement)

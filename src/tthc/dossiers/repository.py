"""Persistence for dossiers, access, failures and the outbox; no business rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from tthc.core.database import changed_rows
from tthc.dossiers.models import Dossier, DossierAccess, LookupAttempt, OutboxMessage


def get_dossier(*, session: Session, code: str) -> Dossier | None:
    """One dossier by its receipt code."""
    return session.exec(select(Dossier).where(Dossier.code == code)).first()


def any_dossier(*, session: Session) -> bool:
    """Whether any dossier status has been imported at all."""
    return session.exec(select(Dossier.id).limit(1)).first() is not None


def get_access(*, session: Session, user_id: int, dossier_id: int) -> DossierAccess | None:
    """The user's access to a dossier, if they looked it up successfully before."""
    return session.get(DossierAccess, (user_id, dossier_id))


def grant_access(*, session: Session, user_id: int, dossier_id: int) -> DossierAccess:
    """Remember that this user may see this dossier."""
    access = get_access(session=session, user_id=user_id, dossier_id=dossier_id)
    if access is None:
        access = DossierAccess(user_id=user_id, dossier_id=dossier_id)
        session.add(access)
        session.flush()
    return access


def unsubscribe_all(*, session: Session, user_id: int) -> int:
    """Stop every notification for this user; returns how many dossiers were followed."""
    return changed_rows(
        session,
        update(DossierAccess)
        .where(col(DossierAccess.user_id) == user_id, col(DossierAccess.subscribed).is_(True))
        .values(subscribed=False),
    )


def count_attempts(
    *,
    session: Session,
    kind: str,
    since: datetime,
    user_id: int | None = None,
    code_hash: str | None = None,
) -> tuple[int, datetime | None]:
    """Attempts of `kind` since `since` by a user or on a code, and the oldest of them."""
    query = select(func.count(), func.min(LookupAttempt.at)).where(
        LookupAttempt.kind == kind, LookupAttempt.at >= since
    )
    if user_id is not None:
        query = query.where(LookupAttempt.user_id == user_id)
    if code_hash is not None:
        query = query.where(LookupAttempt.code_hash == code_hash)
    count, oldest = session.exec(query).one()
    return int(count), oldest


def add_attempt(*, session: Session, user_id: int, code_hash: str, kind: str, at: datetime) -> None:
    """Count one lookup or one wrong answer."""
    session.add(LookupAttempt(user_id=user_id, code_hash=code_hash, kind=kind, at=at))


def due_outbox_ids(*, session: Session, now: datetime, limit: int) -> list[int]:
    """Unsent, unfailed, unclaimed messages whose next attempt is due, oldest first."""
    query = (
        select(OutboxMessage.id)
        .where(
            col(OutboxMessage.sent_at).is_(None),
            col(OutboxMessage.failed_at).is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    return [i for i in session.exec(query) if i is not None]


def claim_outbox(*, session: Session, message_id: int, now: datetime, until: datetime) -> bool:
    """Take one message for sending; False if another sender took it first."""
    return bool(
        changed_rows(
            session,
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.sent_at).is_(None),
                or_(
                    col(OutboxMessage.claimed_until).is_(None),
                    col(OutboxMessage.claimed_until) < now,
                ),
            )
            .values(claimed_until=until),
        )
    )


def enqueue_once(
    *, session: Session, user_id: int, kind: str, payload: dict[str, Any], dedupe: str
) -> bool:
    """Queue a message unless this user already has one with the same `dedupe` key."""
    exists = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.user_id == user_id, OutboxMessage.dedupe == dedupe
        )
    ).first()
    if exists is not None:
        return False
    session.add(OutboxMessage(user_id=user_id, kind=kind, payload=payload, dedupe=dedupe))
    return True

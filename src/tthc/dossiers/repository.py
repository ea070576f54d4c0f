"""Persistence for dossiers, access and failed lookups; no business rules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from tthc.core.database import changed_rows
from tthc.dossiers.models import Dossier, DossierAccess, LookupAttempt


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

"""Persistence for users; keyword-only functions over a session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from tthc.core.clock import utcnow
from tthc.users.models import Role, User


def get_or_create_user(*, session: Session, user_id: int, language: str) -> User:
    """The stored user, created with `language` on first contact."""
    user = session.get(User, user_id)
    if user is None:
        user = User(id=user_id, language=language)
        session.add(user)
        session.flush()
    return user


def save_user(*, session: Session, user: User) -> None:
    """Persist changes to a user."""
    user.updated_at = utcnow()
    session.add(user)


def has_role(*, session: Session, user_id: int, role: str) -> bool:
    """Whether a role was granted to the user."""
    return session.get(Role, (user_id, role)) is not None


def add_role(*, session: Session, user_id: int, role: str, granted_by: int | None) -> bool:
    """Grant a role; False when the user already had it."""
    if has_role(session=session, user_id=user_id, role=role):
        return False
    session.add(Role(user_id=user_id, role=role, granted_by=granted_by))
    return True


def remove_role(*, session: Session, user_id: int, role: str) -> bool:
    """Revoke a role; False when the user did not have it."""
    row = session.get(Role, (user_id, role))
    if row is None:
        return False
    session.delete(row)
    session.flush()  # a second revoke in the same unit of work must not find it
    return True


def role_members(*, session: Session, role: str | None = None) -> list[tuple[int, str]]:
    """(user id, role) of every granted role (of one role), by user id."""
    query = select(Role)
    if role is not None:
        query = query.where(col(Role.role) == role)
    return [(r.user_id, r.role) for r in session.exec(query.order_by(col(Role.user_id)))]


def blocked_among(*, session: Session, user_ids: set[int]) -> set[int]:
    """The users among `user_ids` who have blocked the bot."""
    query = select(User.id).where(col(User.id).in_(user_ids), col(User.blocked_at).is_not(None))
    return set(session.exec(query))

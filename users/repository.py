"""Persistence for users; keyword-only functions over a session."""

from __future__ import annotations

from sqlmodel import Session

from foundation.clock import utcnow
from users.models import User


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

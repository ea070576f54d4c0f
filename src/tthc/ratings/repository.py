"""Persistence for ratings; keyword-only functions over a session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from tthc.ratings.models import Rating


def has_rated(*, session: Session, user_id: int, code: str) -> bool:
    """Whether this citizen rated this dossier before."""
    query = select(Rating.id).where(
        col(Rating.user_id) == user_id, col(Rating.dossier_code) == code
    )
    return session.exec(query.limit(1)).first() is not None


def add_rating(*, session: Session, rating: Rating) -> Rating:
    """Store a rating; the returned copy stays readable after the session ends."""
    session.add(rating)
    session.flush()
    session.expunge(rating)
    return rating

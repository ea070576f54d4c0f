"""Persistence for complaints; keyword-only functions over a session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from tthc.complaints.models import Complaint


def add_complaint(*, session: Session, complaint: Complaint) -> int:
    """Store a new complaint; its id (the ticket number's digits)."""
    session.add(complaint)
    session.flush()
    assert complaint.id is not None
    return complaint.id


def get_complaint(*, session: Session, complaint_id: int) -> Complaint | None:
    """One complaint by id."""
    return session.get(Complaint, complaint_id)


def save_complaint(*, session: Session, complaint: Complaint) -> None:
    """Persist changes to a complaint."""
    session.add(complaint)


def open_complaints(*, session: Session, limit: int) -> list[Complaint]:
    """Complaints waiting for an answer, oldest first, readable after the session ends."""
    query = select(Complaint).where(col(Complaint.status) == "open")
    rows = list(session.exec(query.order_by(col(Complaint.id)).limit(limit)))
    for row in rows:
        session.expunge(row)
    return rows


def statuses(*, session: Session) -> list[str]:
    """The status of every complaint."""
    return list(session.exec(select(Complaint.status)))

"""The repositories of ratings, complaints and roles on SQLite and PostgreSQL."""

from __future__ import annotations

from tthc.complaints import repository as complaints
from tthc.complaints.models import Complaint
from tthc.core.database import Database
from tthc.ratings import repository as ratings
from tthc.ratings.models import Rating
from tthc.users import repository as users


def test_ratings_are_found_per_citizen_and_dossier(db: Database) -> None:
    with db.session() as session:
        stored = ratings.add_rating(
            session=session, rating=Rating(user_id=5_000_000_000, dossier_code="H56-1", scale=0)
        )
        assert stored.id is not None
    with db.session() as session:
        assert ratings.has_rated(session=session, user_id=5_000_000_000, code="H56-1")
        assert not ratings.has_rated(session=session, user_id=5_000_000_000, code="H56-2")
        assert not ratings.has_rated(session=session, user_id=7, code="H56-1")


def test_open_complaints_come_oldest_first_and_stay_readable(db: Database) -> None:
    with db.session() as session:
        ids = [
            complaints.add_complaint(session=session, complaint=Complaint(user_id=1, text=t))
            for t in ("một", "hai", "ba")
        ]
        second = complaints.get_complaint(session=session, complaint_id=ids[1])
        assert second is not None
        second.status = "closed"
        complaints.save_complaint(session=session, complaint=second)
    with db.session() as session:
        waiting = complaints.open_complaints(session=session, limit=10)
        assert sorted(complaints.statuses(session=session)) == ["closed", "open", "open"]
    assert [c.text for c in waiting] == ["một", "ba"]  # read after the session closed


def test_roles_are_granted_once_and_listed_by_user(db: Database) -> None:
    with db.session() as session:
        assert users.add_role(session=session, user_id=9, role="staff", granted_by=1)
        assert not users.add_role(session=session, user_id=9, role="staff", granted_by=1)
        assert users.add_role(session=session, user_id=3, role="manager", granted_by=None)
    with db.session() as session:
        assert users.role_members(session=session) == [(3, "manager"), (9, "staff")]
        assert users.role_members(session=session, role="staff") == [(9, "staff")]
        assert users.remove_role(session=session, user_id=9, role="staff")
        assert not users.remove_role(session=session, user_id=9, role="staff")
    with db.session() as session:
        assert not users.has_role(session=session, user_id=9, role="staff")

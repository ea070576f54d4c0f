"""Retention on SQLite and PostgreSQL: old personal data goes, figures stay."""

from __future__ import annotations

import typing
from datetime import timedelta

from sqlmodel import select

from tthc.catalog.models import UnansweredAsk, UnansweredQuery
from tthc.complaints.models import Complaint
from tthc.core.clock import utcnow
from tthc.core.database import Database
from tthc.core.models import HandledOnce
from tthc.core.settings import Settings
from tthc.dossiers.models import Dossier, DossierAccess, LookupAttempt
from tthc.dossiers.status import Status
from tthc.privacy.retention import DEFAULT_DAYS, purge
from tthc.ratings.models import Rating
from tthc.staff.models import PendingUpload
from tthc.users.models import ChannelFile, User


def test_old_personal_data_is_purged_and_recent_data_kept(db: Database) -> None:
    now = utcnow()
    old, recent = now - timedelta(days=400), now - timedelta(days=3)
    with db.session() as session:
        done_old = Dossier(code="D-OLD", status=int(Status.RETURNED), applicant="Lê Văn A",
                           secret_hash="h", returned_at=old, updated_at=old)  # fmt: skip
        open_old = Dossier(code="D-OPEN", status=int(Status.PROCESSING), applicant="Trần B",
                           secret_hash="h", updated_at=old)  # fmt: skip
        # Photos sent on Zalo: with a complaint purged below, with an open one, with none
        # (an abandoned draft), and a fresh one.
        photos = [ChannelFile(user_id=-1, content_type="image/jpeg", content=b"x",
                              created_at=at) for at in (old, old, old, now)]  # fmt: skip
        session.add_all([done_old, open_old, *photos])
        session.flush()
        kept_photo, fresh_photo = photos[1].id, photos[3].id
        session.add_all([
            DossierAccess(user_id=1, dossier_id=done_old.id),
            DossierAccess(user_id=1, dossier_id=open_old.id),
            LookupAttempt(user_id=1, code_hash="x", kind="lookup", at=recent),
            LookupAttempt(user_id=1, code_hash="y", kind="lookup", at=recent - timedelta(days=1)),
            UnansweredQuery(kind="none", normalized="cu", query="cũ", last_seen=old),
            UnansweredQuery(kind="none", normalized="moi", query="mới", last_seen=recent),
            Complaint(user_id=1, text="cũ", status="closed", closed_at=old,
                      attachment_file_id=f"zalo-file:{photos[0].id}"),
            Complaint(user_id=1, text="mở", status="open", created_at=old,
                      attachment_file_id=f"zalo-file:{photos[1].id}"),
            UnansweredAsk(user_id=1, normalized="cu", query="cũ", at=old),
            UnansweredAsk(user_id=1, normalized="moi", query="mới", at=recent),
            PendingUpload(user_id=1, kind="dossiers", filename="a.csv", content=b"Nguyen Van A",
                          expires_at=now - timedelta(days=2)),
            PendingUpload(user_id=1, kind="catalog", filename="b.json", content=b"[]",
                          expires_at=now + timedelta(minutes=20)),
            # A complaint draft abandoned a week ago (a name, a phone, an address), one
            # being written now; a year-old rating comment, a fresh one; an old update id.
            User(id=2, state="complaint_confirm", updated_at=now - timedelta(days=7),
                 state_data='{"text": "Tôi là Lê Văn A, 0912345678, số 5 Lý Thường Kiệt"}'),
            User(id=3, state="rating", state_data='{"code": null}', updated_at=now),
            Rating(user_id=2, scale=2, comment="Anh Lê Văn A ở quầy 3", created_at=old),
            Rating(user_id=3, scale=0, comment="Nhanh", created_at=recent),
            HandledOnce(key="telegram:1", at=now - timedelta(days=2)),
        ])  # fmt: skip
    dry = purge(db, {}, now=now, dry_run=True)
    assert dry.counts == {
        "lookup_attempts": 2, "access": 1, "dossiers": 1, "unanswered": 1,
        "unanswered_asks": 1, "complaints": 1, "outbox": 0, "uploads": 1,
        "drafts": 1, "comments": 1, "channel_files": 1, "handled_once": 1,
    }  # fmt: skip
    with db.session() as session:
        assert session.exec(select(Dossier).where(Dossier.code == "D-OLD")).one().applicant
    done = purge(db, {"lookup_attempts": 3}, now=now)
    assert done.counts["lookup_attempts"] == 1 and done.counts["dossiers"] == 1
    assert done.counts["channel_files"] == 2  # the abandoned one and the purged complaint's
    with db.session() as session:
        dossiers = {d.code: d for d in session.exec(select(Dossier))}
        assert (dossiers["D-OLD"].applicant, dossiers["D-OLD"].secret_hash) == (None, None)
        assert dossiers["D-OLD"].status == int(Status.RETURNED)  # the figures keep it
        assert dossiers["D-OPEN"].applicant == "Trần B"  # still in progress: kept
        assert len(session.exec(select(DossierAccess)).all()) == 1
        assert [q.query for q in session.exec(select(UnansweredQuery))] == ["mới"]
        assert [a.query for a in session.exec(select(UnansweredAsk))] == ["mới"]
        assert [u.filename for u in session.exec(select(PendingUpload))] == ["b.json"]
        assert [c.text for c in session.exec(select(Complaint))] == ["mở"]
        users = {u.id: u for u in session.exec(select(User))}
        assert (users[2].state, users[2].state_data) == (None, None)  # the draft is gone
        assert users[3].state == "rating"  # being written: kept
        ratings = sorted(session.exec(select(Rating)), key=lambda r: r.scale)
        assert [(r.scale, r.comment) for r in ratings] == [(0, "Nhanh"), (2, None)]  # level kept
        assert session.exec(select(HandledOnce)).all() == []
        assert sorted(f.id for f in session.exec(select(ChannelFile))) == [kept_photo, fresh_photo]
    assert purge(db, {}, now=now).counts["dossiers"] == 0  # idempotent


def test_the_settings_know_the_same_kinds() -> None:
    annotation = typing.get_type_hints(Settings)["retention_days"]
    assert annotation == dict[str, int]
    Settings(_env_file=None, retention_days=dict.fromkeys(DEFAULT_DAYS, 5))  # type: ignore[call-arg]

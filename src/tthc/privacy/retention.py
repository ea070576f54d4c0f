"""Retention: what personal data the bot stores, for how long, and the purge that enforces it.

| kind | what goes | default |
|---|---|---|
| lookup_attempts | rate-limit rows (user id, hashed receipt code) | 2 days |
| access | who looked up a dossier, once it is finished or closed | 365 days |
| dossiers | applicant name and check-digit hash of finished or closed dossiers | 365 days |
| unanswered | questions nobody answered (already without phone numbers), and who asked them | 180 days |
| complaints | closed complaints (text, answer, attachment, who sent it) | 365 days |
| outbox | sent or abandoned notifications | 90 days |
| drafts | an unsent rating or complaint (a name, a phone number, an address) left in the conversation | 2 days after the last message |
| comments | the comment of a rating (the level and criteria stay: the figures need them) | 365 days |

Files sent to the bot by staff (a dossier export names applicants) are dropped once
applied or cancelled, and removed a day after they expire, whatever the policy. A photo
a citizen sent on Zalo goes with its complaint, or after `drafts` days if no complaint
was filed with it.

Dossiers themselves stay (procedure, dates, status): the managers' figures need them,
and they name nobody once the applicant is erased. Ratings stay for the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Delete,
    String,
    Update,
    and_,
    cast,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlmodel import col

from tthc.catalog.models import UnansweredAsk, UnansweredQuery
from tthc.complaints.models import Complaint
from tthc.core.database import Database, changed_rows, table
from tthc.core.models import HandledOnce, OutboxMessage
from tthc.dossiers.models import Dossier, DossierAccess, LookupAttempt
from tthc.dossiers.status import Status
from tthc.ratings.models import Rating
from tthc.staff.models import KEPT_AFTER_EXPIRY, PendingUpload
from tthc.users.conversation import Step
from tthc.users.models import ChannelFile, User

# The same kinds as foundation.settings's RETENTION_DAYS validator (a test checks they agree).
DEFAULT_DAYS = {
    "lookup_attempts": 2,
    "access": 365,
    "dossiers": 365,
    "unanswered": 180,
    "complaints": 365,
    "outbox": 90,
    "drafts": 2,
    "comments": 365,
}
# Updates and drafts handled once (core.claims.Once): redeliveries come within minutes.
HANDLED_ONCE_KEPT = timedelta(days=1)
_DRAFT_STEPS = [Step.RATING.value, Step.COMPLAINT.value, Step.COMPLAINT_CONFIRM.value]
_ENDED = [int(s) for s in Status if s.finished or s.closed]


@dataclass(frozen=True)
class Purged:
    """How many rows each kind lost (or would lose, in a dry run)."""

    counts: dict[str, int]
    dry_run: bool


def purge(db: Database, days: dict[str, int], *, now: datetime, dry_run: bool = False) -> Purged:
    """Apply the retention policy in one transaction; `dry_run` only counts."""
    policy = {**DEFAULT_DAYS, **days}
    cutoff = {kind: now - timedelta(days=n) for kind, n in policy.items()}
    dossier = table(Dossier)
    ended_before = and_(
        dossier.c.status.in_(_ENDED),
        func.coalesce(dossier.c.returned_at, dossier.c.finished_at, dossier.c.updated_at)
        < cutoff["dossiers"],
    )
    access_ended = select(dossier.c.id).where(
        dossier.c.status.in_(_ENDED),
        func.coalesce(dossier.c.returned_at, dossier.c.finished_at, dossier.c.updated_at)
        < cutoff["access"],
    )
    outbox = table(OutboxMessage)
    statements: dict[str, Delete | Update] = {
        "lookup_attempts": delete(LookupAttempt).where(
            col(LookupAttempt.at) < cutoff["lookup_attempts"]
        ),
        "access": delete(DossierAccess).where(col(DossierAccess.dossier_id).in_(access_ended)),
        "dossiers": update(dossier)
        .where(
            ended_before, or_(dossier.c.applicant.is_not(None), dossier.c.secret_hash.is_not(None))
        )
        .values(applicant=None, secret_hash=None),
        "unanswered": delete(UnansweredQuery).where(
            col(UnansweredQuery.last_seen) < cutoff["unanswered"]
        ),
        "unanswered_asks": delete(UnansweredAsk).where(
            col(UnansweredAsk.at) < cutoff["unanswered"]
        ),
        "complaints": delete(Complaint).where(
            col(Complaint.status) == "closed",
            col(Complaint.closed_at) < cutoff["complaints"],
        ),
        "outbox": delete(outbox).where(
            or_(outbox.c.sent_at < cutoff["outbox"], outbox.c.failed_at < cutoff["outbox"])
        ),
        "uploads": delete(PendingUpload).where(
            col(PendingUpload.expires_at) < now - KEPT_AFTER_EXPIRY
        ),
        "drafts": update(User)
        .where(col(User.state).in_(_DRAFT_STEPS), col(User.updated_at) < cutoff["drafts"])
        .values(state=None, state_data=None),
        "comments": update(Rating)
        .where(col(Rating.comment).is_not(None), col(Rating.created_at) < cutoff["comments"])
        .values(comment=None),
        # After "complaints": the photos of the complaints just purged go too.
        "channel_files": delete(ChannelFile).where(
            col(ChannelFile.created_at) < cutoff["drafts"],
            ~exists().where(
                col(Complaint.attachment_file_id)
                == literal("zalo-file:") + cast(col(ChannelFile.id), String)
            ),
        ),
        "handled_once": delete(HandledOnce).where(col(HandledOnce.at) < now - HANDLED_ONCE_KEPT),
    }
    counts: dict[str, int] = {}
    with db.session() as session:
        for kind, statement in statements.items():
            counts[kind] = (
                _count(session, statement) if dry_run else changed_rows(session, statement)
            )
        if dry_run:
            session.rollback()
    return Purged(counts, dry_run)


def _count(session: Session, statement: Delete | Update) -> int:
    """Rows a DELETE or UPDATE would touch, without touching them."""
    query = select(func.count()).select_from(statement.table)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    return int(session.execute(query).scalar() or 0)

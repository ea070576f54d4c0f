"""Once-only work across bot instances: the first to record a key does the job.

Several instances share one database. A row per (job, period) lets exactly one of them
send, say, this week's digest (`claim_once`, its own transaction, visible at once). A row
per handled update or sent draft (`Once.first_time`) is written in the unit of work of
the update itself: if the update fails, the row goes with it and a redelivery is handled;
if another instance is handling the same key, the insert waits for its outcome.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from tthc.core.clock import utcnow
from tthc.core.database import Database, changed_rows, insert_or_ignore
from tthc.core.models import HandledOnce, JobClaim


def claim_once(db: Database, job: str, key: str) -> bool:
    """True for the one caller that records (job, key) first; False for everyone after."""
    try:
        with db.session(independent=True) as session:
            if session.get(JobClaim, (job, key)) is not None:
                return False
            session.add(JobClaim(job=job, key=key))
        return True
    except IntegrityError:  # another instance inserted it between our read and write
        return False


class Once:
    """Keys handled at most once, across deliveries and instances."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def first_time(self, key: str) -> bool:
        """Record `key` in the current unit of work; False when it was recorded before."""
        with self.db.session() as session:
            return insert_or_ignore(session, HandledOnce, key=key[:80], at=utcnow())

    def forget_before(self, cutoff: datetime) -> int:
        """Drop keys older than `cutoff` (redeliveries come within minutes, not days)."""
        with self.db.session() as session:
            return changed_rows(session, delete(HandledOnce).where(col(HandledOnce.at) < cutoff))

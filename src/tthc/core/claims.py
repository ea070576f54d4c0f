"""Once-only work across bot instances: the first instance to record a key does the job.

Several instances share one database; each runs the same JobQueue schedule. A row per
(job, period) with a unique key lets exactly one of them send, say, this week's digest.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow
from tthc.core.database import Database


class JobClaim(SQLModel, table=True):
    """A job run claimed for one period ("weekly-digest", "2026-W48")."""

    __tablename__ = "job_claim"

    job: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=40)
    claimed_at: datetime = Field(default_factory=utcnow)


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

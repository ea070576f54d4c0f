"""Once-only work across bot instances: the first instance to record a key does the job.

Several instances share one database; each runs the same JobQueue schedule. A row per
(job, period) with a unique key lets exactly one of them send, say, this week's digest.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from tthc.core.database import Database
from tthc.core.models import JobClaim


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

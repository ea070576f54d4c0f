"""The notification outbox: every message to a citizen or manager that is not a direct reply.

Dossier status changes, staff answers to complaints and questions, and the weekly digest
are queued here in the same transaction as the change that causes them, then delivered
by one job on every instance. A row is claimed for a short lease before sending, so
several instances never send the same row at once; it is marked sent right after the
channel accepts it. A send that times out is marked sent too ("delivery unknown"): it was
often delivered. A crash between sending and marking is then the only way a message can
go out twice (Telegram offers no idempotent send), and then only once more, after the
lease expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, true, update
from sqlmodel import Session, col, select

from tthc.core.clock import utcnow
from tthc.core.database import Database, changed_rows
from tthc.core.models import OutboxMessage

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Pending:
    """A claimed message: who gets it and about which event."""

    id: int
    user_id: int
    message: OutboxMessage


class Outbox:
    """Outbox operations used by the sending job."""

    def __init__(self, db: Database, *, retry_seconds: float = 10.0) -> None:
        self.db = db
        self.retry_seconds = retry_seconds

    def claim(
        self, limit: int = 20, *, now: datetime | None = None, channel: str | None = None
    ) -> list[Pending]:
        """Due messages this sender now owns for the lease (of one channel's users, if given).

        People on Zalo have negative user ids (users.models.ChannelUser): each channel's
        sender takes its own.
        """
        now = now or utcnow()
        with self.db.session() as session:
            ids = _due_ids(session=session, now=now, limit=limit, channel=channel)
        claimed = []
        for message_id in ids:
            with self.db.session() as session:
                if not _claim(session=session, message_id=message_id, now=now, until=now + LEASE):
                    continue
                message = session.get(OutboxMessage, message_id)
                assert message is not None
                session.expunge(message)
            claimed.append(Pending(message_id, message.user_id, message))
        return claimed

    def enqueue(self, *, user_id: int, kind: str, payload: dict[str, Any], dedupe: str) -> bool:
        """Queue a message of another kind than a dossier status, once per user and key.

        It is delivered by the same job, claims and rate limit as status notifications.
        """
        with self.db.session() as session:
            return _enqueue_once(
                session=session, user_id=user_id, kind=kind, payload=payload, dedupe=dedupe
            )

    def sent(self, message_id: int) -> None:
        """Telegram accepted the message."""
        self._update(message_id, sent_at=utcnow(), claimed_until=None)

    def retry(self, message_id: int, error: str, delay: timedelta | None = None) -> None:
        """A transient failure: try again later, with exponential backoff."""
        with self.db.session() as session:
            message = session.get(OutboxMessage, message_id)
            if message is None:
                return
            message.attempts += 1
            message.last_error = error[:500]
            message.claimed_until = None
            if message.attempts >= MAX_ATTEMPTS:
                message.failed_at = utcnow()
            else:
                seconds = min(self.retry_seconds * 2 ** (message.attempts - 1), 3600)
                backoff = delay or timedelta(seconds=seconds)
                message.next_attempt_at = utcnow() + backoff
            session.add(message)

    def delivery_unknown(self, message_id: int) -> None:
        """The send timed out: Telegram may have delivered it. Not sent again."""
        self._update(
            message_id,
            sent_at=utcnow(),
            last_error="timed out: delivery unknown, not resent",
            claimed_until=None,
        )

    def failed(self, message_id: int, error: str) -> None:
        """A permanent failure (the user blocked the bot): never retried."""
        self._update(message_id, failed_at=utcnow(), last_error=error[:500], claimed_until=None)

    def depth(self, *, now: datetime | None = None) -> tuple[int, float]:
        """Messages waiting to be sent, and the oldest one's age in seconds (for /metrics)."""
        now = now or utcnow()
        with self.db.session() as session:
            count, oldest = session.exec(
                select(func.count(), func.min(OutboxMessage.created_at)).where(
                    col(OutboxMessage.sent_at).is_(None), col(OutboxMessage.failed_at).is_(None)
                )
            ).one()
        if oldest is None:
            return int(count), 0.0
        if oldest.tzinfo is None:  # SQLite gives naive UTC back
            oldest = oldest.replace(tzinfo=now.tzinfo)
        return int(count), max((now - oldest).total_seconds(), 0.0)

    def _update(self, message_id: int, **values: object) -> None:
        with self.db.session() as session:
            message = session.get(OutboxMessage, message_id)
            if message is not None:
                for key, value in values.items():
                    setattr(message, key, value)
                session.add(message)


def _due_ids(*, session: Session, now: datetime, limit: int, channel: str | None) -> list[int]:
    """Unsent, unfailed, unclaimed messages whose next attempt is due, oldest first."""
    user = col(OutboxMessage.user_id)
    mine = {None: true(), "telegram": user >= 0}.get(channel, user < 0)
    query = (
        select(OutboxMessage.id)
        .where(
            col(OutboxMessage.sent_at).is_(None),
            col(OutboxMessage.failed_at).is_(None),
            # A message never tried is due whatever the clock says (a clock stepped back
            # an hour must not hold new notifications for an hour); retries wait their turn.
            or_(col(OutboxMessage.next_attempt_at) <= now, col(OutboxMessage.attempts) == 0),
            or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
            mine,
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    return [i for i in session.exec(query) if i is not None]


def _claim(*, session: Session, message_id: int, now: datetime, until: datetime) -> bool:
    """Take one message for sending; False if another sender took it first."""
    return bool(
        changed_rows(
            session,
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.sent_at).is_(None),
                or_(
                    col(OutboxMessage.claimed_until).is_(None),
                    col(OutboxMessage.claimed_until) < now,
                ),
            )
            .values(claimed_until=until),
        )
    )


def _enqueue_once(
    *, session: Session, user_id: int, kind: str, payload: dict[str, Any], dedupe: str
) -> bool:
    """Queue a message unless this user already has one with the same `dedupe` key."""
    exists = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.user_id == user_id, OutboxMessage.dedupe == dedupe
        )
    ).first()
    if exists is not None:
        return False
    session.add(OutboxMessage(user_id=user_id, kind=kind, payload=payload, dedupe=dedupe))
    return True

"""The core's own tables: once-only job claims and the notification outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


class JobClaim(SQLModel, table=True):
    """A job run claimed for one period ("weekly-digest", "2026-W48")."""

    __tablename__ = "job_claim"

    job: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=40)
    claimed_at: datetime = Field(default_factory=utcnow)


class HandledOnce(SQLModel, table=True):
    """Something that must happen once however often it arrives.

    An update delivered twice or to two instances ("telegram:<update id>"), a draft sent
    twice ("complaint:<key>").
    """

    __tablename__ = "handled_once"

    key: str = Field(primary_key=True, max_length=80)
    at: datetime = Field(default_factory=utcnow, index=True)


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be sent.

    A dossier's new status (one per subscriber and event, ever) or another `kind`, kept to
    one per user and `dedupe` key.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("user_id", "event_id"),
        Index("ix_outbox_user_dedupe", "user_id", "dedupe", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    event_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("dossier_event.id", ondelete="CASCADE"), nullable=True
        ),
    )
    dedupe: str | None = Field(default=None, max_length=64)
    kind: str = Field(default="status", max_length=20)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # A sender owns a row until `claimed_until`, so several bot instances never send it twice.
    claimed_until: datetime | None = None
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, index=True)
    failed_at: datetime | None = None
    last_error: str | None = None

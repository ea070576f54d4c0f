"""Dossier tables: the current state, its history, who may see it, failed lookups.

Personal data is minimal: the applicant's name (shown masked to citizens) and, for the
optional secret check, a keyed hash of the last four digits of a phone or ID number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


class Dossier(SQLModel, table=True):
    """One dossier as the one-stop system last exported it."""

    __tablename__ = "dossier"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True, index=True)
    procedure_code: str | None = Field(default=None, max_length=32)
    procedure_name: str | None = None
    field: str | None = None
    agency: str | None = None
    level: str | None = Field(default=None, max_length=40)
    applicant: str | None = None
    secret_hash: str | None = Field(default=None, max_length=64)
    received_at: datetime | None = Field(default=None, index=True)
    due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    return_method: str | None = None
    # How it was submitted: "online", "direct" or "post" (dossiers.records.channel_of);
    # None when the export does not say.
    channel: str | None = Field(default=None, max_length=16)
    status: int  # dossiers.status.Status
    updated_at: datetime = Field(default_factory=utcnow)


class DossierEvent(SQLModel, table=True):
    """A change of a dossier as seen by an import: the status history."""

    __tablename__ = "dossier_event"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("dossier.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    at: datetime = Field(default_factory=utcnow)
    status: int
    previous_status: int | None = None
    due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    source: str | None = Field(default=None, max_length=255)


class DossierAccess(SQLModel, table=True):
    """A citizen who looked the dossier up successfully (and whether they follow it)."""

    __tablename__ = "dossier_access"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    dossier_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    subscribed: bool = False
    granted_at: datetime = Field(default_factory=utcnow)


class LookupAttempt(SQLModel, table=True):
    """One lookup of a code the user could not yet see, or one wrong check-digit answer.

    Counted per user (a lookup budget and a wrong-answer limit) and per dossier code (a
    wrong-answer limit shared by all users), so guessing codes or digits is slow whether
    one account or many do it. The code is stored as a keyed hash: the table does not
    list the receipt numbers people tried.
    """

    __tablename__ = "lookup_attempt"
    __table_args__ = (
        Index("ix_lookup_attempt_user_at", "user_id", "at"),
        Index("ix_lookup_attempt_code_at", "code_hash", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    code_hash: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # "lookup" | "wrong_secret"
    at: datetime = Field(default_factory=utcnow)

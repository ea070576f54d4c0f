"""Ratings (append-only), complaints (tickets) and staff roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel

from tthc.timeutil import utcnow


class Rating(SQLModel, table=True):
    """One rating as given.

    Never updated: a new rating of the same dossier by the same citizen is a new row, and
    reports count only the latest.
    """

    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_user_dossier", "user_id", "dossier_code"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    dossier_code: str | None = Field(default=None, max_length=64, index=True)
    procedure_code: str | None = Field(default=None, max_length=32)
    agency: str | None = None
    level: str | None = Field(default=None, max_length=40)
    field: str | None = None
    scale: int  # 0 = best, as configured in RATING_SCALE
    criteria: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    comment: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Complaint(SQLModel, table=True):
    """A phản ánh, kiến nghị: open → answered → closed."""

    __tablename__ = "complaint"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    text: str = Field(sa_column=Column(Text, nullable=False))
    attachment_kind: str | None = Field(default=None, max_length=16)  # photo | document
    attachment_file_id: str | None = Field(default=None, max_length=255)
    dossier_code: str | None = Field(default=None, max_length=64)
    procedure_code: str | None = Field(default=None, max_length=32)
    status: str = Field(default="open", max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    answer: str | None = Field(default=None, sa_column=Column(Text))
    answered_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    answered_at: datetime | None = None
    closed_at: datetime | None = None


class Role(SQLModel, table=True):
    """A staff or manager role granted by an administrator."""

    __tablename__ = "user_role"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    role: str = Field(primary_key=True, max_length=16)
    granted_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    granted_at: datetime = Field(default_factory=utcnow)

"""Complaints (phản ánh, kiến nghị) as tickets: open → answered → closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


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

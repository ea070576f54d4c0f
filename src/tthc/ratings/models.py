"""Ratings as given: append-only, the latest per citizen and dossier counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


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

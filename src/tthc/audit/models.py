"""The audit journal's one table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


class AuditEntry(SQLModel, table=True):
    """One change made by staff or an administrator.

    Catalogue imports and edits, dossier imports, questions mapped or set aside, role changes.
    """

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=40)
    source: str | None = Field(default=None, sa_column=Column(Text))
    added: int = 0
    changed: int = 0
    removed: int = 0
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

"""One ticked document per row; absence means "not yet"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


class ChecklistItem(SQLModel, table=True):
    """A document the citizen said they have, for one procedure.

    Keyed by the document's stable key (a hash of its name), so ticks survive catalogue
    imports that reorder documents; ticks for documents that disappear are simply ignored.
    """

    __tablename__ = "checklist_item"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    procedure_code: str = Field(primary_key=True, max_length=32)
    document_key: str = Field(primary_key=True, max_length=16)
    checked_at: datetime = Field(default_factory=utcnow)

"""Catalogue tables.

Documents, steps, ways and legal basis are JSON columns on the procedure row: they are
always read and replaced together with their procedure, and this keeps an import a single
row write per procedure on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


class Procedure(SQLModel, table=True):
    """One administrative procedure (thủ tục hành chính) as published, after cleaning."""

    __tablename__ = "procedure"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    field: str = Field(default="", max_length=255, index=True)
    levels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    agency: str | None = Field(default=None, sa_column=Column(Text))
    processing_time: str | None = Field(default=None, sa_column=Column(Text))
    processing_days: float | None = None
    fees: str | None = Field(default=None, sa_column=Column(Text))
    fee_amounts: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    documents: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    steps: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ways: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    conditions: str | None = Field(default=None, sa_column=Column(Text))
    result: str | None = Field(default=None, sa_column=Column(Text))
    legal_basis: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    effective_date: date | None = None
    source_url: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProcedureAlias(SQLModel, table=True):
    """Another name citizens use for a procedure, added by staff ("làm lại CCCD")."""

    __tablename__ = "procedure_alias"
    __table_args__ = (UniqueConstraint("procedure_code", "alias"),)

    id: int | None = Field(default=None, primary_key=True)
    procedure_code: str = Field(
        max_length=32, foreign_key="procedure.code", ondelete="CASCADE", index=True
    )
    alias: str = Field(max_length=255)
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class SearchSynonym(SQLModel, table=True):
    """A staff override of the bundled synonym table (empty expansion disables a default)."""

    __tablename__ = "search_synonym"

    term: str = Field(primary_key=True, max_length=100)
    expansion: str = Field(default="", max_length=500)
    updated_at: datetime = Field(default_factory=utcnow)


class CatalogState(SQLModel, table=True):
    """A single row: bumped by every catalogue change so every bot instance can reload."""

    __tablename__ = "catalog_state"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow)


class UnansweredQuery(SQLModel, table=True):
    """A question the catalogue could not answer, grouped by its normalised form."""

    __tablename__ = "unanswered_query"
    __table_args__ = (Index("ix_unanswered_kind_normalized", "kind", "normalized", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # "none" | "abandoned"
    normalized: str = Field(max_length=500)
    query: str = Field(sa_column=Column(Text, nullable=False))
    count: int = 1
    first_seen: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow, index=True)
    # Staff close a question by mapping it to a procedure or setting it aside.
    status: str = Field(default="open", max_length=16)  # open | mapped | out_of_scope
    resolved_code: str | None = Field(default=None, max_length=32)
    resolved_by: str | None = Field(default=None, max_length=100)
    resolved_at: datetime | None = None


class UnansweredAsk(SQLModel, table=True):
    """Who asked an unanswered question and when: so staff's answer can reach them."""

    __tablename__ = "unanswered_ask"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    normalized: str = Field(max_length=500, index=True)
    query: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(default_factory=utcnow, index=True)


class CatalogChange(SQLModel, table=True):
    """One applied catalogue file, with what it replaced: the journal's detail and its undo.

    `before` holds the old record (with its aliases) of every procedure the file changed or
    removed, and the codes it added; `/hoantac` puts them back. `changes` lists, per changed
    procedure, the fields with their old and new values, for the journal.
    """

    __tablename__ = "catalog_change"

    id: int | None = Field(default=None, primary_key=True)
    version: int  # the catalogue version this change made
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=100)
    source: str = Field(default="", max_length=255)
    added: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    undone_at: datetime | None = None
    undone_by: str | None = Field(default=None, max_length=100)

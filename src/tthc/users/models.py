"""Users and their roles. Only what the bot needs to remember: no names, no phone numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow


class User(SQLModel, table=True):
    """A Telegram user who has talked to the bot (id is Telegram's user id)."""

    __tablename__ = "users"

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    language: str = Field(default="vi", max_length=5)
    # What the next free-text message means (e.g. a dossier code), so a restart or another
    # bot instance continues the same conversation.
    state: str | None = Field(default=None, max_length=40)
    state_data: str | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # Set when Telegram refused a message because the user blocked the bot; cleared when
    # they write again. Nothing new is queued for them meanwhile.
    blocked_at: datetime | None = None


class Role(SQLModel, table=True):
    """A staff or manager role granted by an administrator."""

    __tablename__ = "user_role"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    role: str = Field(primary_key=True, max_length=16)
    granted_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    granted_at: datetime = Field(default_factory=utcnow)

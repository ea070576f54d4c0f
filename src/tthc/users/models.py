"""Users and their roles. Only what the bot needs to remember: no names, no phone numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, LargeBinary, UniqueConstraint
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


class ChannelUser(SQLModel, table=True):
    """A person on another channel than Telegram (Zalo), known to us as user id `-id`.

    Our user ids are Telegram's; people on other channels get negative ones, which
    Telegram never uses for a person, so every table keyed by user id serves them
    unchanged. Such channels have no buttons: the last keyboard sent is kept here, so a
    typed number presses it on whichever instance receives it.
    """

    __tablename__ = "channel_user"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    # [[caption, callback data], ...] of the last message with buttons, and that message.
    keyboard: list[Any] | None = Field(default=None, sa_column=Column(JSON))
    keyboard_message: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ChannelFile(SQLModel, table=True):
    """A photo a person sent on a channel that gives files as short-lived URLs (Zalo).

    Downloaded when it arrives and kept here, so a complaint's photo outlives the URL;
    the complaint refers to it as "zalo-file:<id>".
    """

    __tablename__ = "channel_file"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    content_type: str = Field(max_length=100)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)

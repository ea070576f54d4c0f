"""People on channels other than Telegram: their user ids and their pending keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from tthc.core.database import Database, table
from tthc.core.lru import LRU
from tthc.users.models import ChannelFile, ChannelUser


def channel_of(user_id: int) -> str:
    """Which channel a user id belongs to (see ChannelUser)."""
    return "zalo" if user_id < 0 else "telegram"


@dataclass(frozen=True)
class Keyboard:
    """The buttons of the last message a person got, and that message (as Telegram's)."""

    buttons: list[tuple[str, str]]
    message: dict[str, Any]


class ChannelUsers:
    """Maps (channel, external id) to our user id and back; ids never change, so cached."""

    def __init__(self, db: Database, channel: str) -> None:
        self.db = db
        self.channel = channel
        self._ids: LRU[str, int] = LRU(50_000)
        self._external: LRU[int, str] = LRU(50_000)

    def user_id(self, external_id: str) -> int:
        """Our (negative) user id for this person, created on first contact."""
        known = self._ids.get(external_id)
        if known is not None:
            return known
        with self.db.session() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            # Two instances meeting a new person at once: one row, both read it.
            session.execute(
                insert(table(ChannelUser))
                .values(channel=self.channel, external_id=external_id)
                .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            )
            row_id = session.exec(
                select(ChannelUser.id).where(
                    col(ChannelUser.channel) == self.channel,
                    col(ChannelUser.external_id) == external_id,
                )
            ).one()
        assert row_id is not None
        self._ids.put(external_id, -row_id)
        self._external.put(-row_id, external_id)
        return -row_id

    def external_id(self, user_id: int) -> str | None:
        """The channel's id for one of our users, None if unknown."""
        known = self._external.get(user_id)
        if known is not None:
            return known
        with self.db.session() as session:
            row = session.get(ChannelUser, -user_id)
            found = row.external_id if row is not None and row.channel == self.channel else None
        if found is not None:
            self._external.put(user_id, found)
        return found

    def remember_keyboard(self, user_id: int, keyboard: Keyboard | None) -> None:
        """The buttons a typed number will press (None: the last message had none)."""
        with self.db.session() as session:
            row = session.get(ChannelUser, -user_id)
            if row is None:
                return
            row.keyboard = [list(b) for b in keyboard.buttons] if keyboard else None
            row.keyboard_message = keyboard.message if keyboard else None
            session.add(row)

    def keyboard(self, user_id: int) -> Keyboard | None:
        """The pending keyboard, if the last message had buttons."""
        with self.db.session() as session:
            row = session.get(ChannelUser, -user_id)
            if row is None or not row.keyboard or row.keyboard_message is None:
                return None
            return Keyboard([(str(c), str(d)) for c, d in row.keyboard], row.keyboard_message)

    def store_file(self, user_id: int, content: bytes, content_type: str) -> str:
        """Keep a photo the person sent; returns the id a complaint refers to it by."""
        with self.db.session() as session:
            row = ChannelFile(user_id=user_id, content=content, content_type=content_type[:100])
            session.add(row)
            session.flush()
            return f"{self.channel}-file:{row.id}"

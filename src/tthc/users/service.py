"""User preferences and conversation state, independent of Telegram."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tthc.core.clock import utcnow
from tthc.core.database import Database
from tthc.users import repository
from tthc.users.conversation import Conversation, stored

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class UserView:
    """What handlers need to know about the person they are answering."""

    id: int
    language: str
    state: str | None
    state_data: dict[str, Any]


class UserService:
    """Language and pending-input state, stored so restarts and other instances agree."""

    def __init__(self, db: Database, default_language: str) -> None:
        self.db = db
        self.default_language = default_language

    def touch(
        self, user_id: int, telegram_language: str | None = None, *, active: bool = False
    ) -> UserView:
        """Load (or register) a user; new users get Vietnamese unless their client is English.

        `active`: the user just wrote to the bot, so they have not blocked it (any more).
        """
        initial = self.default_language
        if telegram_language and telegram_language.lower().startswith("en"):
            initial = "en"
        with self.db.session() as session:
            user = repository.get_or_create_user(session=session, user_id=user_id, language=initial)
            if active and user.blocked_at is not None:
                user.blocked_at = None
                repository.save_user(session=session, user=user)
            return _view(user)

    def blocked_by(self, user_id: int) -> None:
        """Telegram said this user blocked the bot."""
        with self.db.session() as session:
            user = repository.get_or_create_user(
                session=session, user_id=user_id, language=self.default_language
            )
            user.blocked_at = utcnow()
            repository.save_user(session=session, user=user)

    def blocked(self, user_ids: set[int]) -> set[int]:
        """Which of these users have blocked the bot."""
        if not user_ids:
            return set()
        with self.db.session() as session:
            return repository.blocked_among(session=session, user_ids=user_ids)

    def set_language(self, user_id: int, language: str) -> UserView:
        """Switch the UI language; unknown codes are rejected by the caller beforehand."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        with self.db.session() as session:
            user = repository.get_or_create_user(
                session=session, user_id=user_id, language=language
            )
            user.language = language
            repository.save_user(session=session, user=user)
            return _view(user)

    def set_state(
        self, user_id: int, state: str | None, data: dict[str, Any] | None = None
    ) -> None:
        """Remember what the user's next message is an answer to (None clears it)."""
        with self.db.session() as session:
            user = repository.get_or_create_user(
                session=session, user_id=user_id, language=self.default_language
            )
            encoded = json.dumps(data, ensure_ascii=False) if data else None
            if (user.state, user.state_data) == (state, encoded):
                return  # most questions leave nothing pending, as before: no write
            user.state, user.state_data = state, encoded
            repository.save_user(session=session, user=user)

    def remember(self, user_id: int, conversation: Conversation | None) -> None:
        """Store what the user's next message answers, as a typed state (None: nothing)."""
        step, data = stored(conversation)
        self.set_state(user_id, step, data)


def _view(user: Any) -> UserView:
    data = json.loads(user.state_data) if user.state_data else {}
    return UserView(id=user.id, language=user.language, state=user.state, state_data=data)

""" "typing…" is shown only when an answer is slow: it costs a message of the bot's budget."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from tthc.bot import sender


class FakeBot:
    def __init__(self) -> None:
        self.actions: list[tuple[int, str]] = []
        self.sent = asyncio.Event()

    async def send_chat_action(self, chat_id: int, action: str) -> None:
        self.actions.append((chat_id, action))
        self.sent.set()


def _update_and_context() -> tuple[Any, Any, FakeBot]:
    bot = FakeBot()
    return SimpleNamespace(effective_chat=SimpleNamespace(id=7)), SimpleNamespace(bot=bot), bot


async def test_a_quick_answer_shows_no_typing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "TYPING_AFTER", 0.0)
    update, context, bot = _update_and_context()
    async with sender.typing_if_slow(update, context):
        pass  # answered without yielding to the loop: the timer never ran
    await asyncio.sleep(0.01)
    assert bot.actions == []


async def test_a_slow_answer_shows_typing_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "TYPING_AFTER", 0.0)
    update, context, bot = _update_and_context()
    async with sender.typing_if_slow(update, context):
        await asyncio.wait_for(bot.sent.wait(), timeout=10)  # slow: the timer fires first
    assert bot.actions == [(7, "typing")]

"""Updates handled concurrently, each chat's in the order they came.

A citizen's second message must not overtake the first (a receipt code typed after
/hoso, a comment after a rating level), but two citizens must not wait for each other:
an update waits only for the updates of its own chat that arrived before it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` at once; within one chat, one at a time, in order."""

    def __init__(self, max_concurrent_updates: int = 32) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_of(update)
        if key is None:
            await coroutine
            return
        lock, waiting = self._chats.get(key, (asyncio.Lock(), 0))
        self._chats[key] = (lock, waiting + 1)
        try:
            async with lock:  # asyncio locks wake waiters first come, first served
                await coroutine
        finally:
            lock, waiting = self._chats[key]
            if waiting == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, waiting - 1)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _chat_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None

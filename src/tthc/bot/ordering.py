"""Updates handled concurrently, each chat's in the order they came, within each user's budget.

A citizen's second message must not overtake the first (a receipt code typed after
/hoso, a comment after a rating level), but two citizens must not wait for each other:
an update first waits for the updates of its own chat that arrived before it, and only
then takes one of the shared slots. (python-telegram-bot's processor takes the slot
first: one chat's queued updates then held every slot, and 500 messages from one
citizen made everybody else wait 15 s.) Updates over the sender's budget
(`bot/fairness.py`) are not handled at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from tthc.bot.fairness import Budget, Verdict
from tthc.bot.observe import UpdateObserver, ended
from tthc.core import metrics

UNBOUNDED = 1 << 30
# Told that they are over budget (once per flood): the update, to answer in its chat.
OverBudget = Callable[[Update], Awaitable[None]]


class ChatOrderedProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` at once; within one chat, one at a time, in order."""

    def __init__(
        self,
        max_concurrent_updates: int = 32,
        *,
        budget: Budget | None = None,
        over_budget: OverBudget | None = None,
        observer: UpdateObserver | None = None,
    ) -> None:
        # PTB's own semaphore is taken before `do_process_update`, so it is made too wide
        # to bind; the slots that count are taken below, after the chat's turn.
        super().__init__(UNBOUNDED)
        self.slots = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}
        self.budget = budget
        self.over_budget = over_budget
        self.observer = observer
        self.dropped = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """The chat's turn first, then a shared slot; nothing at all over budget."""
        if self.observer is None:
            await self._process(update, coroutine)
            return
        person = update.effective_user if isinstance(update, Update) else None
        async with self.observer.watch(update, person.id if person else None):
            await self._process(update, coroutine)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not await self._admitted(update):
            _discard(coroutine)
            return
        key = _chat_of(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock, waiting = self._chats.get(key, (asyncio.Lock(), 0))
        self._chats[key] = (lock, waiting + 1)
        try:
            # asyncio locks and semaphores wake waiters first come, first served
            async with lock, self._slots:
                await coroutine
        finally:
            lock, waiting = self._chats[key]
            if waiting == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, waiting - 1)

    async def _admitted(self, update: object) -> bool:
        if self.budget is None or not isinstance(update, Update):
            return True
        person = update.effective_user
        if person is None:
            return True
        kind = "presses" if update.callback_query is not None else "messages"
        verdict = self.budget.admit(person.id, kind)
        if verdict is Verdict.ADMIT:
            return True
        self.dropped += 1
        ended("rate_limited")
        metrics.RATE_LIMITED.labels(kind).inc()
        if verdict is Verdict.WARN and self.over_budget is not None:
            await self.over_budget(update)
        return False

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _discard(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()  # never started: no "was never awaited" warning


def _chat_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None

"""On SQLite, updates take turns at the database while their network calls overlap.

SQLite has one writer. Updates handled side by side would each open a write transaction
and wait for the others inside SQLite's busy handler, holding worker threads; handled
one at a time, each update's calls to Telegram (tens of milliseconds on a real network)
would hold up everyone. So an update holds the turn while it works and lets go of it
while it talks to Telegram: the database sees one update at a time, the network many.
On PostgreSQL, which locks rows, there are no turns. Whatever the engine, what an update
did is committed before it talks to Telegram (`stored`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from tthc.core.database import current_unit_of_work


@dataclass
class _Held:
    lock: asyncio.Lock
    held: bool = False


_CURRENT: ContextVar[_Held | None] = ContextVar("database_turn", default=None)


async def stored() -> None:
    """Commit the update's unit of work, so a reply never announces what is not stored."""
    work = current_unit_of_work()
    if work is not None and work.pending:
        await asyncio.to_thread(work.commit)


class Turns:
    """The turns of one application's updates (none unless `exclusive`)."""

    def __init__(self, *, exclusive: bool) -> None:
        self._lock = asyncio.Lock() if exclusive else None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold the turn for a handler (or job), except inside `outside_turn` blocks."""
        if self._lock is None:
            yield
            return
        state = _Held(self._lock)
        token = _CURRENT.set(state)
        try:
            await state.lock.acquire()
            state.held = True
            yield
        finally:
            if state.held:
                state.lock.release()
                state.held = False
            _CURRENT.reset(token)


@asynccontextmanager
async def outside_turn() -> AsyncIterator[None]:
    """Let other updates use the database while this one waits on the network.

    What this update did so far is committed first: an open transaction would keep its
    SQLite lock while others take their turn, and they would wait for it in vain.
    """
    state = _CURRENT.get()
    if state is None or not state.held:
        yield
        return
    await stored()
    state.lock.release()
    state.held = False
    try:
        yield
    finally:
        await state.lock.acquire()
        state.held = True

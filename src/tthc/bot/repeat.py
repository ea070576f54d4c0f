"""Work repeated every few seconds on the event loop's own (monotonic) clock.

The JobQueue schedules by the wall clock: when the system clock stepped back an hour, the
outbox's next run was an hour away and no notification went out. A loop that sleeps with
asyncio measures time with the monotonic clock, which never steps back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Every:
    """Run `work` every `seconds` (after the previous run ends) until stopped."""

    def __init__(self, seconds: float, work: Callable[[], Awaitable[None]], name: str) -> None:
        self.seconds = seconds
        self.work = work
        self.name = name
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin on the running loop (the first run after one interval)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Finish the run under way, if any, and stop."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.seconds)
            try:
                await self.work()
            except asyncio.CancelledError:
                raise
            except Exception:  # one failed run must not end the loop
                log.exception("%s failed; trying again in %s s", self.name, self.seconds)

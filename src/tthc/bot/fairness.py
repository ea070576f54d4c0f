"""One citizen's flood must not hold up everyone: a per-user budget of updates.

Each user has a bucket per kind (messages, button presses) that refills at its rate per
minute and holds a minute's worth, so a burst is fine and a flood is not. An update
beyond the budget is not handled: the first one in a row gets one polite "bạn gửi nhanh
quá" and the rest silence, until the bucket refills. Buckets are kept per instance, in
memory and on the monotonic clock (a wall clock that jumps does not reset or freeze them);
with several instances behind a load balancer a flooder gets at most that many budgets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

MAX_TRACKED = 100_000  # users remembered at once; the oldest full buckets go first


class Verdict(Enum):
    ADMIT = "admit"
    WARN = "warn"  # over budget: tell them once
    DROP = "drop"  # over budget, already told


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class Budget:
    """Token buckets per (user, kind); `per_minute` of 0 turns a kind's limit off."""

    def __init__(
        self, per_minute: dict[str, int], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[tuple[int, str], _Bucket] = {}

    def admit(self, user_id: int, kind: str) -> Verdict:
        """Spend one update of `kind`; what to do with it."""
        limit = self.per_minute.get(kind, 0)
        if limit <= 0:
            return Verdict.ADMIT
        now = self.clock()
        bucket = self._buckets.get((user_id, kind))
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED:
                self._forget_full(now)
            bucket = self._buckets[(user_id, kind)] = _Bucket(float(limit), now)
        elapsed = max(0.0, now - bucket.at)  # a clock that steps back refills nothing
        bucket.tokens = min(float(limit), bucket.tokens + elapsed * limit / 60)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return Verdict.ADMIT
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled (they hold nothing a new bucket would not)."""
        for key, bucket in list(self._buckets.items()):
            limit = self.per_minute.get(key[1], 0)
            if bucket.tokens + (now - bucket.at) * limit / 60 >= limit:
                del self._buckets[key]

"""One record per update: what kind, which route took it, how it ended, how long it took.

The update processor opens the record (`UpdateObserver.watch`), the handlers it reaches
name their route (`routed`) and outcome (`ended`), and at the end it becomes one INFO log
line and the `tthc_updates` counter and latency histogram. Only the kind, route, outcome,
duration, instance and a keyed hash of the user id are logged: never text, names or ids.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from tthc.core import metrics

log = logging.getLogger("tthc.updates")


@dataclass
class Observation:
    """What is known of the update being handled; handlers fill in the route and outcome."""

    kind: str
    route: str = "none"
    outcome: str = "ok"
    started: float = field(default_factory=time.perf_counter)


_CURRENT: ContextVar[Observation | None] = ContextVar("tthc_observation", default=None)


def routed(callback: Callable[..., Any] | str) -> None:
    """The update went to this handler or route (the last, most precise call wins)."""
    seen = _CURRENT.get()
    if seen is not None:
        seen.route = callback if isinstance(callback, str) else route_name(callback)


def ended(outcome: str) -> None:
    """The update ended otherwise than "ok": duplicate, error, rate_limited, ignored."""
    seen = _CURRENT.get()
    if seen is not None:
        seen.outcome = outcome


def route_name(callback: Callable[..., Any]) -> str:
    """ "catalog.search.question" for tthc.bot.catalog.search.question (handlers dropped)."""
    module = getattr(callback, "__module__", "") or ""
    parts = [p for p in module.split(".") if p not in ("tthc", "bot", "handlers")]
    return ".".join([*parts, getattr(callback, "__name__", type(callback).__name__)])


def kind_of(update: object) -> str:
    """A coarse kind, the same for every channel: command, message, button, file, other."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    message = update.message
    if message is None:
        return "edit" if update.edited_message or update.edited_channel_post else "other"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "message"
    if message.document is not None or message.photo:
        return "file"
    return "other"


def instance_name() -> str:
    """Which process wrote a line: host and pid (two instances may share a host)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class UpdateObserver:
    """Opens and closes the per-update record; knows the key that hashes user ids."""

    def __init__(self, secret: bytes, *, instance: str | None = None, channel: str = "telegram"):
        self.secret = secret
        self.instance = instance or instance_name()
        self.channel = channel

    def user_hash(self, user_id: object) -> str:
        """A stable pseudonym: the same user's lines can be followed, not looked up."""
        return hmac.new(self.secret, str(user_id).encode(), hashlib.sha256).hexdigest()[:12]

    @asynccontextmanager
    async def watch(self, update: object, user_id: object = None) -> AsyncIterator[Observation]:
        """Measure one update from here to the end of the block."""
        seen = Observation(kind_of(update))
        token = _CURRENT.set(seen)
        try:
            yield seen
        except BaseException:
            seen.outcome = "error"
            raise
        finally:
            _CURRENT.reset(token)
            self.record(seen, user_id)

    def record(self, seen: Observation, user_id: object) -> None:
        """The log line and the metrics of a finished update."""
        seconds = time.perf_counter() - seen.started
        metrics.UPDATES.labels(self.channel, seen.kind, seen.route, seen.outcome).inc()
        metrics.UPDATE_SECONDS.labels(seen.kind).observe(seconds)
        log.info(
            "update",
            extra={
                "channel": self.channel,
                "kind": seen.kind,
                "route": seen.route,
                "outcome": seen.outcome,
                "ms": round(seconds * 1000, 1),
                "instance": self.instance,
                "user": self.user_hash(user_id) if user_id is not None else None,
            },
        )

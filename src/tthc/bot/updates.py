"""What arrives from Telegram before any handler sees it.

An update python-telegram-bot cannot read (a field of a type it does not expect) makes
the whole getUpdates call fail, and polling asks for the same batch again forever: nobody
is answered. Here each update of a batch is checked on its own; one that cannot be read is
replaced by its bare id (so the offset moves past it) and logged once, without content.
Edited messages and channel posts are not conversations with the bot: they are ignored.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler
from telegram.request import HTTPXRequest, RequestData

from tthc.bot.context import BotContext
from tthc.bot.observe import ended

log = logging.getLogger(__name__)


class PoisonSafeRequest(HTTPXRequest):
    """The getUpdates connection, with unreadable updates reduced to their id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.skipped: set[int] = set()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Telegram's answer, each update of a getUpdates batch readable."""
        status, body = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status != 200 or not url.endswith("/getUpdates"):
            return status, body
        return status, self.readable(body)

    def readable(self, body: bytes) -> bytes:
        """The batch with every update PTB cannot parse replaced by `{"update_id": …}`."""
        try:
            answer = json.loads(body)
            updates = answer["result"]
        except (ValueError, KeyError, TypeError):
            return body  # not a batch: PTB reports it as it would
        if not isinstance(updates, list):
            return body
        changed = False
        for i, raw in enumerate(updates):
            try:
                Update.de_json(raw, None)
            except Exception as exc:  # any reason at all: the batch must go through
                update_id = raw.get("update_id") if isinstance(raw, dict) else None
                if not isinstance(update_id, int):
                    continue  # without an id PTB fails anyway; nothing better to do
                if update_id not in self.skipped:
                    self.skipped.add(update_id)
                    log.warning(
                        "unreadable update skipped",
                        extra={"update_id": update_id, "error": type(exc).__name__},
                    )
                updates[i] = {"update_id": update_id}
                changed = True
        return json.dumps(answer).encode() if changed else body


async def _ignore(update: Update, context: BotContext) -> None:
    ended("ignored")
    raise ApplicationHandlerStop


class _Ignored(TypeHandler[Update, BotContext, None]):
    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and (
            update.edited_message is not None
            or update.channel_post is not None
            or update.edited_channel_post is not None
        )


def ignored_updates() -> TypeHandler[Update, BotContext, None]:
    """Edits of earlier messages and channel posts stop here (first group, before all)."""
    return _Ignored(Update, _ignore)

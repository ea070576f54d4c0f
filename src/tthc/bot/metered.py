"""Every Bot API call counted: what Telegram accepted, and what failed and how.

A wrapper around python-telegram-bot's request object, so replies, edits, files,
notifications and polling are all seen in one place whichever code path made them.
"""

from __future__ import annotations

from typing import Any

from telegram.error import TelegramError
from telegram.request import BaseRequest

from tthc.core import metrics

# How python-telegram-bot names the error each HTTP status becomes.
ERRORS = {
    400: "BadRequest", 401: "InvalidToken", 403: "Forbidden", 404: "InvalidToken",
    409: "Conflict", 429: "RetryAfter", 502: "NetworkError",
}  # fmt: skip

# Calls that deliver something to a user; the rest (getUpdates, getMe…) are plumbing.
DELIVERING = ("send", "edit", "answerCallbackQuery", "copyMessage", "forwardMessage")


class MeteredRequest(BaseRequest):
    """Delegates to `inner`; counts `tthc_messages_sent` and `tthc_channel_errors`.

    Counted on the HTTP answer (`post` is final in python-telegram-bot): a 200 is a call
    Telegram accepted, any other status the error python-telegram-bot raises from it.
    """

    def __init__(self, inner: BaseRequest, *, channel: str = "telegram") -> None:
        self.inner = inner
        self.channel = channel

    @property
    def read_timeout(self) -> float | None:
        """The inner request's (PTB's long polling adds to it)."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Open the inner request's connections."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close them."""
        await self.inner.shutdown()

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """The inner request's HTTP call, counted by method; failures by kind."""
        method = url.rsplit("/", 1)[-1]
        try:
            status, body = await self.inner.do_request(url, *args, **kwargs)
        except TelegramError as exc:  # no answer at all: timed out, connection refused
            metrics.CHANNEL_ERRORS.labels(self.channel, method, type(exc).__name__).inc()
            raise
        if status == 200:
            if method.startswith(DELIVERING):
                metrics.SENT.labels(self.channel, method).inc()
        else:  # python-telegram-bot raises the matching error from this answer
            metrics.CHANNEL_ERRORS.labels(self.channel, method, ERRORS.get(status, "error")).inc()
        return status, body

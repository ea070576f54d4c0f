"""python-telegram-bot's connection, answered in this process rather than by Telegram.

The console chat answers the Bot API calls with a terminal, the Zalo channel with Zalo's
API; the handlers cannot tell. A subclass implements `answer`; a call it refuses raises
`Refused`, which becomes the HTTP answer python-telegram-bot turns into its usual error.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData


class Refused(Exception):
    """A call answered with a Bot API error (400 BadRequest, 403 Forbidden, 429, 502…)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class StandInRequest(BaseRequest):
    """Bot API calls answered by `answer(method, params)`."""

    @property
    def read_timeout(self) -> float | None:
        """Not used: nothing is read from a socket here."""
        return 15.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """One Bot API call, answered as Telegram would have."""
        params = dict(request_data.parameters) if request_data else {}
        files = request_data.multipart_data if request_data else None
        if files:  # (filename, content, type) per attached file
            params["_filename"] = next(iter(files.values()))[0]
        try:
            result = await self.answer(url.rsplit("/", 1)[-1], params)
        except Refused as exc:
            body: dict[str, Any] = {
                "ok": False, "error_code": exc.status, "description": exc.description,
            }  # fmt: skip
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return exc.status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    async def answer(self, method: str, params: dict[str, Any]) -> Any:
        """The result of one call (a Message as a dict, True…); Refused to refuse it."""
        raise NotImplementedError

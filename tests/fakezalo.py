"""A fake Zalo Bot API server, strict where the real one is documented to be.

`POST /bot{TOKEN}/{method}` with JSON; every answer is an envelope `{ok, result}` or
`{ok: false, error_code, description}` with HTTP 200 (the client must read `ok`). It
checks the token, string chat ids, 1–2,000-character texts, the webhook secret's length;
it delivers events to the registered webhook with the secret header (retrying like a
platform would), and on polling replays the last consumed batch once (no offset).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError, ClientSession, web

ZALO_TOKEN = "zalo-test-token"


@dataclass
class ZaloSent:
    chat_id: str
    text: str


class FakeZalo:
    def __init__(self) -> None:
        self.sent: list[ZaloSent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.webhook: dict[str, str] | None = None
        self.queue: list[dict[str, Any]] = []
        self.last_batch: list[dict[str, Any]] = []
        self.replayed = False
        self.forbidden: set[str] = set()
        self.message_ids = itertools.count(1)
        self.deliveries: list[int] = []  # HTTP status of each webhook attempt
        self.photos: dict[str, bytes] = {}
        self.port = 0
        self._runner: web.AppRunner | None = None

    # -- the server ------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/photos/{name}", self._photo)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _photo(self, request: web.Request) -> web.Response:
        return web.Response(body=self.photos[request.match_info["name"]], content_type="image/jpeg")

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != ZALO_TOKEN:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "Bad Request: body is not JSON")
        self.calls.append((method, body))
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(404, f"Method {method} not found")
        return await handler(body)

    async def _getMe(self, _: dict[str, Any]) -> web.Response:
        return _ok({"id": "b0t", "account_name": "tthc", "display_name": "TTHC"})

    async def _sendMessage(self, body: dict[str, Any]) -> web.Response:
        chat, text = body.get("chat_id"), body.get("text")
        if not isinstance(chat, str) or not chat:
            return _error(400, "Bad Request: chat_id must be a non-empty string")
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return _error(400, "Bad Request: text must be 1-2000 characters")
        if chat in self.forbidden:
            return _error(403, "Forbidden: user has not allowed the bot to send messages")
        self.sent.append(ZaloSent(chat, text))
        return _ok({"message_id": f"m{next(self.message_ids)}", "date": int(time.time() * 1000)})

    async def _sendChatAction(self, body: dict[str, Any]) -> web.Response:
        return _ok(True) if isinstance(body.get("chat_id"), str) else _error(400, "chat_id")

    async def _setWebhook(self, body: dict[str, Any]) -> web.Response:
        secret = body.get("secret_token")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return _error(400, "Bad Request: secret_token must be 8-256 characters")
        if not str(body.get("url", "")).startswith(("https://", "http://127.0.0.1")):
            return _error(400, "Bad Request: url must be https")
        self.webhook = {"url": body["url"], "secret_token": secret}
        return _ok(True)

    async def _deleteWebhook(self, _: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok(True)

    async def _getWebhookInfo(self, _: dict[str, Any]) -> web.Response:
        return _ok({"url": (self.webhook or {}).get("url", "")})

    async def _getUpdates(self, body: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return _error(409, "Conflict: a webhook is set")
        deadline = time.monotonic() + min(float(body.get("timeout", 0)), 0.5)
        while not self.queue and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self.queue:
            batch, self.queue = self.queue, []
            self.last_batch, self.replayed = batch, False
            return _ok(batch)
        if self.last_batch and not self.replayed:  # no offset: what was consumed comes back
            self.replayed = True
            return _ok(self.last_batch)
        return _ok([])

    # -- what a citizen does -----------------------------------------------------------

    def text_event(self, user: str, text: str, message_id: str) -> dict[str, Any]:
        return {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": user, "display_name": "Công dân", "is_bot": False},
                "chat": {"id": user, "chat_type": "PRIVATE"},
                "text": text,
                "message_id": message_id,
                "date": int(time.time() * 1000),
            },
        }

    async def deliver(
        self, event: dict[str, Any], *, secret: str | None = None, retries: int = 3
    ) -> int:
        """POST one event to the webhook as the platform does; retried on failure."""
        assert self.webhook is not None, "no webhook registered"
        header = self.webhook["secret_token"] if secret is None else secret
        status = 0
        async with ClientSession() as http:
            for _ in range(retries):
                try:
                    async with http.post(
                        self.webhook["url"],
                        json={"ok": True, "result": event},
                        headers={"X-Bot-Api-Secret-Token": header} if header else {},
                    ) as response:
                        status = response.status
                except ClientError:
                    status = 0
                self.deliveries.append(status)
                if status == 200 or status in (401, 403):
                    return status
                await asyncio.sleep(0.1)
        return status


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description})

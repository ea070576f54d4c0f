"""A small fake Telegram Bot API server (aiohttp, loopback only) for end-to-end tests.

It keeps chats in memory, hands updates to the bot through long-polled getUpdates, and
rejects what Telegram rejects: empty or over-long text, callback data over 64 bytes,
malformed HTML entities.
"""

from __future__ import annotations

import asyncio
import html.parser
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, web

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}  # fmt: skip
BOT = {"id": 777, "is_bot": True, "first_name": "TTHC", "username": "tthc_test_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}  # fmt: skip


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


class _HtmlChecker(html.parser.HTMLParser):
    """Parses Telegram HTML the strict way; collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise ApiError(f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise ApiError("Bad Request: can't parse entities: unescaped < or >")
        if "&" in data:
            raise ApiError("Bad Request: can't parse entities: unescaped &")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise ApiError(f"Bad Request: can't parse entities: unknown entity &{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def visible_text(text: str, parse_mode: str | None) -> str:
    if parse_mode != "HTML":
        return text
    checker = _HtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise ApiError("Bad Request: can't parse entities: unclosed tag")
    if checker.rawdata:
        raise ApiError("Bad Request: can't parse entities: unterminated markup")
    return "".join(checker.text)


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    buttons: list[list[dict[str, Any]]]
    edited: bool = False
    kind: str = "text"
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def plain(self) -> str:
        return visible_text(self.text, self.parse_mode)

    def button(self, caption: str) -> dict[str, Any]:
        for row in self.buttons:
            for b in row:
                if b["text"] == caption or caption in b["text"]:
                    return b
        raise KeyError(f"no button {caption!r} in {[b['text'] for r in self.buttons for b in r]}")

    @property
    def captions(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


class FakeTelegram:
    """State of the fake Bot API and the aiohttp app serving it."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1000)
        self.new_update = asyncio.Event()
        self.sent: list[SentMessage] = []
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.errors: list[tuple[str, str]] = []
        self.answered_callbacks: list[dict[str, Any]] = []
        # Errors the next calls of a method get, in order: (HTTP code, description, retry_after).
        self.failures: dict[str, list[tuple[int, str, int | None]]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        # The command menu per language code ("" for the default), as setMyCommands set it.
        self.commands: dict[str, list[dict[str, str]]] = {}
        # Calls of a method that succeed but answer only after this many seconds (once each):
        # what a client sees when Telegram accepted a message and the reply got lost.
        self.slow: dict[str, list[float]] = {}
        # Seconds every call but getUpdates takes, as over a real network (benchmarks).
        self.latency = 0.0
        self.in_flight = 0  # calls being answered now, and the most there ever were
        self.max_in_flight = 0
        self.confirmed_offset = 0
        self.files: dict[str, bytes] = {}
        self.activity = asyncio.Event()
        # Webhook mode: where setWebhook said to POST updates, and how deliveries went.
        self.webhook: dict[str, Any] | None = None
        self.webhook_errors: list[str] = []

    # -- driving the bot ------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        update_id = next(self.update_ids)
        self.updates.append({"update_id": update_id, **update})
        self.new_update.set()
        return update_id

    async def post_update(self, update: dict[str, Any], *, attempts: int = 10) -> int:
        """Deliver an update the way Telegram does with a webhook: POST it with the secret
        token, and send it again (after a short wait) until it is acknowledged with 2xx.

        Returns the update id once acknowledged.
        """
        assert self.webhook is not None, "no webhook set"
        update_id = next(self.update_ids)
        body = {"update_id": update_id, **update}
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token") or ""}
        async with ClientSession() as session:
            for _ in range(attempts):
                try:
                    async with session.post(self.webhook["url"], json=body, headers=headers) as r:
                        if 200 <= r.status < 300:
                            return update_id
                        self.webhook_errors.append(f"Wrong response from the webhook: {r.status}")
                except ClientError as exc:
                    self.webhook_errors.append(f"Connection failed: {exc}")
                await asyncio.sleep(0.05)
        raise AssertionError(f"update {update_id} was never acknowledged: {self.webhook_errors}")

    # -- HTTP -----------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=50 << 20)  # Telegram takes 50 MB from bots
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        return app

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()  # type: ignore[no-any-return]
        data = await request.post()
        params: dict[str, Any] = {}
        for key, value in data.items():
            if hasattr(value, "file"):
                params[key] = value.file.read()
                params[f"{key}.filename"] = value.filename
            else:
                params[key] = value
        return params

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        handler = getattr(self, f"m_{method}", None)
        if self.failures.get(method):
            code, description, retry_after = self.failures[method].pop(0)
            self.errors.append((method, description))
            body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=code)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        counted = method != "getUpdates"  # a long poll is always waiting
        if counted:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency and counted:
                await asyncio.sleep(self.latency)
            result = await handler(params)
            if self.slow.get(method):
                await asyncio.sleep(self.slow[method].pop(0))
        except ApiError as exc:
            self.errors.append((method, exc.description))
            return web.json_response(
                {"ok": False, "error_code": exc.code, "description": exc.description},
                status=exc.code,
            )
        finally:
            if counted:
                self.in_flight -= 1
        self.activity.set()
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if path not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[path])

    # -- methods --------------------------------------------------------------------------

    async def m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT

    async def m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def m_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {
            "url": params["url"],
            "secret_token": params.get("secret_token"),
            "max_connections": int(params.get("max_connections") or 40),
        }
        return True

    async def m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": 0 if self.webhook else len(self.updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
        if self.webhook_errors:
            info["last_error_date"] = int(time.time())
            info["last_error_message"] = self.webhook_errors[-1]
        return info

    async def m_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        self.commands[params.get("language_code") or ""] = (
            json.loads(commands) if isinstance(commands, str) else commands
        )
        return True

    async def m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + min(timeout, 1.0)
        while not self.updates and time.monotonic() < deadline:
            self.new_update.clear()
            try:
                await asyncio.wait_for(self.new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        return list(self.updates[:100])

    def _check_markup(self, params: dict[str, Any]) -> list[list[dict[str, Any]]]:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = (markup or {}).get("inline_keyboard") or []
        for row in rows:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not (1 <= len(data.encode()) <= 64):
                    raise ApiError("Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError("Bad Request: text buttons are unallowed in the inline keyboard")
        return rows

    def _check_text(self, text: str | None, parse_mode: str | None) -> str:
        if text is None or not str(text).strip():
            raise ApiError("Bad Request: message text is empty")
        visible = visible_text(str(text), parse_mode)
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            raise ApiError("Bad Request: message is too long")
        if not visible.strip():
            raise ApiError("Bad Request: message text is empty")
        return str(text)

    def _message_dict(self, msg: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": msg.message_id,
            "date": int(time.time()),
            "chat": {"id": msg.chat_id, "type": "private"},
            "from": BOT,
            "text": msg.text if msg.parse_mode != "HTML" else msg.plain,
        }
        if msg.buttons:
            data["reply_markup"] = {"inline_keyboard": msg.buttons}
        return data

    async def m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        parse_mode = params.get("parse_mode")
        text = self._check_text(params.get("text"), parse_mode)
        rows = self._check_markup(params)
        msg = SentMessage(int(params["chat_id"]), next(self.message_ids), text, parse_mode, rows)
        self.sent.append(msg)
        self.messages[(msg.chat_id, msg.message_id)] = msg
        return self._message_dict(msg)

    async def m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError("Bad Request: message to edit not found")
        parse_mode = params.get("parse_mode")
        text = self._check_text(params.get("text"), parse_mode)
        rows = self._check_markup(params)
        old = self.messages[key]
        if old.text == text and old.buttons == rows:
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"
            )
        msg = SentMessage(key[0], key[1], text, parse_mode, rows, edited=True)
        self.messages[key] = msg
        self.sent.append(msg)
        return self._message_dict(msg)

    async def m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError("Bad Request: message to edit not found")
        old = self.messages[key]
        msg = SentMessage(
            key[0], key[1], old.text, old.parse_mode, self._check_markup(params), edited=True
        )
        self.messages[key] = msg
        self.sent.append(msg)
        return self._message_dict(msg)

    async def m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.answered_callbacks.append(params)
        return True

    async def m_sendChatAction(self, params: dict[str, Any]) -> bool:
        self.chat_actions.append((int(params["chat_id"]), str(params["action"])))
        return True

    async def _send_file(self, params: dict[str, Any], kind: str, key: str) -> dict[str, Any]:
        content = params.get(key)
        if not content:
            raise ApiError(f"Bad Request: there is no {key} in the request")
        file_id = f"file{next(self.message_ids)}"
        self.files[f"{kind}/{file_id}"] = (
            content if isinstance(content, bytes) else str(content).encode()
        )
        caption = params.get("caption") or ""
        msg = SentMessage(
            int(params["chat_id"]),
            next(self.message_ids),
            caption,
            params.get("parse_mode"),
            self._check_markup(params),
            kind=kind,
        )
        msg.raw = {
            "file_id": file_id,
            "size": len(self.files[f"{kind}/{file_id}"]),
            "file_name": params.get(f"{key}.filename"),
        }
        self.sent.append(msg)
        self.messages[(msg.chat_id, msg.message_id)] = msg
        data = self._message_dict(msg)
        data[kind] = {"file_id": file_id, "file_unique_id": file_id, "file_size": msg.raw["size"]}
        if kind == "photo":
            data["photo"] = [
                {"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}
            ]
        return data

    async def m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "photo", "photo")

    async def m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "document", "document")

    async def m_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        for path, content in self.files.items():
            if path.endswith("/" + file_id):
                return {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_size": len(content),
                    "file_path": path,
                }
        raise ApiError("Bad Request: invalid file_id")

"""`tthc chat`: the real Application and handlers, talking to a terminal instead of Telegram.

A :class:`ConsoleRequest` stands in for the HTTP connection to the Bot API: the bot's
sendMessage/editMessageText calls are printed (HTML turned into terminal text, inline
buttons into numbered choices), and what the person types becomes a Telegram update that
goes through `Application.process_update`, exactly as one from Telegram would.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from telegram import Update

from tthc.app.application import build_application
from tthc.app.services import Services
from tthc.app.standin import StandInRequest
from tthc.bot.plain import plain_text

CONSOLE_TOKEN = "0:console"
BOT_USER = {"id": 1, "is_bot": True, "first_name": "TTHC", "username": "tthc_console_bot"}


class ConsoleRequest(StandInRequest):
    """A Bot API that lives in this process and writes to a terminal."""

    def __init__(self, out: TextIO, chat_id: int) -> None:
        self.out = out
        self.chat_id = chat_id
        self.message_ids = itertools.count(1)
        self.messages: dict[int, dict[str, Any]] = {}
        self.buttons: list[tuple[str, str, int]] = []  # (caption, data, message id)

    async def answer(self, method: str, params: dict[str, Any]) -> Any:
        """Print what the bot sends; everything else succeeds."""
        handler: Callable[[dict[str, Any]], Any] = getattr(self, f"_{method}", self._ok)
        return handler(params)

    def _ok(self, _params: dict[str, Any]) -> bool:
        return True

    def _getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            **BOT_USER,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message(params, next(self.message_ids))
        self._print(message, edited=False)
        return message

    def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message(params, int(params["message_id"]))
        self._print(message, edited=True)
        return message

    def _message(self, params: dict[str, Any], message_id: int) -> dict[str, Any]:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if markup:
            message["reply_markup"] = markup
        self.messages[message_id] = message
        return message

    def _print(self, message: dict[str, Any], *, edited: bool) -> None:
        marker = "✎ " if edited else ""
        self.out.write(f"\n{marker}{plain_text(message['text'])}\n")
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        self.buttons = []
        for row in keyboard:
            for button in row:
                if "callback_data" in button:
                    self.buttons.append(
                        (button["text"], button["callback_data"], message["message_id"])
                    )
                    self.out.write(f"  [{len(self.buttons)}] {button['text']}\n")
                elif "url" in button:
                    self.out.write(f"  ↗ {button['text']}: {button['url']}\n")
        self.out.flush()


class ConsoleChat:
    """Turns terminal lines into updates for the real Application."""

    def __init__(self, services: Services, *, user_id: int = 100, first_name: str = "Bạn") -> None:
        self.user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "vi",
        }
        self.request = ConsoleRequest(sys.stdout, chat_id=user_id)
        self.application = build_application(
            services, token=CONSOLE_TOKEN, request=self.request, rate_limit=False
        )
        self.update_ids = itertools.count(1)

    def _update(self, line: str) -> Update:
        update_id = next(self.update_ids)
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.request.buttons):
            caption, data, message_id = self.request.buttons[int(stripped) - 1]
            payload: dict[str, Any] = {
                "update_id": update_id,
                "callback_query": {
                    "id": str(update_id),
                    "from": self.user,
                    "chat_instance": "console",
                    "data": data,
                    "message": self.request.messages[message_id],
                },
            }
        else:
            entities = []
            if stripped.startswith("/"):
                entities = [
                    {"type": "bot_command", "offset": 0, "length": len(stripped.split()[0])}
                ]
            payload = {
                "update_id": update_id,
                "message": {
                    "message_id": 10_000 + update_id,
                    "date": int(time.time()),
                    "chat": {"id": self.user["id"], "type": "private"},
                    "from": self.user,
                    "text": stripped,
                    "entities": entities,
                },
            }
        return Update.de_json(payload, self.application.bot)

    async def run(self, lines: TextIO) -> None:
        """Read lines until end of input or /quit."""
        await self.application.initialize()
        try:
            await self.application.process_update(self._update("/start"))
            while True:
                sys.stdout.write("\n> ")
                sys.stdout.flush()
                line = await asyncio.to_thread(lines.readline)
                if not line or line.strip() in {"/quit", "/exit"}:
                    break
                await self.application.process_update(self._update(line))
        finally:
            await self.application.shutdown()

"""python-telegram-bot's connection, answered by Zalo: the handlers do not know the difference.

The Application built for Zalo sends through this request object. Each Bot API call the
handlers make becomes what Zalo can do: a message's buttons become numbered lines (the
keyboard is stored, so a typed number presses it on any instance), an edit becomes a
new message, a button's notice a line, HTML plain text in parts of 2,000 characters,
files a line saying they stay on Telegram. Zalo's errors come back as the Bot API errors
python-telegram-bot raises (403: may not write to this person, so the outbox marks them
unreachable; 429: retry later; no answer: a network error), so the callers need no Zalo
code.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from typing import Any

from tthc.app.standin import Refused, StandInRequest
from tthc.app.zalo.client import TEXT_LIMIT, ZaloApi, ZaloError, ZaloUnreachable
from tthc.bot.plain import plain_parts
from tthc.messages import Messages
from tthc.users.channels import ChannelUsers, Keyboard

log = logging.getLogger(__name__)

BOT_USER = {"id": 1, "is_bot": True, "first_name": "TTHC", "username": "tthc_zalo"}
# Zalo's descriptions of "you may not write to this person" (undocumented: matched loosely).
NOT_ALLOWED = ("not allow", "permission", "block", "unfollow", "not found user", "forbidden")


class ZaloRequest(StandInRequest):
    """The Bot API, spoken to Zalo."""

    def __init__(self, api: ZaloApi, users: ChannelUsers, messages: Messages) -> None:
        self.api = api
        self.users = users
        self.messages = messages
        # Telegram-style message ids for the handlers (Zalo's are strings).
        self.message_ids = itertools.count(int(time.time() * 1000) % 10**12)

    async def shutdown(self) -> None:
        """Close Zalo's connections."""
        await self.api.close()

    async def answer(self, method: str, params: dict[str, Any]) -> Any:
        """One Bot API call done on Zalo; Zalo's refusals as the Bot API's."""
        try:
            return await self._call(method, params)
        except ZaloError as exc:
            raise _refused(method, exc) from None
        except ZaloUnreachable as exc:
            # python-telegram-bot turns 502 into NetworkError: retried (the outbox cannot
            # tell a timeout apart here and retries too).
            log.warning("zalo %s: %s", method, exc)
            raise Refused(502, str(exc)) from None

    async def _call(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}  # fmt: skip
        if name in ("sendMessage", "editMessageText"):
            return await self._send(params, str(params.get("text", "")), params.get("reply_markup"))
        if name == "answerCallbackQuery":
            # A notice: a line of its own (the query id carries the chat, see events.py).
            chat = str(params.get("callback_query_id", "")).split(":")[0]
            if params.get("text") and chat.lstrip("-").isdigit():
                await self._send({"chat_id": chat}, str(params["text"]), None, plain=True)
            return True
        if name == "sendChatAction":
            chat = await self._chat(params)
            await self.api.call("sendChatAction", {"chat_id": chat, "action": "typing"})
            return True
        if name in ("sendDocument", "sendPhoto"):
            filename = params.get("_filename")
            notice = self.messages.label(None, "zalo_file_only", name=filename)
            return await self._send(params, notice, None, plain=True)
        return True  # setMyCommands, deleteWebhook…: nothing to do on Zalo

    async def _send(
        self, params: dict[str, Any], text: str, markup: Any, *, plain: bool = False
    ) -> dict[str, Any]:
        """Parts of plain text, the numbered buttons under the last; returns the message."""
        chat = await self._chat(params)
        user_id = int(params["chat_id"])
        buttons, links = _buttons(markup)
        parts = [text] if plain else plain_parts(text, TEXT_LIMIT)
        # "[1] …" as in the console chat: a card's own numbered lists use "1. …".
        tail = [f"[{i}] {caption}" for i, (caption, _) in enumerate(buttons, 1)]
        tail += [f"↗ {caption}: {address}" for caption, address in links]
        if buttons:
            tail.append(self.messages.label(None, "zalo_press_hint", count=len(buttons)))
        if tail:
            parts = _append(parts or [""], "\n".join(tail))
        for part in parts:
            await self.api.call("sendMessage", {"chat_id": chat, "text": part})
        message = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": BOT_USER,
            "text": text[:TEXT_LIMIT],
        }
        if markup:
            message["reply_markup"] = markup if isinstance(markup, dict) else json.loads(markup)
        if buttons or not plain:  # a file's notice leaves the keyboard as it was
            keyboard = Keyboard(buttons, message) if buttons else None
            await asyncio.to_thread(self.users.remember_keyboard, user_id, keyboard)
        return message

    async def _chat(self, params: dict[str, Any]) -> str:
        user_id = int(params["chat_id"])
        external = await asyncio.to_thread(self.users.external_id, user_id)
        if external is None:
            raise ZaloError(400, f"chat {user_id} is not a Zalo user")
        return external


def _buttons(markup: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(caption, callback data) of the buttons to number, and (caption, url) of the links."""
    if not markup:
        return [], []
    data = json.loads(markup) if isinstance(markup, str) else markup
    presses, links = [], []
    for row in data.get("inline_keyboard", []):
        for button in row:
            if button.get("callback_data") is not None:
                presses.append((str(button["text"]), str(button["callback_data"])))
            elif button.get("url"):
                links.append((str(button["text"]), str(button["url"])))
    return presses, links


def _append(parts: list[str], tail: str) -> list[str]:
    """The numbered choices under the last part, or in a part of their own if it is full."""
    last = f"{parts[-1]}\n\n{tail}".strip()
    if len(last) <= TEXT_LIMIT:
        return [*parts[:-1], last]
    return [*parts, tail[:TEXT_LIMIT]]


def _refused(method: str, exc: ZaloError) -> Refused:
    """Zalo's refusal as the Bot API error python-telegram-bot raises for it."""
    text = exc.description.lower()
    log.warning("zalo %s refused: %s", method, exc)
    if exc.code in (401, 403) or any(words in text for words in NOT_ALLOWED):
        return Refused(403, exc.description)
    if exc.code == 429:
        return Refused(429, exc.description, retry_after=5)
    return Refused(400 if 400 <= exc.code < 500 else 502, exc.description)

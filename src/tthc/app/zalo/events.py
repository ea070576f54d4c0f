"""Zalo events as the Telegram updates the handlers already understand.

The person gets our (negative) user id, the chat is private, the update id is derived
from Zalo's message id (so a redelivered event is recognised as the same update), and a
typed 1- or 2-digit number while a keyboard is pending becomes the press of that button.
Longer numbers (a 4-digit check code, a receipt code) and all other text stay text.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from tthc.users.channels import ChannelUsers

TEXT = "message.text.received"
IMAGE = "message.image.received"
_CHOICE = re.compile(r"\d{1,2}")


def update_id(message_id: str) -> int:
    """A stable update id for a Zalo message id (48 bits: within JSON's exact integers)."""
    return int(hashlib.sha256(message_id.encode()).hexdigest()[:12], 16)


def event_of(body: Any) -> dict[str, Any] | None:
    """The event of a webhook body or polling answer (`{ok, result: {event_name, message}}`)."""
    if not isinstance(body, dict):
        return None
    event = body.get("result", body)
    if not isinstance(event, dict) or not isinstance(event.get("message"), dict):
        return None
    return event


def to_update(
    event: dict[str, Any], users: ChannelUsers, *, photo: str | None = None
) -> dict[str, Any] | None:
    """The Telegram update for one event (None when it has no sender or message id).

    `photo` is the stored file id of a downloaded photo (image events).
    """
    message = event["message"]
    sender = message.get("from") or {}
    external = str(sender.get("id") or (message.get("chat") or {}).get("id") or "")
    message_id = str(message.get("message_id") or "")
    if not external or not message_id:
        return None
    user_id = users.user_id(external)
    person = {"id": user_id, "is_bot": False, "first_name": "Zalo", "language_code": "vi"}
    number = update_id(f"{external}:{message_id}")
    text = message.get("text") if isinstance(message.get("text"), str) else None
    stripped = (text or "").strip()
    if text is not None and _CHOICE.fullmatch(stripped):
        keyboard = users.keyboard(user_id)
        if keyboard is not None and 1 <= int(stripped) <= len(keyboard.buttons):
            return {
                "update_id": number,
                "callback_query": {
                    "id": f"{user_id}:{number}",  # the chat, for a notice (transport.py)
                    "from": person,
                    "chat_instance": "zalo",
                    "data": keyboard.buttons[int(stripped) - 1][1],
                    "message": keyboard.message,
                },
            }
    payload: dict[str, Any] = {
        "message_id": number % 2**31,
        "date": _seconds(message.get("date")),
        "chat": {"id": user_id, "type": "private"},
        "from": person,
    }
    if event.get("event_name") == TEXT and text is not None:
        payload["text"] = stripped
        if stripped.startswith("/"):
            command = stripped.split()[0]
            payload["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    elif event.get("event_name") == IMAGE and photo is not None:
        payload["photo"] = [{"file_id": photo, "file_unique_id": photo, "width": 0, "height": 0}]
        caption = message.get("caption")
        if isinstance(caption, str) and caption.strip():
            payload["caption"] = caption.strip()
    else:  # a sticker, a voice message, anything else: "unsupported" answers it
        payload["sticker"] = {
            "file_id": "zalo", "file_unique_id": "zalo", "width": 1, "height": 1,
            "is_animated": False, "is_video": False, "type": "regular",
        }  # fmt: skip
    return {"update_id": number, "message": payload}


def _seconds(value: Any) -> int:
    """Zalo's date (milliseconds) in seconds; now if missing."""
    if isinstance(value, int | float) and value > 0:
        return int(value / 1000) if value > 10**11 else int(value)
    return int(time.time())

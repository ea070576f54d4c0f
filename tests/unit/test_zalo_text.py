"""Zalo's side of the adapter: plain text in 2,000-character parts, typed numbers as presses."""

from __future__ import annotations

from typing import Any

from tthc.app.zalo.events import event_of, to_update, update_id
from tthc.bot.plain import plain_parts, plain_text
from tthc.users.channels import Keyboard


class Users:
    """The two lookups events.py makes, over a dict (the database version is in e2e)."""

    def __init__(self, keyboard: Keyboard | None) -> None:
        self.pending = keyboard

    def user_id(self, external_id: str) -> int:
        return -int(external_id, 16)

    def keyboard(self, user_id: int) -> Keyboard | None:
        return self.pending


def _event(text: str, message_id: str = "m1") -> dict[str, Any]:
    return {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": "a1"},
            "chat": {"id": "a1"},
            "text": text,
            "message_id": message_id,
        },
    }


def test_html_becomes_plain_text_in_parts_that_keep_words_whole() -> None:
    assert plain_text(
        '<b>Lệ phí</b>: 14.000 đ &amp; <a href="https://dvc.vn/x?a=1&amp;b=2">Cổng</a>'
    ) == ("Lệ phí: 14.000 đ & Cổng (https://dvc.vn/x?a=1&b=2)")
    words = [f"từ{i}" for i in range(1500)]
    text = "<b>Tiêu đề</b>\n\n" + " ".join(words)
    parts = plain_parts(text, 2000)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    rejoined = " ".join(" ".join(parts).split())
    assert rejoined == "Tiêu đề " + " ".join(words)  # nothing lost, no word cut


def test_a_typed_number_presses_a_pending_button_and_only_then() -> None:
    keyboard = Keyboard([("📄 Hồ sơ", "c:1"), ("💰 Lệ phí", "c:2")], {"message_id": 5})
    pressed = to_update(_event(" 2 "), Users(keyboard))  # type: ignore[arg-type]
    assert pressed is not None and pressed["callback_query"]["data"] == "c:2"
    assert pressed["callback_query"]["message"] == {"message_id": 5}
    assert pressed["callback_query"]["from"]["id"] == -0xA1
    for text in ("3", "1234", "0912 345 678", "một"):  # beyond the list, a code, words
        update = to_update(_event(text), Users(keyboard))  # type: ignore[arg-type]
        assert update is not None and update["message"]["text"] == text
    no_keyboard = to_update(_event("1"), Users(None))  # type: ignore[arg-type]
    assert no_keyboard is not None and no_keyboard["message"]["text"] == "1"


def test_events_are_read_from_either_envelope_and_keep_their_identity() -> None:
    event = _event("xin chào")
    assert event_of({"ok": True, "result": event}) == event == event_of(event)
    assert event_of({"ok": True}) is None and event_of([1]) is None
    first = to_update(event, Users(None))  # type: ignore[arg-type]
    again = to_update(event, Users(None))  # type: ignore[arg-type]
    assert first is not None and again is not None
    assert first["update_id"] == again["update_id"] == update_id("a1:m1") < 2**48
    command = to_update(_event("/phananh 1.000656"), Users(None))  # type: ignore[arg-type]
    assert command is not None
    assert command["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 8}]
    sticker = to_update(
        {"event_name": "message.sticker.received", "message": {**event["message"], "text": None}},
        Users(None),  # type: ignore[arg-type]
    )
    assert sticker is not None and "sticker" in sticker["message"]

"""Replies as values: handlers build them, one place sends them.

A Reply knows nothing of Telegram objects, so handlers' output can be asserted in unit
tests and rendered by the console chat as numbered choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True)
class Button:
    """An inline button: a callback (data) or a link (url)."""

    text: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has either callback data or a url")
        if self.data is not None and len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """A message to show; `edit` replaces the message a pressed button belongs to."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    edit: bool = False
    # Shown as a small pop-up/toast when answering a button press (plain text).
    notice: str | None = None


def rows(*rows_: list[Button] | tuple[Button, ...]) -> tuple[tuple[Button, ...], ...]:
    """Build a keyboard from rows, dropping empty ones."""
    return tuple(tuple(r) for r in rows_ if r)


def grid(buttons: list[Button], per_row: int) -> list[tuple[Button, ...]]:
    """Lay buttons out `per_row` to a row."""
    return [tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]

"""Replies as values: handlers build them, one place sends them.

A Reply knows nothing of Telegram objects, so handlers' output can be asserted in unit
tests and rendered by the console chat as numbered choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

MAX_CALLBACK_BYTES = 64
T = TypeVar("T")


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


@dataclass(frozen=True)
class Photo:
    """A picture to send (a chart), with a one-line caption."""

    data: bytes
    caption: str = ""


@dataclass(frozen=True)
class Document:
    """A file to send (a workbook)."""

    data: bytes
    filename: str


# What a notification or a report is made of, sent in order.
Outgoing = Reply | Photo | Document


def rows(*rows_: list[Button] | tuple[Button, ...]) -> tuple[tuple[Button, ...], ...]:
    """Build a keyboard from rows, dropping empty ones."""
    return tuple(tuple(r) for r in rows_ if r)


def grid(buttons: list[Button], per_row: int) -> list[tuple[Button, ...]]:
    """Lay buttons out `per_row` to a row."""
    return [tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def page_of(items: list[T], page: int, size: int) -> tuple[int, int, list[T]]:
    """(page clamped to the last one, number of pages, the page's items)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return page, pages, items[page * size : (page + 1) * size]


def short(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters (an ellipsis marks a cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def caption(text: str, limit: int = 60) -> str:
    """A button caption of at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pager(label: Callable[[str], str], prefix: str, page: int, pages: int) -> list[Button]:
    """Previous/next buttons whose data is `prefix` plus the page number."""
    buttons = []
    if page > 0:
        buttons.append(Button(label("prev"), f"{prefix}{page - 1}"))
    if page + 1 < pages:
        buttons.append(Button(label("next"), f"{prefix}{page + 1}"))
    return buttons

"""Callback data of the checklist.

`k:<code>:<page>` shows a page, `c:<code>:<key>:<page>:<1|0>` ticks (1) or unticks (0)
one document, then shows the page.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE = r"^(k:[\w.\-]{1,32}:\d{1,3}|c:[\w.\-]{1,32}:[0-9a-f]{8}:\d{1,3}:[01])$"


def page(code: str, number: int | None) -> str:
    """A page of the checklist; without a number, the prefix a pager completes."""
    return f"k:{code}:" + ("" if number is None else str(number))


def tick(code: str, key: str, number: int, *, have: bool) -> str:
    return f"c:{code}:{key}:{number}:{1 if have else 0}"


@dataclass(frozen=True)
class ChecklistPress:
    code: str
    page: int
    key: str | None = None  # a document to tick or untick first
    have: bool = False


def parse(data: str) -> ChecklistPress:
    parts = data.split(":")
    if parts[0] == "c":
        return ChecklistPress(parts[1], int(parts[3]), parts[2], parts[4] == "1")
    return ChecklistPress(parts[1], int(parts[2]))

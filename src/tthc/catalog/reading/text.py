"""Small text tools shared by the readers: top-level splitting, parentheses, dates, ways."""

from __future__ import annotations

import re
from datetime import date

from tthc.core.text import fold

# The portal joins per-way values as "Trực tiếp: …; Trực tuyến: …; Dịch vụ bưu chính: …".
WAY_LABELS = {
    "truc tiep": "in_person",
    "truc tuyen": "online",
    "dich vu buu chinh": "post",
    "buu chinh": "post",
    "qua buu chinh": "post",
}
_WAY_PREFIX = re.compile(
    r"^\s*(Trực tiếp|Trực tuyến|Dịch vụ bưu chính|Qua bưu chính|Bưu chính)\s*:\s*", re.IGNORECASE
)
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
UNTIL = re.compile(r"đến\s+(?:hết\s+)?(?:ngày\s+)?" + _DATE, re.IGNORECASE)
SINCE = re.compile(r"(?:kể\s+)?từ\s+(?:ngày\s+)?" + _DATE, re.IGNORECASE)


def split_top_level(text: str, separator: str = ";") -> list[str]:
    """Split on `separator` outside parentheses (descriptions contain their own ";")."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def way_segments(text: str) -> list[tuple[str | None, str]]:
    """(way, text) pieces of a per-way value; way is None when the text names none.

    A ";" starts a new piece only when a way label follows it: descriptions use ";" too.
    """
    pieces: list[tuple[str | None, str]] = []
    for part in split_top_level(text):
        match = _WAY_PREFIX.match(part)
        if match:
            pieces.append((WAY_LABELS[fold(match.group(1))], part[match.end() :].strip()))
        elif pieces:
            way, previous = pieces[-1]
            pieces[-1] = (way, f"{previous}; {part}")
        else:
            pieces.append((None, part))
    return pieces


def head_and_detail(text: str) -> tuple[str, str]:
    """ "70.000 đồng (chi tiết)" → ("70.000 đồng", "chi tiết"); doubled parentheses unwrapped."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(" and depth == 0:
            head = text[:i].strip()
            detail = text[i:].strip()
            return head, unwrap(detail)
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
    return text.strip(), ""


def unwrap(text: str) -> str:
    """Remove parentheses that enclose the whole text, as often as they do."""
    text = text.strip()
    while text.startswith("(") and _closing(text) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _closing(text: str) -> int:
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def parse_date(match: re.Match[str]) -> date | None:
    """The date of an UNTIL/SINCE match, or None if it is not a real date."""
    day, month, year = (int(g) for g in match.groups()[-3:])
    try:
        return date(year, month, day)
    except ValueError:
        return None


_CLAUSE_BREAK = re.compile(r"(?<=[.;])\s+(?=[-+–•]?\s*[A-ZĐÀ-Ỹ(])|\s+(?=[-–•]\s+[A-ZĐÀ-Ỹ])")


def clauses(text: str) -> list[str]:
    """Sentences and bullet items of a description."""
    return [c.strip(" ;") for c in _CLAUSE_BREAK.split(text) if c.strip(" ;-–•")]

"""The input boundary: what any text from a user or a file becomes before it is used.

Everything that enters (a chat message, a command's arguments, a caption) passes through
`sanitize`: composed Unicode, no NUL or other control characters (PostgreSQL refuses NUL
in text, SQLite keeps it: the two must behave alike), no invisible direction marks.
Numbers are read with `ascii_int`, because str.isdigit() accepts "²" and "٣", which
int() then refuses or reads differently.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline; bidirectional overrides and isolates, which
# can make a complaint read differently from what it says; byte-order marks.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_ASCII_INT = re.compile(r"^\s*[0-9]{1,19}\s*$")
# What makes a name look different from what it is: zero-width characters, direction marks.
_INVISIBLE = re.compile("[\u061c\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u3164\uffa0]")
_PATH = re.compile(r"[\\/]+")
MAX_NAME = 64
MAX_FILE_NAME = 120
MAX_BIGINT = 2**63 - 1  # Telegram ids fit PostgreSQL's BIGINT


def sanitize(text: str | None) -> str:
    """NFC text without control characters; carriage returns become newlines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNWANTED.sub("", text))


def display_name(text: str | None, limit: int = MAX_NAME) -> str:
    """A Telegram name as staff may read it: visible characters only, one line, not endless."""
    clean = " ".join(_INVISIBLE.sub("", sanitize(text)).split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def file_name(text: str | None, limit: int = MAX_FILE_NAME) -> str:
    """A sent file's name, safe to store and show.

    No folders, no invisible characters, at most `limit` characters with its extension
    kept ("upload" when nothing is left).
    """
    name = display_name(_PATH.sub("_", text or ""), limit=10_000).strip(" .") or "upload"
    if len(name) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:limit]
    return stem[: limit - len(suffix) - 2] + "…." + suffix


def ascii_int(text: str | None, *, low: int = 0, high: int = MAX_BIGINT) -> int | None:
    """A whole number written with the digits 0–9 within [low, high], else None."""
    if text is None or not _ASCII_INT.match(text):
        return None
    value = int(text)
    return value if low <= value <= high else None

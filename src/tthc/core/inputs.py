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
MAX_BIGINT = 2**63 - 1  # Telegram ids fit PostgreSQL's BIGINT


def sanitize(text: str | None) -> str:
    """NFC text without control characters; carriage returns become newlines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNWANTED.sub("", text))


def ascii_int(text: str | None, *, low: int = 0, high: int = MAX_BIGINT) -> int | None:
    """A whole number written with the digits 0–9 within [low, high], else None."""
    if text is None or not _ASCII_INT.match(text):
        return None
    value = int(text)
    return value if low <= value <= high else None

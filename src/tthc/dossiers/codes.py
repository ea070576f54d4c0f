"""Receipt codes in what citizens type: whole, inside a sentence, or cut short.

Codes are pasted from an SMS or copied off the receipt, so they arrive with spaces around
their dots and dashes, in lower case, in the middle of "mã hồ sơ của tôi là …", or
missing their last digits. The pattern and the example are the province's settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A dot or dash between two letters or digits, with spaces around it ("H56 - 241223").
_SPACED_JOINT = re.compile(r"(?<=[0-9A-Z])\s*([.\-])\s*(?=[0-9A-Z])")
_TOKEN = re.compile(r"[0-9A-Z][0-9A-Z.\-]*")
TRUNCATED_SHARE = 0.6  # a cut-off code keeps at least this share of the example's length


def normalize_code(text: str) -> str:
    """Receipt codes as printed: no spaces, upper case ("000.00.20.h56-…" → "…H56-…")."""
    return "".join(text.split()).upper()


def _shape(text: str) -> str:
    """Digits as 9 and letters as A: "000.25.31.H56" → "999.99.99.A99"."""
    return re.sub(r"[0-9]", "9", re.sub(r"[A-Z]", "A", text))


@dataclass(frozen=True)
class CodeInText:
    """A receipt code found in a message; `complete` False when its tail is missing."""

    code: str
    complete: bool


class ReceiptCodes:
    """The province's receipt code format (a regular expression) and a printed example."""

    def __init__(self, pattern: str, example: str) -> None:
        self.whole = re.compile(pattern)
        core = pattern.removeprefix("^").removesuffix("$")
        self.inside = re.compile(rf"(?<![0-9A-Z.])(?:{core})(?![0-9A-Z])")
        self.example_shape = _shape(normalize_code(example))

    def is_code(self, text: str) -> bool:
        """Whether a whole message is a receipt code (spaces and case aside)."""
        return len(text) <= 80 and bool(self.whole.match(normalize_code(text)))

    def find(self, text: str) -> CodeInText | None:
        """The receipt code a message carries, whole or cut short, if it carries one."""
        if self.is_code(text):
            return CodeInText(normalize_code(text), complete=True)
        joined = _SPACED_JOINT.sub(r"\1", text.upper())
        if found := self.inside.search(joined):
            return CodeInText(found.group(0), complete=True)
        shortest = int(len(self.example_shape) * TRUNCATED_SHARE)
        for token in _TOKEN.findall(joined):
            token = token.rstrip(".-")
            if len(token) >= shortest and self.example_shape.startswith(_shape(token)):
                return CodeInText(token, complete=False)
        return None

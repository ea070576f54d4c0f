"""One rule for personal data in text that people read in bulk, and in logs.

Phone numbers in every usual spelling ("0912 345 678", "+84 (912) 345-678", "0912.345.678"),
9- and 12-digit ID numbers, bank accounts and e-mail addresses become "•••". A run of
digits counts when it holds eight or more digits, whatever separates them; amounts written
in thousands ("1.500.000", "10.000.000") and procedure codes ("1.000656") are kept, since
they are what a question or a complaint is about.

Used wherever staff or managers read citizens' words many at a time (the unanswered inbox,
reports and their workbooks, the digest, the journal, the catalogue export) and by the
log formatter. A complaint read by the staff member answering it keeps its text.
"""

from __future__ import annotations

import re

MASK = "•••"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits joined by at most two separators each (space, dot, dash, parentheses, slash-free).
_DIGIT_RUN = re.compile(r"(?<![\w@])\+?\(?\d(?:[\s.\-()]{0,2}\d)+\)?(?![\w@])")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_PERSONAL_DIGITS = 8
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,80}>")


def redact(text: str) -> str:
    """The text with phone, ID and account numbers and e-mail addresses masked."""
    return _DIGIT_RUN.sub(_digits, _EMAIL.sub(f"{MASK}@{MASK}", text))


def _digits(match: re.Match[str]) -> str:
    run = match.group(0)
    if sum(c.isdigit() for c in run) < _PERSONAL_DIGITS or _THOUSANDS.fullmatch(run.strip("()")):
        return run
    return MASK


def readable_question(text: str) -> str | None:
    """A citizen's question as staff may keep it (an alias, the inbox).

    Redacted, without markup, on one line; None when no word is left (only a number, a
    code such as "000.25.31.H56-241223-0002", masked data): there is nothing staff could
    answer or map.
    """
    clean = " ".join(redact(_MARKUP.sub(" ", text)).split())
    words = clean.replace(MASK, " ").split()
    return clean if any(sum(c.isalpha() for c in w) >= 2 for w in words) else None

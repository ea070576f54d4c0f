"""Report periods as managers type them: dates, a month, a quarter, a year, a number of days.

"01/07/2026 30/09/2026", "thang 11", "tháng 11/2026", "quy 3", "quý 3/2026", "q3", "nam
2026", "90". Days are inclusive, in Vietnam time. A month or quarter without a year is the
latest one that has begun. Anything else is an error, never a silent default.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta

from tthc.core.clock import VIETNAM
from tthc.core.text import strip_diacritics

DEFAULT_DAYS = 30
MAX_DAYS = 3660
_MONTH = re.compile(r"^(?:thang|th|t)\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}))?$")
_QUARTER = re.compile(r"^(?:quy|q)\s*([1-4])(?:\s*[/\-.]\s*(\d{4}))?$")
_YEAR = re.compile(r"^(?:nam)\s*(\d{4})$")
_DAYS = re.compile(r"^(\d{1,4})(?:\s*ngay)?$")


def parse_day(text: str) -> date:
    """2026-11-23 or 23/11/2026."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def parse_period(
    start: str | None, end: str | None, *, today: date | None = None
) -> tuple[date, date]:
    """(first, last) day from two dates; by default the last 30 days up to today."""
    today = today or datetime.now(VIETNAM).date()
    last = parse_day(end) if end else today
    first = parse_day(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    return _ordered(first, last)


def parse_period_text(text: str, *, today: date | None = None) -> tuple[date, date]:
    """(first, last) day of a period typed in words or dates; raises ValueError.

    An empty text is the last 30 days.
    """
    today = today or datetime.now(VIETNAM).date()
    words = " ".join(strip_diacritics(text.lower()).replace(",", " ").split())
    if not words:
        return today - timedelta(days=DEFAULT_DAYS - 1), today
    if month := _MONTH.match(words):
        number, year = int(month.group(1)), month.group(2)
        if not 1 <= number <= 12:
            raise ValueError(f"{text!r}: there is no month {number}")
        first = date(int(year) if year else today.year, number, 1)
        if not year and first > today:
            first = first.replace(year=first.year - 1)
        return first, first.replace(day=monthrange(first.year, number)[1])
    if quarter := _QUARTER.match(words):
        number, year = int(quarter.group(1)), quarter.group(2)
        first = date(int(year) if year else today.year, 3 * number - 2, 1)
        if not year and first > today:
            first = first.replace(year=first.year - 1)
        last_month = 3 * number
        return first, date(first.year, last_month, monthrange(first.year, last_month)[1])
    if year_match := _YEAR.match(words):
        year = int(year_match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    if days := _DAYS.match(words):
        count = int(days.group(1))
        if not 1 <= count <= MAX_DAYS:
            raise ValueError(f"{text!r}: between 1 and {MAX_DAYS} days")
        return today - timedelta(days=count - 1), today
    parts = words.split()
    if len(parts) in (1, 2):
        try:
            first = parse_day(parts[0])
            last = parse_day(parts[1]) if len(parts) == 2 else today
        except ValueError:
            raise ValueError(f"{text!r} is not a period") from None
        return _ordered(first, last)
    raise ValueError(f"{text!r} is not a period")


def _ordered(first: date, last: date) -> tuple[date, date]:
    if first > last:
        raise ValueError(f"the period starts ({first:%d/%m/%Y}) after it ends ({last:%d/%m/%Y})")
    return first, last

"""Report periods as managers type them: ISO or Vietnamese dates, inclusive."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tthc.core.clock import VIETNAM

DEFAULT_DAYS = 30


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
    """(first, last) day; by default the last 30 days up to today (Vietnam time)."""
    today = today or datetime.now(VIETNAM).date()
    last = parse_day(end) if end else today
    first = parse_day(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValueError(f"the period starts ({first:%d/%m/%Y}) after it ends ({last:%d/%m/%Y})")
    return first, last

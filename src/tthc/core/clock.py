"""Time helpers: timestamps are stored as aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

# Vietnam time (UTC+7, no daylight saving): what one-stop exports write without an offset
# and what citizens read on clocks and receipts.
VIETNAM = timezone(timedelta(hours=7), "ICT")


def utcnow() -> datetime:
    """Aware UTC now, the form every timestamp column takes."""
    return datetime.now(UTC)


def vietnam_today() -> date:
    """Today's date in Vietnam (fee clauses and deadlines turn over at local midnight)."""
    return datetime.now(VIETNAM).date()

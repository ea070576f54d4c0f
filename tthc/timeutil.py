"""Time helpers: timestamps are stored as aware UTC; people see Vietnam time (UTC+7, no DST)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), name="ICT")


def utcnow() -> datetime:
    """Aware UTC now, the form every timestamp column takes."""
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """A stored timestamp as Vietnam local time (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ)

"""Time helpers: timestamps are stored as aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now, the form every timestamp column takes."""
    return datetime.now(UTC)

"""Uploads waiting for a staff member's ✅ Áp dụng."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, LargeBinary
from sqlmodel import Field, SQLModel

from tthc.core.clock import utcnow

# How long an expired upload is kept before it is deleted (by the next upload, or by the
# nightly retention purge, whichever comes first): a dossier export names applicants.
KEPT_AFTER_EXPIRY = timedelta(days=1)


class PendingUpload(SQLModel, table=True):
    """A validated file and what applying it would change.

    The file itself is stored (not held in memory), so a pending upload survives a restart
    and can be applied by whichever instance receives the button press.
    """

    __tablename__ = "pending_upload"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    kind: str = Field(max_length=16)  # "catalog" | "dossiers"
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # The catalogue version the preview was computed against: applying over a newer one
    # would apply a difference nobody has seen.
    base_version: int | None = None
    preview: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16)  # pending|applied|cancelled
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    decided_at: datetime | None = None

"""Ratings of finished dossiers (and of the service in general), append-only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tthc.core.database import Database
from tthc.dossiers.service import DossierService, DossierView
from tthc.ratings import repository
from tthc.ratings.models import Rating


class RatingRefusal(StrEnum):
    """Why a dossier cannot be rated (yet)."""

    UNFINISHED = "unfinished"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RatingTarget:
    """What is being rated: a dossier the citizen may see, or the service in general."""

    dossier: DossierView | None


class RatingService:
    """Checks what may be rated and stores ratings."""

    def __init__(
        self, db: Database, dossiers: DossierService, scale: list[str], criteria: list[str]
    ) -> None:
        self.db = db
        self.dossiers = dossiers
        self.scale = scale
        self.criteria = criteria

    def target(self, user_id: int, code: str | None) -> RatingTarget | RatingRefusal:
        """A finished dossier this user looked up, the general service (no code), or why not."""
        if code is None:
            return RatingTarget(None)
        dossier = self.dossiers.view(user_id, code)
        if dossier is None:
            return RatingRefusal.UNKNOWN
        if not dossier.status.finished:
            return RatingRefusal.UNFINISHED
        return RatingTarget(dossier)

    def has_rated(self, user_id: int, code: str) -> bool:
        """Whether this citizen rated this dossier before (a new rating replaces it)."""
        with self.db.session() as session:
            return repository.has_rated(session=session, user_id=user_id, code=code)

    def rate(
        self,
        user_id: int,
        code: str | None,
        *,
        scale: int,
        criteria: dict[str, Any] | None = None,
        comment: str | None = None,
    ) -> Rating:
        """Store one rating; a later one for the same dossier replaces it in reports."""
        if not 0 <= scale < len(self.scale):
            raise ValueError(f"scale {scale} is outside 0..{len(self.scale) - 1}")
        target = self.target(user_id, code)
        if isinstance(target, RatingRefusal):
            raise ValueError(f"dossier {code} cannot be rated: {target.value}")
        dossier = target.dossier
        with self.db.session() as session:
            rating = Rating(
                user_id=user_id,
                dossier_code=dossier.code if dossier else None,
                procedure_code=dossier.procedure_code if dossier else None,
                agency=dossier.agency if dossier else None,
                level=dossier.level if dossier else None,
                field=dossier.field if dossier else None,
                scale=scale,
                criteria={k: v for k, v in (criteria or {}).items() if k in self.criteria},
                comment=(comment or "").strip()[:2000] or None,
            )
            return repository.add_rating(session=session, rating=rating)

"""Sending a rating, as one unit of work: the rating and the cleared draft together."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from tthc.users.conversation import Conversation, OnceOnly, RatingDraft, Remembers


class Ratings(Protocol):
    """The ratings service as sending a rating uses it."""

    def has_rated(self, user_id: int, code: str) -> bool: ...

    def rate(
        self,
        user_id: int,
        code: str | None,
        *,
        scale: int,
        criteria: dict[str, Any],
        comment: str | None,
    ) -> None: ...


class RatingServices(Protocol):
    """The services sending a rating touches; the application's container is one."""

    @property
    def ratings(self) -> Ratings: ...

    @property
    def users(self) -> Remembers: ...

    @property
    def once(self) -> OnceOnly: ...


@dataclass(frozen=True)
class Rated:
    """A stored rating; `replaced` when it replaces the citizen's earlier one of the dossier."""

    code: str | None
    level: int
    replaced: bool


def scored(
    draft: Conversation | None,
    level: int,
    criterion: int | None = None,
    *,
    scale: int,
    criteria: int,
) -> RatingDraft | None:
    """The draft with its level (or one criterion's level) chosen.

    None when the press does not fit: an old rating message whose draft is gone, a
    criterion before the overall level, or a forged or outdated button off the configured
    scale. Nothing is stored either way; the draft lives in the conversation state.
    """
    if not isinstance(draft, RatingDraft) or not 0 <= level < scale:
        return None
    if criterion is None:
        return replace(draft, level=level)
    if draft.level is None or not 0 <= criterion < criteria:
        return None
    return replace(draft, criteria={**draft.criteria, str(criterion): level})


def submit_rating(
    services: RatingServices, user_id: int, draft: RatingDraft, criteria_names: list[str]
) -> Rated | None:
    """Store the draft (its level must be chosen) and clear it; None if it was stored already."""
    if draft.level is None:
        raise ValueError("a rating needs a level")
    if not services.once.first_time(f"rating:{draft.key}"):
        return None
    criteria = {
        criteria_names[int(i)]: level
        for i, level in draft.criteria.items()
        if int(i) < len(criteria_names)
    }
    ratings = services.ratings
    replaced = ratings.has_rated(user_id, draft.code) if draft.code else False
    ratings.rate(user_id, draft.code, scale=draft.level, criteria=criteria, comment=draft.comment)
    services.users.remember(user_id, None)
    return Rated(draft.code, draft.level, replaced)

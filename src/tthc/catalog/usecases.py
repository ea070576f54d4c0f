"""Answering a citizen's question, as one unit of work.

The use case decides; the Telegram adapter renders. It calls the services directly,
typed by the few methods it uses (`SearchServices`), so a unit test can hand it
in-memory fakes and run in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from tthc.catalog.answering import Answer, AnswerKind
from tthc.catalog.models import Procedure
from tthc.catalog.question import Aspect
from tthc.catalog.search import Entry
from tthc.users.conversation import Conversation, Remembers, Results, Viewing


class CatalogReader(Protocol):
    """The catalogue service as answering a question uses it."""

    def answer(self, text: str) -> Answer: ...

    def get(self, code: str) -> Procedure | None: ...

    def level_variants(self, code: str) -> list[Entry]: ...

    def record_unanswered(
        self, *, kind: str, query: str, normalized: str, user_id: int | None = None
    ) -> None: ...

    def follow_up(self, text: str) -> Aspect | None: ...

    def journey_from(self, code: str) -> str | None: ...

    def pick(self, query: str, text: str) -> str | None: ...


class DossierAvailability(Protocol):
    def available(self) -> bool: ...


class SearchServices(Protocol):
    """The services a question touches; the application's container is one."""

    @property
    def catalog(self) -> CatalogReader: ...

    @property
    def dossiers(self) -> DossierAvailability: ...

    @property
    def users(self) -> Remembers: ...


@dataclass(frozen=True)
class Card:
    """A procedure to show, opened at `aspect` when the question asked about one section."""

    procedure: Procedure
    variants: list[Entry]
    aspect: Aspect | None
    dossiers: bool  # statuses are published: offer dossier lookup under the card
    journey: str | None = None  # the life event this procedure starts (its card offers it)


@dataclass(frozen=True)
class Answered:
    """What to show for a message, and what the citizen's next message may answer.

    `answer` is None when the message was about the card or list on screen (a follow-up
    "còn lệ phí thì sao?", a pick "cái thứ 2"): `card` says what to show.
    """

    answer: Answer | None
    card: Card | None
    next: Conversation | None


def answer_question(
    services: SearchServices,
    user_id: int,
    text: str,
    previous: Conversation | None,
    *,
    now: datetime,
    context: timedelta,
) -> Answered:
    """Answer a message in its conversation: about the card on screen, or a new question.

    A message that only names a section ("mất bao lâu vậy") is about the card seen within
    `context`; one that picks from the list on screen ("cái thứ 2") opens that card.
    Otherwise it is a question; nothing matched, or a list before left unused, is logged.
    """
    catalog = services.catalog
    on_screen = _on_screen(previous, now, context)
    if on_screen is not None and (aspect := catalog.follow_up(text)) is not None:
        return _opened(services, user_id, on_screen, aspect, previous, now)
    if isinstance(previous, Results) and (chosen := catalog.pick(previous.query, text)):
        aspect = Aspect(previous.aspect) if previous.aspect in set(Aspect) else None
        return _opened(services, user_id, chosen, aspect, previous, now)
    answer = catalog.answer(text)
    if answer.kind is AnswerKind.CHAT:  # small talk: answered, never logged, nothing forgotten
        return Answered(answer, None, previous)
    if isinstance(previous, Results) and previous.picked is None:
        catalog.record_unanswered(
            kind="abandoned", query=previous.query, normalized=previous.normalized, user_id=user_id
        )
    result = answer.result
    best = answer.shown[0] if answer.shown else None
    if answer.kind is AnswerKind.CARD and best is not None:
        card = open_card(services, best.code, answer.aspect)
        viewing = viewed(None, best.code, now)
        services.users.remember(user_id, viewing)
        return Answered(answer, card, viewing)
    if answer.topic is not None:  # a court, a hospital: told so, not logged as a gap
        services.users.remember(user_id, None)
        return Answered(answer, None, None)
    if answer.kind is AnswerKind.NONE:
        catalog.record_unanswered(
            kind="none", query=result.query, normalized=result.normalized, user_id=user_id
        )
        services.users.remember(user_id, None)
        return Answered(answer, None, None)
    aspect_value = answer.aspect.value if answer.aspect else None
    listing = Results(result.query[:500], result.normalized, aspect_value)
    services.users.remember(user_id, listing)
    return Answered(answer, None, listing)


def viewed(
    previous: Conversation | None, code: str, now: datetime, *, from_results: bool = False
) -> Conversation | None:
    """The conversation once a card is on screen; None when it must stay as it is.

    A card opened from the result list keeps the list (its way back, "cái thứ 2"); a
    pending question (a rating, a complaint) is not interrupted by a card.
    """
    if from_results and isinstance(previous, Results):
        return replace(previous, picked=code, seen=now.isoformat())
    if previous is None or isinstance(previous, Results | Viewing):
        return Viewing(code, now.isoformat())
    return None


def _on_screen(previous: Conversation | None, now: datetime, context: timedelta) -> str | None:
    """The procedure whose card the citizen is looking at, if it is recent enough."""
    match previous:
        case Results(picked=str(code), seen=str(at)) | Viewing(code=code, at=at):
            pass
        case _:
            return None
    try:
        seen = datetime.fromisoformat(at)
    except ValueError:
        return None
    return code if timedelta(0) <= now - seen <= context else None


def _opened(
    services: SearchServices,
    user_id: int,
    code: str,
    aspect: Aspect | None,
    previous: Conversation | None,
    now: datetime,
) -> Answered:
    """The card (or section) of a procedure chosen in the conversation, remembered as on screen."""
    card = open_card(services, code, aspect)
    state = viewed(previous, code, now, from_results=True) if card is not None else None
    services.users.remember(user_id, state)
    return Answered(None, card, state)


def open_card(services: SearchServices, code: str, aspect: Aspect | None = None) -> Card | None:
    """A procedure with what its card shows (None: the code is not, or no longer, there)."""
    procedure = services.catalog.get(code)
    if procedure is None:
        return None
    if aspect is not None:
        return Card(procedure, [], aspect, dossiers=False)
    variants = services.catalog.level_variants(code)
    available = services.dossiers.available()
    return Card(procedure, variants, None, available, services.catalog.journey_from(code))

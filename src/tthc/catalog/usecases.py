"""Answering a citizen's question, as one unit of work.

The use case decides; the Telegram adapter renders. It calls the services directly,
typed by the few methods it uses (`SearchServices`), so a unit test can hand it
in-memory fakes and run in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tthc.catalog.answering import Answer, AnswerKind
from tthc.catalog.models import Procedure
from tthc.catalog.question import Aspect
from tthc.catalog.search import Entry
from tthc.users.conversation import Conversation, Remembers, Results


class CatalogReader(Protocol):
    """The catalogue service as answering a question uses it."""

    def answer(self, text: str) -> Answer: ...

    def get(self, code: str) -> Procedure | None: ...

    def level_variants(self, code: str) -> list[Entry]: ...

    def record_unanswered(
        self, *, kind: str, query: str, normalized: str, user_id: int | None = None
    ) -> None: ...


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


@dataclass(frozen=True)
class Answered:
    """What to show for a question, and what the citizen's next message may answer."""

    answer: Answer
    card: Card | None
    next: Conversation | None


def answer_question(
    services: SearchServices, user_id: int, text: str, previous: Conversation | None
) -> Answered:
    """Answer a question; log it when nothing matched, or when the list before went unused."""
    catalog = services.catalog
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
        services.users.remember(user_id, None)
        return Answered(answer, card, None)
    if answer.kind is AnswerKind.NONE:
        catalog.record_unanswered(
            kind="none", query=result.query, normalized=result.normalized, user_id=user_id
        )
        services.users.remember(user_id, None)
        return Answered(answer, None, None)
    aspect = answer.aspect.value if answer.aspect else None
    listing = Results(result.query[:500], result.normalized, aspect)
    services.users.remember(user_id, listing)
    return Answered(answer, None, listing)


def open_card(services: SearchServices, code: str, aspect: Aspect | None = None) -> Card | None:
    """A procedure with what its card shows (None: the code is not, or no longer, there)."""
    procedure = services.catalog.get(code)
    if procedure is None:
        return None
    variants = [] if aspect is not None else services.catalog.level_variants(code)
    available = False if aspect is not None else services.dossiers.available()
    return Card(procedure, variants, aspect, available)

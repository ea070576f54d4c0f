"""Answering a citizen's question, as one unit of work.

The use case decides; the Telegram adapter renders. Everything it needs from storage is
in `SearchWork`, so a unit test can hand it an in-memory fake and run in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tthc.catalog.answering import Answer, AnswerKind
from tthc.catalog.models import Procedure
from tthc.catalog.question import Aspect
from tthc.catalog.search import Entry
from tthc.users.conversation import Conversation, Results


class SearchWork(Protocol):
    """What answering a question reads and writes, within one unit of work."""

    def answer(self, text: str) -> Answer: ...

    def procedure(self, code: str) -> Procedure | None: ...

    def level_variants(self, code: str) -> list[Entry]: ...

    def dossiers_available(self) -> bool: ...

    def record_unanswered(self, *, kind: str, query: str, normalized: str) -> None: ...

    def remember(self, conversation: Conversation | None) -> None: ...


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


def answer_question(work: SearchWork, text: str, previous: Conversation | None) -> Answered:
    """Answer a question; log it when nothing matched, or when the list before went unused."""
    if isinstance(previous, Results) and previous.picked is None:
        work.record_unanswered(
            kind="abandoned", query=previous.query, normalized=previous.normalized
        )
    answer = work.answer(text)
    result = answer.result
    best = answer.shown[0] if answer.shown else None
    if answer.kind is AnswerKind.CARD and best is not None:
        card = open_card(work, best.code, answer.aspect)
        work.remember(None)
        return Answered(answer, card, None)
    if answer.kind is AnswerKind.NONE:
        work.record_unanswered(kind="none", query=result.query, normalized=result.normalized)
        work.remember(None)
        return Answered(answer, None, None)
    aspect = answer.aspect.value if answer.aspect else None
    listing = Results(result.query[:500], result.normalized, aspect)
    work.remember(listing)
    return Answered(answer, None, listing)


def open_card(work: SearchWork, code: str, aspect: Aspect | None = None) -> Card | None:
    """A procedure with what its card shows (None: the code is not, or no longer, there)."""
    procedure = work.procedure(code)
    if procedure is None:
        return None
    variants = [] if aspect is not None else work.level_variants(code)
    available = False if aspect is not None else work.dossiers_available()
    return Card(procedure, variants, aspect, available)

"""The questions nobody answered, as staff work through them.

A question is every logged ask with the same normalised form (the words that name the
service, without framing, diacritics or typos), whether it found nothing or its list
was left unused. Staff map it to a procedure (it becomes an alias: that question and its
close variants then lead straight to the card) or set it aside as not a procedure
question. Mapping also answers the citizens who asked it recently, once each, through the
notification outbox.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from tthc.catalog import repository
from tthc.catalog.models import UnansweredQuery
from tthc.catalog.search import Hit
from tthc.catalog.service import CatalogService, UnknownProcedure
from tthc.core.clock import utcnow
from tthc.core.database import Database
from tthc.core.outbox import Outbox
from tthc.core.redaction import readable_question, redact
from tthc.users.service import UserService

ANSWER = "answer"  # the outbox kind of a follow-up
ALIAS_LENGTH = 255


@dataclass(frozen=True)
class Question:
    """One normalised question with how often, how and when it went unanswered."""

    id: int  # the oldest row of the group: stable while the group is open
    normalized: str
    query: str  # the latest wording a citizen used
    none: int
    abandoned: int
    first_seen: datetime
    last_seen: datetime

    @property
    def count(self) -> int:
        return self.none + self.abandoned


@dataclass(frozen=True)
class InboxPage:
    questions: list[Question]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Mapped:
    """A question now answered by a procedure, and how many citizens will be told."""

    code: str
    name: str
    question: str
    followups: int


class TakesOver(Exception):
    """The question already opens another procedure's card with confidence."""

    def __init__(self, code: str, current: str, name: str) -> None:
        super().__init__(f"the question opens {current} now")
        self.code = code
        self.current = current
        self.name = name


class UnansweredInbox:
    """Open unanswered questions: list, map to a procedure, set aside."""

    def __init__(
        self,
        db: Database,
        catalog: CatalogService,
        users: UserService,
        outbox: Outbox,
        *,
        followup_days: int = 14,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.users = users
        self.outbox = outbox
        self.followup_days = followup_days

    def page(self, page: int = 0, *, size: int = 5) -> InboxPage:
        """Open questions, most asked first (then most recent); a page past the end is the last."""
        with self.db.session() as session:
            questions = _group(repository.open_unanswered(session=session))
        # Only a code, a number or masked data: nothing staff could map (logged by an
        # older version, or typed as a question).
        questions = [q for q in questions if readable_question(q.query) is not None]
        pages = max(1, -(-len(questions) // size))
        page = min(max(page, 0), pages - 1)
        return InboxPage(questions[page * size : (page + 1) * size], page, pages, len(questions))

    def question(self, question_id: int) -> Question | None:
        """One open question by its id (None once it was mapped or set aside)."""
        with self.db.session() as session:
            row = session.get(UnansweredQuery, question_id)
            if row is None or row.status != "open":
                return None
            rows = repository.open_unanswered(session=session, normalized=row.normalized)
        grouped = _group(rows)
        return grouped[0] if grouped else None

    def candidates(self, text: str, limit: int = 3) -> list[Hit]:
        """The procedures the search ranks first for a question (staff choose among them)."""
        return list(self.catalog.index().search(text, limit=limit).hits[:limit])

    def map(
        self,
        code: str,
        *,
        actor: str,
        question_id: int | None = None,
        text: str | None = None,
        now: datetime | None = None,
        confirmed: bool = False,
    ) -> Mapped | None:
        """Answer a question (an inbox entry, or a question typed by staff) with a procedure.

        Returns None when the inbox entry is no longer open; raises UnknownProcedure, and
        TakesOver (unless `confirmed`) when the question already opens another procedure's
        card: an alias then redirects everyone who asks it. The same alias on another
        procedure moves here (mapping a hijacked question back repairs it).
        """
        now = now or utcnow()
        with self.db.atomic(), self.db.session() as session:
            procedure = repository.get_procedure(session=session, code=code)
            if procedure is None:
                raise UnknownProcedure(code)
            if question_id is not None:
                question = self.question(question_id)
                if question is None:
                    return None
                wording, key = question.query, question.normalized
            else:
                readable = readable_question(text or "")
                if readable is None:
                    raise ValueError("the question has no words")
                wording = readable
                key = self.catalog.question_key(wording)
            alias = wording if len(wording) <= ALIAS_LENGTH else key[:ALIAS_LENGTH]
            aliased = self.catalog.codes_with_alias(alias)
            if not confirmed:
                current = self.catalog.sure_card(wording)
                others = current is not None and current.code not in self.catalog.same_procedure(
                    code
                )
                # Opened through this very alias: mapping moves it (repairs a hijack), asks nothing.
                if current is not None and others and current.code not in aliased:
                    raise TakesOver(code, current.code, current.name)
            for other in aliased:
                if other != code:
                    self.catalog.edit_aliases(other, remove=[alias], actor=actor)
            self.catalog.edit_aliases(
                code, add=[alias], actor=actor, action="map_question", note=wording
            )
            repository.resolve_unanswered(
                session=session, normalized=key, status="mapped", code=code, actor=actor, at=now
            )
            followups = self._follow_up(key, code, procedure.name, now)
            return Mapped(code, procedure.name, wording, followups)

    def unmap(self, code: str, text: str, *, actor: str) -> bool:
        """Stop a question leading to a procedure; False when it had no such alias."""
        alias = readable_question(text) or text
        before = self.catalog.aliases(code)
        after = self.catalog.edit_aliases(
            code, remove=[alias, self.catalog.question_key(alias)], actor=actor, action="unmap"
        )
        return len(after) < len(before)

    def set_aside(self, question_id: int, *, actor: str, now: datetime | None = None) -> bool:
        """Mark a question as not about a procedure; False when it is no longer open."""
        now = now or utcnow()
        with self.db.atomic(), self.db.session() as session:
            question = self.question(question_id)
            if question is None:
                return False
            repository.resolve_unanswered(
                session=session,
                normalized=question.normalized,
                status="out_of_scope",
                code=None,
                actor=actor,
                at=now,
            )
            self.catalog.audit(actor, "out_of_scope", {"question": question.query})
            return True

    def _follow_up(self, key: str, code: str, name: str, now: datetime) -> int:
        """Queue one message to each citizen who asked this lately.

        Never twice to one citizen for one question, never to someone who blocked the bot.
        """
        since = now - timedelta(days=self.followup_days)
        with self.db.session() as session:
            asks = repository.asks_since(session=session, normalized=key, since=since)
        blocked = self.users.blocked({user_id for user_id, _ in asks})
        dedupe = "ask:" + hashlib.sha256(key.encode()).hexdigest()[:40]
        queued = 0
        for user_id, query in asks:
            if user_id in blocked:
                continue
            payload = {"query": query, "code": code, "name": name}
            queued += self.outbox.enqueue(
                user_id=user_id, kind=ANSWER, payload=payload, dedupe=dedupe
            )
        return queued


def _group(rows: list[UnansweredQuery]) -> list[Question]:
    """Rows of both kinds with the same normalised form are one question."""
    groups: dict[str, list[UnansweredQuery]] = {}
    for row in rows:
        groups.setdefault(row.normalized, []).append(row)
    questions = []
    for normalized, members in groups.items():
        latest = max(members, key=lambda r: r.last_seen)
        questions.append(
            Question(
                id=min(r.id or 0 for r in members),
                normalized=normalized,
                query=redact(latest.query),  # stored redacted; older rows by an older rule
                none=sum(r.count for r in members if r.kind == "none"),
                abandoned=sum(r.count for r in members if r.kind == "abandoned"),
                first_seen=min(r.first_seen for r in members),
                last_seen=latest.last_seen,
            )
        )
    questions.sort(key=lambda q: (-q.count, -q.last_seen.timestamp()))
    return questions

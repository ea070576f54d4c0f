"""Catalogue service: the search index kept in step with the database, and procedure lookup.

The index lives in process memory only as a cache: the database's catalogue version is
checked (at most every `refresh_seconds`) so every bot instance picks up an import made
by any other process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from tthc.catalog import browse, repository
from tthc.catalog.answering import Answer, Answerer, AnswerKind, picked
from tthc.catalog.browse import Facet, FacetKind
from tthc.catalog.bundled import (
    bundled_catalog,
    bundled_english,
    bundled_intents,
    bundled_phrasing,
    bundled_synonyms,
    bundled_topics,
)
from tthc.catalog.exporter import procedure_to_record
from tthc.catalog.importer import CatalogDiff, apply_import, compute_diff
from tthc.catalog.models import Procedure, UnansweredQuery
from tthc.catalog.question import Aspect, follow_up
from tthc.catalog.records import ParsedFile
from tthc.catalog.search import Entry, Hit, SearchIndex
from tthc.catalog.topics import Topic
from tthc.catalog.versions import (
    STORED_FIELDS,
    Undoable,
    Undone,
    field_changes,
    snapshot,
    undo_last,
    undoable,
)
from tthc.core.database import Database
from tthc.core.lru import LRU
from tthc.core.redaction import readable_question, redact
from tthc.core.text import fold, nfc

log = logging.getLogger(__name__)
ANSWER_CACHE = 4096  # distinct questions remembered per catalogue version


class UnknownProcedure(LookupError):
    """No procedure has this code."""


class ReplaceRefused(ValueError):
    """A file too small (or empty) to replace the catalogue was asked to remove the rest."""

    def __init__(self, records: int, catalogue: int) -> None:
        super().__init__(
            f"the file has {records} procedure(s) and the catalogue {catalogue}: too few to "
            "replace it (nothing was removed)"
        )
        self.records = records
        self.catalogue = catalogue


@dataclass(frozen=True)
class CatalogInfo:
    """What the bot can say about the catalogue it answers from."""

    version: int
    updated_at: datetime
    procedures: int


class CatalogService:
    """Search and lookup over the stored catalogue."""

    def __init__(
        self, db: Database, *, refresh_seconds: float = 15.0, replace_min_share: float = 0.5
    ) -> None:
        self.db = db
        self.refresh_seconds = refresh_seconds
        self.replace_min_share = replace_min_share
        self._index: SearchIndex | None = None
        # Citizens ask the same things in the same words ("làm lại căn cước"): answers
        # are kept per index (an index never changes; a new one starts an empty cache).
        self._answers: LRU[tuple[str, int], Answer] = LRU(ANSWER_CACHE)
        self._version = -1
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._rebuild: threading.Thread | None = None

    def ensure_seeded(self, *, actor: str = "system") -> CatalogDiff | None:
        """Load the bundled national catalogue into an empty database."""
        with self.db.session() as session:
            if repository.count_procedures(session=session) > 0:
                return None
        log.info("catalogue is empty: loading the bundled catalogue")
        return apply_import(
            self.db, bundled_catalog(), actor=actor, source="bundled catalogue", undoable=False
        )

    def preview_import(self, parsed: ParsedFile, *, prune: bool) -> CatalogDiff:
        """What importing `parsed` would change (nothing is written)."""
        with self.db.session() as session:
            return compute_diff(session, parsed, prune=prune)

    def import_file(
        self,
        parsed: ParsedFile,
        *,
        actor: str,
        source: str,
        prune: bool = False,
        expected_version: int | None = None,
    ) -> CatalogDiff:
        """Apply a validated file: every procedure changes, or none does (see apply_import).

        Removing what the file lacks needs a file that could replace the catalogue (see
        `can_replace`): a commune's four procedures must not delete the other 2,830.
        """
        if not parsed.records:
            raise ReplaceRefused(0, self.count())
        if prune and not self.can_replace(parsed):
            raise ReplaceRefused(len(parsed.records), self.count())
        diff = apply_import(
            self.db,
            parsed,
            actor=actor,
            source=source,
            prune=prune,
            expected_version=expected_version,
        )
        self._checked_at = 0.0  # this instance serves the change at once, others within refresh
        return diff

    def changes_of(self, parsed: ParsedFile, codes: Iterable[str]) -> dict[str, Any]:
        """Per code: the old → new values (citizen-visible fields) and the card after the file.

        The card record is the stored procedure with the file's fields applied (a sheet may
        carry only some columns), as JSON.
        """
        out: dict[str, Any] = {}
        with self.db.session() as session:
            aliases = repository.aliases_by_code(session=session)
            for code in codes:
                record = parsed.records[code]
                procedure = repository.get_procedure(session=session, code=code)
                old = snapshot(procedure, aliases.get(code, [])) if procedure else {}
                after = {**old, **{k: v for k, v in record.items() if k in STORED_FIELDS}}
                if isinstance(after.get("effective_date"), date):
                    after["effective_date"] = after["effective_date"].isoformat()
                out[code] = {"fields": field_changes(old, record), "card": after}
        return out

    def name_of(self, code: str) -> str | None:
        """A procedure's name, if the catalogue has it (reports name what they rank)."""
        index = self.index()
        return index.hit(code).name if index.has(code) else None

    def names(self, codes: Iterable[str]) -> dict[str, str]:
        """The names of procedures in the catalogue, by code."""
        index = self.index()
        return {code: index.hit(code).name for code in codes if index.has(code)}

    def can_replace(self, parsed: ParsedFile) -> bool:
        """Whether a file is large enough to replace the catalogue (and remove what it lacks)."""
        return len(parsed.records) >= self.replace_min_share * self.count()

    def count(self) -> int:
        """How many procedures the catalogue holds."""
        with self.db.session() as session:
            return repository.count_procedures(session=session)

    def undoable(self) -> Undoable | None:
        """The latest applied file, which `undo` would revert."""
        return undoable(self.db)

    def undo(self, *, actor: str, change_id: int | None = None) -> Undone | None:
        """Put back the catalogue as it was before the latest applied file (None: nothing to)."""
        undone = undo_last(self.db, actor=actor, change_id=change_id)
        self._checked_at = 0.0
        return undone

    def export_records(self) -> list[dict[str, Any]]:
        """Every procedure as an import record (an export re-imports with no changes)."""
        with self.db.session() as session:
            aliases = repository.aliases_by_code(session=session)
            return [
                procedure_to_record(p, [redact(a) for a in aliases.get(p.code, [])])
                for p in repository.all_procedures(session=session)
            ]

    @property
    def loaded(self) -> bool:
        """Whether the search index has been built (an instance is ready to answer)."""
        return self._index is not None

    def index(self) -> SearchIndex:
        """The current search index; a newer stored catalogue is indexed beside the chat.

        The first index is built here (there is nothing to answer from before it). After
        that, a catalogue version change starts a rebuild in a background thread and the
        old index keeps answering until the new one is swapped in whole: a citizen's
        question never waits seconds for an index, and on SQLite nobody else waits either.
        """
        now = time.monotonic()
        current = self._index
        if current is not None and now - self._checked_at < self.refresh_seconds:
            return current
        if current is None and (warming := self._rebuild) is not None:
            warming.join()  # the start-up build is under way: wait for it, not a second one
        with self._lock:
            self._checked_at = now
            if self._index is None:
                with self.db.session() as session:
                    version = repository.get_state(session=session).version
                    self._install(self._build(session), version)
            elif self._stored_version() != self._version:
                self._start_rebuild()
            index = self._index
        assert index is not None
        return index

    def warm(self) -> None:
        """Build the first index beside start-up, so the first citizen does not wait for it."""
        with self._lock:
            if self._index is None:
                self._start_rebuild()

    def wait_for_index(self, timeout: float | None = None) -> SearchIndex:
        """The index once a rebuild under way has finished (the CLI, tests, health checks)."""
        self._checked_at = 0.0
        self.index()
        rebuild = self._rebuild
        if rebuild is not None:
            rebuild.join(timeout)
        return self.index()

    def close(self, timeout: float = 30.0) -> None:
        """Let a rebuild under way finish before the database connections are released."""
        rebuild = self._rebuild
        if rebuild is not None:
            rebuild.join(timeout)

    def _stored_version(self) -> int:
        with self.db.session() as session:
            return repository.get_state(session=session).version

    def _start_rebuild(self) -> None:
        """One rebuild at a time (called under the lock)."""
        if self._rebuild is not None and self._rebuild.is_alive():
            return
        self._rebuild = threading.Thread(target=self._rebuild_now, name="index", daemon=True)
        self._rebuild.start()

    def _rebuild_now(self) -> None:
        try:
            with self.db.session(independent=True) as session:
                version = repository.get_state(session=session).version
                index = self._build(session)
            with self._lock:
                if self._index is None or version != self._version:
                    self._install(index, version)
        except Exception:  # the old index keeps answering; the next check tries again
            log.exception("search index rebuild failed")
            self._checked_at = 0.0

    def _install(self, index: SearchIndex, version: int) -> None:
        """Swap in a new index with an empty answer cache (called under the lock)."""
        self._index = index
        self._answers = LRU(ANSWER_CACHE)
        self._version = version

    def _build(self, session: Session) -> SearchIndex:
        started = time.perf_counter()
        rows = repository.index_rows(session=session)
        aliases = repository.aliases_by_code(session=session)
        synonyms = bundled_synonyms()
        for term, expansion in repository.synonym_overrides(session=session).items():
            synonyms[term] = expansion
        index = SearchIndex(
            (
                Entry(code, name, field, tuple(levels), agency, tuple(aliases.get(code, ())))
                for code, name, field, levels, agency in rows
            ),
            synonyms,
            phrasing=bundled_phrasing(),
            intents=bundled_intents(),
            english=bundled_english(),
        )
        log.info(
            "search index built",
            extra={"procedures": len(index), "ms": round((time.perf_counter() - started) * 1000)},
        )
        return index

    def answer(self, text: str, limit: int = 5) -> Answer:
        """What the chat answers to a citizen's text: a card, a choice, a list or not found."""
        index, answers, key = self.index(), self._answers, (text, limit)
        if (cached := answers.get(key)) is not None:
            return cached
        answer = Answerer(index, bundled_topics()).answer(text, limit)
        if index is self._index:  # not rebuilt meanwhile by another thread
            answers.put(key, answer)
        return answer

    def journey_from(self, code: str) -> str | None:
        """The life event whose journey starts with this procedure ("birth" for khai sinh)."""
        journey = bundled_topics().journey_from(code)
        return journey.name if journey is not None else None

    def journey(self, event: str) -> tuple[Topic, list[Hit]] | None:
        """A life event and its procedures still in the catalogue, in order."""
        journey = bundled_topics().journey(event)
        if journey is None:
            return None
        index = self.index()
        return journey, [index.hit(code) for code in journey.codes if index.has(code)]

    def follow_up(self, text: str) -> Aspect | None:
        """The card section a follow-up message asks about ("còn lệ phí thì sao?"), if it is one."""
        return follow_up(self.index().phrasing, text)

    def pick(self, query: str, text: str) -> str | None:
        """The procedure a message chooses from the reply `query` got ("cái thứ 2"), if any."""
        return picked(self.answer(query), text)

    def get(self, code: str) -> Procedure | None:
        """One procedure with everything a card shows."""
        with self.db.session() as session:
            return repository.get_procedure(session=session, code=code)

    def level_variants(self, code: str) -> list[Entry]:
        """The same procedure handled at other levels."""
        return self.index().level_variants(code)

    def record_unanswered(
        self, *, kind: str, query: str, normalized: str, user_id: int | None = None
    ) -> None:
        """Log a question the catalogue did not answer ("none"), or a list left unused ("abandoned").

        Phone, ID and account numbers and e-mail addresses are removed first: staff read
        this log, and citizens type their numbers into the chat. Who asked is kept apart
        (and purged on the same schedule), so staff's answer can reach them.
        """
        readable = readable_question(query)
        if readable is None:  # only a number, a code or masked data: nothing to answer
            return
        query = readable[:2000]
        normalized = _key(query, normalized)
        with self.db.session() as session:
            repository.record_unanswered(
                session=session, kind=kind, normalized=normalized, query=query
            )
            if user_id is not None:
                repository.record_ask(
                    session=session, user_id=user_id, normalized=normalized, query=query
                )

    def question_key(self, text: str) -> str:
        """The form an unanswered question is grouped under (as `record_unanswered` stores it)."""
        return _key(redact(text), " ".join(self.index().understand(text).tokens))

    def facets(self, kind: FacetKind) -> list[Facet]:
        """Fields, agencies or levels with their procedure counts."""
        return browse.facets(self.index().entries(), kind)

    def facet_members(self, kind: FacetKind, id_: str) -> tuple[str, list[Entry]] | None:
        """One facet's name and procedures; None when the id no longer matches anything."""
        return browse.members(self.index().entries(), kind, id_)

    # -- staff edits: each one is audited and bumps the version so every instance reloads --

    def sure_card(self, text: str) -> Hit | None:
        """The procedure whose card a question opens straight away, if it opens one."""
        answer = self.answer(text)
        return answer.shown[0] if answer.kind is AnswerKind.CARD and answer.shown else None

    def same_procedure(self, code: str) -> set[str]:
        """The code and the same procedure's codes at other levels."""
        return {code, *(e.code for e in self.index().level_variants(code))}

    def codes_with_alias(self, alias: str) -> list[str]:
        """The procedures that have this alias (compared without case or diacritics)."""
        wanted = fold(alias)
        with self.db.session() as session:
            return [
                code
                for code, aliases in repository.aliases_by_code(session=session).items()
                if any(fold(a) == wanted for a in aliases)
            ]

    def aliases(self, code: str) -> list[str]:
        """The staff aliases of one procedure."""
        with self.db.session() as session:
            if repository.get_procedure(session=session, code=code) is None:
                raise UnknownProcedure(code)
            return repository.aliases_by_code(session=session).get(code, [])

    def edit_aliases(
        self,
        code: str,
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        actor: str,
        action: str = "aliases",
        note: str | None = None,
    ) -> list[str]:
        """Add and remove aliases of a procedure; returns the new list.

        `action` and `note` say in the audit journal why (staff answering a citizen's
        question records "map_question" and the question).
        """
        add_clean = [nfc(a) for a in add if nfc(a)]
        remove_folded = {fold(r) for r in remove}
        with self.db.session() as session:
            if repository.get_procedure(session=session, code=code) is None:
                raise UnknownProcedure(code)
            current = repository.aliases_by_code(session=session).get(code, [])
            new = [a for a in current if fold(a) not in remove_folded]
            for alias in add_clean:
                if fold(alias) not in {fold(a) for a in new}:
                    new.append(alias)
            if new != current:
                repository.replace_aliases(session=session, code=code, aliases=new, actor=actor)
                details: dict[str, Any] = {"code": code, "aliases": new}
                if note:
                    details["question"] = note
                self._changed(session, actor, action, details)
            return sorted(new)

    def synonyms(self) -> list[tuple[str, str, str]]:
        """(term, replacement, origin) for every rule in effect; origin is "bundled" or "staff"."""
        with self.db.session() as session:
            staff = repository.synonym_overrides(session=session)
        rules = {term: (exp, "bundled") for term, exp in bundled_synonyms().items()}
        rules.update({term: (exp, "staff") for term, exp in staff.items()})
        return sorted((term, exp, origin) for term, (exp, origin) in rules.items())

    def set_synonym(self, term: str, expansion: str, *, actor: str) -> None:
        """Add or override a rule; an empty replacement makes the phrase a filler word."""
        term, expansion = nfc(term).lower(), nfc(expansion)
        if not fold(term):
            raise ValueError("the phrase has no letters or digits")
        with self.db.session() as session:
            repository.set_synonym(session=session, term=term, expansion=expansion)
            self._changed(session, actor, "synonym", {"term": term, "expansion": expansion})

    def remove_synonym(self, term: str, *, actor: str) -> bool:
        """Remove a staff rule; the bundled rule for the phrase, if any, applies again."""
        term = nfc(term).lower()
        with self.db.session() as session:
            removed = repository.delete_synonym(session=session, term=term)
            if removed:
                self._changed(session, actor, "synonym", {"term": term, "removed": True})
            return removed

    def unanswered(self, *, kind: str | None = None, limit: int = 50) -> list[UnansweredQuery]:
        """What citizens asked that the catalogue did not answer, most frequent first."""
        with self.db.session() as session:
            rows = repository.unanswered(session=session, kind=kind, limit=limit)
            for row in rows:
                session.expunge(row)
            return rows

    def audit(self, actor: str, action: str, details: dict[str, Any]) -> None:
        """Record a staff decision about the catalogue that changes no procedure."""
        with self.db.session() as session:
            repository.add_audit(session=session, actor=actor, action=action, details=details)

    def _changed(self, session: Session, actor: str, action: str, details: dict[str, Any]) -> None:
        self._checked_at = 0.0  # this instance serves the change at once, others within refresh
        repository.bump_version(session=session)
        repository.add_audit(session=session, actor=actor, action=action, details=details)

    def info(self) -> CatalogInfo:
        """Version, last update and size of the stored catalogue."""
        with self.db.session() as session:
            state = repository.get_state(session=session)
            count = repository.count_procedures(session=session)
            return CatalogInfo(state.version, state.updated_at, count)

    def stats(self) -> tuple[Counter[str], Counter[str], int]:
        """Procedure counts per field and per level, and the total."""
        with self.db.session() as session:
            procedures = repository.all_procedures(session=session)
        fields = Counter(p.field or "(không có lĩnh vực)" for p in procedures)
        levels = Counter(level for p in procedures for level in p.levels)
        return fields, levels, len(procedures)


def _key(query: str, normalized: str) -> str:
    """Redacted normalised words, or the lower-cased text when no word was understood."""
    return (redact(normalized) or query.strip().lower())[:500]

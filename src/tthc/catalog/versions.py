"""Catalogue versions: what each applied file replaced, so it can be shown and undone.

A staff member's file can remove thousands of procedures or rewrite a fee. Every applied
file stores the old records (aliases included) of what it changed or removed and the
codes it added; undoing puts the catalogue back as it was, in one transaction, as a new
version (other instances reload it like any change). Undo walks back one file at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from tthc.catalog import repository
from tthc.catalog.models import CatalogChange, Procedure
from tthc.core.clock import utcnow
from tthc.core.database import Database

# Fields a citizen reads on a card, in the card's order (derived ones are not shown).
SHOWN_FIELDS = (
    "name", "field", "levels", "agency", "processing_time", "fees", "documents", "steps",
    "ways", "conditions", "result", "legal_basis", "effective_date", "source_url", "aliases",
)  # fmt: skip
STORED_FIELDS = tuple(
    name
    for name in Procedure.model_fields
    if name not in {"id", "code", "created_at", "updated_at"}
)
SHOWN_CHARS = 300  # of an old or new value kept for the journal
KEPT_UNDOABLE = 20  # applied files that can still be undone; older ones keep their journal
EXPIRED = "expired"  # `undone_by` of a change too old to undo


def snapshot(procedure: Procedure, aliases: list[str]) -> dict[str, Any]:
    """A stored procedure as JSON, with its aliases: enough to put it back."""
    record: dict[str, Any] = {key: getattr(procedure, key) for key in STORED_FIELDS}
    if isinstance(record["effective_date"], date):
        record["effective_date"] = record["effective_date"].isoformat()
    record["aliases"] = sorted(aliases)
    return record


def shown(value: Any) -> str:
    """A field's value as one short line for the journal and the preview."""
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, list):
        parts = [
            str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value
        ]  # documents and ways are objects with a name
        text = " · ".join(parts)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[str]]:
    """Per shown field that differs: [old, new] as short lines, from where they differ.

    A long fee text that changed in its middle shows the change, not the same opening.
    """
    out = {}
    for key in SHOWN_FIELDS:
        if key in new and old.get(key) != new[key]:
            before, after = shown(old.get(key)), shown(new[key])
            if before != after:
                out[key] = _from_difference(before, after)
    return out


def _from_difference(before: str, after: str, context: int = 20) -> list[str]:
    same = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    if same <= context + 10:
        return [before, after]
    start = same - context
    return ["…" + before[start:], "…" + after[start:]]


def record_change(
    session: Session,
    *,
    version: int,
    actor: str,
    source: str,
    added: list[str],
    before: dict[str, dict[str, Any]],
    changes: dict[str, dict[str, list[str]]],
) -> None:
    """Keep what an applied file replaced (inside the import's own transaction).

    Only the last KEPT_UNDOABLE files can be undone: older ones drop their old records
    (a whole catalogue each) and keep the field changes the journal shows.
    """
    session.add(
        CatalogChange(
            version=version,
            actor=actor[:100],
            source=source[:255],
            added=added,
            before=before,
            changes=changes,
        )
    )
    session.flush()
    old = session.exec(
        select(CatalogChange)
        .where(col(CatalogChange.undone_at).is_(None))
        .order_by(col(CatalogChange.id).desc())
        .offset(KEPT_UNDOABLE)
    ).all()
    for change in old:
        change.before, change.added = {}, []
        change.undone_at, change.undone_by = utcnow(), EXPIRED
        session.add(change)


@dataclass(frozen=True)
class Undoable:
    """The applied file `/hoantac` would undo, as staff are asked to confirm it."""

    id: int
    source: str
    actor: str
    at: datetime
    added: int
    restored: int


@dataclass(frozen=True)
class Undone:
    """What an undo put back: the file it reverted and the counts."""

    source: str
    at: str
    removed: int  # procedures the file had added
    restored: int  # procedures it had changed or removed, back as they were
    version: int


def last_change(session: Session) -> CatalogChange | None:
    """The latest applied file not undone yet."""
    return session.exec(
        select(CatalogChange)
        .where(col(CatalogChange.undone_at).is_(None))
        .order_by(col(CatalogChange.id).desc())
        .limit(1)
    ).first()


def undoable(db: Database) -> Undoable | None:
    """The latest applied file that can be undone, if any."""
    with db.session() as session:
        change = last_change(session)
        if change is None or change.id is None:
            return None
        return Undoable(
            change.id, change.source, change.actor, change.at, len(change.added), len(change.before)
        )


def undo_last(db: Database, *, actor: str, change_id: int | None = None) -> Undone | None:
    """Put the catalogue back as it was before the latest applied file.

    With `change_id` (the file staff confirmed), nothing happens unless it is still the
    latest: a file applied since, or an undo by someone else, is not undone by surprise.
    None: nothing (or not that) to undo.
    """
    with db.session() as session:
        repository.lock_catalog(session=session)
        change = last_change(session)
        if change is None or (change_id is not None and change.id != change_id):
            return None
        existing = {p.code: p for p in repository.all_procedures(session=session)}
        for code in change.added:
            if code in existing:
                session.delete(existing.pop(code))
        session.flush()
        now = utcnow()
        for code, record in change.before.items():
            values = {k: record[k] for k in STORED_FIELDS if k in record}
            if values.get("effective_date"):
                values["effective_date"] = date.fromisoformat(values["effective_date"])
            procedure = existing.get(code)
            if procedure is None:
                procedure = Procedure(code=code, **values)
            else:
                for key, value in values.items():
                    setattr(procedure, key, value)
            procedure.updated_at = now
            session.add(procedure)
        session.flush()
        for code, record in change.before.items():
            repository.replace_aliases(
                session=session, code=code, aliases=record.get("aliases", []), actor=actor
            )
        change.undone_at = now
        change.undone_by = actor[:100]
        session.add(change)
        state = repository.bump_version(session=session)
        repository.add_audit(
            session=session,
            actor=actor,
            action="undo",
            source=change.source,
            added=len(change.before),
            removed=len(change.added),
            details={"version": change.version, "at": change.at.isoformat()},
        )
        return Undone(
            change.source,
            change.at.isoformat(),
            len(change.added),
            len(change.before),
            state.version,
        )

"""Catalogue import: validate everything, show the difference, apply it atomically with audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from tthc.catalog import repository
from tthc.catalog.models import Procedure
from tthc.catalog.records import ParsedFile
from tthc.catalog.versions import STORED_FIELDS as PROCEDURE_FIELDS
from tthc.catalog.versions import field_changes, record_change, snapshot
from tthc.core.clock import utcnow
from tthc.core.database import Database

JOURNAL_SAMPLE = 10  # changed procedures whose old and new values the journal shows


class CatalogMoved(Exception):
    """The catalogue changed since the difference was shown: it must be looked at again."""

    def __init__(self, version: int) -> None:
        super().__init__(f"the catalogue is now at version {version}")
        self.version = version


@dataclass
class CatalogDiff:
    """What an import would change, field by field."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        """Whether applying would change nothing."""
        return not (self.added or self.changed or self.removed)

    def summary(self) -> dict[str, Any]:
        """Counts plus the affected codes, for the audit log and `--json` output."""
        return {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
        }


def compute_diff(session: Session, parsed: ParsedFile, *, prune: bool) -> CatalogDiff:
    """Compare parsed records with the stored catalogue."""
    existing = {p.code: p for p in repository.all_procedures(session=session)}
    aliases = repository.aliases_by_code(session=session)
    diff = CatalogDiff()
    for code, record in parsed.records.items():
        current = existing.get(code)
        if current is None:
            diff.added.append(code)
            continue
        fields = [
            key
            for key, value in record.items()
            if key in PROCEDURE_FIELDS and getattr(current, key) != value
        ]
        if "aliases" in record and sorted(aliases.get(code, [])) != record["aliases"]:
            fields.append("aliases")
        if fields:
            diff.changed[code] = fields
        else:
            diff.unchanged += 1
    if prune:
        diff.removed = sorted(set(existing) - set(parsed.records))
    return diff


def apply_import(
    db: Database,
    parsed: ParsedFile,
    *,
    actor: str,
    source: str,
    prune: bool = False,
    expected_version: int | None = None,
    undoable: bool = True,
) -> CatalogDiff:
    """Apply a validated file in one transaction: all procedures change, or none do.

    With `expected_version` (the version a preview was computed on), raises CatalogMoved
    instead of applying over a catalogue someone else has changed since. An `undoable`
    import keeps what it replaced (catalog/versions.py); the first seeding does not.
    """
    if parsed.problems:
        raise ValueError("refusing to import a file with validation problems")
    with db.session() as session:
        # Take the catalogue's write lock before reading it: a second import (another
        # process, another instance) waits here and then sees what the first one wrote.
        repository.lock_catalog(session=session)
        if expected_version is not None:
            version = repository.current_version(session=session)
            if version != expected_version:
                raise CatalogMoved(version)
        diff = compute_diff(session, parsed, prune=prune)
        if diff.is_empty:
            return diff
        existing = {p.code: p for p in repository.all_procedures(session=session)}
        aliases = repository.aliases_by_code(session=session)
        # What the file replaces, kept before it is written over: the journal and the undo.
        before = {
            code: snapshot(existing[code], aliases.get(code, []))
            for code in (*diff.changed, *diff.removed)
        }
        changes = {code: field_changes(before[code], parsed.records[code]) for code in diff.changed}
        now = utcnow()
        for code in diff.added:
            record = parsed.records[code]
            values = {k: v for k, v in record.items() if k in PROCEDURE_FIELDS}
            session.add(Procedure(code=code, **values))
        session.flush()
        for code, fields in diff.changed.items():
            procedure, record = existing[code], parsed.records[code]
            for key in fields:
                if key in PROCEDURE_FIELDS:
                    setattr(procedure, key, record[key])
            procedure.updated_at = now
            session.add(procedure)
        for code in (c for c in diff.added + list(diff.changed) if "aliases" in parsed.records[c]):
            repository.replace_aliases(
                session=session, code=code, aliases=parsed.records[code]["aliases"], actor=actor
            )
        for code in diff.removed:
            session.delete(existing[code])
        state = repository.bump_version(session=session)
        if undoable:
            record_change(
                session,
                version=state.version,
                actor=actor,
                source=source,
                added=list(diff.added),
                before=before,
                changes=changes,
            )
        repository.add_audit(
            session=session,
            actor=actor,
            action="import",
            source=source,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
            details={**diff.summary(), "fields": dict(list(changes.items())[:JOURNAL_SAMPLE])},
        )
    return diff

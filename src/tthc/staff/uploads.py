"""Catalogue and dossier files sent in the chat: validate, preview, apply on a press.

Nothing changes when a file arrives: it is read with the same importers as
`tthc catalog import` and `tthc dossier import`, and what applying it would change is
stored together with the file. ✅ Áp dụng applies exactly that, atomically, and only if the
catalogue has not moved on since the preview; otherwise the staff member sees the new
difference and decides again.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from tthc.catalog.importer import CatalogMoved
from tthc.catalog.records import CatalogFileError, ParsedFile, read_catalog_file
from tthc.catalog.service import CatalogService, ReplaceRefused
from tthc.core.clock import utcnow
from tthc.core.database import Database, detached
from tthc.core.spreadsheet import Problem
from tthc.dossiers.importer import DossierImportRejected, import_dossiers
from tthc.dossiers.records import DossierFileError, RowReader, read_rows
from tthc.staff import repository
from tthc.staff.models import KEPT_AFTER_EXPIRY, PendingUpload

log = logging.getLogger(__name__)
TTL = timedelta(minutes=30)
SAMPLE = 5  # procedures named in a preview, per kind of change
# A fee text with a reduction that applies on top of the amount ("bằng 50% mức thu…",
# "giảm … đến hết ngày 31/12/2026"): a changed amount changes what is reduced too.
_FEE_CLAUSE = re.compile(r"\d+\s*%|đến hết ngày|giảm", re.IGNORECASE)
CATALOG_ONLY = (".json", ".json.gz")
# Stored dossier fields whose absence from a file the preview names (kept as stored).
SHOWN_ABSENT = ("secret_hash", "agency", "level", "procedure_code", "applicant")
SPREADSHEETS = (".csv", ".xlsx", ".xlsm")
SUFFIXES = CATALOG_ONLY + SPREADSHEETS


class Kind(StrEnum):
    CATALOG = "catalog"
    DOSSIERS = "dossiers"


class Decision(StrEnum):
    APPLIED = "applied"
    CANCELLED = "cancelled"
    MOVED = "moved"  # the catalogue changed since the preview: here is the new one
    EXPIRED = "expired"
    GONE = "gone"  # unknown, someone else's, or already decided


class UploadRejected(Exception):
    """The file cannot be applied; nothing was stored."""

    def __init__(
        self, reason: str, detail: str = "", problems: list[Problem] | None = None, count: int = 0
    ) -> None:
        super().__init__(detail or reason)
        self.reason = reason  # "type" | "unreadable" | "problems" | "empty" | "small"
        self.detail = detail
        self.problems = problems or []
        self.count = count or len(self.problems)


@dataclass(frozen=True)
class Upload:
    """A stored upload as the chat shows it."""

    id: int
    kind: Kind
    filename: str
    preview: dict[str, Any]
    expires_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What a press on ✅ Áp dụng or ❌ Hủy did."""

    decision: Decision
    upload: Upload | None = None
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A file read and previewed, not stored yet."""

    kind: Kind
    filename: str
    content: bytes
    version: int | None
    preview: dict[str, Any]


def accepts(filename: str) -> bool:
    """Whether a file's name says it may be a catalogue or a dossier export."""
    return filename.lower().endswith(SUFFIXES)


class UploadService:
    """Pending uploads, stored so that any instance can apply them, even after a restart."""

    def __init__(
        self,
        db: Database,
        catalog: CatalogService,
        dossier_reader: Callable[[], RowReader],
        *,
        ttl: timedelta = TTL,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.dossier_reader = dossier_reader
        self.ttl = ttl

    def receive(
        self, *, user_id: int, filename: str, content: bytes, now: datetime | None = None
    ) -> Upload:
        """Validate a file and store it with its preview; raises UploadRejected."""
        return self.store(self.prepare(filename, content), user_id=user_id, now=now)

    def prepare(self, filename: str, content: bytes) -> Prepared:
        """Read and preview a file: reads only, each its own transaction.

        A 30,000-row export takes seconds; the caller lets other updates use the database
        meanwhile.
        """
        if not accepts(filename):
            raise UploadRejected("type")
        with detached(), _on_disk(filename, content) as path:
            kind = self._kind(path)
            if kind is Kind.CATALOG:
                parsed = _parse_catalog(path)
                version = self.catalog.info().version
                preview = self._catalog_preview(parsed)
            else:
                version = None
                preview = self._dossier_report(path, source=filename, actor="", dry_run=True)
        return Prepared(kind, filename, content, version, preview)

    def store(self, prepared: Prepared, *, user_id: int, now: datetime | None = None) -> Upload:
        """Keep a prepared file and its preview until it is applied, cancelled or expires."""
        now = now or utcnow()
        with self.db.session() as session:
            repository.purge_expired(session=session, before=now - KEPT_AFTER_EXPIRY)
            stored = repository.add(
                session=session,
                upload=PendingUpload(
                    user_id=user_id,
                    kind=prepared.kind.value,
                    filename=prepared.filename[:255],
                    content=prepared.content,
                    base_version=prepared.version,
                    preview=prepared.preview,
                    created_at=now,
                    expires_at=now + self.ttl,
                ),
            )
            return _view(stored)

    def apply(
        self,
        upload_id: int,
        *,
        user_id: int,
        actor: str,
        prune: bool = False,
        clear: bool = False,
        now: datetime | None = None,
    ) -> Outcome:
        """Apply an upload exactly as previewed: all of it or nothing.

        `prune` removes the procedures a catalogue file lacks (refused for a file too small
        to replace the catalogue); `clear` lets a dossier file empty stored check digits,
        agencies and levels (kept otherwise).
        """
        now = now or utcnow()
        # One transaction for the decision and the import it makes: both happen or neither.
        with self.db.atomic(), self.db.session() as session:
            upload = repository.get(session=session, upload_id=upload_id)
            if upload is None or upload.user_id != user_id or upload.status != "pending":
                return Outcome(Decision.GONE)
            if upload.expires_at <= now:
                repository.decide(
                    session=session, upload_id=upload_id, user_id=user_id, status="expired", at=now
                )
                return Outcome(Decision.EXPIRED)
            if not repository.decide(
                session=session, upload_id=upload_id, user_id=user_id, status="applied", at=now
            ):
                return Outcome(Decision.GONE)
            source = f"telegram: {upload.filename}"
            with _on_disk(upload.filename, upload.content) as path:
                if upload.kind == Kind.DOSSIERS:
                    summary = self._dossier_report(
                        path, source=source, actor=actor, dry_run=False, clear=clear
                    )
                else:
                    parsed = _parse_catalog(path)
                    try:
                        diff = self.catalog.import_file(
                            parsed,
                            actor=actor,
                            source=source,
                            prune=prune,
                            expected_version=upload.base_version,
                        )
                    except ReplaceRefused as refused:
                        raise UploadRejected("small", count=refused.catalogue) from None
                    except CatalogMoved as moved:
                        preview = self._catalog_preview(parsed)
                        repository.reopen(
                            session=session,
                            upload_id=upload_id,
                            base_version=moved.version,
                            preview=preview,
                            expires_at=now + self.ttl,
                        )
                        session.refresh(upload)
                        return Outcome(Decision.MOVED, _view(upload))
                    summary = {
                        "added": len(diff.added),
                        "changed": len(diff.changed),
                        "removed": len(diff.removed),
                    }
            repository.forget_content(session=session, upload_id=upload_id)
            return Outcome(Decision.APPLIED, _view(upload), summary)

    def pending(
        self, upload_id: int, *, user_id: int, now: datetime | None = None
    ) -> Upload | None:
        """One of the user's uploads still waiting for a decision (None: gone or expired)."""
        with self.db.session() as session:
            upload = repository.get(session=session, upload_id=upload_id)
            if upload is None or upload.user_id != user_id or upload.status != "pending":
                return None
            if upload.expires_at <= (now or utcnow()):
                return None
            return _view(upload)

    def cancel(self, upload_id: int, *, user_id: int, now: datetime | None = None) -> Outcome:
        """Forget an upload without applying it."""
        with self.db.session() as session:
            if not repository.decide(
                session=session,
                upload_id=upload_id,
                user_id=user_id,
                status="cancelled",
                at=now or utcnow(),
            ):
                return Outcome(Decision.GONE)
            repository.forget_content(session=session, upload_id=upload_id)
            return Outcome(Decision.CANCELLED)

    def _kind(self, path: Path) -> Kind:
        """JSON is a catalogue; a sheet with the dossier code and status columns is dossiers."""
        if path.name.lower().endswith(CATALOG_ONLY):
            return Kind.CATALOG
        try:
            self.dossier_reader().find_header(read_rows(path))
        except DossierFileError:
            return Kind.CATALOG
        except Exception as exc:  # openpyxl and csv raise many kinds for a broken file
            log.warning("file %s unreadable", path.name, exc_info=True)
            raise UploadRejected("unreadable", str(exc)) from None
        return Kind.DOSSIERS

    def _catalog_preview(self, parsed: ParsedFile) -> dict[str, Any]:
        """What applying would change, what citizens will see, and what pruning would remove.

        A file too small to replace the catalogue offers no removal at all.
        """
        diff = self.catalog.preview_import(parsed, prune=True)
        replaceable = self.catalog.can_replace(parsed)
        shown = [*list(diff.changed)[:SAMPLE], *diff.added[:1]]
        details = self.catalog.changes_of(parsed, shown)
        removed_names = self.catalog.names(diff.removed[:SAMPLE])

        def name(code: str) -> str:
            return str(parsed.records.get(code, {}).get("name", ""))[:200]

        changed = [
            [code, name(code), details[code]["fields"]] for code in list(diff.changed)[:SAMPLE]
        ]
        return {
            "records": len(parsed.records),
            "catalogue": self.catalog.count(),
            "min_share": round(self.catalog.replace_min_share * 100),
            "added": len(diff.added),
            "added_sample": [[code, name(code)] for code in diff.added[:SAMPLE]],
            "changed": len(diff.changed),
            "changed_sample": changed,
            "unchanged": diff.unchanged,
            "removable": len(diff.removed) if replaceable else 0,
            "not_in_file": len(diff.removed),
            "removable_sample": [[c, removed_names.get(c, "")] for c in diff.removed[:SAMPLE]],
            "card": details[shown[0]]["card"] | {"code": shown[0]} if shown else None,
            "fee_clauses": [
                [code, name(code)]
                for code, _, fields in changed
                if "fees" in fields and _FEE_CLAUSE.search(fields["fees"][1])
            ],
            "ignored_columns": parsed.ignored_columns,
        }

    def _dossier_report(
        self, path: Path, *, source: str, actor: str, dry_run: bool, clear: bool = False
    ) -> dict[str, Any]:
        try:
            report = import_dossiers(
                self.db,
                path,
                self.dossier_reader(),
                source=source,
                actor=actor,
                dry_run=dry_run,
                workers=0,  # no worker processes inside the bot
                clear=clear,
            )
        except DossierImportRejected as exc:
            raise UploadRejected(
                "problems", problems=exc.report.problems, count=exc.report.problem_count
            ) from None
        except (DossierFileError, ValueError) as exc:
            raise UploadRejected("unreadable", str(exc)) from None
        return {
            "rows": report.rows,
            "added": report.added,
            "changed": report.changed,
            "unchanged": report.unchanged,
            "status_changes": report.status_changes,
            "notifications": report.notifications,
            "ignored_columns": report.ignored_columns,
            "absent": [name for name in SHOWN_ABSENT if name in report.absent],
            "emptied": report.emptied,
        }


@contextmanager
def _on_disk(filename: str, content: bytes) -> Iterator[Path]:
    """The importers read files (streaming large sheets): give them one, then remove it."""
    with tempfile.TemporaryDirectory(prefix="tthc-upload-") as folder:
        path = Path(folder) / (Path(filename).name or "upload")
        path.write_bytes(content)
        yield path


def _parse_catalog(path: Path) -> ParsedFile:
    try:
        parsed = read_catalog_file(path)
    except CatalogFileError as exc:
        raise UploadRejected("unreadable", str(exc)) from None
    except Exception as exc:  # a broken workbook: zip, XML and csv errors alike
        log.warning("catalogue file %s unreadable", path.name, exc_info=True)
        raise UploadRejected("unreadable", str(exc)) from None
    if parsed.problems:
        raise UploadRejected("problems", problems=parsed.problems[:20], count=len(parsed.problems))
    if not parsed.records:
        raise UploadRejected("empty")
    return parsed


def _view(upload: PendingUpload) -> Upload:
    assert upload.id is not None
    return Upload(upload.id, Kind(upload.kind), upload.filename, upload.preview, upload.expires_at)

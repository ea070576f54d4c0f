"""Dossier lookup for citizens, with the secret check, rate limiting and subscriptions.

Failed lookups (unknown code, wrong check digits) are counted in the database per user,
so the limit holds across restarts and bot instances; a malformed code is not a guess and
is not counted.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from dossiers import repository
from dossiers.models import Dossier, DossierEvent, OutboxMessage
from dossiers.records import secret_hash
from dossiers.status import LABELS, Deadline, Status, deadline
from tthc.db import Database
from tthc.timeutil import utcnow

SECRET_RE = re.compile(r"^\d{4}$")


class Outcome(StrEnum):
    """How a lookup ended."""

    FOUND = "found"
    NEED_SECRET = "need_secret"
    WRONG_SECRET = "wrong_secret"
    NOT_FOUND = "not_found"
    MALFORMED = "malformed"
    LIMITED = "limited"


@dataclass(frozen=True)
class DossierView:
    """What a citizen may see of a dossier (the applicant's name masked)."""

    code: str
    procedure_code: str | None
    procedure_name: str | None
    agency: str | None
    level: str | None
    field: str | None
    applicant: str | None
    status: Status
    status_label: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    return_method: str | None
    deadline: Deadline
    subscribed: bool


@dataclass(frozen=True)
class LookupResult:
    """The outcome, the dossier when found, and when a limited user may try again."""

    outcome: Outcome
    code: str
    dossier: DossierView | None = None
    retry_at: datetime | None = None


def mask_name(name: str | None) -> str | None:
    """ "Lê Thanh Long" → "L* T**** L***": enough for the applicant to recognise, no more."""
    if not name:
        return None
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


def normalize_code(text: str) -> str:
    """Receipt codes as printed: no spaces, upper case ("000.00.20.h56-…" → "…H56-…")."""
    return "".join(text.split()).upper()


class DossierService:
    """Citizen-facing dossier operations."""

    def __init__(
        self,
        db: Database,
        *,
        key: bytes,
        code_pattern: str,
        max_failures: int,
        window: timedelta,
    ) -> None:
        self.db = db
        self.key = key
        self.code_re = re.compile(code_pattern)
        self.max_failures = max_failures
        self.window = window

    def available(self) -> bool:
        """Whether statuses have been published, so the bot may offer dossier lookup."""
        with self.db.session() as session:
            return repository.any_dossier(session=session)

    def looks_like_code(self, text: str) -> bool:
        """Whether a chat message is a receipt code rather than a question."""
        return bool(self.code_re.match(normalize_code(text))) if len(text) <= 80 else False

    def lookup(
        self, user_id: int, text: str, *, secret: str | None = None, now: datetime | None = None
    ) -> LookupResult:
        """Find a dossier for a citizen, asking for the check digits when it has them."""
        now = now or utcnow()
        code = normalize_code(text)
        if not self.code_re.match(code):
            return LookupResult(Outcome.MALFORMED, code[:80])
        with self.db.session() as session:
            failures, oldest = repository.count_failures(
                session=session, user_id=user_id, since=now - self.window
            )
            if failures >= self.max_failures:
                retry = (oldest or now) + self.window
                return LookupResult(Outcome.LIMITED, code, retry_at=retry)
            dossier = repository.get_dossier(session=session, code=code)
            if dossier is None:
                repository.add_failure(session=session, user_id=user_id, at=now)
                return LookupResult(Outcome.NOT_FOUND, code)
            assert dossier.id is not None
            access = repository.get_access(session=session, user_id=user_id, dossier_id=dossier.id)
            if access is None and dossier.secret_hash:
                if secret is None:
                    return LookupResult(Outcome.NEED_SECRET, code)
                expected = secret_hash(self.key, code, secret.strip())
                if not (
                    SECRET_RE.match(secret.strip())
                    and hmac.compare_digest(expected, dossier.secret_hash)
                ):
                    repository.add_failure(session=session, user_id=user_id, at=now)
                    return LookupResult(Outcome.WRONG_SECRET, code)
            access = repository.grant_access(
                session=session, user_id=user_id, dossier_id=dossier.id
            )
            return LookupResult(Outcome.FOUND, code, self._view(dossier, access.subscribed, now))

    def view(self, user_id: int, code: str, *, now: datetime | None = None) -> DossierView | None:
        """The dossier for a user who already looked it up (buttons); None otherwise."""
        with self.db.session() as session:
            found = self._accessible(session, user_id, code)
            if found is None:
                return None
            dossier, subscribed = found
            return self._view(dossier, subscribed, now or utcnow())

    def subscribe(self, user_id: int, code: str, *, on: bool) -> DossierView | None:
        """Follow (or stop following) a dossier the user may see."""
        with self.db.session() as session:
            found = self._accessible(session, user_id, code)
            if found is None:
                return None
            dossier, _ = found
            assert dossier.id is not None
            access = repository.grant_access(
                session=session, user_id=user_id, dossier_id=dossier.id
            )
            access.subscribed = on
            session.add(access)
            return self._view(dossier, on, utcnow())

    def unsubscribe_all(self, user_id: int) -> int:
        """Stop every notification for a user."""
        with self.db.session() as session:
            return repository.unsubscribe_all(session=session, user_id=user_id)

    def notification(self, message: OutboxMessage) -> tuple[DossierView, int | None] | None:
        """The dossier a notification is about (as it stands now) and its previous status.

        None when the dossier is gone.
        """
        with self.db.session() as session:
            event = session.get(DossierEvent, message.event_id)
            dossier = session.get(Dossier, event.dossier_id) if event else None
            if event is None or dossier is None:
                return None
            return self._view(dossier, True, utcnow()), event.previous_status

    @staticmethod
    def _accessible(session: Session, user_id: int, code: str) -> tuple[Dossier, bool] | None:
        dossier = repository.get_dossier(session=session, code=normalize_code(code))
        if dossier is None or dossier.id is None:
            return None
        access = repository.get_access(session=session, user_id=user_id, dossier_id=dossier.id)
        if access is None:
            return None
        return dossier, access.subscribed

    @staticmethod
    def _view(dossier: Dossier, subscribed: bool, now: datetime) -> DossierView:
        status = Status(dossier.status)
        return DossierView(
            code=dossier.code,
            procedure_code=dossier.procedure_code,
            procedure_name=dossier.procedure_name,
            agency=dossier.agency,
            level=dossier.level,
            field=dossier.field,
            applicant=mask_name(dossier.applicant),
            status=status,
            status_label=LABELS[status],
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            finished_at=dossier.finished_at,
            returned_at=dossier.returned_at,
            return_method=dossier.return_method,
            deadline=deadline(dossier.due_at, dossier.finished_at, now, status),
            subscribed=subscribed,
        )

"""Dossier lookup for citizens, with the secret check, rate limiting and subscriptions.

Guessing receipt codes must not reveal dossiers, nor even which codes exist. So:

- every lookup of a code the user cannot see yet counts toward a per-user budget, found
  or not (a malformed code is not a guess and does not count);
- an unknown code asks for the check digits exactly as a protected one does, and the
  answer is the same "code or digits wrong": existence shows only with the right digits;
- wrong check digits are limited per user; a code that many users guessed wrong is
  "protected": from then on each user gets one answer for it per window, so the owner
  (who knows the digits) still gets in at the first try while guessers are stopped, and
  whoever is stopped is told that the code is protected, not that they did wrong.

Counts live in the database, so limits hold across restarts and bot instances. A
dossier exported without a phone or ID number has no check digits and is shown to
whoever has its code: the one-stop export decides how private a dossier is.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from tthc.core.clock import utcnow
from tthc.core.database import Database
from tthc.core.models import OutboxMessage
from tthc.dossiers import repository
from tthc.dossiers.codes import CodeInText, ReceiptCodes, normalize_code
from tthc.dossiers.models import Dossier, DossierEvent
from tthc.dossiers.records import secret_hash
from tthc.dossiers.status import LABELS, Deadline, Status, deadline

SECRET_RE = re.compile(r"^\d{4}$")


class Outcome(StrEnum):
    """How a lookup ended."""

    FOUND = "found"
    NEED_SECRET = "need_secret"  # protected, or unknown: the two look the same
    WRONG_SECRET = "wrong_secret"  # wrong digits, or no such dossier
    MALFORMED = "malformed"
    LIMITED = "limited"  # this user looked up or guessed too much
    PROTECTED = "protected"  # this code was guessed wrong too often: this user's answer is spent


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
    attempts_left: int | None = None  # after a wrong answer: how many more are allowed


def mask_name(name: str | None) -> str | None:
    """ "Lê Thanh Long" → "L* T**** L***": enough for the applicant to recognise, no more."""
    if not name:
        return None
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


class DossierService:
    """Citizen-facing dossier operations."""

    def __init__(
        self,
        db: Database,
        *,
        key: bytes,
        code_pattern: str,
        code_example: str,
        max_failures: int,
        window: timedelta,
        budget: int = 10,
        max_failures_per_dossier: int = 5,
        previous_key: bytes | None = None,
    ) -> None:
        self.db = db
        self.key = key
        self.previous_key = previous_key
        self.codes = ReceiptCodes(code_pattern, code_example)
        self.max_failures = max_failures
        self.window = window
        self.budget = budget
        self.max_failures_per_dossier = max_failures_per_dossier
        self._published = False

    def available(self) -> bool:
        """Whether statuses have been published, so the bot may offer dossier lookup.

        Once they are, they stay (dossiers are kept for the figures): asked on every card,
        the answer is remembered after the first yes.
        """
        if self._published:
            return True
        with self.db.session() as session:
            self._published = repository.any_dossier(session=session)
        return self._published

    def looks_like_code(self, text: str) -> bool:
        """Whether a chat message is a receipt code rather than a question."""
        return self.codes.is_code(text)

    def find_code(self, text: str) -> CodeInText | None:
        """The receipt code inside a message ("mã hồ sơ của tôi là …"), whole or cut short."""
        return self.codes.find(text)

    def lookup(
        self, user_id: int, text: str, *, secret: str | None = None, now: datetime | None = None
    ) -> LookupResult:
        """Find a dossier for a citizen, asking for the check digits when it has them.

        The first call for a code (no `secret`) spends one unit of the user's budget; the
        call with the digits spends none unless they are wrong.
        """
        now = now or utcnow()
        code = normalize_code(text)
        if not self.codes.whole.match(code):
            return LookupResult(Outcome.MALFORMED, code[:80])
        since = now - self.window
        tag = self._code_tag(code)
        with self.db.session() as session:
            dossier = repository.get_dossier(session=session, code=code)
            access = (
                repository.get_access(session=session, user_id=user_id, dossier_id=dossier.id)
                if dossier is not None and dossier.id is not None
                else None
            )
            if dossier is not None and access is not None:  # seen before: no question
                return LookupResult(
                    Outcome.FOUND, code, self._view(dossier, access.subscribed, now)
                )
            left, retry, protected = self._answers_left(session, user_id, tag, since, now)
            if left <= 0:
                outcome = Outcome.PROTECTED if protected else Outcome.LIMITED
                return LookupResult(outcome, code, retry_at=retry)
            if secret is None:
                used, oldest = repository.count_attempts(
                    session=session, kind="lookup", user_id=user_id, since=since
                )
                if used >= self.budget:
                    return LookupResult(
                        Outcome.LIMITED, code, retry_at=(oldest or now) + self.window
                    )
                repository.add_attempt(
                    session=session, user_id=user_id, code_hash=tag, kind="lookup", at=now
                )
                if dossier is None or dossier.secret_hash:
                    return LookupResult(Outcome.NEED_SECRET, code)
            else:
                digits = "".join(secret.split())
                if dossier is None or not self._verify(dossier, code, digits):
                    repository.add_attempt(
                        session=session, user_id=user_id, code_hash=tag, kind="wrong_secret", at=now
                    )
                    if left - 1 <= 0:
                        outcome = Outcome.PROTECTED if protected else Outcome.LIMITED
                        return LookupResult(outcome, code, retry_at=now + self.window)
                    return LookupResult(Outcome.WRONG_SECRET, code, attempts_left=left - 1)
            assert dossier is not None and dossier.id is not None
            access = repository.grant_access(
                session=session, user_id=user_id, dossier_id=dossier.id
            )
            return LookupResult(Outcome.FOUND, code, self._view(dossier, access.subscribed, now))

    def _verify(self, dossier: Dossier, code: str, digits: str) -> bool:
        """Check digits against the stored hash (current key, else the previous one).

        A match under the previous key re-hashes with the current key, so a rotation
        completes dossier by dossier as citizens use them.
        """
        if not dossier.secret_hash or not SECRET_RE.match(digits):
            return False
        if hmac.compare_digest(secret_hash(self.key, code, digits), dossier.secret_hash):
            return True
        if self.previous_key and hmac.compare_digest(
            secret_hash(self.previous_key, code, digits), dossier.secret_hash
        ):
            dossier.secret_hash = secret_hash(self.key, code, digits)
            return True
        return False

    def _answers_left(
        self, session: Session, user_id: int, tag: str, since: datetime, now: datetime
    ) -> tuple[int, datetime, bool]:
        """(wrong answers this user still has for this code, when that changes, protected).

        A user has `max_failures` per window. Once `max_failures_per_dossier` wrong answers
        were given for a code (by anyone), each user has one answer for it per window: a
        stranger's guesses never lock its owner out, and many accounts do not add up to
        many guesses.
        """
        by_user, user_oldest = repository.count_attempts(
            session=session, kind="wrong_secret", user_id=user_id, since=since
        )
        on_code, code_oldest = repository.count_attempts(
            session=session, kind="wrong_secret", code_hash=tag, since=since
        )
        left, retry = self.max_failures - by_user, (user_oldest or now) + self.window
        if on_code >= self.max_failures_per_dossier:
            mine, mine_oldest = repository.count_attempts(
                session=session, kind="wrong_secret", user_id=user_id, code_hash=tag, since=since
            )
            if 1 - mine < left:
                return 1 - mine, (mine_oldest or code_oldest or now) + self.window, True
        return left, retry, False

    def _code_tag(self, code: str) -> str:
        """A keyed hash of a receipt code: attempts are counted per code without storing it."""
        return hmac.new(self.key, f"code:{code}".encode(), "sha256").hexdigest()[:32]

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
        if message.event_id is None:
            return None
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

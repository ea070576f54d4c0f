"""Complaints (phản ánh, kiến nghị): a ticket per complaint, answered by staff."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tthc.complaints import repository
from tthc.complaints.models import Complaint
from tthc.core.clock import VIETNAM, utcnow
from tthc.core.database import Database
from tthc.core.outbox import Outbox

TICKET = re.compile(r"^PA-?(\d{1,9})$", re.IGNORECASE)
ANSWER_NOTICE = "complaint_answer"  # the outbox kind that carries staff's answer
OVERDUE_NOTICE = "complaint_overdue"  # the outbox kind that reminds staff of a late ticket


def answer_due(filed: date, working_days: int) -> date:
    """The day an answer is due: `working_days` after filing, Saturdays and Sundays skipped.

    Public holidays are not known here; the receipt says "working days" for that reason.
    """
    day = filed
    left = working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def due_day(created_at: datetime, working_days: int) -> date:
    """The day a ticket's answer is due (filed at `created_at`, Vietnam's calendar)."""
    return answer_due(created_at.astimezone(VIETNAM).date(), working_days)


def is_overdue(created_at: datetime, working_days: int, today: date) -> bool:
    """Whether a ticket filed at `created_at` and still unanswered is past its promised day."""
    return today > due_day(created_at, working_days)


def ticket(complaint_id: int) -> str:
    """The number citizens quote: PA-000123."""
    return f"PA-{complaint_id:06d}"


def ticket_id(text: str) -> int | None:
    """The complaint id in a ticket number ("PA-000123", "pa123"), or None."""
    match = TICKET.match(text.strip())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Answered:
    """An answered complaint: whom to tell and what."""

    ticket: str
    user_id: int
    answer: str


class ComplaintService:
    """Filing, listing, answering and closing complaints."""

    def __init__(self, db: Database, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox

    def file(
        self,
        user_id: int,
        text: str,
        *,
        attachment: tuple[str, str] | None = None,
        dossier_code: str | None = None,
        procedure_code: str | None = None,
    ) -> str:
        """Store a complaint in one transaction; returns its ticket number."""
        with self.db.session() as session:
            complaint = Complaint(
                user_id=user_id,
                text=text.strip()[:4000],
                attachment_kind=attachment[0] if attachment else None,
                attachment_file_id=attachment[1] if attachment else None,
                dossier_code=dossier_code,
                procedure_code=procedure_code,
            )
            return ticket(repository.add_complaint(session=session, complaint=complaint))

    def open_complaints(self, limit: int = 20) -> list[Complaint]:
        """Complaints waiting for an answer, oldest first."""
        with self.db.session() as session:
            return repository.open_complaints(session=session, limit=limit)

    def answer(self, text_ticket: str, answer: str, *, staff_id: int) -> Answered | None:
        """Record staff's answer and queue it for the citizen; None for an unknown or closed ticket.

        The answer and its delivery are one transaction: the outbox sends it (retrying,
        once per answer, on whichever instance), so a slow or refused send never loses it.
        """
        complaint_id = ticket_id(text_ticket)
        if complaint_id is None or not answer.strip():
            return None
        with self.db.session() as session:
            complaint = repository.get_complaint(session=session, complaint_id=complaint_id)
            if complaint is None or complaint.status == "closed":
                return None
            complaint.status = "answered"
            complaint.answer = answer.strip()[:4000]
            complaint.answered_by = staff_id
            complaint.answered_at = utcnow()
            repository.save_complaint(session=session, complaint=complaint)
            answered = Answered(ticket(complaint_id), complaint.user_id, complaint.answer)
            self.outbox.enqueue(
                user_id=complaint.user_id,
                kind=ANSWER_NOTICE,
                payload={"ticket": answered.ticket, "answer": answered.answer},
                dedupe=f"pa:{complaint_id}:{complaint.answered_at.timestamp():.0f}",
            )
            return answered

    def close(self, text_ticket: str) -> bool:
        """Close a ticket; False when it does not exist."""
        complaint_id = ticket_id(text_ticket)
        with self.db.session() as session:
            complaint = (
                repository.get_complaint(session=session, complaint_id=complaint_id)
                if complaint_id
                else None
            )
            if complaint is None:
                return False
            complaint.status = "closed"
            complaint.closed_at = utcnow()
            repository.save_complaint(session=session, complaint=complaint)
            return True

    def remind_overdue(self, staff: list[int], *, working_days: int, today: date) -> int:
        """Queue one reminder per overdue ticket for each staff member; how many were new.

        The outbox keeps one message per member and ticket, whichever instance runs this
        and however often.
        """
        queued = 0
        for complaint in self.open_complaints(limit=500):
            if complaint.id is None or not is_overdue(complaint.created_at, working_days, today):
                continue
            payload = {
                "ticket": ticket(complaint.id),
                "created": complaint.created_at.isoformat(),
                "due": due_day(complaint.created_at, working_days).isoformat(),
            }
            for user_id in staff:
                queued += self.outbox.enqueue(
                    user_id=user_id,
                    kind=OVERDUE_NOTICE,
                    payload=payload,
                    dedupe=f"overdue:{complaint.id}",
                )
        return queued

    def counts(self) -> dict[str, int]:
        """Complaints per state."""
        with self.db.session() as session:
            out = {"open": 0, "answered": 0, "closed": 0}
            for status in repository.statuses(session=session):
                out[status] = out.get(status, 0) + 1
            return out

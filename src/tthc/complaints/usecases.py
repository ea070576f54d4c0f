"""Filing a complaint, as one unit of work: the ticket and the cleared draft together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tthc.complaints.service import answer_due
from tthc.users.conversation import ComplaintDraft, Conversation


class ComplaintWork(Protocol):
    """What filing a complaint reads and writes, within one unit of work."""

    def is_dossier_code(self, text: str) -> bool: ...

    def file(
        self,
        text: str,
        *,
        attachment: tuple[str, str] | None,
        dossier_code: str | None,
        procedure_code: str | None,
    ) -> str: ...

    def remember(self, conversation: Conversation | None) -> None: ...


@dataclass(frozen=True)
class Filed:
    """The ticket number and when an answer is due (in working days)."""

    ticket: str
    days: int
    due: date


def file_complaint(work: ComplaintWork, draft: ComplaintDraft, today: date, days: int) -> Filed:
    """File the confirmed draft: what it is about is a dossier or a procedure code."""
    about = draft.about
    dossier_code = about if about and work.is_dossier_code(about) else None
    procedure_code = about if about and not dossier_code else None
    ticket = work.file(
        draft.text,
        attachment=draft.attachment,
        dossier_code=dossier_code,
        procedure_code=procedure_code,
    )
    work.remember(None)
    return Filed(ticket, days, answer_due(today, days))

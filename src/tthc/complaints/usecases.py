"""Filing a complaint, as one unit of work: the ticket and the cleared draft together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tthc.complaints.service import answer_due
from tthc.users.conversation import ComplaintDraft, OnceOnly, Remembers


class Complaints(Protocol):
    """The complaints service as filing one uses it."""

    def file(
        self,
        user_id: int,
        text: str,
        *,
        attachment: tuple[str, str] | None,
        dossier_code: str | None,
        procedure_code: str | None,
    ) -> str: ...


class DossierCodes(Protocol):
    def looks_like_code(self, text: str) -> bool: ...


class ComplaintServices(Protocol):
    """The services filing a complaint touches; the application's container is one."""

    @property
    def complaints(self) -> Complaints: ...

    @property
    def dossiers(self) -> DossierCodes: ...

    @property
    def users(self) -> Remembers: ...

    @property
    def once(self) -> OnceOnly: ...


@dataclass(frozen=True)
class Filed:
    """The ticket number and when an answer is due (in working days)."""

    ticket: str
    days: int
    due: date


def file_complaint(
    services: ComplaintServices, user_id: int, draft: ComplaintDraft, today: date, days: int
) -> Filed | None:
    """File the confirmed draft: what it is about is a dossier or a procedure code.

    None when this draft was filed already (a double tap, maybe on another instance).
    """
    if not services.once.first_time(f"complaint:{draft.key}"):
        return None
    about = draft.about
    dossier_code = about if about and services.dossiers.looks_like_code(about) else None
    procedure_code = about if about and not dossier_code else None
    ticket = services.complaints.file(
        user_id,
        draft.text,
        attachment=draft.attachment,
        dossier_code=dossier_code,
        procedure_code=procedure_code,
    )
    services.users.remember(user_id, None)
    return Filed(ticket, days, answer_due(today, days))

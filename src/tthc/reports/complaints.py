"""Complaint figures: received, answered, answered within the promised working days, overdue.

A complaint is due `answer_days` working days after the day it was filed (the date the
citizen was promised, `complaints.service.answer_due`). "Overdue now" counts every ticket
still waiting past that day, whenever it was filed: it is the backlog a manager acts on.
Per agency: the agency of the dossier a complaint is about, else of the procedure.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import col, select

from tthc.catalog.models import Procedure
from tthc.complaints.models import Complaint
from tthc.complaints.service import due_day, is_overdue
from tthc.core.clock import VIETNAM
from tthc.core.database import Database
from tthc.dossiers.models import Dossier
from tthc.reports.figures import UNKNOWN, day_bounds, percent


@dataclass
class ComplaintRow:
    """One agency's complaints (or the total)."""

    name: str
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    overdue_now: int = 0
    hours: list[float] = field(default_factory=list, repr=False)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.answered_on_time, self.answered)

    @property
    def median_hours(self) -> float | None:
        return round(statistics.median(self.hours), 1) if self.hours else None


@dataclass
class ComplaintReport:
    start: date
    end: date
    answer_days: int
    total: ComplaintRow
    rows: list[ComplaintRow]

    @property
    def empty(self) -> bool:
        return self.total.received == 0 and self.total.overdue_now == 0


def complaints(
    db: Database, start: date, end: date, *, answer_days: int, now: datetime
) -> ComplaintReport:
    """Complaints filed in the period, and the backlog overdue at `now`."""
    lo, hi = day_bounds(start, end)
    today = now.astimezone(VIETNAM).date()
    with db.session() as session:
        filed = list(
            session.exec(
                select(Complaint).where(
                    col(Complaint.created_at) >= lo, col(Complaint.created_at) < hi
                )
            )
        )
        waiting = list(session.exec(select(Complaint).where(col(Complaint.status) == "open")))
        tickets = {c.id: c for c in [*filed, *waiting]}
        dossier_codes = {c.dossier_code for c in tickets.values() if c.dossier_code}
        procedure_codes = {c.procedure_code for c in tickets.values() if c.procedure_code}
        agencies = dict(
            session.exec(
                select(Dossier.code, Dossier.agency).where(col(Dossier.code).in_(dossier_codes))
            ).all()
        )
        by_procedure = dict(
            session.exec(
                select(Procedure.code, Procedure.agency).where(
                    col(Procedure.code).in_(procedure_codes)
                )
            ).all()
        )

    def agency(c: Complaint) -> str:
        found = agencies.get(c.dossier_code or "") or by_procedure.get(c.procedure_code or "")
        return found or UNKNOWN

    total = ComplaintRow("Tổng cộng")
    rows: dict[str, ComplaintRow] = {}
    for c in filed:
        for row in (total, rows.setdefault(agency(c), ComplaintRow(agency(c)))):
            row.received += 1
            if c.answered_at is not None:
                row.answered += 1
                due = due_day(c.created_at, answer_days)
                if c.answered_at.astimezone(VIETNAM).date() <= due:
                    row.answered_on_time += 1
                row.hours.append((c.answered_at - c.created_at).total_seconds() / 3600)
    for c in waiting:
        if is_overdue(c.created_at, answer_days, today):
            for row in (total, rows.setdefault(agency(c), ComplaintRow(agency(c)))):
                row.overdue_now += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.received, -r.overdue_now, r.name))
    return ComplaintReport(start, end, answer_days, total, ordered)

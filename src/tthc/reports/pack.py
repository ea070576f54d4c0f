"""The three reports of a period, as the chat, the digest and the command line send them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from tthc.core.database import Database
from tthc.core.settings import Settings
from tthc.reports.complaints import ComplaintReport, complaints
from tthc.reports.figures import DossierReport, SatisfactionReport, dossiers, satisfaction


def period_figures(
    db: Database,
    first: date,
    last: date,
    *,
    settings: Settings,
    names: Callable[[str], str | None],
    now: datetime,
    by: str = "level",
) -> tuple[SatisfactionReport, DossierReport, ComplaintReport]:
    """Satisfaction (by agency), dossiers (by `by`) and complaints, with the settings' rules."""
    rated = satisfaction(
        db,
        first,
        last,
        scale=settings.rating_scale,
        criteria=settings.rating_criteria,
        by="agency",
        names=names,
        min_ratings=settings.report_min_ratings,
    )
    table = dossiers(db, first, last, by=by)
    complained = complaints(db, first, last, answer_days=settings.complaint_answer_days, now=now)
    return rated, table, complained

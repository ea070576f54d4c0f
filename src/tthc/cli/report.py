"""`tthc report ...`: satisfaction, dossier and complaint figures as text, JSON, XLSX and PNG."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from tthc.cli.common import CliError, emit, open_services, settings
from tthc.core.clock import utcnow
from tthc.reports import render
from tthc.reports.complaints import complaints
from tthc.reports.figures import DOSSIER_GROUPS, dossiers, satisfaction
from tthc.reports.periods import parse_period, parse_period_text

F = TypeVar("F", bound=Callable[..., Any])


def _period(start: str | None, end: str | None, period: str | None) -> tuple[date, date]:
    try:
        if period is not None:
            return parse_period_text(period)
        return parse_period(start, end)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _report_options(command: F) -> F:
    """--from/--to, the language and the output options every report shares."""
    path = click.Path(dir_okay=False, path_type=Path)
    options = [
        click.option(
            "--from", "start", default=None,
            help="First day (YYYY-MM-DD or DD/MM/YYYY); default: 30 days ago.",
        ),
        click.option("--to", "end", default=None, help="Last day, inclusive; default: today."),
        click.option(
            "--period", default=None,
            help='Instead of --from/--to: "thang 11/2026", "quy 3/2026", "nam 2026", "90".',
        ),
        click.option("--json", "as_json", is_flag=True, help="Print JSON."),
        click.option("--xlsx", type=path, default=None, help="Also write a workbook."),
        click.option("--chart", type=path, default=None, help="Also write a PNG chart."),
        click.option(
            "--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
            help="Language of the text, workbook and chart.",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
def report() -> None:
    """Figures for managers: satisfaction and dossier timeliness."""


@report.command("satisfaction")
@_report_options
@click.option("--by", type=click.Choice(["level", "agency", "procedure", "field"]), default=None)
@click.option("--trend", type=click.Choice(["week", "month"]), default="week", show_default=True)
def report_satisfaction(
    start: str | None, end: str | None, period: str | None, by: str | None, trend: str,
    as_json: bool, xlsx: Path | None, chart: Path | None, lang: str,
) -> None:  # fmt: skip
    """Ratings per level, criterion, group and week/month; lowest-rated procedures and agencies."""
    config = settings()
    first, last = _period(start, end, period)
    with open_services(config) as services:
        result = satisfaction(
            services.db, first, last, scale=config.rating_scale,
            criteria=config.rating_criteria, by=by, trend=trend,
            names=services.catalog.name_of, min_ratings=config.report_min_ratings,
        )  # fmt: skip
        text = services.messages.render(lang, "report_satisfaction", r=result)
        words = render.Labels.of(services.messages, lang)
    if xlsx:
        render.satisfaction_xlsx(result, xlsx, words)
    if chart:
        render.satisfaction_chart(result, chart, words)
    emit(text, render.satisfaction_json(result), as_json)


@report.command("dossiers")
@_report_options
@click.option(
    "--by", type=click.Choice(list(DOSSIER_GROUPS)), default="level", show_default=True,
    help="unit: the receiving unit, from the receipt code's prefix.",
)  # fmt: skip
def report_dossiers(
    start: str | None, end: str | None, period: str | None, by: str, as_json: bool,
    xlsx: Path | None, chart: Path | None, lang: str,
) -> None:  # fmt: skip
    """Dossiers the portal's way, per level, receiving unit or agency.

    Carried over, received, resolved early/on time/late, open at the end (on time or
    overdue), and the online share.
    """
    first, last = _period(start, end, period)
    with open_services(settings()) as services:
        result = dossiers(services.db, first, last, by=by)
        text = services.messages.render(lang, "report_dossiers", r=result)
        words = render.Labels.of(services.messages, lang)
    if xlsx:
        render.dossiers_xlsx(result, xlsx, words)
    if chart:
        render.dossiers_chart(result, chart, words)
    emit(text, render.dossiers_json(result), as_json)


@report.command("complaints")
@_report_options
def report_complaints(
    start: str | None, end: str | None, period: str | None, as_json: bool, xlsx: Path | None,
    chart: Path | None, lang: str,
) -> None:  # fmt: skip
    """Complaints filed in the period: received, answered, on time, overdue now, per agency."""
    config = settings()
    first, last = _period(start, end, period)
    with open_services(config) as services:
        result = complaints(
            services.db, first, last, answer_days=config.complaint_answer_days, now=utcnow()
        )
        text = services.messages.render(lang, "report_complaints", r=result)
        words = render.Labels.of(services.messages, lang)
    if xlsx:
        render.complaints_xlsx(result, xlsx, words)
    if chart:
        raise CliError("complaints have no chart; use --xlsx or --json")
    emit(text, render.complaints_json(result), as_json)

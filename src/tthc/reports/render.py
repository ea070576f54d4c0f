"""Reports as JSON (machines), XLSX workbooks (one sheet per breakdown) and PNG charts."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from tthc.core.spreadsheet import append_row
from tthc.reports.figures import DossierReport, DossierRow, Group, SatisfactionReport, Shares


class Wording(Protocol):
    """Where the words come from (`messages.Messages`): label macros and data terms."""

    def label(self, language: str | None, key: str, /, **context: Any) -> str: ...

    def term(self, language: str | None, text: str) -> str: ...


@dataclass(frozen=True)
class Labels:
    """The words of charts and spreadsheets in one language (`report_*` in labels.txt).

    Group names are data: agencies stay as published, while the Vietnamese words the
    figures add themselves ("Tổng cộng", "(không rõ)", levels, the rating scale) are
    translated as terms.
    """

    label: Callable[..., str]
    term: Callable[[str], str]

    @classmethod
    def of(cls, wording: Wording, lang: str) -> Labels:
        return cls(
            lambda key, **kw: wording.label(lang, f"report_{key}", **kw),
            lambda text: wording.term(lang, text),
        )

    def span(self, key: str, start: date, end: date) -> str:
        """A title over a date range."""
        return self.label(key, start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")


def _pct(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _shares_json(shares: Shares, scale: list[str]) -> dict[str, Any]:
    return {
        "total": shares.total,
        "levels": [
            {"label": label, "count": c, "percent": _pct(p)}
            for label, c, p in zip(scale, shares.counts, shares.percents, strict=True)
        ],
    }


def _group_json(group: Group, scale: list[str]) -> dict[str, Any]:
    return {"name": group.name, **_shares_json(group.shares, scale), "comments": group.comments}


def satisfaction_json(report: SatisfactionReport) -> dict[str, Any]:
    """Everything in the report, percentages as numbers (null = no data)."""
    scale = report.scale
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "dossier_ratings": _shares_json(report.overall, scale),
        "general_ratings": _shares_json(report.general, scale),
        "criteria": {c: _shares_json(s, scale) for c, s in report.per_criterion.items()},
        "by": report.by,
        "breakdown": [_group_json(g, scale) for g in report.breakdown],
        "trend": [_group_json(g, scale) for g in report.trend],
        "lowest_procedures": [_group_json(g, scale) for g in report.lowest_procedures],
        "lowest_agencies": [_group_json(g, scale) for g in report.lowest_agencies],
        "ratings_stored": report.stored,
    }


def _row_json(row: DossierRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "received": row.received,
        "done": row.done,
        "done_on_time": row.on_time,
        "done_late": row.late,
        "in_progress": row.in_progress,
        "in_progress_overdue": row.overdue,
        "refused_or_withdrawn": row.closed_unfinished,
        "on_time_percent": _pct(row.on_time_percent),
    }


def dossiers_json(report: DossierReport) -> dict[str, Any]:
    """The dossier table as JSON."""
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "by": report.by,
        "rows": [_row_json(r) for r in report.rows],
        "total": _row_json(report.total),
    }


# -- spreadsheets ----------------------------------------------------------------------


def satisfaction_xlsx(report: SatisfactionReport, path: Path | io.BytesIO, words: Labels) -> None:
    """One sheet each: summary, criteria, breakdown, trend, lowest procedures and agencies."""
    from openpyxl import Workbook  # heavy; only the report paths need it

    wb = Workbook()
    scale = [words.term(s) for s in report.scale]
    header = [
        "",
        words.label("total"),
        *[words.label("count", level=s) for s in scale],
        *[words.label("percent", level=s) for s in scale],
    ]
    no_data = words.label("no_data")

    def shares_row(name: str, shares: Shares) -> list[Any]:
        return [
            words.term(name),
            shares.total,
            *shares.counts,
            *[_pct(p) if p is not None else no_data for p in shares.percents],
        ]

    summary = wb.active
    summary.title = words.label("sheet_summary")
    append_row(summary, [words.span("satisfaction_title", report.start, report.end)])
    append_row(summary, header)
    append_row(summary, shares_row(words.label("dossier_ratings"), report.overall))
    append_row(summary, shares_row(words.label("general_ratings"), report.general))
    sheets = [
        ("sheet_criteria", [(c, s) for c, s in report.per_criterion.items()]),
        ("sheet_breakdown", [(g.name, g.shares) for g in report.breakdown]),
        ("sheet_trend", [(g.name, g.shares) for g in report.trend]),
        ("sheet_lowest_procedures", [(g.name, g.shares) for g in report.lowest_procedures]),
        ("sheet_lowest_agencies", [(g.name, g.shares) for g in report.lowest_agencies]),
    ]
    for title, rows in sheets:
        sheet = wb.create_sheet(words.label(title))
        append_row(sheet, header)
        for name, shares in rows:
            append_row(sheet, shares_row(name, shares))
    comments = wb.create_sheet(words.label("sheet_comments"))
    append_row(comments, [words.label("group"), words.label("unsatisfied_comment")])
    for group in [*report.lowest_procedures, *report.lowest_agencies]:
        for comment in group.comments:
            append_row(comments, [words.term(group.name), comment])
    wb.save(path)


def dossiers_xlsx(report: DossierReport, path: Path | io.BytesIO, words: Labels) -> None:
    """The dossier table on one sheet, totals last."""
    from openpyxl import Workbook  # heavy; only the report paths need it

    wb = Workbook()
    sheet = wb.active
    sheet.title = words.label("sheet_dossiers")
    append_row(sheet, [words.span("dossiers_title", report.start, report.end)])
    columns = ["by_level" if report.by == "level" else "by_agency", "received", "done", "on_time",
               "late", "in_progress", "overdue", "closed", "on_time_percent"]  # fmt: skip
    append_row(sheet, [words.label(c) for c in columns])
    no_data = words.label("no_data")
    for row in [*report.rows, report.total]:
        pct = row.on_time_percent
        append_row(sheet,
            [words.term(row.name), row.received, row.done, row.on_time, row.late, row.in_progress,
             row.overdue, row.closed_unfinished, _pct(pct) if pct is not None else no_data]
        )  # fmt: skip
    wb.save(path)


# -- charts ----------------------------------------------------------------------------


def _pyplot() -> Any:
    import matplotlib  # heavy; only the report paths need it

    matplotlib.use("Agg")  # no display on servers
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"  # bundled with matplotlib; has Vietnamese
    return plt


def _stacked_bars(
    names: list[str],
    series: list[tuple[str, list[float], str]],
    *,
    xlabel: str,
    title: str,
    path: Path | io.BytesIO,
    xmax: float | None = None,
) -> None:
    """Horizontal stacked bars, one row per name, legend bottom right."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    labels = [n if len(n) <= 28 else n[:27] + "…" for n in names]
    left = [0.0] * len(names)
    for label, values, colour in series:
        ax.barh(labels, values, left=left, label=label, color=colour)
        left = [a + b for a, b in zip(left, values, strict=True)]
    if xmax is not None:
        ax.set_xlim(0, xmax)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def _title(words: Labels, key: str, start: date, end: date, empty: bool) -> str:
    title = words.span(key, start, end)
    return f"{title}: {words.label('no_data')}" if empty else title


def satisfaction_chart(report: SatisfactionReport, path: Path | io.BytesIO, words: Labels) -> None:
    """Bars of each level's share, overall and per group (or per week when not grouped)."""
    groups = [Group(words.label("total"), report.overall), *(report.breakdown or report.trend)]
    groups = groups[:12]
    colours = ["#2e7d32", "#81c784", "#fdd835", "#fb8c00", "#c62828"]
    palette = [*colours[: len(report.scale) - 1], colours[-1]]
    series = [
        (words.term(label), [float(g.shares.percents[i] or 0) for g in groups], palette[i])
        for i, label in enumerate(report.scale)
    ]
    _stacked_bars(
        [words.term(g.name) for g in groups], series, xlabel=words.label("share_axis"), xmax=100,
        path=path, title=_title(words, "satisfaction_chart", report.start, report.end, report.empty),
    )  # fmt: skip


def dossiers_chart(report: DossierReport, path: Path | io.BytesIO, words: Labels) -> None:
    """Done on time / late / in progress per group, as stacked bars of counts."""
    rows = report.rows[:12]
    series: list[tuple[str, list[float], str]] = [
        (words.label("on_time"), [float(r.on_time) for r in rows], "#2e7d32"),
        (words.label("late"), [float(r.late) for r in rows], "#c62828"),
        (words.label("in_progress"), [float(r.in_progress) for r in rows], "#1565c0"),
    ]
    _stacked_bars(
        [words.term(r.name) for r in rows], series, xlabel=words.label("count_axis"), path=path,
        title=_title(words, "dossiers_chart", report.start, report.end, report.empty),
    )  # fmt: skip

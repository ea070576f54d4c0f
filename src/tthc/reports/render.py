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
from tthc.reports.complaints import ComplaintReport, ComplaintRow
from tthc.reports.figures import (
    COUNTS,
    DossierReport,
    DossierRow,
    Group,
    SatisfactionReport,
    Shares,
)


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


def _fraction(value: Decimal | None, no_data: str) -> float | str:
    """A percentage as the fraction a "0.00%" cell shows (97.19 → 0.9719), or the no-data word."""
    return float(value) / 100 if value is not None else no_data


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
        **({"unit": row.unit} if row.unit else {}),
        **{name: getattr(row, name) for name in COUNTS},
        "timely_percent": _pct(row.timely_percent),
        "online_percent": _pct(row.online_percent),
    }


def dossiers_json(report: DossierReport) -> dict[str, Any]:
    """The dossier table as JSON (the portal's way: resolved in the period, open at its end)."""
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "by": report.by,
        "rows": [_row_json(r) for r in report.rows],
        "total": _row_json(report.total),
    }


def _complaint_json(row: ComplaintRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "received": row.received,
        "answered": row.answered,
        "answered_on_time": row.answered_on_time,
        "overdue_now": row.overdue_now,
        "on_time_percent": _pct(row.on_time_percent),
        "median_hours_to_answer": row.median_hours,
    }


def complaints_json(report: ComplaintReport) -> dict[str, Any]:
    """Complaint figures as JSON."""
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "answer_days": report.answer_days,
        **_complaint_json(report.total),
        "by_agency": [_complaint_json(r) for r in report.rows],
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
            *[_fraction(p, no_data) for p in shares.percents],
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
    append_row(
        comments,
        [
            words.label("level"),
            words.label("procedure"),
            words.label("agency"),
            words.label("comment"),
        ],
    )
    for level, procedure, agency, text in report.comments:
        append_row(
            comments, [scale[level] if 0 <= level < len(scale) else "", procedure, agency, text]
        )
    for sheet in wb.worksheets:
        _ready_to_print(sheet, header_row=2 if sheet is summary else 1, percent_from=3 + len(scale))
    _ready_to_print(comments, header_row=1, widths=[16, 50, 40, 90])
    wb.save(path)


DOSSIER_COLUMNS = (
    "carried_over", "received", "resolved", "early", "on_time", "late", "pending",
    "pending_overdue", "timely_percent", "online_percent",
)  # fmt: skip


def dossiers_xlsx(report: DossierReport, path: Path | io.BytesIO, words: Labels) -> None:
    """The dossier table on one sheet, totals last, ready to print."""
    from openpyxl import Workbook  # heavy; only the report paths need it

    wb = Workbook()
    sheet = wb.active
    sheet.title = words.label("sheet_dossiers")
    append_row(sheet, [words.span("dossiers_title", report.start, report.end)])
    first = ["unit", "by_agency"] if report.by == "unit" else [f"by_{report.by}"]
    append_row(sheet, [words.label(c) for c in (*first, *DOSSIER_COLUMNS)])
    no_data = words.label("no_data")
    for row in [*report.rows, report.total]:
        names = [row.unit, words.term(row.name)] if report.by == "unit" else [words.term(row.name)]
        percents = [row.timely_percent, row.online_percent]
        append_row(
            sheet,
            [*names, *(getattr(row, c) for c in DOSSIER_COLUMNS[:-2]),
             *(_fraction(p, no_data) for p in percents)],
        )  # fmt: skip
    _ready_to_print(sheet, header_row=2, percent_from=len(first) + len(DOSSIER_COLUMNS) - 1)
    wb.save(path)


def complaints_xlsx(report: ComplaintReport, path: Path | io.BytesIO, words: Labels) -> None:
    """Complaint figures per agency, totals last."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = words.label("sheet_complaints")
    append_row(sheet, [words.span("complaints_title", report.start, report.end)])
    columns = ("by_agency", "complaints_received", "complaints_answered",
               "complaints_on_time", "complaints_overdue", "complaints_median_hours",
               "complaints_on_time_percent")  # fmt: skip
    append_row(sheet, [words.label(c) for c in columns])
    no_data = words.label("no_data")
    for row in [*report.rows, report.total]:
        pct = row.on_time_percent
        append_row(sheet,
            [words.term(row.name), row.received, row.answered, row.answered_on_time,
             row.overdue_now, row.median_hours if row.median_hours is not None else no_data,
             _fraction(pct, no_data)]
        )  # fmt: skip
    _ready_to_print(sheet, header_row=2, percent_from=len(columns))
    wb.save(path)


def _ready_to_print(
    sheet: Any, *, header_row: int, percent_from: int | None = None, widths: list[int] | None = None
) -> None:
    """A sheet a manager can forward or print as it is.

    Widths from the content, bold frozen headers repeated on every page, percentages as
    percentages, landscape and one page wide.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = sheet.max_column
    for index in range(1, columns + 1):
        letter = get_column_letter(index)
        if widths and index <= len(widths):
            width = widths[index - 1]
        else:
            longest = max(
                (len(str(c.value)) for c in sheet[letter][header_row - 1 :] if c.value is not None),
                default=8,
            )
            width = min(max(longest + 2, 10), 60)
        sheet.column_dimensions[letter].width = width
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        # Names read from the left; a number's header sits over the number, on the right.
        side = "left" if cell.column == 1 else "right"
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=side)
    if header_row > 1:
        sheet["A1"].font = Font(bold=True, size=12)
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"  # thousands grouped as the reader's Excel does
            elif isinstance(cell.value, float) and percent_from and cell.column >= percent_from:
                cell.number_format = "0.00%"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


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
    """Horizontal stacked bars, one row per name, the legend under the axis label."""
    plt = _pyplot()
    fig, ax = plt.subplots(
        figsize=(10, 2.0 + 0.55 * max(len(names), 1)), dpi=110, layout="constrained"
    )
    labels = [n if len(n) <= 32 else n[:31] + "…" for n in names]
    left = [0.0] * len(names)
    for label, values, colour in series:
        bars = ax.barh(labels, values, left=left, label=label, color=colour)
        widest = max(left[i] + v for i, v in enumerate(values)) if values else 0
        # A number on each segment wide enough to hold it: counts, or the share in %.
        texts = [
            (f"{v:,.0f}".replace(",", ".") if xmax is None else f"{v:.1f}".replace(".", ","))
            if v and v >= (xmax or widest or 1) * 0.06
            else ""
            for v in values
        ]
        ax.bar_label(bars, labels=texts, label_type="center", fontsize=8, color="white")
        left = [a + b for a, b in zip(left, values, strict=True)]
    if xmax is not None:
        ax.set_xlim(0, xmax)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    # Outside the axes, below everything: never over the bars or the axis label.
    fig.legend(loc="outside lower center", ncol=min(len(series), 5), fontsize=8, frameon=False)
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
    """Resolved early, on time, late, and open at the period's end, per group, as counts."""
    rows = report.rows[:12]
    series: list[tuple[str, list[float], str]] = [
        (words.label("early"), [float(r.early) for r in rows], "#1b5e20"),
        (words.label("on_time"), [float(r.on_time) for r in rows], "#66bb6a"),
        (words.label("late"), [float(r.late) for r in rows], "#c62828"),
        (words.label("pending_on_time"), [float(r.pending - r.pending_overdue) for r in rows],
         "#1565c0"),
        (words.label("pending_overdue"), [float(r.pending_overdue) for r in rows], "#ef6c00"),
    ]  # fmt: skip
    names = [f"{r.unit} {words.term(r.name)}".strip() for r in rows]
    _stacked_bars(
        names, series, xlabel=words.label("count_axis"), path=path,
        title=_title(words, "dossiers_chart", report.start, report.end, report.empty),
    )  # fmt: skip

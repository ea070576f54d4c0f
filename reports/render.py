"""Reports as JSON (machines), XLSX workbooks (one sheet per breakdown) and PNG charts."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from foundation.spreadsheet import append_row
from reports.figures import DossierReport, DossierRow, Group, SatisfactionReport, Shares

NO_DATA = "không có dữ liệu"


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


def satisfaction_xlsx(report: SatisfactionReport, path: Path | io.BytesIO) -> None:
    """One sheet each: summary, criteria, breakdown, trend, lowest procedures and agencies."""
    from openpyxl import Workbook

    wb = Workbook()
    header = ["", "Tổng", *[f"{s} (số)" for s in report.scale], *[f"{s} (%)" for s in report.scale]]

    def shares_row(name: str, shares: Shares) -> list[Any]:
        return [
            name,
            shares.total,
            *shares.counts,
            *[_pct(p) if p is not None else NO_DATA for p in shares.percents],
        ]

    summary = wb.active
    summary.title = "Tổng hợp"
    append_row(summary, [f"Mức độ hài lòng từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}"])
    append_row(summary, header)
    append_row(summary, shares_row("Đánh giá hồ sơ", report.overall))
    append_row(summary, shares_row("Đánh giá chung", report.general))
    sheets = [
        ("Tiêu chí", [(c, s) for c, s in report.per_criterion.items()]),
        ("Theo nhóm", [(g.name, g.shares) for g in report.breakdown]),
        ("Xu hướng", [(g.name, g.shares) for g in report.trend]),
        ("Thủ tục thấp nhất", [(g.name, g.shares) for g in report.lowest_procedures]),
        ("Cơ quan thấp nhất", [(g.name, g.shares) for g in report.lowest_agencies]),
    ]
    for title, rows in sheets:
        sheet = wb.create_sheet(title)
        append_row(sheet, header)
        for name, shares in rows:
            append_row(sheet, shares_row(name, shares))
    comments = wb.create_sheet("Ý kiến")
    append_row(comments, ["Nhóm", "Ý kiến (đánh giá không hài lòng)"])
    for group in [*report.lowest_procedures, *report.lowest_agencies]:
        for comment in group.comments:
            append_row(comments, [group.name, comment])
    wb.save(path)


def dossiers_xlsx(report: DossierReport, path: Path | io.BytesIO) -> None:
    """The dossier table on one sheet, totals last."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Hồ sơ"
    append_row(
        sheet, [f"Tình hình giải quyết hồ sơ từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}"]
    )
    append_row(sheet,
        ["Cấp" if report.by == "level" else "Cơ quan", "Tiếp nhận", "Đã giải quyết", "Đúng hạn",
         "Trễ hạn", "Đang giải quyết", "Trong đó quá hạn", "Từ chối/rút", "Tỷ lệ đúng hạn (%)"]
    )  # fmt: skip
    for row in [*report.rows, report.total]:
        pct = row.on_time_percent
        append_row(sheet,
            [row.name, row.received, row.done, row.on_time, row.late, row.in_progress,
             row.overdue, row.closed_unfinished, _pct(pct) if pct is not None else NO_DATA]
        )  # fmt: skip
    wb.save(path)


# -- charts ----------------------------------------------------------------------------


def _pyplot() -> Any:
    import matplotlib

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


def satisfaction_chart(report: SatisfactionReport, path: Path | io.BytesIO) -> None:
    """Bars of each level's share, overall and per group (or per week when not grouped)."""
    groups = [Group("Tổng", report.overall), *(report.breakdown or report.trend)][:12]
    colours = ["#2e7d32", "#81c784", "#fdd835", "#fb8c00", "#c62828"]
    palette = [*colours[: len(report.scale) - 1], colours[-1]]
    series = [
        (label, [float(g.shares.percents[i] or 0) for g in groups], palette[i])
        for i, label in enumerate(report.scale)
    ]
    title = f"Mức độ hài lòng {report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"
    _stacked_bars(
        [g.name for g in groups], series, xlabel="Tỷ lệ (%)", xmax=100, path=path,
        title=title if not report.empty else f"{title}: {NO_DATA}",
    )  # fmt: skip


def dossiers_chart(report: DossierReport, path: Path | io.BytesIO) -> None:
    """Done on time / late / in progress per group, as stacked bars of counts."""
    rows = report.rows[:12]
    series: list[tuple[str, list[float], str]] = [
        ("Đúng hạn", [float(r.on_time) for r in rows], "#2e7d32"),
        ("Trễ hạn", [float(r.late) for r in rows], "#c62828"),
        ("Đang giải quyết", [float(r.in_progress) for r in rows], "#1565c0"),
    ]
    title = f"Giải quyết hồ sơ {report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"
    _stacked_bars(
        [r.name for r in rows], series, xlabel="Số hồ sơ", path=path,
        title=title if not report.empty else f"{title}: {NO_DATA}",
    )  # fmt: skip

"""Catalogue export in the same formats import reads, so an export re-imports with no diff."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from tthc.catalog.models import Procedure
from tthc.catalog.records import (
    DOCUMENT_COLUMNS,
    DOCUMENTS_SHEET,
    EXPORT_COLUMNS,
    LIST_FIELDS,
    copies_text,
    document_to_line,
)
from tthc.core.spreadsheet import add_guide, append_row

RECORD_FIELDS = [key for key, _ in EXPORT_COLUMNS]


def procedure_to_record(procedure: Procedure, aliases: list[str]) -> dict[str, Any]:
    """A stored procedure as an import/export record."""
    record = {key: getattr(procedure, key) for key in RECORD_FIELDS if key != "aliases"}
    record["aliases"] = sorted(aliases)
    return record


def write_catalog(
    records: list[dict[str, Any]], path: Path, guide: list[str] | None = None
) -> None:
    """Write records as .json(.gz), .csv or .xlsx, chosen by the file name.

    A workbook gets a last sheet with `guide` (its title, then one line per row): how to
    edit the file and send it back. Import reads only the procedure and document sheets.
    """
    name = path.name.lower()
    if name.endswith((".json", ".json.gz")):
        data = json.dumps(
            [_jsonable(r) for r in records], ensure_ascii=False, indent=1, default=_default
        ).encode("utf-8")
        path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    elif name.endswith(".csv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([label for _, label in EXPORT_COLUMNS])
        for record in records:
            writer.writerow(_cells(record))
        path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    elif name.endswith(".xlsx"):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        # Documents go on their own sheet, one row each: a procedure's list can exceed
        # Excel's 32,767 characters per cell, which would silently cut it.
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Thủ tục hành chính"
        columns = [(key, label) for key, label in EXPORT_COLUMNS if key != "documents"]
        append_row(sheet, [label for _, label in columns])
        for record in records:
            append_row(
                sheet,
                [
                    cell
                    for (key, _), cell in zip(EXPORT_COLUMNS, _cells(record), strict=True)
                    if key != "documents"
                ],
            )
        docs = workbook.create_sheet(DOCUMENTS_SHEET)
        append_row(docs, DOCUMENT_COLUMNS)
        for record in records:
            for doc in record.get("documents") or []:
                append_row(
                    docs,
                    [record["code"], doc["name"], copies_text(doc) or "", doc.get("form") or "",
                     doc.get("case") or "", doc.get("note") or ""]
                )  # fmt: skip
        for ws in (sheet, docs):
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.freeze_panes = "C2"
        if guide:
            add_guide(workbook, guide)
        workbook.save(path)
    else:
        raise ValueError(f"{path.name}: unsupported file type (use .json, .csv or .xlsx)")


def exported(records: list[dict[str, Any]], filename: str, guide: list[str] | None = None) -> bytes:
    """The file `write_catalog` writes, as bytes (to send in the chat)."""
    with tempfile.TemporaryDirectory(prefix="tthc-export-") as folder:
        path = Path(folder) / filename
        write_catalog(records, path, guide)
        return path.read_bytes()


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    out.pop("processing_days", None)
    out.pop("fee_amounts", None)
    return out


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _cells(record: dict[str, Any]) -> list[Any]:
    cells: list[Any] = []
    for key in RECORD_FIELDS:
        value = record.get(key)
        if key == "documents":
            value = "\n".join(document_to_line(d) for d in value or [])
        elif key == "ways":
            value = "\n".join(w.get("label", "") for w in value or [])
        elif key in LIST_FIELDS:
            value = "\n".join(value or [])
        elif key == "effective_date":
            value = value.strftime("%d/%m/%Y") if value else ""
        cells.append("" if value is None else value)
    return cells

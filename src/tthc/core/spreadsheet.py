"""Workbooks and compressed files, read within bounds and written as data.

Files come from staff, and anyone who can get a file to staff. So reading checks the
expanded size and the compression ratio before parsing (a 36 KB workbook can declare a
billion cells, a 300 KB .gz can expand to gigabytes), ignores the sheet's declared
dimension (a stale one hides rows), and reads a bounded number of columns. Writing turns
every string into a text cell: a comment "=HYPERLINK(…)" must reach a manager's
spreadsheet as words, not as a live formula.
"""

from __future__ import annotations

import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_EXPANDED_BYTES = 1 << 30  # 1 GiB of XML or JSON: a province's year of dossiers fits
MAX_RATIO = 100  # real workbooks and JSON compress 5–20×; bombs 1,000×
MAX_COLUMNS = 64  # no import layout has more; a declared XFD column is not read
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


class UnsafeFile(ValueError):
    """A file that would expand beyond the limits; the message says why, in one line."""


def check_archive(path: Path) -> None:
    """Refuse a zip (an .xlsx) whose members expand too much, before anything parses it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeFile(f"{path.name} is not a readable .xlsx workbook: {exc}") from None
    total = sum(m.file_size for m in members)
    if total > MAX_EXPANDED_BYTES:
        raise UnsafeFile(f"{path.name} expands to {total >> 20} MB, over the limit")
    for member in members:
        if member.file_size > 1 << 20 and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise UnsafeFile(
                f"{path.name} expands {member.file_size // max(member.compress_size, 1)}× "
                f"({member.filename}): not a plain workbook"
            )


def gunzip_bounded(data: bytes, name: str) -> bytes:
    """Decompress gzip data, stopping as soon as it expands beyond the limits."""
    limit = min(MAX_EXPANDED_BYTES, MAX_RATIO * max(len(data), 1 << 14))
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out: list[bytes] = []
    size = 0
    view = memoryview(data)
    for start in range(0, len(data), 1 << 16):
        chunk = inflater.decompress(view[start : start + (1 << 16)], limit - size + 1)
        size += len(chunk)
        out.append(chunk)
        while inflater.unconsumed_tail and size <= limit:
            chunk = inflater.decompress(inflater.unconsumed_tail, limit - size + 1)
            size += len(chunk)
            out.append(chunk)
        if size > limit:
            raise UnsafeFile(f"{name} expands more than {MAX_RATIO}× or past 1 GB: not accepted")
    return b"".join(out)


def sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    """A read-only sheet's rows as lists, whatever dimension the file declares."""
    sheet.reset_dimensions()  # read-only mode trusts <dimension>, which may be stale
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        yield list(row)


def append_row(sheet: Any, values: list[Any]) -> None:
    """Append a row with every string cell written as text, never as a formula."""
    from openpyxl.cell.cell import Cell

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str) and value.startswith(_RISKY_START):
            cell = Cell(sheet, value=value)
            cell.data_type = "s"  # openpyxl made "=…" a formula; it is text
            cells.append(cell)
        else:
            cells.append(value)
    sheet.append(cells)


@dataclass(frozen=True)
class Problem:
    """One validation error: where (record/row), which field, and what is wrong."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


# Vietnamese Windows saves "CSV" as Windows-1258 unless told "CSV UTF-8"; Excel's
# "Unicode text" is UTF-16 with a byte-order mark.
LEGACY_ENCODING = "cp1258"


def text_encoding(head: bytes) -> str:
    """The encoding of a text file from its first bytes: UTF-16 (BOM), UTF-8, or Windows-1258.

    UTF-8 is tried first: Windows-1258 decodes any bytes, so it is the last resort.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            return LEGACY_ENCODING
    return "utf-8-sig"


def decode_text(data: bytes) -> str:
    """A whole text file as NFC text, in whichever of the encodings above it is.

    Raises UnicodeDecodeError when it is none of them.
    """
    return unicodedata.normalize("NFC", data.decode(text_encoding(data[: 1 << 16])))


def add_guide(workbook: Any, guide: list[str]) -> None:
    """A sheet named by the guide's first line, one line of it per row."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(guide[0][:31])
    for line in guide:
        append_row(sheet, [line])
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 120


def csv_delimiter(header: str) -> str:
    """Excel writes "," or, in Vietnamese locales, ";": the header line tells which.

    (The csv Sniffer guesses from a sample and misreads long quoted multi-line cells.)
    """
    return max((",", ";", "\t"), key=header.count)

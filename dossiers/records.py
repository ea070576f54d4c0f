"""Reading one-stop dossier exports (CSV, XLSX) row by row into validated records.

Files are streamed, never loaded whole: a province's year is 600,000 rows. Headers are
matched folded (case, diacritics, spacing), so the one-stop layout in
`../shared/data/dossiers-sample.csv` needs no configuration; other layouts map their
headers with `extra_columns` ({"Header as written": "field"}).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from catalog.normalize import fold, nfc
from catalog.records import Problem, csv_delimiter
from dossiers.status import Status, parse_status
from tthc.timeutil import VIETNAM

FIELDS = (
    "code", "procedure_code", "procedure_name", "field", "agency", "level", "applicant",
    "phone", "id_number", "received_at", "due_at", "finished_at", "returned_at", "status",
    "return_method",
)  # fmt: skip
DEFAULT_COLUMNS: dict[str, str] = {
    "ma ho so": "code", "so bien nhan": "code", "ma so ho so": "code", "so ho so": "code",
    "ma thu tuc": "procedure_code", "ma tthc": "procedure_code",
    "ten thu tuc": "procedure_name", "thu tuc": "procedure_name",
    "linh vuc": "field",
    "co quan tiep nhan": "agency", "co quan thuc hien": "agency", "don vi tiep nhan": "agency",
    "cap thuc hien": "level", "cap": "level",
    "nguoi nop": "applicant", "chu ho so": "applicant", "ten nguoi nop": "applicant",
    "so dien thoai": "phone", "dien thoai": "phone",
    "so giay to": "id_number", "so cccd": "id_number", "so dinh danh": "id_number",
    "ngay tiep nhan": "received_at", "ngay nhan": "received_at",
    "ngay hen tra": "due_at", "han xu li": "due_at", "ngay hen tra ket qua": "due_at",
    "ngay co ket qua": "finished_at", "ngay hoan thanh": "finished_at",
    "ngay tra ket qua": "returned_at",
    "trang thai": "status", "tinh trang": "status",
    "hinh thuc nhan ket qua": "return_method", "hinh thuc tra ket qua": "return_method",
}  # fmt: skip
DATE_FIELDS = ("received_at", "due_at", "finished_at", "returned_at")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
HEADER_SEARCH_ROWS = 10


class DossierFileError(Exception):
    """The file cannot be read at all (unknown type, not UTF-8, no header row)."""


@dataclass(slots=True)
class DossierRecord:
    """One validated row: the dossier's state as the one-stop system exported it."""

    code: str
    status: Status
    procedure_code: str | None = None
    procedure_name: str | None = None
    field: str | None = None
    agency: str | None = None
    level: str | None = None
    applicant: str | None = None
    secret_hash: str | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    return_method: str | None = None


def secret_hash(key: bytes, code: str, secret: str) -> str:
    """Keyed hash of a dossier's check digits: the database alone does not reveal them."""
    return hmac.new(key, f"{code}:{secret}".encode(), hashlib.sha256).hexdigest()[:32]


def last_digits(value: str | None, n: int = 4) -> str | None:
    """The last `n` digits of a phone or ID number, if it has that many."""
    digits = "".join(c for c in value or "" if c.isdigit())
    return digits[-n:] if len(digits) >= n else None


def read_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the first sheet, streamed."""
    name = path.name.lower()
    if name.endswith(".csv"):
        return _csv_rows(path)
    if name.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(path)
    raise DossierFileError(f"{path.name}: unsupported file type (use .csv or .xlsx)")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise DossierFileError(f"{path.name}: not UTF-8 (save it as 'CSV UTF-8')") from None
        delimiter = csv_delimiter(first)
        handle.seek(0)  # utf-8-sig skips the BOM again, if there is one
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            yield from enumerate(reader, start=1)
        except UnicodeDecodeError as exc:
            raise DossierFileError(
                f"{path.name}: not UTF-8 after row {reader.line_num}: {exc}"
            ) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DossierFileError(f"{path.name} is not a readable .xlsx workbook: {exc}") from None
    try:
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


class RowReader:
    """Finds the header row, then turns each data row into a record or problems."""

    def __init__(
        self, key: bytes, code_pattern: str, extra_columns: Mapping[str, str] | None = None
    ) -> None:
        self.key = key
        self.code_re = re.compile(code_pattern)
        self.columns = {fold(h): f for h, f in DEFAULT_COLUMNS.items()}
        for header, field_name in (extra_columns or {}).items():
            if field_name not in FIELDS:
                raise ValueError(
                    f"unknown dossier field {field_name!r} (known: {', '.join(FIELDS)})"
                )
            self.columns[fold(header)] = field_name
        self.header: dict[int, str] = {}
        self.ignored: list[str] = []

    def find_header(self, rows: Iterator[tuple[int, list[Any]]]) -> None:
        """Consume rows up to and including the header; raise if there is none."""
        for number, row in rows:
            mapping = {
                i: self.columns[fold(str(c))]
                for i, c in enumerate(row)
                if c is not None and fold(str(c)) in self.columns
            }
            if "code" in mapping.values() and "status" in mapping.values():
                self.header = mapping
                self.ignored = [
                    str(c) for i, c in enumerate(row) if c not in (None, "") and i not in mapping
                ]
                return
            if number >= HEADER_SEARCH_ROWS:
                break
        raise DossierFileError(
            f"no header row with the dossier code and status columns ('Mã hồ sơ', 'Trạng thái') "
            f"in the first {HEADER_SEARCH_ROWS} rows"
        )

    def parse(self, number: int, row: list[Any], problems: list[Problem]) -> DossierRecord | None:
        """A record, or None after adding this row's problems."""
        where = f"row {number}"
        cells: dict[str, Any] = {}
        for i, field_name in self.header.items():
            value = row[i] if i < len(row) else None
            if isinstance(value, str):
                value = value.strip() or None
            cells[field_name] = value
        found: list[Problem] = []
        code = str(cells.get("code") or "")
        if not code:
            found.append(Problem(where, "code", "is missing"))
        elif not self.code_re.match(code):
            found.append(
                Problem(where, "code", f"{code!r} does not match the receipt code pattern")
            )
        status = parse_status(str(cells["status"])) if cells.get("status") is not None else None
        if status is None:
            found.append(Problem(where, "status", f"unknown status {cells.get('status')!r}"))
        dates: dict[str, datetime | None] = {}
        for name in DATE_FIELDS:
            try:
                dates[name] = parse_date(cells.get(name))
            except ValueError:
                found.append(
                    Problem(where, name, f"{cells.get(name)!r} is not a date like 27/05/2024 07:31")
                )
        if found:
            problems.extend(found)
            return None
        secret = last_digits(_text(cells.get("phone"))) or last_digits(
            _text(cells.get("id_number"))
        )
        assert status is not None
        return DossierRecord(
            code=code,
            status=status,
            procedure_code=_text(cells.get("procedure_code")),
            procedure_name=_text(cells.get("procedure_name")),
            field=_text(cells.get("field")),
            agency=_text(cells.get("agency")),
            level=_text(cells.get("level")),
            applicant=_text(cells.get("applicant")),
            secret_hash=secret_hash(self.key, code, secret) if secret else None,
            return_method=_text(cells.get("return_method")),
            **dates,
        )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if "  " in text or "\n" in text or not unicodedata.is_normalized("NFC", text):
        text = nfc(text)  # the slow path, for the few cells that need it
    return text or None


def parse_date(value: Any) -> datetime | None:
    """dd/mm/yyyy[ HH:MM[:SS]] or ISO, as Vietnam local time; spreadsheet dates too."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=VIETNAM)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=VIETNAM)
    text = str(value).strip()
    if len(text) == 16 and text[2] == "/" and text[5] == "/" and text[13] == ":":
        # The one-stop layout, "27/05/2024 07:31": sliced, the regex is not needed.
        try:
            return datetime(
                int(text[6:10]), int(text[3:5]), int(text[:2]), int(text[11:13]), int(text[14:]),
                tzinfo=VIETNAM,
            )  # fmt: skip
        except ValueError:
            pass  # fall through to the general forms, which report the problem
    if m := _DATE.match(text):
        d, mo, y, h, mi, s = m.groups()
    elif m := _ISO.match(text):
        y, mo, d, h, mi, s = m.groups()
    else:
        raise ValueError(text)
    return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=VIETNAM)

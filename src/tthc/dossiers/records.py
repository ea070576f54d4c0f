"""Reading one-stop dossier exports (CSV, XLSX) row by row into validated records.

Files are streamed, never loaded whole: a province's year is 600,000 rows. Headers are
matched folded (case, diacritics, spacing), so the one-stop layout in
`../shared/data/dossiers-sample.csv` needs no configuration; other layouts map their
headers with `extra_columns` ({"Header as written": "field"}).
"""

from __future__ import annotations

import csv
import hmac
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tthc.core.clock import VIETNAM
from tthc.core.inputs import sanitize
from tthc.core.spreadsheet import (
    Problem,
    UnsafeFile,
    check_archive,
    csv_delimiter,
    sheet_rows,
    text_encoding,
)
from tthc.core.text import fold, nfc
from tthc.dossiers.status import Status, parse_status

FIELDS = (
    "code", "procedure_code", "procedure_name", "field", "agency", "level", "applicant",
    "phone", "id_number", "received_at", "due_at", "finished_at", "returned_at", "status",
    "return_method", "channel",
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
# Other one-stop systems' words for the same columns.
DEFAULT_COLUMNS.update({
    "ma bien nhan": "code", "so ho so bien nhan": "code",
    "ten thu tuc hanh chinh": "procedure_name", "thu tuc hanh chinh": "procedure_name",
    "co quan giai quyet": "agency", "don vi xu li": "agency", "don vi giai quyet": "agency",
    "cap giai quyet": "level",
    "ho ten nguoi nop": "applicant", "ho va ten nguoi nop": "applicant",
    "nguoi dung ten": "applicant", "to chuc ca nhan nop": "applicant",
    "sdt": "phone", "dien thoai lien he": "phone", "so dien thoai lien he": "phone",
    "so cmnd": "id_number", "so cmnd cccd": "id_number", "so cccd cmnd": "id_number",
    "ngay nop": "received_at", "ngay hen": "due_at", "han giai quyet": "due_at",
    "ngay tra": "returned_at",
    "trang thai ho so": "status", "tinh trang ho so": "status",
    "hinh thuc nop": "channel", "hinh thuc nop ho so": "channel", "kenh nop": "channel",
    "kenh nop ho so": "channel", "kenh tiep nhan": "channel", "hinh thuc tiep nhan": "channel",
    "phuong thuc nop": "channel", "nguon ho so": "channel", "nop truc tuyen": "channel",
    "tinh trang xu li": "status", "trang thai xu li": "status",
})  # fmt: skip
DATE_FIELDS = ("received_at", "due_at", "finished_at", "returned_at")
TEXT_FIELDS = (
    "procedure_code", "procedure_name", "field", "agency", "level", "applicant", "return_method",
)  # fmt: skip
# The dossier table's columns after its code, in the order bulk writes use.
STORED_FIELDS = (
    "status", "procedure_code", "procedure_name", "field", "agency", "level", "applicant",
    "secret_hash", "received_at", "due_at", "finished_at", "returned_at", "return_method",
    "channel",
)  # fmt: skip
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
HEADER_SEARCH_ROWS = 10
_NON_DIGIT = re.compile(r"\D")
# Stored values a file can only lower by an explicit choice: the check digits that keep a
# dossier private, and the agency and level the reports count by.
PROTECTED = ("secret_hash", "agency", "level")
# The columns a stored value is read from (the check digits: a phone or an ID number).
_SOURCES = {"secret_hash": ("phone", "id_number")}
MAX_FILE_BYTES = 1 << 30  # a province's year is about 150 MB as CSV
# The longest value each stored field accepts; the columns of the dossier table agree.
MAX_LENGTHS = {
    "code": 64, "procedure_code": 32, "procedure_name": 2000, "field": 500, "agency": 2000,
    "level": 40, "applicant": 200, "phone": 40, "id_number": 40, "return_method": 500,
    "status": 100, "channel": 100,
}  # fmt: skip


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
    channel: str | None = None


# How one-stop exports write the submission channel, folded.
_CHANNELS = (
    ("online", ("truc tuyen", "online", "dich vu cong", "dvc", "qua mang", "internet")),
    ("post", ("buu chinh", "buu dien", "qua duong buu")),
    ("direct", ("truc tiep", "tai quay", "mot cua", "tai bo phan")),
)


def channel_of(value: str | None) -> str | None:
    """ "online", "post" or "direct" for a channel cell ("Trực tuyến", "Nộp trực tiếp"…)."""
    if not value:
        return None
    folded = fold(value)
    if folded in ("1", "2", "3"):  # the one-stop systems' codes: 1 direct, 2 online, 3 post
        return {"1": "direct", "2": "online", "3": "post"}[folded]
    for channel, words in _CHANNELS:
        if any(word in folded for word in words):
            return channel
    return None


def secret_hash(key: bytes, code: str, secret: str) -> str:
    """Keyed hash of a dossier's check digits: the database alone does not reveal them."""
    return hmac.digest(key, f"{code}:{secret}".encode(), "sha256").hex()[:32]


def last_digits(value: str | None, n: int = 4) -> str | None:
    """The last `n` digits of a phone or ID number, if it has that many."""
    digits = _NON_DIGIT.sub("", value or "")
    return digits[-n:] if len(digits) >= n else None


class Rows:
    """(row number, cells) of the first sheet, streamed, and how far into the file."""

    def __init__(self, path: Path) -> None:
        name = path.name.lower()
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DossierFileError(f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB")
        self.size = max(path.stat().st_size, 1)
        self._offset: Callable[[], int] | None = None
        self.finished = False
        if name.endswith(".csv"):
            self._rows = _csv_rows(path, self)
        elif name.endswith((".xlsx", ".xlsm")):
            self._rows = _xlsx_rows(path)
        else:
            raise DossierFileError(f"{path.name}: unsupported file type (use .csv or .xlsx)")

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        return self

    def __next__(self) -> tuple[int, list[Any]]:
        return next(self._rows)

    def fraction(self) -> float | None:
        """The share of the file read so far; None when the format does not tell."""
        if self.finished:
            return 1.0
        return None if self._offset is None else min(self._offset() / self.size, 1.0)


def read_rows(path: Path) -> Rows:
    """(row number, cells) of the first sheet, streamed."""
    return Rows(path)


def _csv_rows(path: Path, rows: Rows) -> Iterator[tuple[int, list[Any]]]:
    with path.open("rb") as head:
        encoding = text_encoding(head.read(1 << 16))
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as handle:
        rows._offset = raw.tell  # bytes read ahead: close enough for progress
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise DossierFileError(
                f"{path.name}: neither UTF-8 nor Windows-1258 (save it as 'CSV UTF-8')"
            ) from None
        delimiter = csv_delimiter(first)
        handle.seek(0)  # utf-8-sig skips the BOM again, if there is one
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            yield from enumerate(reader, start=1)
            rows.finished = True
        except UnicodeDecodeError as exc:
            raise DossierFileError(
                f"{path.name}: not {encoding} after row {reader.line_num}: {exc}"
            ) from None
        except csv.Error as exc:
            raise DossierFileError(f"{path.name}, row {reader.line_num}: {exc}") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        check_archive(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except UnsafeFile as exc:
        raise DossierFileError(str(exc)) from None
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DossierFileError(f"{path.name} is not a readable .xlsx workbook: {exc}") from None
    number = 0
    try:
        for number, row in enumerate(sheet_rows(workbook.worksheets[0]), start=1):
            yield number, row
    except Exception as exc:  # a truncated or malformed sheet XML
        raise DossierFileError(f"{path.name}, after row {number}: cannot be read: {exc}") from None
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
            mapping: dict[int, str] = {}
            named: dict[str, str] = {}
            for i, cell in enumerate(row):
                field_name = self.columns.get(fold(str(cell))) if cell is not None else None
                if field_name is None:
                    continue
                if field_name in named:
                    raise DossierFileError(
                        f"row {number}: columns {named[field_name]!r} and {str(cell).strip()!r} "
                        f"both give the {field_name}; keep one of them"
                    )
                named[field_name] = str(cell).strip()
                mapping[i] = field_name
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

    def present(self) -> tuple[bool, ...]:
        """Per stored field (code aside), whether the file has a column it is read from.

        A field without one keeps its stored value: a layout without phones must not strip
        the check digits of the dossiers it updates.
        """
        columns = set(self.header.values())
        return tuple(
            any(source in columns for source in _SOURCES.get(name, (name,)))
            for name in STORED_FIELDS
        )

    def parse(self, number: int, row: list[Any], problems: list[Problem]) -> DossierRecord | None:
        """A record, or None after adding this row's problems."""
        fields = self._fields(number, row, problems, parse_date)
        return None if fields is None else DossierRecord(**fields)

    def stored_row(
        self,
        number: int,
        row: list[Any],
        problems: list[Problem],
        date: Callable[[Any], Any],
    ) -> tuple[Any, ...] | None:
        """The row as the dossier table stores it (code, then STORED_FIELDS), or None.

        `date` turns a cell into the database's value for a timestamp: the bulk import
        skips datetime objects where it can (see `sqlite_timestamp`).
        """
        fields = self._fields(number, row, problems, date)
        if fields is None:
            return None
        fields["status"] = int(fields["status"])
        return (fields["code"], *(fields[name] for name in STORED_FIELDS))

    def _fields(
        self,
        number: int,
        row: list[Any],
        problems: list[Problem],
        date: Callable[[Any], Any],
    ) -> dict[str, Any] | None:
        """Validated field values, or None after adding this row's problems.

        This runs 600,000 times for a province's year: it avoids work a clean row does
        not need (problem texts, slow normalisation) and reads cells by position.
        """
        width = len(row)
        cells: dict[str, Any] = {}
        found: list[Problem] = []
        for i, name in self.header.items():
            value = row[i] if i < width else None
            if value.__class__ is str:
                value = value.strip() or None
                limit = MAX_LENGTHS.get(name)
                if value is not None and limit is not None and len(value) > limit:
                    found.append(
                        Problem(
                            f"row {number}",
                            name,
                            f"is {len(value):,} characters long (at most {limit:,})",
                        )
                    )
            cells[name] = value
        code = str(cells.get("code") or "")
        if not code:
            found.append(Problem(f"row {number}", "code", "is missing"))
        elif not self.code_re.match(code):
            found.append(
                Problem(
                    f"row {number}", "code", f"{code!r} does not match the receipt code pattern"
                )
            )
        raw_status = cells.get("status")
        status = parse_status(str(raw_status)) if raw_status is not None else None
        if status is None:
            found.append(Problem(f"row {number}", "status", f"unknown status {raw_status!r}"))
        fields: dict[str, Any] = {"code": code, "status": status}
        for name in DATE_FIELDS:
            value = cells.get(name)
            try:
                fields[name] = date(value) if value is not None else None
            except ValueError:
                found.append(
                    Problem(f"row {number}", name, f"{value!r} is not a date like 27/05/2024 07:31")
                )
        if found:
            problems.extend(found)
            return None
        for name in TEXT_FIELDS:
            value = cells.get(name)
            if value is not None and (
                value.__class__ is not str
                or "  " in value
                or not value.isprintable()
                or not unicodedata.is_normalized("NFC", value)
            ):
                value = _text(value)  # the slow path: control characters, odd spacing, NFD
            fields[name] = value
        fields["channel"] = channel_of(_text(cells.get("channel")))
        secret = last_digits(_text(cells.get("phone"))) or last_digits(
            _text(cells.get("id_number"))
        )
        fields["secret_hash"] = secret_hash(self.key, code, secret) if secret else None
        return fields


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if "  " in text or not text.isprintable() or not unicodedata.is_normalized("NFC", text):
        text = nfc(sanitize(text))  # the slow path: control characters, NUL, odd spacing
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


_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def sqlite_timestamp(value: Any) -> str | None:
    """A cell as the text SQLAlchemy stores on SQLite for the UTC instant ("…00:31:00.000000").

    The one-stop layout's "27/05/2024 07:31" between 07:00 and 23:59 is the same day in
    UTC: the text is rearranged without building a datetime (six times faster, and this
    runs 2.5 million times for a year of dossiers). Anything else takes `parse_date`.
    """
    if value.__class__ is str and len(value) == 16 and value[2] == "/" and value[5] == "/":
        day, month, year, hour, minute = (
            value[:2],
            value[3:5],
            value[6:10],
            value[11:13],
            value[14:],
        )
        digits = day + month + year + hour + minute
        if value[13] == ":" and digits.isascii() and digits.isdigit():
            d, m, h = int(day), int(month), int(hour)
            valid_day = 1 <= m <= 12 and 1 <= d <= _DAYS_IN_MONTH[m]
            same_day_utc = 7 <= h <= 23 and int(minute) <= 59
            if valid_day and same_day_utc and (m != 2 or d < 29 or _leap(int(year))):
                return f"{year}-{month}-{day} {h - 7:02d}:{minute}:00.000000"
    parsed = parse_date(value)
    if parsed is None:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def utc_timestamp(value: Any) -> datetime | None:
    """A cell as an aware UTC datetime (PostgreSQL's timestamptz takes it as is)."""
    parsed = parse_date(value)
    return None if parsed is None else parsed.astimezone(UTC)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

"""Reading catalogue files (portal JSON, CSV, XLSX) into validated, cleaned records.

Every problem is collected with its record/row and field instead of stopping at the
first, so staff can fix a file in one pass. A record holds only the fields its source
provides: a spreadsheet without a "Phí, lệ phí" column leaves fees untouched.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tthc.catalog import cleaning
from tthc.core.spreadsheet import (
    Problem,
    UnsafeFile,
    check_archive,
    csv_delimiter,
    decode_text,
    gunzip_bounded,
    sheet_rows,
)
from tthc.core.text import fold, nfc

CODE_RE = re.compile(r"^\d\.\d{6}$")  # the national numbering: 1.000656
# What Excel makes of a code in a "General" cell: a number, trailing zeros gone (2.00201).
_MANGLED_CODE = re.compile(r"^\d\.\d{1,5}$")
KNOWN_LEVELS = {
    "cap bo": "Cấp bộ",
    "cap tinh": "Cấp tỉnh",
    "cap huyen": "Cấp huyện",
    "cap xa": "Cấp xã",
    "co quan khac": "Cơ quan khác",
    "bo": "Cấp bộ",
    "tinh": "Cấp tỉnh",
    "huyen": "Cấp huyện",
    "xa": "Cấp xã",
    "trung uong": "Cấp bộ",
}
_LEVEL_SHAPE = re.compile(r"^cap [a-z ]{2,30}$")

# Spreadsheet/CSV column headers (folded) → record field. Vietnamese as the portal and
# one-stop systems write them, English as our own export writes them.
COLUMNS: dict[str, str] = {
    "ma so": "code", "ma thu tuc": "code", "ma tthc": "code", "code": "code",
    "ten": "name", "ten thu tuc": "name", "name": "name",
    "linh vuc": "field", "field": "field",
    "cap thuc hien": "levels", "levels": "levels", "level": "levels",
    "co quan thuc hien": "agency", "agency": "agency",
    "thoi han giai quyet": "processing_time", "processing time": "processing_time",
    "processing_time": "processing_time",
    "phi le phi": "fees", "le phi": "fees", "fees": "fees",
    "thanh phan ho so": "documents", "documents": "documents",
    "trinh tu thuc hien": "steps", "steps": "steps",
    "cach thuc thuc hien": "ways", "ways": "ways",
    "can cu phap ly": "legal_basis", "legal basis": "legal_basis", "legal_basis": "legal_basis",
    "dieu kien thuc hien": "conditions", "conditions": "conditions",
    "ket qua thuc hien": "result", "result": "result",
    "ngay hieu luc": "effective_date", "effective date": "effective_date",
    "effective_date": "effective_date",
    "nguon": "source_url", "source url": "source_url", "source_url": "source_url",
    "ten goi khac": "aliases", "aliases": "aliases",
}  # fmt: skip
IGNORED_COLUMNS = {"co quan ban hanh", "stt", "tt"}
# Headers are compared folded like any other text ("Căn cứ pháp lý" → "can cu phap li").
_HEADER_KEYS = {fold(header): key for header, key in COLUMNS.items()}
LIST_FIELDS = ("levels", "steps", "legal_basis", "aliases")
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã số"),
    ("name", "Tên"),
    ("field", "Lĩnh vực"),
    ("levels", "Cấp thực hiện"),
    ("agency", "Cơ quan thực hiện"),
    ("processing_time", "Thời hạn giải quyết"),
    ("fees", "Phí, lệ phí"),
    ("documents", "Thành phần hồ sơ"),
    ("steps", "Trình tự thực hiện"),
    ("ways", "Cách thức thực hiện"),
    ("conditions", "Điều kiện thực hiện"),
    ("result", "Kết quả thực hiện"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("effective_date", "Ngày hiệu lực"),
    ("source_url", "Nguồn"),
    ("aliases", "Tên gọi khác"),
]
DOC_SEPARATOR = " | "
MAX_FILE_BYTES = 200 << 20  # the national catalogue is 19 MB as JSON
# A catalogue cell holds at most a long procedure's document list; csv's default 128 KB
# field limit is too small for some, and an unbounded one invites memory abuse.
csv.field_size_limit(8 << 20)
DOCUMENTS_SHEET = "Thành phần hồ sơ"
DOCUMENT_COLUMNS = ["Mã số", "Tên giấy tờ", "Số lượng", "Mẫu đơn, tờ khai", "Nhóm", "Ghi chú"]


@dataclass
class ParsedFile:
    """Cleaned records keyed by code, plus every problem found."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    complete: bool = False  # True when records carry every field (JSON, our full exports)


class CatalogFileError(Exception):
    """The file cannot be read at all (not JSON, not a workbook, no header row)."""


Progress = Callable[[int, float | None], None]


def read_catalog_file(path: Path, progress: Progress | None = None) -> ParsedFile:
    """Parse a catalogue file by its extension (.json, .json.gz, .csv, .xlsx).

    `progress(records, share)` follows the validation, which is most of the time.
    """
    name = path.name.lower()
    if name.endswith((".json", ".json.gz")):
        return parse_json(_read_bytes(path), progress)
    if name.endswith(".csv"):
        return parse_rows(_csv_rows(_read_bytes(path)), sheet=None, progress=progress)
    if name.endswith((".xlsx", ".xlsm")):
        title, rows, document_rows = _xlsx_rows(path)
        documents = _documents_by_code(document_rows) if document_rows is not None else None
        return parse_rows(rows, sheet=title, documents=documents, progress=progress)
    raise CatalogFileError(f"{path.name}: unsupported file type (use .json, .csv or .xlsx)")


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CatalogFileError(f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB")
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            data = gunzip_bounded(data, path.name)
        except UnsafeFile as exc:
            raise CatalogFileError(str(exc)) from None
        except (OSError, EOFError, zlib.error) as exc:
            raise CatalogFileError(f"{path.name} is not a readable .gz file: {exc}") from None
    return data


def parse_json(data: bytes, progress: Progress | None = None) -> ParsedFile:
    """The national portal's JSON array (and our own export, which shares its shape)."""
    try:
        items = json.loads(data.decode("utf-8-sig"), parse_constant=_NonFinite)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CatalogFileError(f"not valid JSON: {exc}") from None
    if not isinstance(items, list):
        raise CatalogFileError("JSON must be an array of procedures")
    parsed = ParsedFile(complete=True)
    for index, item in enumerate(items, start=1):
        where = f"record {index}"
        if not isinstance(item, dict):
            parsed.problems.append(Problem(where, "-", "is not an object"))
            continue
        raw = dict(item)
        bad = [key for key, value in raw.items() if _has_non_finite(value)]
        if bad:
            for key in bad:
                parsed.problems.append(Problem(where, key, "NaN or Infinity is not a value"))
            continue
        if "level" in raw and "levels" not in raw:
            raw["levels"] = raw.pop("level")
        _add_record(parsed, raw, where, partial=False)
        if progress is not None:
            progress(index, index / len(items))
    return parsed


class _NonFinite(str):
    """NaN, Infinity or -Infinity in a JSON file: not text, not a number anyone meant."""


def _has_non_finite(value: Any) -> bool:
    if isinstance(value, _NonFinite):
        return True
    if isinstance(value, list):
        return any(_has_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    return False


def parse_rows(
    rows: Iterable[list[Any]],
    *,
    sheet: str | None,
    documents: dict[str, list[dict[str, Any]]] | None = None,
    progress: Progress | None = None,
) -> ParsedFile:
    """Spreadsheet-like rows: find the header row, map known columns, clean each row.

    `documents` (from a workbook's "Thành phần hồ sơ" sheet) replaces the documents of the
    procedures it lists: one row per document has no cell-size limit.
    """
    parsed = ParsedFile()
    iterator = iter(enumerate(rows, start=1))
    header: dict[int, str] | None = None
    for row_number, row in iterator:
        mapping = _header_mapping(row, where=f"{sheet + ', ' if sheet else ''}row {row_number}")
        if mapping and "code" in mapping.values():
            header = mapping
            parsed.ignored_columns = [
                str(cell).strip()
                for i, cell in enumerate(row)
                if cell not in (None, "") and i not in mapping
            ]
            break
        if row_number >= 20:
            break
    if header is None:
        raise CatalogFileError(
            "no header row with a code column ('Mã số' or 'code') in the first 20 rows"
        )
    prefix = f"{sheet}, " if sheet else ""
    for row_number, row in iterator:
        if all(cell in (None, "") for cell in row):
            continue
        raw = _split_cells({key: row[i] if i < len(row) else None for i, key in header.items()})
        if documents is not None and (code := _text(raw.get("code"))) in documents:
            raw["documents"] = documents[code]
        _add_record(parsed, raw, f"{prefix}row {row_number}", partial=True)
        if progress is not None:
            progress(len(parsed.records), None)
    for code in sorted(set(documents or ()) - set(parsed.records)):
        parsed.problems.append(
            Problem(f"sheet {DOCUMENTS_SHEET}", "code", f"{code} is not on the procedure sheet")
        )
    return parsed


def _documents_by_code(rows: list[list[Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group a documents sheet's rows (code, name, copies, form, group, note) by code."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows[1:]:
        cells = [_text(cell) for cell in [*row, *[None] * 6][:6]]
        if not cells[0] or not cells[1]:
            continue
        doc: dict[str, Any] = {"name": cells[1]}
        for key, value in zip(("copies", "form", "case", "note"), cells[2:], strict=True):
            if value:
                doc[key] = value
        out.setdefault(cells[0], []).append(doc)
    return out


def _header_mapping(row: list[Any], *, where: str = "header") -> dict[int, str]:
    """Column index → field; two columns for one field are an error naming both."""
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for i, cell in enumerate(row):
        if isinstance(cell, str) and (key := _HEADER_KEYS.get(fold(cell))):
            if key in seen:
                raise CatalogFileError(
                    f"{where}: columns {seen[key]!r} and {cell.strip()!r} both give the {key}; "
                    "keep one of them"
                )
            seen[key] = cell.strip()
            mapping[i] = key
    return mapping


def _split_cells(raw: dict[str, Any]) -> dict[str, Any]:
    """Multi-line spreadsheet cells become lists; documents are `name | copies | form | group | note`."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        text = "" if value is None else str(value).replace("\r\n", "\n")
        if key in LIST_FIELDS or key == "ways":
            out[key] = [line for line in (x.strip() for x in text.split("\n")) if line]
        elif key == "documents":
            out[key] = [_document_from_line(line) for line in text.split("\n") if line.strip()]
        elif key == "agency":
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            out[key] = ", ".join(lines) or None
        else:
            out[key] = value
    return out


def _document_from_line(line: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split(DOC_SEPARATOR.strip())]
    doc: dict[str, Any] = {"name": parts[0]}
    if len(parts) > 1 and parts[1]:
        doc["copies"] = parts[1]
    if len(parts) > 2 and parts[2]:
        doc["form"] = parts[2]
    if len(parts) > 3 and parts[3]:
        doc["case"] = parts[3]
    if len(parts) > 4 and parts[4]:
        doc["note"] = parts[4]
    return doc


def document_to_line(doc: dict[str, Any]) -> str:
    """The spreadsheet form of one document (inverse of the parser above)."""
    parts = [doc["name"], copies_text(doc), doc.get("form"), doc.get("case"), doc.get("note")]
    return DOC_SEPARATOR.join(part or "" for part in parts).rstrip(" |")


def copies_text(doc: dict[str, Any]) -> str | None:
    """ "1 bản chính, 1 bản sao" from stored counts."""
    parts = []
    if doc.get("originals"):
        parts.append(f"{doc['originals']} bản chính")
    if doc.get("copies_count"):
        parts.append(f"{doc['copies_count']} bản sao")
    return ", ".join(parts) or None


def _add_record(parsed: ParsedFile, raw: dict[str, Any], where: str, *, partial: bool) -> None:
    problems: list[Problem] = []
    record = clean_record(raw, where, problems, partial=partial)
    code = record.get("code")
    if code and code in parsed.records:
        problems.append(Problem(where, "code", f"duplicate code {code}"))
    parsed.problems.extend(problems)
    if not problems and code:
        parsed.records[code] = record


def clean_record(
    raw: dict[str, Any], where: str, problems: list[Problem], *, partial: bool
) -> dict[str, Any]:
    """Validate and clean one procedure; only fields present in `raw` are returned."""
    rec: dict[str, Any] = {}
    code = _text(raw.get("code"))
    if not code:
        problems.append(Problem(where, "code", "is missing"))
    elif _MANGLED_CODE.match(code):
        likely = code.ljust(8, "0")
        problems.append(
            Problem(where, "code", f"{code!r} lost its last zeros in Excel; probably {likely}")
        )
    elif not CODE_RE.match(code):
        problems.append(Problem(where, "code", f"{code!r} is not a procedure code like 1.000656"))
    else:
        rec["code"] = code
    if "name" in raw or not partial:
        name = cleaning.clean_name(_text(raw.get("name")) or "")
        if not name:
            problems.append(Problem(where, "name", "is missing"))
        elif len(name) > 2000:
            problems.append(Problem(where, "name", "is longer than 2,000 characters"))
        rec["name"] = name
    if "field" in raw or not partial:
        rec["field"] = cleaning.clean_name(_text(raw.get("field")) or "")
        if len(rec["field"]) > 255:
            problems.append(Problem(where, "field", "is longer than 255 characters"))
    if "levels" in raw or not partial:
        rec["levels"] = _levels(raw.get("levels"), where, problems)
    if "agency" in raw or not partial:
        rec["agency"] = cleaning.clean_name(_text(raw.get("agency")) or "") or None
    if "processing_time" in raw or not partial:
        rec["processing_time"], rec["processing_days"] = cleaning.clean_processing_time(
            _text(raw.get("processing_time"))
        )
    if "fees" in raw or not partial:
        rec["fees"], rec["fee_amounts"] = cleaning.clean_fees(_text(raw.get("fees")))
    if "documents" in raw or not partial:
        docs = raw.get("documents") or []
        if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
            problems.append(Problem(where, "documents", "must be a list of objects with a name"))
        else:
            cleaned = (cleaning.clean_document(d) for d in docs if _text(d.get("name")))
            rec["documents"] = [d for d in cleaned if d["name"]]  # a bare "-" is no document
    if "steps" in raw or not partial:
        rec["steps"] = cleaning.clean_steps(_as_list(raw.get("steps"), where, "steps", problems))
    if "legal_basis" in raw or not partial:
        rec["legal_basis"] = cleaning.clean_list(
            _as_list(raw.get("legal_basis"), where, "legal_basis", problems)
        )
    for key in ("conditions", "result", "source_url"):
        if key in raw or not partial:
            rec[key] = cleaning.clean_text(_text(raw.get(key)))
    if "ways" in raw or not partial:
        name = rec.get("name") or _text(raw.get("name")) or ""
        agency = rec.get("agency") if "agency" in rec else _text(raw.get("agency"))
        ways = _as_list(raw.get("ways"), where, "ways", problems)
        rec["ways"] = cleaning.clean_ways(ways, name, agency)
    if "effective_date" in raw or not partial:
        rec["effective_date"] = _date(raw.get("effective_date"), where, problems)
    if "aliases" in raw:
        aliases = cleaning.clean_list(_as_list(raw.get("aliases"), where, "aliases", problems))
        if any(len(alias) > 255 for alias in aliases):
            problems.append(Problem(where, "aliases", "an alias is longer than 255 characters"))
        rec["aliases"] = sorted(set(aliases))
    return rec


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfc(str(value))
    return text or None


def _as_list(value: Any, where: str, key: str, problems: list[Problem]) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [line for line in value.split("\n") if line.strip()]
    if isinstance(value, list):
        return value
    problems.append(Problem(where, key, "must be a list"))
    return []


def _levels(value: Any, where: str, problems: list[Problem]) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[;\n]", str(value or ""))
    levels: list[str] = []
    for item in items:
        text = _text(item)
        if not text:
            continue
        folded = fold(text)
        level = KNOWN_LEVELS.get(folded)
        if level is None and _LEVEL_SHAPE.match(folded):
            level = "Cấp " + nfc(text)[4:].lower()
        if level is None:
            problems.append(
                Problem(where, "levels", f"{text!r} is not a level (Cấp bộ, Cấp tỉnh, Cấp xã…)")
            )
        elif level not in levels:
            levels.append(level)
    return levels


def _date(value: Any, where: str, problems: list[Problem]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems.append(Problem(where, "effective_date", f"{text!r} is not a date (dd/mm/yyyy)"))
    return None


def _csv_rows(data: bytes) -> Iterable[list[Any]]:
    try:
        text = decode_text(data)
    except UnicodeDecodeError:
        raise CatalogFileError(
            "CSV is neither UTF-8 nor Windows-1258 (save it as 'CSV UTF-8')"
        ) from None
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise CatalogFileError(f"row {reader.line_num}: {exc}") from None
    return rows


def _xlsx_rows(path: Path) -> tuple[str, list[list[Any]], list[list[Any]] | None]:
    """The first sheet's name and rows, and the documents sheet's rows if there is one."""
    from openpyxl import load_workbook

    if path.stat().st_size > MAX_FILE_BYTES:
        raise CatalogFileError(f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB")
    try:
        check_archive(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except UnsafeFile as exc:
        raise CatalogFileError(str(exc)) from None
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise CatalogFileError(f"{path.name} is not a readable .xlsx workbook: {exc}") from None
    try:
        sheets = {fold(ws.title): ws for ws in workbook.worksheets}
        first = workbook.worksheets[0]
        main = list(sheet_rows(first))
        docs = sheets.get(fold(DOCUMENTS_SHEET))
        return first.title, main, None if docs is None else list(sheet_rows(docs))
    except CatalogFileError:
        raise
    except Exception as exc:  # a truncated or malformed sheet XML
        raise CatalogFileError(f"{path.name}: a sheet cannot be read: {exc}") from None
    finally:
        workbook.close()

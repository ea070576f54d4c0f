"""Clean what citizens will read in portal data, without dropping information.

The national portal's pages ran table cells together: bullets survive at the start of
items, template file names are glued to document names ("theo mẫuMẫu số 12.docx"), copy
counts carry a stray year ("20261 bản chính"), and some processing times are bare numbers.
"""

from __future__ import annotations

import re
from typing import Any

from tthc.catalog.normalize import short_id
from tthc.core.text import fold, is_syllable, nfc

_BULLET = re.compile(r"^(?:[-+•·*–]\s*|;\s*)+")
_FILE_SUFFIX = re.compile(r"\.(?:docx?|xlsx?|pdf|rtf|odt)$", re.IGNORECASE)
_COPIES = re.compile(r"(\d+)\s*bản\s*(chính|sao)", re.IGNORECASE)
_UNITLESS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*$")
_DAYS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(ngày làm việc|ngày|giờ|tháng)", re.IGNORECASE)
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:VNĐ|Việt Nam Đồng|đồng|VND)", re.IGNORECASE)

WAY_KINDS = {"trực tiếp": "in_person", "trực tuyến": "online", "dịch vụ bưu chính": "post"}
UNITLESS_NOTE = "(cổng Dịch vụ công không ghi đơn vị)"


def clean_text(value: str | None) -> str | None:
    """Composed Unicode, single spaces, no leading bullet; None for empty."""
    if value is None:
        return None
    text = _BULLET.sub("", nfc(str(value))).strip()
    return text or None


def clean_name(value: str) -> str:
    """A procedure name as shown in lists (no trailing period)."""
    return (clean_text(value) or "").rstrip(" .;")


def split_glued_form(name: str, form: str | None) -> tuple[str, str | None]:
    """Detach a template file name glued to the end of a document name.

    "…theo quy địnhbáo cáo kết quả khảo sát.docx": the glue point is the rightmost word
    that is not a Vietnamese syllable but starts with one (or with an upper-case
    abbreviation) directly followed by more letters.
    """
    if form and name.endswith(form) and len(name) > len(form):
        return name[: -len(form)].rstrip(" :;,-"), form
    if form is not None or not _FILE_SUFFIX.search(name):
        return name, form
    tokens = name.split(" ")
    for idx in range(len(tokens) - 1, max(-1, len(tokens) - 16), -1):
        split = _glue_point(tokens[idx])
        if split is None:
            continue
        head = " ".join([*tokens[:idx], tokens[idx][:split]]).rstrip(" :;,-.")
        tail = " ".join([tokens[idx][split:], *tokens[idx + 1 :]]).strip()
        if head and len(tail) <= 120:
            return head, tail
    return name, form


def _glue_point(token: str) -> int | None:
    dotted = re.search(r"\d\.(?=[A-ZĐ])", token)
    if dotted:
        return dotted.end()
    run = re.search(r"[^\W\d_]+", token)
    if run is None or is_syllable(fold(run.group())):
        return None
    word, offset = run.group(), run.start()
    best: int | None = None
    for i in range(len(word) - 1, 0, -1):
        head, tail = word[:i], word[i:]
        if head.isupper() and len(head) >= 2 and tail[0].islower():
            return offset + i
        if head[-1].islower() and is_syllable(fold(head)):
            if fold(tail[0]) not in "aeiouy":
                return offset + i
            best = best or offset + i
    return best


def parse_copies(value: str | None) -> tuple[int | None, int | None, str | None]:
    """(originals, copies, cleaned text) from "1 bản chính,1 bản sao"; repairs "20261 bản"."""
    if not value:
        return None, None, None
    originals = copies = None
    for number, kind in _COPIES.findall(value):
        n = int(number)
        if n >= 100 and number[:2] in {"19", "20"} and len(number) > 4:
            n = int(number[4:])  # a year glued in front of the count
        if kind.lower() == "chính":
            originals = n
        else:
            copies = n
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return originals, copies, ", ".join(parts) or None


def document_key(name: str) -> str:
    """A short stable id for a document, from its folded name (survives re-imports)."""
    return short_id(name)


def clean_document(raw: dict[str, Any]) -> dict[str, Any]:
    """One required document: name, form, counts of originals and copies, group heading."""
    name = clean_text(raw.get("name")) or ""
    form = clean_text(raw.get("form"))
    name, form = split_glued_form(name, form)
    if "originals" in raw or "copies_count" in raw:  # already in our own format
        originals, copies = raw.get("originals"), raw.get("copies_count")
    else:
        originals, copies, _ = parse_copies(raw.get("copies"))
    case = clean_text(raw.get("case"))
    doc: dict[str, Any] = {"key": document_key(name), "name": name}
    if originals:  # "0 bản chính" says no more than saying nothing
        doc["originals"] = originals
    if copies:
        doc["copies_count"] = copies
    if case:
        doc["case"] = case.rstrip(" :")
    if form:
        doc["form"] = form
    note = clean_text(raw.get("note"))
    if note:
        doc["note"] = note
    return doc


def clean_processing_time(value: str | None) -> tuple[str | None, float | None]:
    """Published processing time as published, with working days when the unit says so.

    A bare number ("1") is kept as it is: the card reader finds its unit (catalog.reading).
    """
    text = clean_text(value)
    if not text:
        return None, None
    text = text.replace(f" {UNITLESS_NOTE}", "")  # written by earlier versions of this file
    if _UNITLESS.match(text):
        return text, None
    days = _DAYS.match(text)
    if not days:
        return text, None
    amount = float(days.group(1).replace(",", "."))
    unit = days.group(2).lower()
    text = text[: days.start(2)] + unit + text[days.end(2) :]
    if unit == "giờ":
        return text, round(amount / 8, 2)
    if unit == "tháng":
        return text, amount * 22
    return text, amount


def clean_fees(value: str | None) -> tuple[str | None, list[int]]:
    """Fee text with spacing repaired and amounts in đồng when they are stated."""
    text = clean_text(value)
    if not text:
        return None, []
    previous = None
    while text != previous:  # to a fixed point, so cleaning an export changes nothing
        previous = text
        text = re.sub(r"([^\s(])\(", r"\1 (", text)
        text = re.sub(r"(\d),(\d{3})(?!\d)", r"\1.\2", text)
        text = re.sub(r"\s*(VNĐ|Việt Nam Đồng)", " đồng", text)
    amounts = sorted({int(re.sub(r"[.,]", "", m)) for m in _AMOUNT.findall(text)})
    return text, amounts


def clean_ways(values: list[Any], name: str, agency: str | None) -> list[dict[str, Any]]:
    """Ways to submit, typed (in person / online / post); online is full or partial."""
    folded_name = fold(name)
    ways: list[dict[str, Any]] = []
    for value in values:
        if isinstance(value, dict):
            ways.append({k: v for k, v in value.items() if v not in (None, "")})
            continue
        label = clean_text(str(value)) or ""
        kind = WAY_KINDS.get(label.lower(), "other")
        way: dict[str, Any] = {"kind": kind, "label": label}
        if kind == "online":
            way["online"] = "partial" if "mot phan" in folded_name else "full"
        if kind == "in_person" and agency:
            way["where"] = agency
        ways.append(way)
    return ways


def clean_list(values: list[Any] | None) -> list[str]:
    """A list of text items with bullets removed and empties dropped."""
    return [t for t in (clean_text(v) for v in values or []) if t]


_STEP_MARKER = re.compile(r"^\s*([-+*•–·]+)\s*")


def clean_steps(values: list[Any] | None) -> list[str]:
    """Step lines with their bullets kept, in one spelling ("-", "+", "++").

    The bullets say how deep a line is nested (catalog.reading.steps). Empty lines go.
    """
    out: list[str] = []
    for value in values or []:
        text = nfc(str(value)) if value is not None else ""
        match = _STEP_MARKER.match(text)
        if match:
            marker = "+" * match.group(1).count("+") or "-"
            body = text[match.end() :].strip()
            if body:
                out.append(f"{marker} {body}")
        elif text.strip():
            out.append(text.strip())
    return out

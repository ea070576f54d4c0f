"""Processing times as published, with a unit even when the portal left it out.

The portal's time field is one "value unit (description)" per way. A third of the
procedures most asked about show a bare number ("1"): the unit is then taken from the
same number written with a unit in the description or the steps ("trong thời hạn 01 ngày
làm việc"), and marked as inferred. A time text that holds fees instead (chứng thực's
"2.000 đồng/trang") is not a time: it is handed to the fee section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tthc.catalog.reading.text import head_and_detail, way_segments
from tthc.core.text import fold

UNITS = ("ngày làm việc", "giờ làm việc", "ngày", "giờ", "tháng", "phút", "năm")
_VALUE = r"(\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+)?)"
_UNIT = r"(ngày làm việc|giờ làm việc|ngày|giờ|tháng|phút|năm)"
_HEAD = re.compile(r"^" + _VALUE + r"\s*" + _UNIT + r"?\b", re.IGNORECASE)
_MONEY = re.compile(r"\d\s*(?:đồng|USD|VNĐ|VND)\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "muoi lam": 15, "hai muoi": 20, "ba muoi": 30,
}  # fmt: skip
_SAME_DAY = re.compile(r"\b(?:ngay )?trong ngay(?: lam viec)?(?: tiep nhan)?\b")
# "trong thời hạn 03 ngày làm việc", "không quá 02 ngày", "tối đa một ngày".
_PHRASE = re.compile(
    r"(?:trong (?:thoi han|vong)|khong qua|toi da|chậm nhất|cham nhat)\s+"
    r"(\d+|[a-z]+(?: [a-z]+)?)(?: \d+)?\s+(ngay lam viec|gio lam viec|ngay|gio|thang)"
)


@dataclass(frozen=True)
class TimeLine:
    """The processing time for one way (None: all ways)."""

    way: str | None
    value: str | None  # "5", "10-25"; None when only a description was published
    unit: str | None  # "ngày làm việc"…; None when unknown
    detail: str
    inferred: bool = False  # the unit comes from the description or the steps


@dataclass(frozen=True)
class Times:
    """Every way's time, and fee text the portal put in the time field by mistake."""

    lines: tuple[TimeLine, ...]
    misplaced_fees: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Whether any way has a value."""
        return any(line.value for line in self.lines)

    @property
    def same(self) -> bool:
        """Whether one summary fits every way."""
        return len({(line.value, line.unit) for line in self.lines}) <= 1

    @property
    def unitless(self) -> bool:
        """Whether some way shows a number whose unit nobody knows."""
        return any(line.value and not line.unit for line in self.lines)


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token)


def infer_unit(value: str, texts: list[str]) -> str | None:
    """The unit the same number has in `texts` ("01 ngày làm việc" for a bare "1")."""
    try:
        wanted = int(re.split(r"[-–.,]", value)[0])
    except ValueError:
        return None
    for text in texts:
        folded = fold(text)
        for match in re.finditer(
            r"\b(\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)(?: \d+)?\s+"
            r"(ngay lam viec|gio lam viec|ngay|gio|thang)\b",
            folded,
        ):
            if _number(match.group(1)) == wanted:
                return _unit_text(match.group(2))
    return None


def _unit_text(folded: str) -> str:
    return {
        "ngay lam viec": "ngày làm việc",
        "gio lam viec": "giờ làm việc",
        "ngay": "ngày",
        "gio": "giờ",
        "thang": "tháng",
    }[folded]


def read_times(text: str | None, steps: list[str]) -> Times:
    """Interpret a published time text; `steps` help find a missing unit."""
    if not text or not text.strip():
        return Times(())
    text = text.replace("(cổng Dịch vụ công không ghi đơn vị)", "").strip()  # older imports
    lines: list[TimeLine] = []
    misplaced: list[str] = []
    for way, segment in way_segments(text):
        head, detail = head_and_detail(segment)
        match = _HEAD.match(head)
        if match is None:
            if _MONEY.search(segment):
                misplaced.append(segment)
                continue
            lines.append(TimeLine(way, None, None, segment))
            continue
        value = re.sub(r"\s*[-–]\s*", "-", match.group(1))
        unit = match.group(2).lower() if match.group(2) else None
        inferred = False
        if unit is None:
            unit = infer_unit(value, [detail, *steps])
            inferred = unit is not None
        rest = head[match.end() :].strip(" .")
        lines.append(TimeLine(way, value, unit, " ".join(x for x in (rest, detail) if x), inferred))
    if not any(line.value for line in lines):
        same_day = next((s for s in steps if _SAME_DAY.search(fold(s))), None)
        if same_day is not None:
            lines = [TimeLine(None, None, None, same_day), *lines]
    return Times(tuple(lines), tuple(misplaced))

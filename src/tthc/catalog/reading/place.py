"""Where to submit: the published agency, or the place the steps name, or the level's desk.

222 published procedures name no implementing agency, yet their steps usually say where
the dossier goes ("nộp hồ sơ tại Trung tâm Phục vụ hành chính công cấp xã"). Agencies of
the district level, abolished in 2025, are flagged so nobody travels to an office that no
longer exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tthc.core.text import fold

_ORGS = (
    r"Trung tâm|Bộ phận|Ủy ban|Uỷ ban|UBND|Sở|Cục|Phòng|Công an|Chi cục|Kho bạc|Tòa án|Toà án|"
    r"Ngân hàng|Văn phòng|Cơ quan|cơ quan|Bảo hiểm|Ban|Thanh tra|Đội|Trạm|Cảng vụ|Chi nhánh|"
    r"Hội đồng|Viện|Đại sứ quán|Tổng cục|Bộ Công an|Bộ Tư pháp|Bộ Tài chính|Bộ Xây dựng"
)
_SUBMIT = re.compile(
    r"(?:nộp|gửi)(?: trực tiếp)?(?: 01| một)?(?: \(01\))?(?: bộ)? hồ sơ[^.;:]{0,60}?"
    r"(?:trực tiếp )?(?:tại|đến|cho|về) ((?:" + _ORGS + r")[^.;:()]{0,120})"
)
# Where a place phrase stops and the sentence goes on about something else.
_TAIL = re.compile(
    r"\s(?:nộp|thì|để|bằng|theo|trước ngày|Bước|hoặc thông qua|hoặc qua|hoặc gửi|nếu|"
    r"kèm theo|trong thời hạn|và nộp|đồng thời|qua dịch vụ|qua hệ thống|trên)\b.*$"
)
_DISTRICT = re.compile(r"\b(?:cấp huyện|huyện)\b", re.IGNORECASE)
LEVEL_DESKS = {"Cấp xã": "commune", "Cấp tỉnh": "province"}


class PlaceSource(StrEnum):
    """Where the place shown comes from."""

    AGENCY = "agency"  # the published implementing agency
    STEPS = "steps"  # named in the steps
    LEVEL = "level"  # the one-stop desk of the level that handles it
    NONE = "none"


@dataclass(frozen=True)
class Place:
    """The agency or desk to go to, and whether it is a district office that no longer exists."""

    name: str | None
    source: PlaceSource
    desk: str | None = None  # "commune" / "province" when source is LEVEL
    district: bool = False


def place_in_steps(steps: list[str]) -> str | None:
    """The first place a step says the dossier is submitted to."""
    for step in steps:
        match = _SUBMIT.search(step)
        if match:
            phrase = _TAIL.sub("", match.group(1)).strip(" ,;-")
            if len(phrase) > 90:
                phrase = phrase[:90].rsplit(" ", 1)[0] + "…"
            if len(fold(phrase).split()) >= 2:
                return phrase
    return None


def read_place(agency: str | None, steps: list[str], levels: list[str]) -> Place:
    """The place for the card (see the module docstring)."""
    if agency:
        return Place(agency, PlaceSource.AGENCY, district=bool(_DISTRICT.search(agency)))
    found = place_in_steps(steps)
    if found:
        return Place(found, PlaceSource.STEPS, district=bool(_DISTRICT.search(found)))
    for level in levels:
        if level in LEVEL_DESKS:
            return Place(None, PlaceSource.LEVEL, desk=LEVEL_DESKS[level])
    return Place(None, PlaceSource.NONE)

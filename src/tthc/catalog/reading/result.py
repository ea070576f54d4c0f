"""What the citizen receives at the end: the result document.

The portal's "Kết quả thực hiện" is empty for every published procedure, so the result
is derived, in order of trust: a reviewed table of well-known procedures
(catalog/data/results.tsv), then the object of an issuing or deciding name ("Cấp lại Giấy
phép lái xe" → "Giấy phép lái xe", "Công nhận làng nghề" → "Quyết định công nhận làng
nghề"). Documents named in the steps were tried and rejected: they are as often an
interim paper ("Phiếu yêu cầu bổ sung") as the result. When nothing applies the card
offers no result section rather than an empty or a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from tthc.core.text import fold

RESULTS_FILE = Path(__file__).resolve().parent.parent / "data" / "results.tsv"
_DOCUMENT_NOUNS = (
    r"Giấy phép|Giấy chứng nhận|Chứng chỉ|Chứng nhận|Giấy xác nhận|Giấy đăng ký|Giấy thông hành|"
    r"Giấy phép lái xe|Thẻ|Hộ chiếu|Sổ|Bằng|Phiếu|Quyết định|Văn bản|Biển số|Giấy|Trích lục|"
    r"Thông báo|Chứng thư|Bản sao|Mã số|Số định danh|Thị thực|Tem|Bản xác nhận"
)
_ISSUING = re.compile(
    r"^(?:Thủ tục\s+)?(?:Cấp mới|Cấp lại|Cấp đổi|Cấp điều chỉnh|Cấp bổ sung|Cấp sửa đổi|Cấp|"
    r"Gia hạn|Đổi|Điều chỉnh|Sửa đổi, bổ sung|Cấp, cấp lại|Cấp, gia hạn)"
    r"(?:,\s*(?:cấp lại|cấp đổi|gia hạn|điều chỉnh|sửa đổi|bổ sung|thu hồi)\s*)*\s+"
    r"((?:" + _DOCUMENT_NOUNS + r")\b.*)$",
    re.IGNORECASE,
)
# Where the object of the name ends and its qualifiers begin.
_QUALIFIER = re.compile(
    r"\s(?:cho|đối với|trong trường hợp|trường hợp|do|theo|khi|thuộc|vì)\s.*$"
    r"|\s*[(;].*$|,\s*(?:cấp lại|cấp đổi|gia hạn|điều chỉnh|thu hồi|sửa đổi)\b.*$",
    re.IGNORECASE,
)


# Names that start with a decision verb: the result is that decision on the object.
_DECISIONS = {
    "chap thuan": "Văn bản chấp thuận",
    "phe duyet": "Quyết định phê duyệt",
    "cong nhan": "Quyết định công nhận",
    "chi dinh": "Quyết định chỉ định",
    "thu hoi": "Quyết định thu hồi",
    "giao": "Quyết định giao",
    "cho thue": "Quyết định cho thuê",
    "cong bo": "Văn bản công bố",
}


class ResultSource(StrEnum):
    """How the result was found."""

    TABLE = "table"
    NAME = "name"


@dataclass(frozen=True)
class Result:
    """The document the citizen receives, and how we know."""

    text: str
    source: ResultSource


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = []
    for line in RESULTS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, _, text = line.partition("\t")
        rows.append((re.compile(pattern.strip()), text.strip()))
    return tuple(rows)


def _object(phrase: str) -> str | None:
    phrase = _QUALIFIER.sub("", phrase).strip(" .")
    if len(phrase) > 90:
        phrase = phrase[:90].rsplit(" ", 1)[0] + "…"
    return phrase[:1].upper() + phrase[1:] if len(phrase.split()) >= 2 else None


def read_result(name: str, stored: str | None = None) -> Result | None:
    """The result document (see the module docstring); a stored result wins."""
    if stored:
        return Result(stored, ResultSource.TABLE)
    folded = fold(name)
    for pattern, text in _table():
        if pattern.search(folded):
            return Result(text, ResultSource.TABLE)
    match = _ISSUING.match(name.strip())
    if match and (found := _object(match.group(1))):
        return Result(found, ResultSource.NAME)
    words = folded.removeprefix("thu tuc ").split()
    for verb, decision in _DECISIONS.items():
        if " ".join(words[: len(verb.split())]) == verb:
            rest = name.strip().removeprefix("Thủ tục ").removeprefix("thủ tục ")
            rest = " ".join(rest.split()[len(verb.split()) :])
            if (found := _object(rest)) or rest:
                target = (found or rest).rstrip(" .")
                return Result(f"{decision} {target[:1].lower()}{target[1:]}", ResultSource.NAME)
    return None

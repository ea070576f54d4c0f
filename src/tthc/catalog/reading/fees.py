"""Fees as the portal publishes them, read per way of submission.

The portal's fee field is one "amount (description)" per way. Its amount is often 0,
printed "Miễn phí", while the description holds the real fee ("Miễn phí (- Lệ phí cấp giấy
phép lái xe: 135.000 đồng/lần …)") or says the provincial council sets it. So "Miễn phí"
is believed only when the description says nothing more; clauses whose validity ended
("đến hết ngày 31/12/2023") are kept but marked expired, after the current ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tthc.catalog.reading.text import (
    SINCE,
    UNTIL,
    clauses,
    head_and_detail,
    parse_date,
    way_segments,
)
from tthc.core.text import fold

_NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d+)"
_CURRENCY = r"(đồng|VNĐ|VND|Việt Nam Đồng|USD)"
# "/trang", "/GT-lần", "/lần/phòng kiểm nghiệm", "/thẻ căn cước": a unit is one word per
# slash, or one of the few units that take two.
_UNIT_WORD = r"(?:thẻ căn cước|hồ sơ|giấy phép|lần cấp|phòng kiểm nghiệm|[\w-]+)"
AMOUNT = re.compile(
    _NUMBER + r"\s*" + _CURRENCY + r"((?:\s*/\s*" + _UNIT_WORD + r")+)?",
    re.IGNORECASE,
)
_HEAD_AMOUNT = re.compile(r"^" + _NUMBER + r"\s*" + _CURRENCY + r"\b", re.IGNORECASE)
# Descriptions that add nothing to "Miễn phí": "Không", "Không có.", "Không quy định", "i".
_NOTHING = re.compile(
    r"^(?:khong|chua|mien phi|mien le phi|khong thu)"
    r"(?: (?:co|duoc|quy dinh|thu|phi|le phi|phi le phi|thu phi|thu le phi))*$"
)
_PROVINCE = re.compile(r"hoi dong nhan dan|hdnd|uy ban nhan dan (?:cap )?tinh|ubnd (?:cap )?tinh")
_FREE_WORDS = re.compile(r"^(?:mien|khong thu|khong phai nop)")
_LEADING_BULLET = re.compile(r"^[-+•–*]+\s*")
_PERCENT = re.compile(r"bằng\s+(\d{1,3})\s*%", re.IGNORECASE)


class FeeKind(StrEnum):
    """What one way's fee amounts to."""

    FREE = "free"  # nothing is charged (possibly only in the cases the detail names)
    AMOUNT = "amount"  # the portal states an amount
    PROVINCE = "province"  # the provincial council (HĐND) or committee sets it
    DESCRIBED = "described"  # the amounts are only in the description
    UNSTATED = "unstated"  # the text refers to regulations without an amount


@dataclass(frozen=True)
class Clause:
    """One sentence of a description, with the period it applies to."""

    text: str
    expired: bool = False
    upcoming: bool = False
    until: date | None = None
    since: date | None = None


@dataclass(frozen=True)
class FeeLine:
    """The fee for one way of submission (way None: all ways)."""

    way: str | None
    kind: FeeKind
    amounts: tuple[str, ...]  # current amounts as printed for citizens, "135.000 đồng/lần"
    clauses: tuple[Clause, ...]
    conditional: bool = False  # free only in some cases
    province: bool = False  # the description says the province sets the actual amount
    reduced: str | None = None  # a temporary rate in force today ("bằng 50% mức thu")
    reduced_until: date | None = None

    @property
    def current(self) -> tuple[Clause, ...]:
        """Clauses in force today."""
        return tuple(c for c in self.clauses if not c.expired)

    @property
    def expired(self) -> tuple[Clause, ...]:
        """Clauses whose period has ended (shown last, marked)."""
        return tuple(c for c in self.clauses if c.expired)


@dataclass(frozen=True)
class Fees:
    """Every way's fee; `same` when all ways cost the same (one summary line)."""

    lines: tuple[FeeLine, ...]

    @property
    def known(self) -> bool:
        """Whether the portal published anything about fees."""
        return bool(self.lines)

    @property
    def same(self) -> bool:
        """Whether one summary fits every way."""
        return len({(line.kind, line.amounts[:1], line.conditional) for line in self.lines}) <= 1

    @property
    def free(self) -> bool:
        """Whether the procedure is free of charge whichever way it is submitted."""
        return self.known and all(
            line.kind is FeeKind.FREE and not line.conditional for line in self.lines
        )


def format_amount(number: str, currency: str, unit: str | None = None) -> str:
    """ "2,000" + "Việt Nam Đồng" + "/trang" → "2.000 đồng/trang"."""
    digits = re.sub(r"[.,]", "", number)
    value = f"{int(digits):,}".replace(",", ".") if digits.isdigit() else number
    money = "USD" if currency.upper() == "USD" else "đồng"
    suffix = re.sub(r"\s*/\s*", "/", unit or "").rstrip(" -")
    return f"{value} {money}{suffix}"


def amounts_in(text: str) -> list[str]:
    """Every amount mentioned, as printed for citizens, in order, without repeats."""
    found: list[str] = []
    for match in AMOUNT.finditer(text):
        number, currency, unit = match.groups()
        if int(re.sub(r"[.,]", "", number)) == 0:
            continue
        phrase = format_amount(number, currency, unit)
        if phrase not in found:
            found.append(phrase)
    return found


def read_clauses(detail: str, today: date) -> tuple[Clause, ...]:
    """Sentences of a description, each with its validity period; current ones first."""
    out: list[Clause] = []
    for sentence in clauses(detail):
        sentence = _LEADING_BULLET.sub("", sentence)
        until_match = UNTIL.search(sentence)
        since_match = SINCE.search(sentence)
        until = parse_date(until_match) if until_match else None
        since = parse_date(since_match) if since_match else None
        out.append(
            Clause(
                sentence,
                expired=until is not None and until < today,
                upcoming=since is not None and since > today,
                until=until,
                since=since,
            )
        )
    return tuple(sorted(out, key=lambda c: c.expired))  # stable: published order otherwise


def _reduction(
    base: int, currency: str, found: tuple[Clause, ...], today: date
) -> tuple[str | None, date | None]:
    """A temporary percentage of the stated amount in force today, with its end date.

    Only a clause with both a start and an end date around today counts ("Kể từ ngày
    01/7/2025 đến hết ngày 31/12/2026 mức thu … bằng 50% mức thu nêu trên").
    """
    for clause in found:
        match = _PERCENT.search(clause.text)
        if (
            match
            and clause.until is not None
            and clause.since is not None
            and clause.since <= today <= clause.until
            and 0 < int(match.group(1)) < 100
        ):
            value = base * int(match.group(1)) // 100
            return format_amount(str(value), currency), clause.until
    return None, None


def read_fees(text: str | None, today: date) -> Fees:
    """Interpret a published fee text (see the module docstring)."""
    if not text or not text.strip():
        return Fees(())
    lines = [_line(way, segment, today) for way, segment in way_segments(text)]
    return Fees(tuple(lines))


def _line(way: str | None, segment: str, today: date) -> FeeLine:
    head, detail = head_and_detail(segment)
    if len(detail) <= 3 and not any(c.isdigit() for c in detail):
        detail = ""  # "(i)", "(a)": cell debris
    found = read_clauses(detail, today) if detail else ()
    current_text = " ".join(c.text for c in found if not c.expired)
    folded = fold(detail)
    head_match = _HEAD_AMOUNT.match(head)
    if head_match and int(re.sub(r"[.,]", "", head_match.group(1))) > 0:
        unit = detail if re.fullmatch(r"/\s*[^\s()]+(?: [^\s()]+){0,2}", detail) else None
        amount = format_amount(head_match.group(1), head_match.group(2), unit)
        clauses_ = () if unit else found
        province = bool(_PROVINCE.search(fold(current_text)))
        base = int(re.sub(r"[.,]", "", head_match.group(1)))
        reduced, until = _reduction(base, head_match.group(2), found, today)
        return FeeLine(
            way,
            FeeKind.AMOUNT,
            (amount,),
            clauses_,
            province=province,
            reduced=reduced,
            reduced_until=until,
        )
    if fold(head) not in ("mien phi", "", "0 dong", "dong", "0") and not head_match:
        # Free text where the amount should be ("Lệ phí: 50.000 đồng/hồ sơ"): read it all.
        found = read_clauses(segment, today)
        current_text = " ".join(c.text for c in found if not c.expired)
        folded = fold(segment)
    if not folded or _NOTHING.match(folded):
        return FeeLine(way, FeeKind.FREE, (), found)
    if _PROVINCE.search(folded):
        return FeeLine(way, FeeKind.PROVINCE, (), found, conditional="mien" in folded.split())
    amounts = amounts_in(current_text)
    free_words = bool(_FREE_WORDS.match(folded))
    if amounts:
        return FeeLine(way, FeeKind.DESCRIBED, tuple(amounts), found, conditional=free_words)
    if free_words:
        # "Miễn lệ phí (Thông tư …)." is free; "Miễn lệ phí đối với …" only for some.
        first = fold(re.sub(r"\([^()]*\)", "", found[0].text)) if found else ""
        return FeeLine(way, FeeKind.FREE, (), found, conditional=not _NOTHING.match(first))
    return FeeLine(way, FeeKind.UNSTATED, (), found)

"""Everything a procedure card shows, read from the stored (as-published) procedure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from tthc.catalog.reading.documents import Documents, read_documents
from tthc.catalog.reading.fees import Fees, read_fees
from tthc.catalog.reading.place import Place, read_place
from tthc.catalog.reading.result import Result, read_result
from tthc.catalog.reading.steps import Steps, read_steps
from tthc.catalog.reading.times import Times, read_times
from tthc.core.lru import LRU

ERRATA_FILE = Path(__file__).resolve().parent.parent / "data" / "errata.tsv"


class Published(Protocol):
    """The stored procedure fields the readers use."""

    code: str
    name: str
    levels: list[str]
    agency: str | None
    processing_time: str | None
    fees: str | None
    documents: list[dict[str, Any]]
    steps: list[str]
    ways: list[dict[str, Any]]
    result: str | None


@dataclass(frozen=True)
class Way:
    """One way to submit: in person, online (fully or partly) or by post."""

    kind: str  # in_person | online | post | other
    label: str
    online: str | None = None  # full | partial, for online


@dataclass(frozen=True)
class CardFacts:
    """The interpreted card: what a citizen needs, each part traceable to the published text."""

    fees: Fees
    times: Times
    place: Place
    documents: Documents
    steps: Steps
    result: Result | None
    ways: tuple[Way, ...]


@lru_cache(maxsize=1)
def errata() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Reviewed corrections of text the portal published corrupted: (code, field) → pairs."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for line in ERRATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, field, wrong, right = [*line.split("\t"), "", "", ""][:4]
        out.setdefault((code.strip(), field.strip()), []).append((wrong, right))
    return out


def corrected(code: str, field: str, lines: list[str]) -> list[str]:
    """Lines with the reviewed corrections for this procedure and field applied."""
    fixes = errata().get((code, field))
    if not fixes:
        return lines
    out = []
    for line in lines:
        for wrong, right in fixes:
            line = line.replace(wrong, right)
        out.append(line)
    return out


def read_card(procedure: Published, today: date) -> CardFacts:
    """Interpret one stored procedure for display on `today` (fee clauses expire).

    A card and its sections read the same procedure several times in a row; a stored
    procedure's (code, updated_at) identifies its content, so the reading is cached.
    """
    updated_at = getattr(procedure, "updated_at", None)
    if updated_at is None:
        return _read(procedure, today)
    key = (procedure.code, updated_at, today)
    facts = _CACHE.get(key)
    if facts is None:
        facts = _read(procedure, today)
        _CACHE.put(key, facts)
    return facts


_CACHE: LRU[tuple[Any, ...], CardFacts] = LRU(512)


def _read(procedure: Published, today: date) -> CardFacts:
    steps = corrected(procedure.code, "steps", list(procedure.steps))
    ways = tuple(
        Way(w.get("kind", "other"), w.get("label", ""), w.get("online"))
        for w in procedure.ways
        if isinstance(w, dict)
    )
    return CardFacts(
        fees=read_fees(procedure.fees, today),
        times=read_times(procedure.processing_time, steps),
        place=read_place(procedure.agency, steps, list(procedure.levels)),
        documents=read_documents(list(procedure.documents)),
        steps=read_steps(steps),
        result=read_result(procedure.name, procedure.result),
        ways=ways,
    )

"""Browsing the catalogue by field (lĩnh vực), agency and level.

Facet ids are short hashes of the facet's folded name, so a button made today still means
the same field after a restart or an import that adds or removes other fields; an id that
no longer matches anything is reported as stale instead of opening the wrong list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tthc.catalog.normalize import short_id
from tthc.catalog.search import Entry
from tthc.core.text import fold

# "Công an tỉnh, Cục quản lý xuất nhập cảnh" lists two agencies; "Ủy ban nhân dân xã,
# phường, thị trấn" is one (the parts after its commas start in lower case).
_AGENCY_SPLIT = re.compile(
    r",\s*(?=[A-ZĐÁÀẢÃẠÂẤẦẨẪẬĂẮẰẲẴẶÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ])"
)


class FacetKind(StrEnum):
    """What to browse by; the value is the one letter used in callback data."""

    FIELD = "f"
    AGENCY = "a"
    LEVEL = "l"


@dataclass(frozen=True)
class Facet:
    """One field, agency or level, with how many procedures it has."""

    id: str
    name: str
    count: int


# Words that do not tell two fields apart: "Khoa học và Công nghệ" is "Khoa học công nghệ".
_FACET_FILLER = {"va"}


def facet_key(name: str) -> str:
    """The folded name without filler words: spellings of one field share it."""
    return " ".join(w for w in fold(name).split() if w not in _FACET_FILLER)


def facet_id(name: str) -> str:
    """Eight hex characters, stable for a name (and its other spellings) across imports."""
    return short_id(facet_key(name))


def split_agencies(agency: str | None) -> list[str]:
    """The separate agencies named in one published "Cơ quan thực hiện" text."""
    return [part.strip(" .") for part in _AGENCY_SPLIT.split(agency or "") if part.strip(" .")]


def facet_names(entry: Entry, kind: FacetKind) -> list[str]:
    """The facets of `kind` one procedure belongs to."""
    if kind is FacetKind.FIELD:
        return [entry.field] if entry.field else []
    if kind is FacetKind.AGENCY:
        return split_agencies(entry.agency)
    return list(entry.levels)


def facets(entries: Iterable[Entry], kind: FacetKind) -> list[Facet]:
    """Every facet of `kind`, in Vietnamese alphabetical order (diacritics ignored).

    Spellings of one name ("Thi đua – Khen thưởng", "Thi đua khen thưởng") are one facet,
    shown with its most used spelling.
    """
    spellings: dict[str, Counter[str]] = {}
    for entry in entries:
        for name in facet_names(entry, kind):
            spellings.setdefault(facet_key(name), Counter())[name] += 1
    found = [
        Facet(facet_id(key), names.most_common(1)[0][0], names.total())
        for key, names in spellings.items()
    ]
    return sorted(found, key=lambda f: (fold(f.name), f.name))


def members(entries: Iterable[Entry], kind: FacetKind, id_: str) -> tuple[str, list[Entry]] | None:
    """The facet's name and its procedures (alphabetical), or None for an unknown id."""
    names: Counter[str] = Counter()
    found: list[Entry] = []
    for entry in entries:
        for candidate in facet_names(entry, kind):
            if facet_id(candidate) == id_:
                names[candidate] += 1
                found.append(entry)
                break
    if not found:
        return None
    return names.most_common(1)[0][0], sorted(found, key=lambda e: (_sort_key(e.name), e.code))


def _sort_key(name: str) -> str:
    """Alphabetical by what the procedure is, not by the "Thủ tục" many names start with."""
    folded = fold(name)
    return folded.removeprefix("thu tuc ")

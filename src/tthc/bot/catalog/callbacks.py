"""Callback data of the catalogue's buttons: built here, parsed here, matched here.

Telegram gives a button 64 bytes of data; every kind starts with a short tag:

- `p:<code>` a card (from a card or a section), `r:<code>` a pick from a "not found" reply;
- `s:<code>:<section>[:<origin>]` one section of a card (upper-case section: as published);
- `o:<origin>:<code>` a card opened from a list, `bq:<list id>:<page>` back to a search list;
- `b:<kind>:<page>` a page of fields, agencies or levels, `b<kind>:<facet>:<page>` one of them;
- `k:<code>:<page>` a page of the card's checklist, `c:<code>:<key>:<page>:<1|0>` ticks (1)
  or unticks (0) one document, then shows the page;
- `j:<event>` the journey of a life event (birth, death...), offered under its first card.

An origin is `<kind>:<id>:<page>`: a browse list (kinds f, a, l) or a search reply (q).
"""

from __future__ import annotations

from dataclasses import dataclass

CODE = r"[\w.\-]{1,32}"
ORIGIN = r"[falq]:[0-9a-f]{8}:\d{1,4}"
SEARCH_LIST = "q"  # the origin kind of a card opened from a search reply

SECTION_CODES = {"documents": "d", "steps": "s", "fees": "f", "time": "t", "ways": "w", "legal": "l", "result": "r", "notes": "n"}  # fmt: skip
SECTION_BY_CODE = {v: k for k, v in SECTION_CODES.items()}
# Sections whose interpretation can be compared with the portal's own words; the raw view
# of a section is its code in upper case ("F": the fee text as published).
RAW_SECTIONS = ("documents", "steps", "fees", "time", "ways")

CARD = rf"^[pr]:{CODE}$"
SECTION = rf"^s:{CODE}:\w(:{ORIGIN})?$"
FROM_LIST = rf"^o:{ORIGIN}:{CODE}$"
BACK_TO_SEARCH = r"^bq:[0-9a-f]{8}:\d{1,4}$"
FACET_PAGE = r"^b:[fal]:\d{1,4}$"
FACET_MEMBERS = r"^b[fal]:[0-9a-f]{8}:\d{1,4}$"
JOURNEY = r"^j:[a-z_]{1,40}$"


def card(code: str) -> str:
    return f"p:{code}"


def suggestion(code: str) -> str:
    return f"r:{code}"


def journey(event: str) -> str:
    return f"j:{event}"


def parse_journey(data: str) -> str:
    return data.removeprefix("j:")


def section(code: str, name: str, origin: str | None = None, *, raw: bool = False) -> str:
    tag = SECTION_CODES[name].upper() if raw else SECTION_CODES[name]
    return f"s:{code}:{tag}" + (f":{origin}" if origin else "")


def from_list(origin: str, code: str) -> str:
    return f"o:{origin}:{code}"


def search_origin(list_id: str) -> str:
    return f"{SEARCH_LIST}:{list_id}:0"


def back_to_list(origin: str) -> str:
    """Back from a card to the list it was opened from (a browse page or a search reply)."""
    kind, list_id, page = origin.split(":")
    return f"b{kind}:{list_id}:{page}"


def facet_page(kind: str, page: int | None) -> str:
    """A page of facets; without a page, the prefix a pager completes."""
    return f"b:{kind}:" + ("" if page is None else str(page))


def facet_members(kind: str, facet_id: str, page: int | None) -> str:
    """A page of one facet's procedures; without a page, the prefix a pager completes."""
    return f"b{kind}:{facet_id}:" + ("" if page is None else str(page))


@dataclass(frozen=True)
class SectionPress:
    code: str
    section: str
    raw: bool
    origin: str | None


def parse_section(data: str) -> SectionPress | None:
    """A section press, or None when its section code is unknown."""
    _, code, tag, *origin = data.split(":")
    name = SECTION_BY_CODE.get(tag.lower())
    if name is None or (tag.isupper() and name not in RAW_SECTIONS):
        return None
    return SectionPress(code, name, tag.isupper(), ":".join(origin) or None)


@dataclass(frozen=True)
class ListPress:
    kind: str  # f, a, l or q
    list_id: str
    page: int
    code: str

    @property
    def origin(self) -> str:
        return f"{self.kind}:{self.list_id}:{self.page}"


def parse_from_list(data: str) -> ListPress:
    _, kind, list_id, page, code = data.split(":", 4)
    return ListPress(kind, list_id, int(page), code)


def parse_card(data: str) -> tuple[bool, str]:
    """(picked from a "not found" reply, code)."""
    tag, _, code = data.partition(":")
    return tag == "r", code


def parse_back_to_search(data: str) -> str:
    """The list id of a `bq:` press."""
    return data.split(":")[1]


def parse_facet_page(data: str) -> tuple[str, int]:
    _, kind, page = data.split(":")
    return kind, int(page)


def parse_facet_members(data: str) -> tuple[str, str, int]:
    head, facet_id, page = data.split(":")
    return head[1], facet_id, int(page)


# -- the checklist of a card's documents ---------------------------------------------

CHECKLIST = r"^(k:[\w.\-]{1,32}:\d{1,3}|c:[\w.\-]{1,32}:[0-9a-f]{8}:\d{1,3}:[01])$"


def checklist_page(code: str, number: int | None) -> str:
    """A page of the checklist; without a number, the prefix a pager completes."""
    return f"k:{code}:" + ("" if number is None else str(number))


def checklist_tick(code: str, key: str, number: int, *, have: bool) -> str:
    return f"c:{code}:{key}:{number}:{1 if have else 0}"


@dataclass(frozen=True)
class ChecklistPress:
    code: str
    page: int
    key: str | None = None  # a document to tick or untick first
    have: bool = False


def parse_checklist(data: str) -> ChecklistPress:
    parts = data.split(":")
    if parts[0] == "c":
        return ChecklistPress(parts[1], int(parts[3]), parts[2], parts[4] == "1")
    return ChecklistPress(parts[1], int(parts[2]))

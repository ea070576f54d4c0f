"""The document list as a citizen uses it: papers to bring, apart from notes and headings.

Portal lists mix papers with their notes ("Lưu ý"), rules for staff ("Người tiếp nhận có
trách nhiệm…"), sub-headings ("… các giấy tờ sau:") and conditions ("Trường hợp … thì
không phải nộp"). Only papers are numbered and go into the checklist; a paper needed only
in some case ("Trường hợp trẻ bị bỏ rơi thì phải có biên bản…") is marked conditional.
Groups keep the portal's headings ("Giấy tờ phải nộp", "Trường hợp ủy quyền…") so a
citizen reads only their case; papers with no heading come first, notes last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tthc.core.text import fold

# How the names of papers start ("Tờ khai…", "Bản sao Giấy khai sinh…", "Hộ chiếu…").
_PAPER_WORDS = (
    "ban", "giay", "to khai", "don", "van ban", "ho chieu", "so", "the", "phieu", "hoa don",
    "chung tu", "quyet dinh", "bien ban", "hop dong", "danh sach", "bao cao", "anh", "tai lieu",
    "mau", "so do", "phuong an", "de an", "ho so", "trich luc", "chung chi", "chung nhan",
    "xac nhan", "bang", "van don", "li lich", "thong bao", "cong van", "to trinh", "ke hoach",
    "bang ke", "phu luc", "du thao", "dieu le", "cam ket", "bieu mau", "chung minh", "can cuoc",
    "cccd", "cmnd", "gplx", "hinh", "thiet ke", "ho so thiet ke", "du an", "luan chung",
    "tom tat", "catalogue", "catalog", "mot", "01", "02", "03", "02 anh", "bo ho so", "nghi quyet",
    "bien lai", "ban ve", "ban do", "chung thu", "giay to", "tep", "file", "du lieu", "thu",
    "bao lanh", "cac giay to", "cac tai lieu", "cac van ban", "quy che", "quy trinh",
    "bang chung", "bang tong hop", "hoc ba", "ket qua", "so lieu", "bao gia",
)  # fmt: skip
_PAPER_START = re.compile(
    r"^(?:[a-zđ]\)|\d+[.)]|\(\w+\)|[ivx]+\.)?\s*(?:" + "|".join(_PAPER_WORDS) + r")\b"
)
_NOTE_GROUP = re.compile(r"\b(?:luu y|ghi chu|chu y)\b")
_CONDITIONAL = re.compile(
    r"^(?:trong )?truong hop\b|^neu\b|^doi voi truong hop\b|\btrong truong hop\b|\bneu co\b"
)
_HEADING_NAMES = re.compile(
    r"^(?:giay to phai (?:nop|xuat trinh)|thanh phan ho so|ho so gom|ho so bao gom)\b"
)
_REFERS = re.compile(r"^\S+ nay\b|\bla\b.{0,40}\b(?:mau|bieu mau)\b")


# What a line is, and whether it applies only in a case, shows in its first words.
CLASSIFY_CHARS = 250


class ItemKind(StrEnum):
    """What one published line of the document list is."""

    PAPER = "paper"  # something to bring (numbered, ticked in the checklist)
    NOTE = "note"  # a note, rule or condition (shown under "Lưu ý")
    HEADING = "heading"  # a sub-heading inside a group ("… các giấy tờ sau:")


@dataclass(frozen=True)
class Item:
    """One line of the list with what it is; papers carry their counts and form."""

    kind: ItemKind
    key: str
    name: str
    originals: int | None = None
    copies: int | None = None
    form: str | None = None
    note: str | None = None
    conditional: bool = False


@dataclass
class Group:
    """Items under one portal heading (None: the ungrouped list)."""

    heading: str | None
    items: list[Item] = field(default_factory=list)

    @property
    def papers(self) -> list[Item]:
        """The papers in this group."""
        return [i for i in self.items if i.kind is ItemKind.PAPER]


@dataclass(frozen=True)
class Documents:
    """Groups of papers (and their sub-headings), then the notes."""

    groups: tuple[Group, ...]
    notes: tuple[Item, ...]

    @property
    def papers(self) -> list[Item]:
        """Every paper, in display order."""
        return [p for g in self.groups for p in g.papers]

    @property
    def required(self) -> int:
        """Papers every applicant brings (not only in some case)."""
        return sum(1 for p in self.papers if not p.conditional)


def classify(doc: dict[str, Any]) -> ItemKind:
    """Paper, note or heading, from the stored name, counts and group heading."""
    name = doc.get("name") or ""
    folded = fold(name[:CLASSIFY_CHARS])
    counted = bool(doc.get("originals") or doc.get("copies_count"))
    if _NOTE_GROUP.search(fold(doc.get("case") or "")) or folded.startswith(("luu y", "ghi chu")):
        return ItemKind.NOTE
    if (name.rstrip().endswith(":") and not counted) or _HEADING_NAMES.match(folded):
        return ItemKind.HEADING
    if len(name) < 25 and name[:1].islower():
        return ItemKind.HEADING  # "hoặc", "có chứng thực hoặc": words between two papers
    if counted:
        return ItemKind.PAPER if not _REFERS.search(folded) else ItemKind.NOTE
    if _PAPER_START.match(folded) and not _REFERS.search(folded) and len(name) < 400:
        return ItemKind.PAPER
    return ItemKind.NOTE


def is_paper(doc: dict[str, Any]) -> bool:
    """Whether a stored document line is a paper to bring (the checklist's rule)."""
    return classify(doc) is ItemKind.PAPER


def read_documents(documents: list[dict[str, Any]]) -> Documents:
    """Group the stored list for display (see the module docstring)."""
    groups: dict[str | None, Group] = {}
    notes: list[Item] = []
    for doc in documents:
        kind = classify(doc)
        item = Item(
            kind=kind,
            key=doc.get("key", ""),
            name=doc.get("name", ""),
            originals=doc.get("originals") or None,
            copies=doc.get("copies_count") or None,
            form=doc.get("form"),
            note=doc.get("note"),
            conditional=kind is ItemKind.PAPER
            and bool(_CONDITIONAL.search(fold(doc["name"][:CLASSIFY_CHARS]))),
        )
        if kind is ItemKind.NOTE:
            notes.append(item)
            continue
        heading = doc.get("case")
        groups.setdefault(heading, Group(heading)).items.append(item)
    ordered = sorted(groups.values(), key=lambda g: g.heading is not None)  # ungrouped first
    kept = tuple(g for g in ordered if g.papers)
    # A group of headings only ("… các giấy tờ sau:" with its papers in another group)
    # says nothing on its own; its lines are kept as notes so nothing is dropped.
    for group in ordered:
        if not group.papers:
            notes.extend(group.items)
    return Documents(kept, tuple(notes))

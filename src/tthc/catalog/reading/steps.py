"""Steps as a readable outline: headings, nesting, repaired line breaks, no repeats.

The portal's steps come as lines cut where its table cells and page layout cut them: a
"Bước 1:" line with its text on the next line, sentences broken mid-way ("… đến Trung" /
"tâm Phục vụ …"), the same step printed twice. The stored lines keep the portal's bullets
("-", "+", "++"), which say how deep a line is nested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"^\s*([-+*•–]+)\s*")
_STEP_TITLE = re.compile(r"^(Bước\s*\d+)\s*[:.]?\s*", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.:;!?)…\"”]\s*$")


@dataclass(frozen=True)
class Step:
    """One line of the outline: a numbered step ("Bước 2"), an item, or a paragraph."""

    text: str
    depth: int = 0  # 0: paragraph or step title line; 1: "-" item; 2: "+" item; …
    title: str | None = None  # "Bước 2" when the line starts a step


@dataclass(frozen=True)
class Steps:
    """The outline and whether the portal numbered its steps itself."""

    lines: tuple[Step, ...]

    @property
    def numbered(self) -> bool:
        """Whether the portal wrote "Bước N" titles (then we do not number again)."""
        return any(line.title for line in self.lines)


def _depth(marker: str) -> int:
    if not marker:
        return 0
    if marker[0] == "+":
        return 1 + len(marker)
    return 1


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _same(a: str, b: str) -> bool:
    return len(a) == len(b) and _key(a) == _key(b)


def read_steps(steps: list[str]) -> Steps:
    """Repair and structure stored step lines (see the module docstring)."""
    lines: list[Step] = []
    pending_title: str | None = None
    seen_titles: set[str] = set()
    last_number = 0
    for raw in steps:
        marker_match = _MARKER.match(raw)
        marker = marker_match.group(1) if marker_match else ""
        text = raw[marker_match.end() :] if marker_match else raw.strip()
        text = text.strip()
        if not text:
            continue
        title_match = _STEP_TITLE.match(text)
        title = None
        if title_match:
            number = int(re.sub(r"\D", "", title_match.group(1)))
            text = text[title_match.end() :].strip()
            signature = f"{number}|{_key(text)}"
            if text and signature in seen_titles:
                continue  # the same step printed again
            seen_titles.add(signature)
            # "Bước 1" again starts another branch; any other repeat is a misnumbering
            # ("Bước 6", "Bước 6") and becomes the next number.
            if number != 1 and number <= last_number:
                number = last_number + 1
            last_number = number
            title = f"Bước {number}"
            if not text:
                pending_title = title  # "Bước 1:" alone: its text is the next line
                continue
        if pending_title is not None and title is None:
            title, pending_title = pending_title, None
        depth = 0 if title else _depth(marker)
        previous = lines[-1] if lines else None
        if (
            previous is not None
            and not marker
            and title is None
            and text[:1].islower()
            and not _ENDS_SENTENCE.search(previous.text)
        ):
            lines[-1] = Step(f"{previous.text} {text}", previous.depth, previous.title)
            continue
        if previous is not None and _same(previous.text, text) and previous.title == title:
            continue  # the same line printed twice in a row
        lines.append(Step(text, depth, title))
    if pending_title is not None:
        lines.append(Step("", 0, pending_title))
    # Bullet depths as ranks: a list that nests only with "+" shows it as the first level.
    ranks = {d: i for i, d in enumerate(sorted({s.depth for s in lines if s.depth}), start=1)}
    return Steps(tuple(Step(s.text, ranks.get(s.depth, 0), s.title) for s in lines))

"""Callback data of the rating message: `g:<action>`.

`g:l:<level>` picks the overall level, `g:c:<criterion>:<level>` rates one criterion,
`g:m` asks to add a comment, `g:s` sends, `g:x` cancels.
"""

from __future__ import annotations

from dataclasses import dataclass

RATING = r"^g:(l:\d|c:\d{1,2}:\d|m|s|x)$"


def level(index: int) -> str:
    return f"g:l:{index}"


def criterion(index: int, level: int) -> str:
    return f"g:c:{index}:{level}"


COMMENT, SEND, CANCEL = "g:m", "g:s", "g:x"


@dataclass(frozen=True)
class RatingPress:
    action: str  # l, c, m, s, x
    level: int | None = None
    criterion: int | None = None


def parse(data: str) -> RatingPress:
    parts = data.split(":")
    if parts[1] == "l":
        return RatingPress("l", level=int(parts[2]))
    if parts[1] == "c":
        return RatingPress("c", criterion=int(parts[2]), level=int(parts[3]))
    return RatingPress(parts[1])

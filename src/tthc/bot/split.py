"""Split Telegram HTML into messages under the 4,096-character limit without breaking markup.

Splits prefer paragraph, then line, then word boundaries. Tags open at a split point are
closed at the end of one part and reopened at the start of the next; entities are never cut.
"""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TOKEN = re.compile(r"(<[^>]+>|&[#a-zA-Z0-9]+;)")
_TAG = re.compile(r"<(/?)([a-zA-Z0-9-]+)[^>]*>")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split `text` into parts no longer than `limit` UTF-16 units each, markup intact."""
    if len(text) * 2 <= limit or utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    open_tags: list[tuple[str, str]] = []  # (name, full opening tag)
    reserve = 64  # room for closing tags appended at a split

    def flush() -> None:
        nonlocal current
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        parts.append((current + closing).strip())
        current = "".join(tag for _, tag in open_tags)

    for piece in _pieces(text):
        if utf16_len(current) + utf16_len(piece) > limit - reserve and current.strip():
            flush()
        current += piece
        for match in _TAG.finditer(piece):
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                for i in range(len(open_tags) - 1, -1, -1):
                    if open_tags[i][0] == name:
                        del open_tags[i]
                        break
            else:
                open_tags.append((name, match.group(0)))
    if current.strip():
        parts.append(current.strip())
    return [p for p in parts if p]


def _pieces(text: str) -> list[str]:
    """Cut text into the largest units that may be split between: lines, then words."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if utf16_len(line) <= 1000:
            out.append(line)
            continue
        for word in re.split(r"(?<= )", line):
            if utf16_len(word) <= 1000:
                out.append(word)
            else:  # a single enormous "word": cut between entities, tags and characters
                for token in _TOKEN.split(word):
                    if _TOKEN.fullmatch(token):
                        out.append(token)
                    else:
                        out.extend(token[i : i + 1000] for i in range(0, len(token), 1000))
    return out

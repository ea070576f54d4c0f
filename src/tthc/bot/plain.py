"""Telegram HTML as plain text, for channels without markup (the terminal, Zalo).

Bold and italics are dropped, a link keeps its address after its text, entities are
decoded. A long reply is split as HTML first (paragraphs, lines, words), then turned
into text, so a part never cuts a word where a boundary exists.
"""

from __future__ import annotations

import html
import re

from tthc.bot.split import split_html, utf16_len

_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def plain_text(text: str) -> str:
    """What a person reads of `text` where markup is not shown."""

    def link(match: re.Match[str]) -> str:
        address, caption = html.unescape(match.group(1)), _TAG.sub("", match.group(2))
        return caption if html.unescape(caption) == address else f"{caption} ({address})"

    return html.unescape(_TAG.sub("", _LINK.sub(link, text)))


def plain_parts(text: str, limit: int) -> list[str]:
    """`text` (HTML) as plain-text parts of at most `limit` UTF-16 units each."""
    parts = []
    for chunk in split_html(text, max(limit * 9 // 10, 100)):  # room for link addresses
        part = plain_text(chunk).strip()
        while utf16_len(part) > limit:  # an address longer than the room left: cut
            cut = limit
            while utf16_len(part[:cut]) > limit:
                cut -= 1
            parts.append(part[:cut])
            part = part[cut:]
        if part:
            parts.append(part)
    return parts

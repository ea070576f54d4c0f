"""How the search reads words: folded forms (foundation.text), accent keys and short ids.

Diacritics are dropped on both sides, so a query without them ranks exactly as one with
them; where the citizen did type them, the accent key tells "cần" from "căn".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from tthc.core.text import FINAL_Y, fold, strip_diacritics


def short_id(text: str) -> str:
    """Eight hex characters from the folded text, the same for any spelling of a name.

    Ids made from names this way survive restarts and re-imports.
    """
    return hashlib.blake2s(fold(text).encode(), digest_size=4).hexdigest()


# A word as the search reads it: the folded form and, when the message was typed with
# diacritics, its accent key (see `accent_key`). None means "typed without diacritics":
# "can" may then be cần or căn, and only the folded form can be compared.
Word = tuple[str, str | None]

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LETTERS = re.compile(r"[^\W_]+")


def accent_key(word: str) -> str:
    """The word with its vowel marks and tone, wherever the tone mark sits.

    "hoà" and "hòa", "thuỷ" and "thủy", "ký" and "kí" get the same key; "căn" and "cần",
    "sổ" and "sở", "tử" and "từ" do not.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = "".join(c for c in decomposed if c in _TONES)[:1]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return FINAL_Y.sub("i", base) + tone


def words(text: str) -> list[Word]:
    """The folded words of a message, each with its accent key when diacritics were typed."""
    text = unicodedata.normalize("NFC", text).lower()
    marked = strip_diacritics(text) != text
    out: list[Word] = []
    for piece in _LETTERS.findall(text):
        folded = fold(piece).split()
        key = accent_key(piece) if marked and len(folded) == 1 else None
        out.extend((f, key) for f in folded)
    return out


def agrees(word: Word, key: str) -> bool:
    """Whether a typed word can be the rule word whose accent key is `key`."""
    return word[1] is None or word[1] == key

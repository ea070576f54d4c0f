"""Vietnamese text folding for search.

Citizens type on phones: with or without diacritics, in composed or decomposed Unicode,
with leftovers of Telex/VNI input methods ("dda8ng kys"), abbreviations and typos. Every
string the search compares is folded the same way: NFC, lower case, Telex/VNI residue
repaired, diacritics removed (đ → d), punctuation dropped, spaces collapsed. Diacritics
are dropped on both sides, so a query without them ranks exactly as one with them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(uye|uya|oai|oay|uoi|uou|ươi|iêu|yêu|[aeiouy]{1,3})"
    r"(ch|ng|nh|[cmnpt])?$"
)
_TONE_KEYS = "sfrxj"
_VNI_DIGITS = re.compile(r"(?<=[a-z])[1-9]|[1-9](?=[a-z])")
_VOWELS = set("aeiouy")
# "kí"/"ký", "lí"/"lý", "mĩ"/"mỹ": both spellings are in use, so a final y after a
# consonant is read as i.
_FINAL_Y = re.compile(r"(?<=[bcdghklmnpqrstvx])y$")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ become d/D."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def is_syllable(word: str) -> bool:
    return bool(_SYLLABLE.match(word))


@lru_cache(maxsize=65536)
def repair_input_residue(word: str) -> str:
    """Undo Telex/VNI keystrokes left in an unaccented word ("kys" → "ky", "dda8ng" → "dang").

    Only words that are not already valid syllables and become valid ones are changed, so
    abbreviations ("gplx", "cccd") and real words pass through untouched.
    """
    if is_syllable(word) or not (_VOWELS & set(word)):
        return word
    candidate = _VNI_DIGITS.sub("", word)
    if candidate and candidate[-1] in _TONE_KEYS and len(candidate) > 1:
        candidate = candidate[:-1]
    candidate = candidate.replace("dd", "d")
    candidate = re.sub(r"([aeo])\1", r"\1", candidate)
    candidate = re.sub(r"([aou])w", r"\1", candidate).replace("w", "u")
    return candidate if candidate != word and is_syllable(candidate) else word


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold text to the comparison form: lower-case ASCII words separated by single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = strip_diacritics(text)
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(_word(w) for w in words)


def _word(word: str) -> str:
    if word.isdigit():
        return word.lstrip("0") or "0"  # "09 số" and "9 số" are the same
    return _FINAL_Y.sub("i", repair_input_residue(word))


def short_id(text: str) -> str:
    """Eight hex characters from the folded text, the same for any spelling of a name.

    Ids made from names this way survive restarts and re-imports.
    """
    return hashlib.blake2s(fold(text).encode(), digest_size=4).hexdigest()


def nfc(text: str) -> str:
    """Composed Unicode with single spaces, the form we store and display."""
    return " ".join(unicodedata.normalize("NFC", text).split())


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
    return _FINAL_Y.sub("i", base) + tone


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

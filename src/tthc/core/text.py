"""Vietnamese text folding: the one comparison form for names, statuses and questions.

Citizens type on phones: with or without diacritics, in composed or decomposed Unicode,
with leftovers of Telex/VNI input methods ("dda8ng kys"), abbreviations and typos; staff
files spell a status or a column header in as many ways. Every string compared is folded
the same way: NFC, lower case, Telex/VNI residue repaired, diacritics removed (đ → d),
punctuation dropped, spaces collapsed.
"""

from __future__ import annotations

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
FINAL_Y = re.compile(r"(?<=[bcdghklmnpqrstvx])y$")


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
    return FINAL_Y.sub("i", repair_input_residue(word))


def nfc(text: str) -> str:
    """Composed Unicode with single spaces, the form we store and display."""
    return " ".join(unicodedata.normalize("NFC", text).split())

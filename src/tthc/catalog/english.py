"""Questions typed in English, read with an English vocabulary of the catalogue's services.

Foreigners living in Vietnam and citizens used to English write "how do I register my
baby's birth". The catalogue is published in Vietnamese, so the search sees Vietnamese
only: an English question is recognised (its words are mostly not Vietnamese syllables,
and it has no Vietnamese diacritics) and rewritten phrase by phrase from `english.tsv`;
words no rule knows are dropped. Cards stay in the published Vietnamese, with English
labels for whoever asked in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# An unaccented Vietnamese syllable: onset, vowel cluster, final consonant.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|ieu|yeu|oai|oay|oeo|uoi|uou|uay|uai|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|"
    r"oo|ua|ue|ui|uo|uu|uy|ya|ye|[aeiouy])"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_DIACRITICS = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")
ENGLISH_SHARE = 0.4  # of the words, at least this many must be impossible in Vietnamese
# English words that carry no need; dropped even where they spell a Vietnamese syllable.
_FUNCTION = frozenset(
    [
        "a",
        "about",
        "after",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "have",
        "has",
        "help",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "is",
        "it",
        "its",
        "just",
        "me",
        "my",
        "need",
        "of",
        "on",
        "or",
        "our",
        "please",
        "should",
        "so",
        "that",
        "the",
        "this",
        "to",
        "want",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "vietnam",
        "vietnamese",
        "papers",
        "documents",
        "here",
        "there",
        "some",
        "one",
    ]
)


def looks_english(text: str) -> bool:
    """Whether a message is written in English rather than in unaccented Vietnamese."""
    lowered = text.lower()
    if _DIACRITICS.search(lowered):
        return False
    words = [w.split("'")[0] for w in _WORD.findall(lowered) if not w.isdigit()]
    foreign = [w for w in words if not _SYLLABLE.fullmatch(w)]
    return len(foreign) >= 2 and len(foreign) >= ENGLISH_SHARE * len(words)


class English:
    """Phrase rules from English to the catalogue's Vietnamese, longest phrase first."""

    def __init__(self, rules: Iterable[tuple[str, str]]) -> None:
        self.rules: dict[tuple[str, ...], str] = {}
        for english, vietnamese in rules:
            key = tuple(_WORD.findall(english.lower()))
            if key:
                self.rules[key] = vietnamese
        self.longest = max((len(k) for k in self.rules), default=1)

    def translate(self, text: str) -> str | None:
        """The Vietnamese words of the rules the text matches, in order; None if none does.

        Other words go, except numbers and unaccented Vietnamese syllables ("khai sinh")
        mixed in. A text with no English word we know ("abc xyz qwerty") is not English.
        """
        words = _WORD.findall(text.lower().replace("’", "'"))
        out: list[str] = []
        matched = any(w in _FUNCTION for w in words)
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                found = self.rules.get(tuple(words[i : i + n]))
                if found is None and n == 1 and words[i].endswith("'s"):
                    found = self.rules.get((words[i][:-2],))
                if found is not None:
                    matched = True
                    if found:
                        out.append(found)
                    i += n
                    break
            else:
                word = words[i]
                if word.isdigit() or (word not in _FUNCTION and _SYLLABLE.fullmatch(word)):
                    out.append(word)  # "a child of 10"; unaccented Vietnamese mixed in
                i += 1
        return " ".join(out) if matched else None


def load_english(text: str) -> English:
    """Rules from a TSV text (comments and blank lines skipped)."""
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, vietnamese = line.partition("\t")
        rules.append((english.strip(), vietnamese.strip()))
    return English(rules)

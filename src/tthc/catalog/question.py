"""Reading a citizen's question: what they want done, apart from how and why they ask.

"Hồ sơ xin cấp giấy phép xây dựng nhà cấp 4 gồm những giấy tờ gì ạ?" names a service
("giấy phép xây dựng nhà cấp 4") inside a question about one aspect of it (the papers)
and polite framing. The search should rank on the service words only, and the card should
open at the section asked about. Two data files drive this, both reviewable by staff:

* `phrasing.tsv` — phrases that frame a question, each with the card section it asks
  about ("giấy tờ gì" → documents, "mất bao lâu" → time) or `frame` for words that carry
  no meaning for the search ("cho em hỏi", "ạ", "mọi người ơi").
* `intents.tsv` — everyday ways of saying what one needs, as co-occurring words rather
  than fixed phrases ("ông nội mới mất" → khai tử; "sửa … ngày sinh … giấy khai sinh" →
  thay đổi, cải chính hộ tịch): a rule fires when one word of every group occurs close
  together, and the words it matched give way to the official wording.

Everything works on folded text (see `catalog.normalize.fold`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tthc.catalog.normalize import Word, agrees, words

Phrase = tuple[Word, ...]  # a rule's words with their accent keys

FRAME = "frame"


class Aspect(StrEnum):
    """The card section a question asks about."""

    DOCUMENTS = "documents"
    FEES = "fees"
    TIME = "time"
    WAYS = "ways"  # where and how to submit, online or not
    STEPS = "steps"
    RESULT = "result"
    LEGAL = "legal"


@dataclass(frozen=True)
class Reading:
    """The service words of a question and the aspect it asks about (None: the whole card)."""

    words: tuple[Word, ...]
    aspect: Aspect | None
    framed: bool  # some framing was removed: a whole question rather than a few words


class Phrasing:
    """Question framing phrases, matched longest first on folded words."""

    def __init__(self, rules: Iterable[tuple[str, str]]) -> None:
        self.rules: dict[tuple[str, ...], list[tuple[Phrase, str]]] = defaultdict(list)
        for role, text in rules:
            phrase = phrase_words(text)
            if phrase and (role == FRAME or role in Aspect.__members__.values()):
                self.rules[tuple(f for f, _ in phrase)].append((phrase, role))
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self.rules:
            lengths[key[0]].add(len(key))
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def read(
        self, typed: Sequence[Word], protected: Callable[[str, str], bool] | None = None
    ) -> Reading:
        """Remove framing; the aspect is the one section asked about, if exactly one.

        A phrase stays when its last word and the next one are a pair the catalogue uses
        (`protected`): "lệ phí" is a question about fees, "lệ phí trước bạ" a procedure.
        """
        kept: list[Word] = []
        aspects: list[str] = []
        removed = False
        i = 0
        while i < len(typed):
            for n in self.lengths.get(typed[i][0], ()):
                role = self._role(typed[i : i + n])
                following = typed[i + n][0] if i + n < len(typed) else None
                if role is None or (
                    protected and following and protected(typed[i + n - 1][0], following)
                ):
                    continue
                removed = True
                if role != FRAME:
                    aspects.append(role)
                i += n
                break
            else:
                kept.append(typed[i])
                i += 1
        distinct = set(aspects)
        aspect = Aspect(aspects[0]) if len(distinct) == 1 else None
        return Reading(tuple(kept), aspect, removed)

    def _role(self, typed: Sequence[Word]) -> str | None:
        for phrase, role in self.rules.get(tuple(f for f, _ in typed), ()):
            if all(same(w, r) for w, r in zip(typed, phrase, strict=True)):
                return role
        return None


def same(typed: Word, rule: Word) -> bool:
    """Whether a typed word is the rule's word: same letters, and same marks when both have them."""
    return typed[0] == rule[0] and (rule[1] is None or agrees(typed, rule[1]))


def phrase_words(text: str) -> Phrase:
    """A rule's phrase as words with accent keys (rules are written with diacritics)."""
    return tuple(words(text))


@dataclass(frozen=True)
class Intent:
    """One rule: a word of every group within `span` words, none of `unless` anywhere → `then`."""

    groups: tuple[tuple[Phrase, ...], ...]
    unless: tuple[Phrase, ...]
    then: Phrase
    span: int = 6


def parse_intent(when: str, then: str) -> Intent:
    """`a | b c + d | e ! f | g` → groups (a | b c), (d | e), none of (f | g)."""
    required, _, excluded = when.partition("!")

    def alternatives(group: str) -> tuple[Phrase, ...]:
        return tuple(p for p in (phrase_words(a) for a in group.split("|")) if p)

    groups = tuple(alternatives(g) for g in required.split("+") if alternatives(g))
    return Intent(groups, alternatives(excluded), phrase_words(then))


def load_table(text: str) -> list[tuple[str, str]]:
    """`left<TAB>right` lines of a bundled data file; # starts a comment line."""
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        left, _, right = line.partition("\t")
        rows.append((left.strip(), right.strip()))
    return rows


class Intents:
    """Co-occurrence rules applied in file order; each fires at most once per question."""

    def __init__(self, rules: Iterable[tuple[str, str]]) -> None:
        self.rules = [parse_intent(when, then) for when, then in rules]
        # The first words each group may start with: a rule whose group has none of them
        # in the question is skipped without looking further.
        self.starts = [
            [frozenset(alt[0][0] for alt in group) for group in rule.groups] for rule in self.rules
        ]

    def apply(
        self, words: list[Word], protected: Callable[[str, str], bool] | None = None
    ) -> tuple[list[Word], bool]:
        """The words with each fired rule's matched words replaced by its official wording.

        A one-word alternative typed without diacritics does not match inside a pair the
        catalogue uses (`protected`): "so" in "chủ sở hữu" is not "sổ", "quan" in "quản trị"
        is not "quán".
        """
        fired = False
        for rule, starts in zip(self.rules, self.starts, strict=True):
            present = {w for w, _ in words}
            if any(not (first & present) for first in starts):
                continue
            spans = [find_phrases(words, group, protected) for group in rule.groups]
            if any(not s for s in spans):
                continue
            chosen = closest(spans, rule.span)
            if chosen is None:
                continue
            if find_phrases(words, rule.unless):
                continue
            used = {i for start, end in chosen for i in range(start, end)}
            words = [w for i, w in enumerate(words) if i not in used] + list(rule.then)
            fired = True
        return words, fired


def find_phrases(
    typed: Sequence[Word],
    alternatives: Iterable[Phrase],
    protected: Callable[[str, str], bool] | None = None,
) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any alternative."""
    starts: dict[str, list[int]] = {}
    for i, (folded, _) in enumerate(typed):
        starts.setdefault(folded, []).append(i)
    found = []
    for alt in alternatives:
        n = len(alt)
        for i in starts.get(alt[0][0], ()):
            if i + n > len(typed) or not all(
                same(w, r) for w, r in zip(typed[i : i + n], alt, strict=True)
            ):
                continue
            if protected and n == 1 and typed[i][1] is None and _in_pair(typed, i, protected):
                continue
            found.append((i, i + n))
    return found


def _in_pair(typed: Sequence[Word], i: int, protected: Callable[[str, str], bool]) -> bool:
    before = i > 0 and protected(typed[i - 1][0], typed[i][0])
    after = i + 1 < len(typed) and protected(typed[i][0], typed[i + 1][0])
    return bool(before or after)


def closest(spans: list[list[tuple[int, int]]], limit: int) -> list[tuple[int, int]] | None:
    """One occurrence per group, all within `limit` words of each other (first such set)."""
    best: list[tuple[int, int]] | None = None
    width = limit + 1

    def walk(i: int, chosen: list[tuple[int, int]]) -> None:
        nonlocal best, width
        if i == len(spans):
            lo = min(s for s, _ in chosen)
            hi = max(e for _, e in chosen)
            overlap = len({k for s, e in chosen for k in range(s, e)}) < sum(
                e - s for s, e in chosen
            )
            if not overlap and hi - lo < width:
                best, width = list(chosen), hi - lo
            return
        for span in spans[i]:
            walk(i + 1, [*chosen, span])

    walk(0, [])
    return best if best is not None and width <= limit else None


# Words a follow-up carries besides the section it asks about ("còn lệ phí thì sao?",
# "thế làm online được không"): none of them names a service.
_FOLLOW_UP_FILLER = frozenset(
    [
        "con",
        "sao",
        "the",
        "vay",
        "nua",
        "a",
        "ha",
        "nhi",
        "nhe",
        "nhe",
        "lam",
        "duoc",
        "khong",
        "thi",
        "nao",
        "bao",
        "ban",
        "oi",
        "e",
        "cho",
        "hoi",
        "minh",
        "toi",
        "em",
        "anh",
        "chi",
        "nhu",
        "mat",
        "phai",
        "can",
        "voi",
        "di",
        "roi",
        "ma",
    ]
)
# Sections named by a bare noun after "còn" ("còn giấy tờ?", "thế còn phí"), which a
# question about a service would not use alone.
_FOLLOW_UP_NOUNS = {
    ("giay", "to"): Aspect.DOCUMENTS,
    ("ho", "so"): Aspect.DOCUMENTS,
    ("phi",): Aspect.FEES,
    ("le", "phi"): Aspect.FEES,
    ("thoi", "gian"): Aspect.TIME,
    ("thoi", "han"): Aspect.TIME,
    ("cac", "buoc"): Aspect.STEPS,
    ("ket", "qua"): Aspect.RESULT,
    ("can", "cu"): Aspect.LEGAL,
}


def follow_up(phrasing: Phrasing, text: str) -> Aspect | None:
    """The section a message asks about when it names nothing else (a follow-up question).

    "mất bao lâu vậy" → time; "còn giấy tờ?" → documents; "lệ phí trước bạ" → None
    (it names a service).
    """
    reading = phrasing.read(words(text))
    rest = [w for w, _ in reading.words if w not in _FOLLOW_UP_FILLER]
    if reading.aspect is not None and not rest:
        return reading.aspect
    if reading.aspect is None and rest:
        return _FOLLOW_UP_NOUNS.get(tuple(rest))
    return None

"""What the chat answers to a citizen's text: one card, a choice, a list, or "not found".

The search ranks procedures; this module decides what the citizen is shown, so that the
bot, `tthc search` and the evaluation all judge the same thing:

* a **card** when the calibrated confidence says the first result is right;
* a **choice** when the first results are one service for different people or cases
  ("Cấp thẻ căn cước cho người dưới 14 tuổi" / "… từ đủ 14 tuổi trở lên"): one short
  question whose buttons name only what differs;
* a **list** of the plausible results otherwise, or **not found**; small talk is answered
  as such and never searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from rapidfuzz import fuzz

from tthc.catalog.calibration import Confidence
from tthc.catalog.chitchat import Chitchat, chitchat
from tthc.catalog.question import Aspect
from tthc.catalog.search import Hit, SearchIndex, SearchResult, family
from tthc.catalog.story import focus, is_story
from tthc.catalog.topics import Topic, Topics
from tthc.core.text import fold

LIST_SHARE = 0.8  # a result list keeps hits scoring at least this share of the best one
SUGGESTION_SCORE = 0.5  # below this, a "not found" reply suggests nothing
FAMILY_SHARE = 0.85  # results outside a family this close to the best make it a list
# A story whose question alone and whole text rank the same procedure first, each with at
# least this calibrated chance, gets its card (chosen on the development stories).
AGREEMENT_CHANCE = 0.5
STORY_LIST = 4  # an unsure story lists at least this many procedures


class AnswerKind(StrEnum):
    CARD = "card"
    CHOICE = "choice"
    LIST = "list"
    NONE = "none"
    CHAT = "chat"  # small talk: answered as such, not searched


@dataclass(frozen=True)
class Answer:
    """What the chat shows, and the ranking it came from.

    For a choice, `labels` are the button captions (what tells the options apart).
    """

    kind: AnswerKind
    result: SearchResult
    shown: tuple[Hit, ...]
    labels: tuple[str, ...] = ()
    chat: Chitchat | None = None
    topic: Topic | None = None  # what no procedure answers (catalog/topics.py), told honestly

    @property
    def confidence(self) -> Confidence:
        if self.kind is AnswerKind.CARD:
            return Confidence.CONFIDENT
        if self.kind in (AnswerKind.NONE, AnswerKind.CHAT):
            return Confidence.NONE
        return Confidence.AMBIGUOUS

    @property
    def aspect(self) -> Aspect | None:
        return self.result.aspect


class Answerer:
    """Answers over one search index."""

    def __init__(self, index: SearchIndex, topics: Topics | None = None) -> None:
        self.index = index
        self.topics = topics

    def answer(self, text: str, limit: int = 5) -> Answer:
        small_talk = chitchat(text)
        if small_talk is not None:
            empty = SearchResult(text, "", Confidence.NONE, ())
            return Answer(AnswerKind.CHAT, empty, (), chat=small_talk)
        topic = self.topics.match(text) if self.topics is not None else None
        # Twice as many as shown: a list shows one level of each procedure (the others are
        # on its card) and still has `limit` different ones.
        result = (
            self._story(text, limit * 2, agreement=topic is None)
            if is_story(text)
            else self.index.search(text, limit * 2)
        )
        if topic is not None and (topic.strong or result.confidence is not Confidence.CONFIDENT):
            helping = tuple(self.index.hit(code) for code in topic.codes if self.index.has(code))
            kind = AnswerKind.LIST if helping else AnswerKind.NONE
            return Answer(kind, result, helping, topic=topic)
        best = result.best
        if best is None or result.confidence is Confidence.NONE:
            shown = tuple(h for h in result.hits[:limit] if h.score >= SUGGESTION_SCORE)
            return Answer(AnswerKind.NONE, result, shown)
        choice = self._choice(result, limit)
        if choice is not None:
            return choice
        if result.confidence is Confidence.CONFIDENT:
            return Answer(AnswerKind.CARD, result, (best,))
        near = [
            h
            for i, h in enumerate(result.hits)
            if i < result.keep or h.score >= best.score * LIST_SHARE
        ]
        distinct = _distinct(self.index, tuple(near))
        if len(distinct) == 1 < len(near):  # one procedure at several levels: its card lists them
            return Answer(AnswerKind.CARD, result, tuple(distinct))
        return Answer(AnswerKind.LIST, result, tuple(self._with_siblings(distinct, limit)))

    def _choice(self, result: SearchResult, limit: int) -> Answer | None:
        """One service for several cases among the first results: ask which case applies.

        Only when nothing else comes close; the same procedure at other levels is one option.
        """
        hits = _distinct(self.index, result.hits[:limit])
        best = hits[0]
        head = family(best.name)
        if head is None:
            return None
        members = [h for h in hits if (f := family(h.name)) is not None and f[0] == head[0]]
        others = [h for h in hits if h not in members and h.score >= best.score * FAMILY_SHARE]
        if len(members) < 2 or others:
            return None
        near = [h for h in members if h.score >= best.score * LIST_SHARE]
        if len(near) < 2:
            return None
        labels = [family(h.name)[1] for h in near]  # type: ignore[index]
        if len(set(labels)) < len(labels):
            return None
        fits = _for_age(result.query, labels)
        if fits is not None:  # "cho con 10 tuổi": the case that fits the age
            return Answer(AnswerKind.CARD, result, (near[fits],))
        return Answer(AnswerKind.CHOICE, result, tuple(near), tuple(labels))

    def _with_siblings(self, hits: list[Hit], limit: int) -> list[Hit]:
        """The list, with room left filled by the other cases of a service it shows one of.

        "căn cước" ranks the under-14 card but not the card most people need (from 14).
        """
        out = hits[:limit]
        for hit in hits[:limit]:
            for sibling in self.index.siblings(hit.code):
                if len(out) < limit and all(h.code != sibling.code for h in out):
                    out.append(replace(sibling, score=hit.score))
        return out

    def _story(self, text: str, limit: int, *, agreement: bool = True) -> SearchResult:
        """A story answered as surely as a short question, or not at all.

        The focus (the question sentence) and the whole story are both searched; a card
        needs the focus to be sure and the whole to agree (or to find nothing sure of its
        own). Otherwise the plausible procedures of both are offered as a list.
        """
        index = self.index
        near = index.search(focus(text, lambda s: len(index.understand(s).tokens) >= 3).text, limit)
        whole = index.search(text, limit)
        first, other = near.best, whole.best
        if (
            first is not None
            and near.confidence is Confidence.CONFIDENT
            and (whole.confidence is Confidence.NONE or self._among(first, whole.hits[:3]))
        ):
            return replace(near, query=text)
        if (
            other is not None
            and whole.confidence is Confidence.CONFIDENT
            and (near.confidence is Confidence.NONE or self._among(other, near.hits[:3]))
        ):
            return replace(whole, aspect=near.aspect)
        if (
            agreement
            and first is not None
            and other is not None
            and min(self._chance(near), self._chance(whole)) >= AGREEMENT_CHANCE
            and self._among(first, (other,))
        ):
            # Read two ways (the question alone, the whole story), the same procedure first.
            return replace(near, query=text, confidence=Confidence.CONFIDENT)
        # Not sure: the two first of each reading, then the rest by score.
        merged: dict[str, Hit] = {}
        ordered = sorted((*near.hits, *whole.hits), key=lambda h: -h.score)
        for hit in (*near.hits[:2], *whole.hits[:2], *ordered):
            if not any(self._among(hit, (other,)) for other in merged.values()):
                merged[hit.code] = hit
        hits = tuple(merged.values())[:limit]
        sure = near.confidence is not Confidence.NONE or whole.confidence is not Confidence.NONE
        confidence = Confidence.AMBIGUOUS if hits and sure else Confidence.NONE
        return replace(near, query=text, confidence=confidence, hits=hits, keep=STORY_LIST)

    def _chance(self, result: SearchResult) -> float:
        """The calibrated chance that a ranking's first result is right."""
        if result.signals is None:
            return 1.0 if result.confidence is Confidence.CONFIDENT else 0.0
        return self.index.calibration.chances(result.signals)[0]

    def _among(self, hit: Hit, hits: tuple[Hit, ...]) -> bool:
        """Whether `hit` (or the same procedure at another level) is among `hits`."""
        same = {hit.code, *(e.code for e in self.index.level_variants(hit.code))}
        return any(h.code in same for h in hits)

    def accepted(self, codes: tuple[str, ...]) -> set[str]:
        """The codes, and the same procedures at other levels."""
        out = set(codes)
        for code in codes:
            out.update(e.code for e in self.index.level_variants(code))
        return out


_AGE = re.compile(r"\b(\d{1,3}) ?(?:tuoi|t)\b")
_BOUND = re.compile(r"\b(duoi|tu du|tu|tren|du) (\d{1,3}) tuoi")


def _for_age(query: str, labels: list[str]) -> int | None:
    """The one case a stated age or age bound fits ("dưới 14 tuổi", "con 10 tuổi"), if any."""
    folded = fold(query)
    stated = {(w.replace("tu du", "tu"), int(n)) for w, n in _BOUND.findall(folded)}
    bounds = [
        {(w.replace("tu du", "tu"), int(n)) for w, n in _BOUND.findall(fold(label))}
        for label in labels
    ]
    if stated:
        same = [i for i, b in enumerate(bounds) if stated & b]
        return same[0] if len(same) == 1 else None
    ages = {int(n) for n in _AGE.findall(folded)}
    if len(ages) != 1:
        return None
    age = ages.pop()
    fitting = [i for i, b in enumerate(bounds) if b and all(_admits(w, n, age) for w, n in b)]
    return fitting[0] if len(fitting) == 1 else None


def _admits(word: str, limit: int, age: int) -> bool:
    return age < limit if word == "duoi" else age >= limit


def _distinct(index: SearchIndex, hits: tuple[Hit, ...]) -> list[Hit]:
    """The hits with the same procedure at another level left out (the first one stays)."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.code in seen:
            continue
        out.append(hit)
        seen.add(hit.code)
        seen.update(e.code for e in index.level_variants(hit.code))
    return out


_ORDINALS = {
    "nhat": 0, "dau": 0, "dau tien": 0, "mot": 0, "hai": 1, "nhi": 1, "ba": 2, "tu": 3,
    "bon": 3, "nam": 4, "cuoi": -1, "cuoi cung": -1,
}  # fmt: skip
_PICK_NUMBER = re.compile(r"^(?:cai|so|muc|lua chon|phuong an|dong)?\s*(?:thu)?\s*(\d)$")
_PICK_WORD = re.compile(
    r"^(?:cai|so|muc|lua chon|phuong an|dong)?\s*(?:thu)?\s*(nhat|dau tien|dau|"
    r"mot|hai|nhi|ba|tu|bon|nam|cuoi cung|cuoi)$"
)
_PICK_LEAD = re.compile(r"^(?:cai|loai|thu tuc|muc)?\s*(?:cho|danh cho|doi voi)?\s*")
PICK_SIMILARITY = 80  # a description must match one option this well, and better than others


def picked(answer: Answer, text: str) -> str | None:
    """The procedure a message chooses from the choice or list `answer` put on screen."""
    if answer.kind not in (AnswerKind.CHOICE, AnswerKind.LIST):
        return None
    options = list(answer.labels) if answer.labels else [h.name for h in answer.shown]
    chosen = pick(text, options)
    return answer.shown[chosen].code if chosen is not None else None


def pick(text: str, options: list[str]) -> int | None:
    """Which of the options on screen a message chooses, if it chooses one.

    "cái thứ 2", "số 2", "thứ hai", "cái cuối" choose by position; "cái cho người trên
    14 tuổi" by what the option says (an age, or a close description).
    """
    folded = " ".join(fold(text).replace("?", " ").split())
    if not options or not folded:
        return None
    if number := _PICK_NUMBER.match(folded):
        index = int(number.group(1)) - 1
        return index if 0 <= index < len(options) else None
    if word := _PICK_WORD.match(folded):
        index = _ORDINALS[word.group(1)]
        return index % len(options) if -len(options) <= index < len(options) else None
    wanted = _PICK_LEAD.sub("", folded).replace("tren", "tu").replace("tu du", "tu")
    age = _for_age(wanted, options)
    if age is not None:
        return age
    scores = [fuzz.token_set_ratio(wanted, fold(o).replace("tu du", "tu")) for o in options]
    best = max(range(len(options)), key=lambda i: scores[i])
    unique = sorted(scores, reverse=True)[1:2] != [scores[best]]
    return best if scores[best] >= PICK_SIMILARITY and unique else None

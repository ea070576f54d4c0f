"""Ranking procedures from the words citizens type.

A :class:`SearchIndex` is built once from the catalogue (everything that can be
precomputed is: folded names, token sets, bigrams, inverse document frequencies) and
then answers queries in memory. A query is folded, typos are corrected against the
catalogue's own vocabulary, synonyms and filler words are rewritten, and each candidate
is scored by how much of the query's *weight* it covers (rare words like "khai tử"
weigh more than "đăng ký" or "cấp"), how little else its name contains, whether the
query's word pairs appear in order, and a rapidfuzz similarity. Level and agency only
break ties.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from tthc.catalog.calibration import Calibration, Confidence, Signals, load_calibration
from tthc.catalog.english import English, looks_english
from tthc.catalog.normalize import Word, words
from tthc.catalog.question import Aspect, Intents, Phrase, Phrasing, phrase_words, same
from tthc.core.text import fold

CODE_IN_QUERY = re.compile(r"\b(\d\.\d{6})\b")
LEVEL_SUFFIX = re.compile(
    r"\(?\s*(?:(?:thực hiện|thuc hien)\s+(?:tại|tai|ở|o)\s+)?(?:cấp|cap)\s+"
    r"(?:trung ương|tw|bộ|tỉnh|tinh|huyện|xã)[^()]*\)\.?\s*$"
    r"|\(?\s*(?:thực hiện|thuc hien)\s+(?:tại|tai|ở|o)\s+(?:cấp|cap)\s+[^()]*\)?\.?\s*$",
    re.IGNORECASE,
)
# Words after which a name narrows down *who* or *when* ("… cho người dưới 14 tuổi",
# "… đối với tổ chức"): the head before them says what the procedure is.
QUALIFIERS = {"cho", "doi voi", "trong truong hop", "truong hop", "theo", "thuoc", "do", "khi"}
TAIL_WEIGHT = 0.45
# Where citizens usually go first; used only to order otherwise equal results.
LEVEL_PREFERENCE = {"Cấp xã": 4, "Cấp tỉnh": 3, "Cấp huyện": 2, "Cấp bộ": 1}
LEVEL_WORDS = {
    ("cap", "xa"): "Cấp xã",
    ("phuong",): "Cấp xã",
    ("cap", "tinh"): "Cấp tỉnh",
    ("cap", "huyen"): "Cấp huyện",
    ("trung", "uong"): "Cấp bộ",
    ("cap", "bo"): "Cấp bộ",
}
NAME_NOISE = ("thu tuc",)
FIRST_CLAUSE = re.compile(r"[,;]")
PARENTHESES = re.compile(r"\([^()]*\)")
# Words that turn a procedure into a non-default action on the same thing ("cấp lại",
# "thay đổi", "xóa", "lưu động"...). A query that does not ask for them means the plain
# procedure, so names carrying them give way.
MARKERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(m.split())
    for m in (
        "cap lai", "ki lai", "doi", "thay doi", "gia han", "xoa", "huy", "thu hoi", "cham dut",
        "dieu chinh", "dinh chinh", "tam ngung", "giai the", "luu dong", "nuoc ngoai",
        "sua doi", "bo sung", "hieu dinh", "khoi phuc", "to chuc", "bien gioi",
        "cap bo", "trung uong", "dung thuc hien", "tam dung", "tam thoi", "chuyen tiep",
    )
)  # fmt: skip
MARKER_PENALTY = 0.05
# Phrases anywhere in a name saying the applicant is an agency or organisation, not a
# private person ("… theo yêu cầu của cơ quan tiến hành tố tụng", "… đối với tổ chức").
# A name that also names "cá nhân" or "hộ gia đình" serves citizens too.
APPLICANTS = {
    "theo yeu cau cua co quan": ("co", "quan"),
    "cho co quan": ("co", "quan"),
    "doi voi co quan": ("co", "quan"),
    "cho to chuc": ("to", "chuc"),
    "doi voi to chuc": ("to", "chuc"),
}
CITIZEN_WORDS = (" ca nhan ", " ho gia dinh ")
W_COVERAGE, W_PRECISION, W_PHRASE, W_PREFIX = 0.55, 0.22, 0.13, 0.1
W_FUZZ = 0.1
LEVEL_BONUS = 0.05  # a level the query names ("cấp xã")
MAX_SEED_WORDS = 10  # candidates come from the question's rarest words, this many at most
PAIR_WEIGHT = 0.5  # weight of a word pair a name uses, relative to its rarity
COMMON_DF_SHARE = 0.08  # words in more names than this share are everyday words
ACCENT_MISMATCH = 0.35  # weight of a word whose typed diacritics differ from the name's


@dataclass(frozen=True)
class Entry:
    """What the index needs to know about one procedure."""

    code: str
    name: str
    field: str = ""
    levels: tuple[str, ...] = ()
    agency: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One ranked result."""

    code: str
    name: str
    score: float
    field: str
    levels: tuple[str, ...]
    agency: str | None


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits, the confidence class, and the query as the index understood it."""

    query: str
    normalized: str
    confidence: Confidence
    hits: tuple[Hit, ...]
    aspect: Aspect | None = None  # the card section the question asks about
    signals: Signals | None = None  # what the ranking says about its first result
    english: bool = False  # asked in English (read through catalog/data/english.tsv)
    keep: int = 0  # a list shows at least this many hits (a story's two readings)

    @property
    def best(self) -> Hit | None:
        """The first hit, if any."""
        return self.hits[0] if self.hits else None


@dataclass(frozen=True)
class Understood:
    """A query as the index reads it."""

    tokens: list[str]
    soft: set[str]
    level: str | None
    aspect: Aspect | None
    keys: dict[str, str | None] = field(default_factory=dict)  # accent key per token
    framed: bool = False  # question framing was removed
    intent: bool = False  # an everyday-wording rule recognised the need
    pairs: set[tuple[str, str]] = field(default_factory=set)  # adjacent word pairs


@dataclass
class _Variant:
    tokens: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    weight: float
    text: str
    sequence: tuple[str, ...] = ()
    head: frozenset[str] = frozenset()
    keys: dict[str, frozenset[str]] = field(default_factory=dict)  # accent keys per token


@dataclass
class _Doc:
    entry: Entry
    variants: list[_Variant]
    field_tokens: frozenset[str]
    group: str
    level_rank: int
    all_tokens: frozenset[str] = field(default_factory=frozenset)
    markers: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    min_weight: float = 1.0


class _Match(NamedTuple):
    """How one name variant matched the question."""

    score: float
    coverage: float
    precision: float
    phrase: float
    found: frozenset[str]


class Synonyms:
    """Phrase rewriting on typed words, longest phrase first.

    Words of a replacement written in [brackets] are *soft*: they help ranking when a
    name contains them but weigh little when it does not ("sổ đỏ" → "giấy chứng nhận
    [quyền sử dụng đất]" still finds "Cấp lại Giấy chứng nhận do bị mất"). A phrase written
    with diacritics only matches words typed with the same ones (or typed without any).
    """

    def __init__(self, rules: Mapping[str, str]) -> None:
        self.rules: dict[tuple[str, ...], list[tuple[Phrase, tuple[tuple[Word, bool], ...]]]] = (
            defaultdict(list)
        )
        for term, expansion in rules.items():
            phrase = phrase_words(term)
            if phrase:
                self.rules[tuple(f for f, _ in phrase)].append(
                    (phrase, _parse_expansion(expansion))
                )
        self.terms = {t for k in self.rules for t in k}
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self.rules:
            lengths[key[0]].add(len(key))
        # Phrase lengths to try at a word, longest first: most words start no rule at all.
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def rewrite(self, typed: list[Word]) -> list[tuple[Word, bool]]:
        """Replace every known phrase; unknown words pass through. Yields (word, soft)."""
        out: list[tuple[Word, bool]] = []
        i = 0
        while i < len(typed):
            for n in self.lengths.get(typed[i][0], ()):
                expansion = self._expansion(typed[i : i + n])
                if expansion is not None:
                    out.extend(expansion)
                    i += n
                    break
            else:
                out.append((typed[i], False))
                i += 1
        return out

    def _expansion(self, typed: list[Word]) -> tuple[tuple[Word, bool], ...] | None:
        for phrase, expansion in self.rules.get(tuple(f for f, _ in typed), ()):
            if all(same(w, r) for w, r in zip(typed, phrase, strict=True)):
                return expansion
        return None


def _parse_expansion(expansion: str) -> tuple[tuple[Word, bool], ...]:
    out: list[tuple[Word, bool]] = []
    for part in re.split(r"(\[[^\]]*\])", expansion):
        soft = part.startswith("[")
        out.extend((w, soft) for w in phrase_words(part.strip("[]")))
    return tuple(out)


def load_synonym_file(text: str) -> dict[str, str]:
    """Parse the bundled `phrase<TAB>replacement` table."""
    rules: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        term, _, expansion = line.partition("\t")
        rules[term.strip()] = expansion.strip()
    return rules


def base_name(name: str) -> str:
    """The name without "(thực hiện tại cấp …)", which only tells levels apart."""
    return LEVEL_SUFFIX.sub("", name).strip(" .")


# Where an official name turns from the service to whom or which case it is for.
_QUALIFIER = re.compile(
    r"\s+(?:cho|đối với|trong trường hợp|trường hợp|thực hiện bằng|bằng)\s+", re.IGNORECASE
)


def family(name: str) -> tuple[str, str] | None:
    """(service, case) of a name that names a service for some people or case, else None.

    "Cấp thẻ căn cước cho người dưới 14 tuổi" → ("cap the can cuoc", "Người dưới 14 tuổi").
    """
    base = base_name(name)
    match = _QUALIFIER.search(base)
    if match is None or len(base[: match.start()].split()) < 2:
        return None
    case = base[match.end() :].strip(" .;,")
    if not case:
        return None
    return fold(base[: match.start()]), case[0].upper() + case[1:]


def _strip_noise(typed: list[Word]) -> list[Word]:
    joined = " ".join(f for f, _ in typed)
    for noise in NAME_NOISE:
        if joined.startswith(noise + " "):
            return typed[len(noise.split()) :]
    return typed


def _head(tokens: list[str]) -> list[str]:
    for i in range(2, len(tokens)):
        if tokens[i] in QUALIFIERS or " ".join(tokens[i : i + 2]) in QUALIFIERS:
            return tokens[:i]
    return tokens


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


def _common_prefix(a: list[str], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _applicant(name: str) -> frozenset[tuple[str, ...]]:
    """The applicant marker of a name that is not meant for private persons, if any."""
    text = f" {fold(name)} "
    found = {m for phrase, m in APPLICANTS.items() if f" {phrase} " in text}
    if any(word in text for word in CITIZEN_WORDS):
        found.discard(("to", "chuc"))
    return frozenset(found)


def _markers(tokens: list[str], markers: Iterable[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    """The marker phrases that occur in `tokens` as whole words."""
    text = f" {' '.join(tokens)} "
    return frozenset(m for m in markers if f" {' '.join(m)} " in text)


class SearchIndex:
    """An in-memory, immutable index over the catalogue; rebuild it when the catalogue changes."""

    def __init__(
        self,
        entries: Iterable[Entry],
        synonyms: Mapping[str, str] | None = None,
        *,
        phrasing: Phrasing | None = None,
        intents: Intents | None = None,
        calibration: Calibration | None = None,
        english: English | None = None,
    ) -> None:
        self.calibration = calibration or load_calibration()
        self.synonyms = Synonyms(synonyms or {})
        self.phrasing = phrasing or Phrasing(())
        self.intents = intents or Intents(())
        self.english = english
        self.docs: list[_Doc] = []
        self.by_code: dict[str, int] = {}
        df: dict[str, int] = defaultdict(int)
        for entry in entries:
            doc = self._make_doc(entry, self._analyse)
            self.by_code[entry.code] = len(self.docs)
            self.docs.append(doc)
            for token in doc.all_tokens:
                df[token] += 1
        n = max(len(self.docs), 1)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)
        self.common = {t for t, c in df.items() if c > n * COMMON_DF_SHARE}
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            for token in doc.all_tokens | doc.field_tokens:
                self.postings[token].append(i)
            for variant in doc.variants:
                variant.weight = (
                    sum(
                        self.idf.get(t, 0.0) * (1.0 if t in variant.head else TAIL_WEIGHT)
                        for t in variant.tokens
                    )
                    or 1.0
                )
            doc.min_weight = min(v.weight for v in doc.variants)
        self.inverse_min_weight = [1.0 / d.min_weight for d in self.docs]
        self.vocabulary = sorted(self.postings)
        self.pair_postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.groups: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            for pair in frozenset().union(*(v.bigrams for v in doc.variants)):
                self.pair_postings[pair].append(i)
            self.groups[doc.group].append(i)
        # Services for several cases ("Cấp thẻ căn cước cho người dưới 14 tuổi" / "… từ đủ
        # 14 tuổi"): each case's level groups, so a list showing one case can show the others.
        self.families: dict[str, list[str]] = defaultdict(list)
        for group, members in self.groups.items():
            service = family(self.docs[members[0]].entry.name)
            if service is not None:
                self.families[service[0]].append(group)
        self.pair_idf = {
            p: math.log(1 + (n - len(ds) + 0.5) / (len(ds) + 0.5))
            for p, ds in self.pair_postings.items()
        }
        self.name_pairs = {
            pair
            for entry in (d.entry for d in self.docs)
            for name in (entry.name, *entry.aliases)
            for pair in _pairs(fold(name).split())
        }
        self.synonym_pairs = {key[:2] for key in self.synonyms.rules if len(key) > 1}
        self.alias_keys = self._alias_keys()

    def _alias_keys(self) -> dict[str, str]:
        """The understood words of each alias → its procedure.

        Aliases two procedures share are left out. Staff add a citizen's unanswered question as an alias: asked again, in the same
        words or close variants (no diacritics, a typo, other framing), it must open that
        procedure, not compete with it in the ranking.
        """
        keys: dict[str, str] = {}
        shared: set[str] = set()
        for doc in self.docs:
            for alias in doc.entry.aliases:
                key = " ".join(self.understand(alias).tokens)
                if key and keys.setdefault(key, doc.entry.code) != doc.entry.code:
                    shared.add(key)
        return {key: code for key, code in keys.items() if key not in shared}

    def _analyse(self, text: str) -> list[Word]:
        """Names go through the same rewriting as queries, so "BHXH" meets "bảo hiểm xã hội"."""
        return [w for w, _ in self.synonyms.rewrite(_strip_noise(words(text)))]

    @staticmethod
    def _make_doc(entry: Entry, analyse: Callable[[str], list[Word]]) -> _Doc:
        base = base_name(entry.name)
        names = [base, *entry.aliases]
        short = PARENTHESES.sub(" ", base).strip()
        if short and short != base:
            names.append(short)
        variants = []
        for text in names:
            analysed = analyse(text)
            toks = [f for f, _ in analysed]
            keys: dict[str, set[str]] = defaultdict(set)
            for f, key in analysed:
                if key is not None:
                    keys[f].add(key)
            variants.append(
                _Variant(
                    tokens=frozenset(toks),
                    bigrams=frozenset(zip(toks, toks[1:], strict=False)),
                    weight=1.0,
                    text=" ".join(toks),
                    sequence=tuple(toks),
                    head=frozenset(_head(toks)),
                    keys={f: frozenset(k) for f, k in keys.items()},
                )
            )
        rank = max((LEVEL_PREFERENCE.get(level, 0) for level in entry.levels), default=0)
        return _Doc(
            entry=entry,
            variants=variants,
            field_tokens=frozenset(f for f, _ in analyse(entry.field)),
            group=fold(base_name(entry.name)),
            level_rank=rank,
            all_tokens=frozenset().union(*(v.tokens for v in variants)),
            # Read on the folded name before rewriting, which drops qualifiers like "với";
            # only the first of listed actions counts ("Đăng ký, đăng ký lại, điều chỉnh …"
            # serves a plain "đăng ký").
            markers=_markers(_head(fold(FIRST_CLAUSE.split(base, 1)[0]).split()), MARKERS)
            | _applicant(base),
        )

    def __len__(self) -> int:
        return len(self.docs)

    # -- query understanding -------------------------------------------------------------

    def understand(self, query: str) -> Understood:
        """The service words of a question, and what else the index reads in it.

        Framing goes, typos are repaired, intents and synonyms rewrite everyday wording;
        the result says which words are soft, a wanted level and the aspect asked about.
        """
        reading = self.phrasing.read(words(query), self._catalogue_pair)
        typed: list[Word] = []
        for folded, key in reading.words:
            corrected = self._correct(folded)
            typed.extend(
                [(folded, key)] if corrected == folded else [(c, None) for c in corrected.split()]
            )
        typed, intent = self.intents.apply(typed, self._catalogue_pair)
        rewritten = self.synonyms.rewrite(typed)
        tokens = [w[0] for w, _ in rewritten]
        soft = {w[0] for w, s in rewritten if s} - {w[0] for w, s in rewritten if not s}
        keys: dict[str, str | None] = {}
        for (token, key), _ in rewritten:
            keys[token] = None if token in keys and keys[token] != key else key
        level = None
        for level_words, name in LEVEL_WORDS.items():
            for i in range(len(tokens) - len(level_words) + 1):
                if tuple(tokens[i : i + len(level_words)]) == level_words:
                    level = name
                    del tokens[i : i + len(level_words)]
                    break
        seen: set[str] = set()
        unique = [t for t in tokens if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]
        pairs = set(zip(tokens, tokens[1:], strict=False))  # before duplicates go
        return Understood(unique, soft, level, reading.aspect, keys, reading.framed, intent, pairs)

    def _catalogue_pair(self, first: str, second: str) -> bool:
        """Whether two words occur together in a name or start a synonym ("lệ phí trước")."""
        return (first, second) in self.name_pairs or (first, second) in self.synonym_pairs

    def _correct(self, token: str) -> str:
        if token in self.postings or token in self.synonyms.terms or len(token) < 4:
            return token
        if token.isdigit():
            return token
        limit = 1 if len(token) <= 5 else 2
        match = process.extractOne(token, self.vocabulary, scorer=OSA.distance, score_cutoff=limit)
        if match is not None:
            return match[0]
        for i in range(2, len(token) - 1):  # "khaisinh" → "khai sinh"
            left, right = token[:i], token[i:]
            if left in self.postings and right in self.postings:
                return f"{left} {right}"
        return token

    # -- ranking -------------------------------------------------------------------------

    def search(self, query: str, limit: int = 5) -> SearchResult:
        """Rank procedures for a free-text query (in English, through its Vietnamese words)."""
        if self.english is not None and looks_english(query):
            translated = self.english.translate(query)
            if translated is not None:
                found = self._search(translated, limit)
                return replace(found, query=query, english=True)
        return self._search(query, limit)

    def _search(self, query: str, limit: int) -> SearchResult:
        code = CODE_IN_QUERY.search(query)
        if code and code.group(1) in self.by_code:
            doc = self.docs[self.by_code[code.group(1)]]
            hit = self._hit(doc, 1.0)
            return SearchResult(query, code.group(1), Confidence.CONFIDENT, (hit,))
        understood = self.understand(query)
        tokens, soft, level = understood.tokens, understood.soft, understood.level
        normalized = " ".join(tokens)
        if not tokens:
            return SearchResult(query, normalized, Confidence.NONE, (), understood.aspect)
        if (alias_of := self.alias_keys.get(normalized)) is not None:
            hit = self._hit(self.docs[self.by_code[alias_of]], 1.0)
            return SearchResult(query, normalized, Confidence.CONFIDENT, (hit,), understood.aspect)
        weights = {t: self.idf.get(t, self.max_idf) * (0.25 if t in soft else 1.0) for t in tokens}
        query_markers = _markers(tokens, (*MARKERS, *APPLICANTS.values()))
        bigrams = understood.pairs
        # A pair of words that names use together ("khai tử", "tách thửa") is rarer than
        # either word: it weighs on its own, so "khai tử" beats "cấp giấy phép khai thác".
        pairs = {p: PAIR_WEIGHT * self.pair_idf[p] for p in bigrams if p in self.pair_idf}
        total = sum(weights.values()) + sum(pairs.values())
        keep = max(limit, 10)
        # Cheap upper bound first: the weight of query words a procedure has anywhere. Full
        # scoring runs best-bound-first and stops once no remaining bound can reach the top.
        reach = self._reach(tokens, weights, bigrams)
        shared: dict[int, int] = defaultdict(int)  # query word pairs each name has
        for pair in bigrams:
            for i in self.pair_postings.get(pair, ()):
                if i in reach:
                    shared[i] += 1
                    reach[i] += pairs.get(pair, 0.0)
        # The most each candidate could score, cheaply: its whole reach covered, all its
        # shared pairs and leading words in one name. Candidates are scored
        # in this order, and the loop stops at the first that cannot enter the top.
        docs = self.docs
        n_pairs = len(bigrams) or 1
        prefix: dict[int, int] = {}  # how many of the question's first words a name has
        alive = set(reach)
        for depth, token in enumerate(tokens, 1):
            alive.intersection_update(self.postings.get(token, ()))
            if not alive:
                break
            prefix.update(dict.fromkeys(alive, depth))
        inverse = self.inverse_min_weight
        by_reach = W_COVERAGE / total
        by_pair = W_PHRASE / n_pairs if bigrams else 0.0
        no_pairs = W_PHRASE if not bigrams else 0.0
        by_prefix = W_PREFIX / len(tokens)
        shared_of, prefix_of = shared.get, prefix.get
        loose = [
            (
                by_reach * b
                + W_PRECISION * min(b * inverse[i], 1.0)
                + by_pair * shared_of(i, 0)
                + no_pairs
                + by_prefix * prefix_of(i, 0)
                + LEVEL_BONUS,
                i,
            )
            for i, b in reach.items()
        ]
        loose.sort(reverse=True)
        floor: list[float] = []  # min-heap of the best `keep` sort keys so far
        scored: list[tuple[float, _Match, int, int]] = []
        for cheap, i in loose:
            doc = docs[i]
            if len(floor) >= keep and cheap < floor[0]:
                break
            match = self._score(doc, tokens, weights, pairs, total, bigrams, understood.keys)
            level_bonus = 1 if level and level in doc.entry.levels else 0
            penalty = MARKER_PENALTY * min(len(doc.markers - query_markers), 3)
            scored.append((match.score - penalty, match, level_bonus, i))
            key = match.score - penalty + LEVEL_BONUS * level_bonus
            if len(floor) < keep:
                heapq.heappush(floor, key)
            elif key > floor[0]:
                heapq.heapreplace(floor, key)
        scored.sort(key=lambda s: (-(s[0] + LEVEL_BONUS * s[2]), -self.docs[s[3]].level_rank))
        top = scored[:keep]
        joined = " ".join(tokens)
        rescored = []
        for score, match, level_bonus, i in top:
            doc = self.docs[i]
            similarity = max(fuzz.token_set_ratio(joined, v.text) for v in doc.variants) / 100
            final = (1 - W_FUZZ) * score + W_FUZZ * similarity + LEVEL_BONUS * level_bonus
            rescored.append((final, match, i))
        rescored.sort(key=lambda s: (-round(s[0], 6), -self.docs[s[2]].level_rank, s[2]))
        hits = tuple(self._hit(self.docs[i], min(final, 1.0)) for final, _, i in rescored[:limit])
        signals = self._signals(rescored, understood, weights)
        confidence = self.calibration.confidence(signals)
        return SearchResult(query, normalized, confidence, hits, understood.aspect, signals)

    def _reach(
        self, tokens: list[str], weights: dict[str, float], pairs: set[tuple[str, str]]
    ) -> dict[int, float]:
        """Query weight each candidate holds in any name, alias or field (an upper bound).

        Candidates are procedures with one of the question's most distinctive words, or a
        word pair few names share ("khai tử": both words are everyday ones); when it has only
        everyday words ("đăng ký", "cấp"), any of them will do. Words in many names are
        looked up in each candidate rather than walked through.
        """
        distinctive = [t for t in tokens if t not in self.common] if len(tokens) > 1 else tokens
        if not any(t in self.postings for t in distinctive):
            distinctive = tokens
        distinctive = sorted(distinctive, key=lambda t: -self.idf.get(t, self.max_idf))
        reach: dict[int, float] = dict.fromkeys(
            (i for t in distinctive[:MAX_SEED_WORDS] for i in self.postings.get(t, ())), 0.0
        )
        limit = len(self.docs) * COMMON_DF_SHARE
        for pair in pairs:
            postings = self.pair_postings.get(pair, ())
            if len(postings) <= limit:
                reach.update(dict.fromkeys((i for i in postings if i not in reach), 0.0))
        frequent = []
        for t, w in weights.items():
            postings = self.postings.get(t, ())
            if len(postings) > len(reach):
                frequent.append((t, w))
                continue
            for i in postings:
                if i in reach:
                    reach[i] += w
        if frequent:
            docs = self.docs
            for i in reach:
                doc = docs[i]
                reach[i] += sum(
                    w for t, w in frequent if t in doc.all_tokens or t in doc.field_tokens
                )
        return reach

    @staticmethod
    def _score(
        doc: _Doc,
        tokens: list[str],
        weights: dict[str, float],
        pairs: dict[tuple[str, str], float],
        total: float,
        bigrams: set[tuple[str, str]],
        keys: Mapping[str, str | None],
    ) -> _Match:
        """The best match over a procedure's name variants.

        A word typed with other diacritics than the name's ("khoan" giếng, "khoản" vay)
        counts for little.
        """
        best = _Match(0.0, 0.0, 0.0, 0.0, frozenset())
        for variant in doc.variants:
            matched = in_field = head = 0.0
            found: set[str] = set()
            for t, w in weights.items():
                if t in variant.tokens:
                    key, known = keys.get(t), variant.keys.get(t)
                    if key is not None and known and key not in known:
                        w *= ACCENT_MISMATCH
                    found.add(t)
                    matched += w
                    head += w if t in variant.head else w * TAIL_WEIGHT
                elif t in doc.field_tokens:
                    in_field += w
            matched += sum(w for p, w in pairs.items() if p in variant.bigrams)
            coverage = (matched + 0.5 * in_field) / total
            precision = min(head / variant.weight, 1.0)
            phrase = len(bigrams & variant.bigrams) / len(bigrams) if bigrams else coverage
            prefix = _common_prefix(tokens, variant.sequence) / len(tokens)
            score = (
                W_COVERAGE * coverage
                + W_PRECISION * precision
                + W_PHRASE * phrase
                + W_PREFIX * prefix
            )
            if score > best.score:
                best = _Match(score, coverage, precision, phrase, frozenset(found))
        return best

    def _signals(
        self,
        ranked: list[tuple[float, _Match, int]],
        understood: Understood,
        weights: dict[str, float],
    ) -> Signals | None:
        """What the ranking says about its first result, for the calibrated confidence."""
        if not ranked:
            return None
        score, match, i = ranked[0]
        group = self.docs[i].group
        second = next((s for s, _, j in ranked[1:] if self.docs[j].group != group), 0.0)
        tokens = understood.tokens
        total = sum(weights.values()) or 1.0
        missed = max(
            (
                self.idf.get(t, self.max_idf)
                for t in tokens
                if t not in match.found and t not in understood.soft
            ),
            default=0.0,
        )
        known = [t for t in tokens if t in self.postings]
        return Signals(
            score=score,
            coverage=match.coverage,
            precision=match.precision,
            phrase=match.phrase,
            gap=score - second,
            second=second,
            missed=missed / self.max_idf,
            unknown=sum(w for t, w in weights.items() if t not in self.postings) / total,
            length=min(len(tokens), 12) / 12,
            framed=float(understood.framed),
            intent=float(understood.intent),
            common=float(bool(known) and all(t in self.common for t in known)),
        )

    def _hit(self, doc: _Doc, score: float) -> Hit:
        e = doc.entry
        return Hit(e.code, e.name, round(score, 4), e.field, e.levels, e.agency)

    def siblings(self, code: str) -> list[Hit]:
        """The other cases of the service `code` is one case of, one level each (its own first)."""
        doc = self.docs[self.by_code[code]] if code in self.by_code else None
        service = family(doc.entry.name) if doc is not None else None
        if doc is None or service is None:
            return []
        out = []
        for group in self.families[service[0]]:
            if group == doc.group:
                continue
            members = [self.docs[i] for i in self.groups[group]]
            same = [m for m in members if m.entry.levels == doc.entry.levels]
            out.append(self._hit((same or members)[0], 0.0))
        return out

    def has(self, code: str) -> bool:
        """Whether the catalogue has this procedure."""
        return code in self.by_code

    def hit(self, code: str) -> Hit:
        """A procedure as a result, without a search (a known code)."""
        return self._hit(self.docs[self.by_code[code]], 1.0)

    def entries(self) -> list[Entry]:
        """Every procedure in the index, in catalogue order."""
        return [d.entry for d in self.docs]

    def level_variants(self, code: str) -> list[Entry]:
        """Other procedures that differ from `code` only by the level that handles them."""
        if code not in self.by_code:
            return []
        group = self.docs[self.by_code[code]].group
        return [self.docs[i].entry for i in self.groups[group] if self.docs[i].entry.code != code]

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
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from catalog.normalize import fold

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
        "lai", "doi", "thay doi", "gia han", "xoa", "huy", "thu hoi", "cham dut",
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


class Confidence(StrEnum):
    """How sure the ranking is about its first result."""

    CONFIDENT = "confident"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


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

    @property
    def best(self) -> Hit | None:
        """The first hit, if any."""
        return self.hits[0] if self.hits else None


@dataclass
class _Variant:
    tokens: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    weight: float
    text: str
    sequence: tuple[str, ...] = ()
    head: frozenset[str] = frozenset()


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


@dataclass(frozen=True)
class Thresholds:
    """Decision boundaries for the confidence classes (tuned on tests/data/search_eval.tsv)."""

    min_coverage: float = 0.6
    min_score: float = 0.45
    confident_coverage: float = 0.8
    confident_margin: float = 0.06
    confident_score: float = 0.7
    common_df_share: float = 0.08


class Synonyms:
    """Phrase rewriting on folded tokens, longest phrase first.

    Words of a replacement written in [brackets] are *soft*: they help ranking when a
    name contains them but weigh little when it does not ("sổ đỏ" → "giấy chứng nhận
    [quyền sử dụng đất]" still finds "Cấp lại Giấy chứng nhận do bị mất").
    """

    def __init__(self, rules: Mapping[str, str]) -> None:
        self.rules: dict[tuple[str, ...], tuple[tuple[str, bool], ...]] = {}
        for term, expansion in rules.items():
            key = tuple(fold(term).split())
            if key:
                self.rules[key] = _parse_expansion(expansion)
        self.terms = {t for k in self.rules for t in k}
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self.rules:
            lengths[key[0]].add(len(key))
        # Phrase lengths to try at a word, longest first: most words start no rule at all.
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def rewrite(self, tokens: list[str]) -> list[tuple[str, bool]]:
        """Replace every known phrase; unknown tokens pass through. Yields (token, soft)."""
        out: list[tuple[str, bool]] = []
        i = 0
        while i < len(tokens):
            for n in self.lengths.get(tokens[i], ()):
                key = tuple(tokens[i : i + n])
                if key in self.rules:
                    out.extend(self.rules[key])
                    i += n
                    break
            else:
                out.append((tokens[i], False))
                i += 1
        return out


def _parse_expansion(expansion: str) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    for part in re.split(r"(\[[^\]]*\])", expansion):
        soft = part.startswith("[")
        out.extend((t, soft) for t in fold(part.strip("[]")).split())
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


def _strip_noise(words: list[str]) -> list[str]:
    joined = " ".join(words)
    for noise in NAME_NOISE:
        if joined.startswith(noise + " "):
            return words[len(noise.split()) :]
    return words


def _head(tokens: list[str]) -> list[str]:
    for i in range(2, len(tokens)):
        if tokens[i] in QUALIFIERS or " ".join(tokens[i : i + 2]) in QUALIFIERS:
            return tokens[:i]
    return tokens


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
        thresholds: Thresholds | None = None,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        self.synonyms = Synonyms(synonyms or {})
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
        self.common = {t for t, c in df.items() if c > n * self.thresholds.common_df_share}
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
        self.vocabulary = sorted(self.postings)

    def _analyse(self, text: str) -> list[str]:
        """Names go through the same rewriting as queries, so "BHXH" meets "bảo hiểm xã hội"."""
        words = _strip_noise(fold(text).split())
        return [t for t, _ in self.synonyms.rewrite(words)]

    @staticmethod
    def _make_doc(entry: Entry, analyse: Callable[[str], list[str]]) -> _Doc:
        base = base_name(entry.name)
        names = [base, *entry.aliases]
        short = PARENTHESES.sub(" ", base).strip()
        if short and short != base:
            names.append(short)
        variants = []
        for text in names:
            toks = analyse(text)
            variants.append(
                _Variant(
                    tokens=frozenset(toks),
                    bigrams=frozenset(zip(toks, toks[1:], strict=False)),
                    weight=1.0,
                    text=" ".join(toks),
                    sequence=tuple(toks),
                    head=frozenset(_head(toks)),
                )
            )
        rank = max((LEVEL_PREFERENCE.get(level, 0) for level in entry.levels), default=0)
        return _Doc(
            entry=entry,
            variants=variants,
            field_tokens=frozenset(analyse(entry.field)),
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

    def understand(self, query: str) -> tuple[list[str], set[str], str | None]:
        """Query tokens after typo repair, synonyms and filler removal; soft ones; a wanted level."""
        words = [self._correct(t) for t in fold(query).split()]
        words = [t for part in words for t in part.split()]
        rewritten = self.synonyms.rewrite(words)
        tokens = [t for t, _ in rewritten]
        soft = {t for t, is_soft in rewritten if is_soft} - {t for t, s in rewritten if not s}
        level = None
        for words, name in LEVEL_WORDS.items():
            for i in range(len(tokens) - len(words) + 1):
                if tuple(tokens[i : i + len(words)]) == words:
                    level = name
                    del tokens[i : i + len(words)]
                    break
        seen: set[str] = set()
        unique = [t for t in tokens if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]
        return unique, soft, level

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
        """Rank procedures for a free-text query."""
        code = CODE_IN_QUERY.search(query)
        if code and code.group(1) in self.by_code:
            doc = self.docs[self.by_code[code.group(1)]]
            hit = self._hit(doc, 1.0)
            return SearchResult(query, code.group(1), Confidence.CONFIDENT, (hit,))
        tokens, soft, level = self.understand(query)
        normalized = " ".join(tokens)
        if not tokens:
            return SearchResult(query, normalized, Confidence.NONE, ())
        weights = {t: self.idf.get(t, self.max_idf) * (0.25 if t in soft else 1.0) for t in tokens}
        query_markers = _markers(tokens, (*MARKERS, *APPLICANTS.values()))
        total = sum(weights.values())
        bigrams = set(zip(tokens, tokens[1:], strict=False))
        keep = max(limit * 4, 20)
        # Cheap upper bound first: the weight of query words a procedure has anywhere. Full
        # scoring runs best-bound-first and stops once no remaining bound can reach the top.
        reach = self._reach(tokens, weights)
        floor: list[float] = []  # min-heap of the best `keep` sort keys so far
        scored: list[tuple[float, float, int, int]] = []
        for bound, i in sorted(((b, i) for i, b in reach.items()), reverse=True):
            doc = self.docs[i]
            if len(floor) >= keep and self._bound(doc, bound, tokens, total, bigrams) < floor[0]:
                continue
            best, best_cov = self._score(doc, tokens, weights, total, bigrams)
            level_bonus = 1 if level and level in doc.entry.levels else 0
            penalty = MARKER_PENALTY * min(len(doc.markers - query_markers), 3)
            scored.append((best - penalty, best_cov, level_bonus, i))
            key = best - penalty + LEVEL_BONUS * level_bonus
            if len(floor) < keep:
                heapq.heappush(floor, key)
            elif key > floor[0]:
                heapq.heapreplace(floor, key)
        scored.sort(key=lambda s: (-(s[0] + LEVEL_BONUS * s[2]), -self.docs[s[3]].level_rank))
        top = scored[: max(limit * 4, 20)]
        joined = " ".join(tokens)
        rescored = []
        for score, coverage, level_bonus, i in top:
            doc = self.docs[i]
            similarity = max(fuzz.token_set_ratio(joined, v.text) for v in doc.variants) / 100
            final = (1 - W_FUZZ) * score + W_FUZZ * similarity + LEVEL_BONUS * level_bonus
            rescored.append((final, coverage, i))
        rescored.sort(key=lambda s: (-round(s[0], 6), -self.docs[s[2]].level_rank, s[2]))
        hits = tuple(self._hit(self.docs[i], min(final, 1.0)) for final, _, i in rescored[:limit])
        confidence = self._confidence(rescored, tokens)
        return SearchResult(query, normalized, confidence, hits)

    def _reach(self, tokens: list[str], weights: dict[str, float]) -> dict[int, float]:
        """Query weight each candidate holds in any name, alias or field (an upper bound).

        Candidates are procedures with at least one distinctive query word; when a query
        has only everyday words ("đăng ký", "cấp"), any of them will do.
        """
        distinctive = [t for t in tokens if t not in self.common] if len(tokens) > 1 else tokens
        if not any(t in self.postings for t in distinctive):
            distinctive = tokens
        reach: dict[int, float] = dict.fromkeys(
            (i for t in distinctive for i in self.postings.get(t, ())), 0.0
        )
        for t, w in weights.items():
            for i in self.postings.get(t, ()):
                if i in reach:
                    reach[i] += w
        return reach

    @staticmethod
    def _bound(
        doc: _Doc, reach: float, tokens: list[str], total: float, bigrams: set[tuple[str, str]]
    ) -> float:
        """The most `_score` (plus a level bonus) could give this procedure, cheaply."""
        words = doc.all_tokens
        precision = min(reach / doc.min_weight, 1.0)
        phrase = (
            sum(1 for a, b in bigrams if a in words and b in words) / len(bigrams)
            if bigrams
            else 1.0
        )
        prefix = 0
        for t in tokens:
            if t not in words:
                break
            prefix += 1
        return (
            W_COVERAGE * reach / total
            + W_PRECISION * precision
            + W_PHRASE * phrase
            + W_PREFIX * prefix / len(tokens)
            + LEVEL_BONUS
        )

    @staticmethod
    def _score(
        doc: _Doc,
        tokens: list[str],
        weights: dict[str, float],
        total: float,
        bigrams: set[tuple[str, str]],
    ) -> tuple[float, float]:
        """The best (score, coverage) over a procedure's name variants."""
        best = best_cov = 0.0
        for variant in doc.variants:
            matched = in_field = head = 0.0
            for t, w in weights.items():
                if t in variant.tokens:
                    matched += w
                    head += w if t in variant.head else w * TAIL_WEIGHT
                elif t in doc.field_tokens:
                    in_field += w
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
            if score > best:
                best, best_cov = score, coverage
        return best, best_cov

    def _confidence(
        self,
        ranked: list[tuple[float, float, int]],
        tokens: list[str],
    ) -> Confidence:
        t = self.thresholds
        if not ranked:
            return Confidence.NONE
        score, coverage, i = ranked[0]
        known = [tok for tok in tokens if tok in self.postings]
        if not known:
            return Confidence.NONE
        if all(tok in self.common for tok in known):
            # Only everyday words ("đăng ký", "cấp"): an answer needs them as a phrase.
            pairs = set(zip(tokens, tokens[1:], strict=False))
            if not any(pairs & v.bigrams for v in self.docs[i].variants):
                return Confidence.NONE
        if coverage < t.min_coverage or score < t.min_score:
            return Confidence.NONE
        if coverage < t.confident_coverage or score < t.confident_score:
            return Confidence.AMBIGUOUS
        if len(ranked) == 1:
            return Confidence.CONFIDENT
        group = self.docs[i].group
        for other_score, _, j in ranked[1:]:
            if self.docs[j].group == group:
                continue  # the same procedure at another level
            if score - other_score < t.confident_margin:
                return Confidence.AMBIGUOUS
            break
        return Confidence.CONFIDENT

    def _hit(self, doc: _Doc, score: float) -> Hit:
        e = doc.entry
        return Hit(e.code, e.name, round(score, 4), e.field, e.levels, e.agency)

    def entries(self) -> list[Entry]:
        """Every procedure in the index, in catalogue order."""
        return [d.entry for d in self.docs]

    def level_variants(self, code: str) -> list[Entry]:
        """Other procedures that differ from `code` only by the level that handles them."""
        if code not in self.by_code:
            return []
        group = self.docs[self.by_code[code]].group
        return [d.entry for d in self.docs if d.group == group and d.entry.code != code]

"""How sure the search is, learned from what citizens asked and what answered them.

A ranking is only useful if the chat knows when to trust it: a whole question carries
framing and story words no procedure name contains, so "most of the words are covered"
is a poor sign of a right answer. Instead a few signals of the ranking (how well the first
procedure matches, how far ahead of the next one it is, how much of the question is
unknown to the catalogue, ...) are combined by two logistic models fitted on the
development part of the evaluation set (`make calibrate`): the chance that the first
result is right, and the chance that a right one is among the first five. Thresholds on
these chances decide between a card, a list and "not found"; they are chosen so that a
card is rarely wrong and never shown for a question the catalogue cannot answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

CALIBRATION_FILE = Path(__file__).parent / "data" / "calibration.json"


class Confidence(StrEnum):
    """How sure the ranking is about its first result."""

    CONFIDENT = "confident"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class Signals:
    """What the ranking says about its own first result (all roughly within 0..1)."""

    score: float  # the first result's final score
    coverage: float  # share of the question's weight the first result's name holds
    precision: float  # share of the first result's name the question matched
    phrase: float  # share of the question's word pairs found in that name
    gap: float  # lead over the best result that is another procedure
    second: float  # that other procedure's score
    missed: float  # the rarest question word the first result lacks (0: none lacks one)
    unknown: float  # share of the question's weight in words the catalogue never uses
    length: float  # number of service words, up to 12, over 12
    framed: float  # 1 when question framing was removed (a whole question)
    intent: float  # 1 when an everyday-wording rule recognised the need
    common: float  # 1 when every known word is an everyday one ("đăng ký", "cấp")

    def vector(self) -> list[float]:
        return [*asdict(self).values(), 1.0]


FEATURES = (*Signals.__dataclass_fields__, "bias")


@dataclass(frozen=True)
class Model:
    """A logistic model over standardised signals."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def probability(self, vector: Sequence[float]) -> float:
        z = sum(
            w * ((x - m) / s)
            for w, x, m, s in zip(self.weights, vector, self.means, self.scales, strict=True)
        )
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Calibration:
    """Both models and the thresholds that turn their chances into a confidence class."""

    first: Model  # P(first result right)
    listed: Model  # P(a right result among the first five)
    card: float  # show the first result's card from this chance on
    listing: float  # below this chance of a right one in the list, say "not found"

    def chances(self, signals: Signals) -> tuple[float, float]:
        vector = signals.vector()
        return self.first.probability(vector), self.listed.probability(vector)

    def confidence(self, signals: Signals | None) -> Confidence:
        if signals is None:
            return Confidence.NONE
        first, listed = self.chances(signals)
        if first >= self.card:
            return Confidence.CONFIDENT
        if max(first, listed) >= self.listing:
            return Confidence.AMBIGUOUS
        return Confidence.NONE

    def to_json(self) -> str:
        def model(m: Model) -> dict[str, list[float]]:
            return {
                "weights": [round(w, 6) for w in m.weights],
                "means": [round(x, 6) for x in m.means],
                "scales": [round(x, 6) for x in m.scales],
            }

        doc = {
            "features": list(FEATURES),
            "first": model(self.first),
            "listed": model(self.listed),
            "card": self.card,
            "listing": self.listing,
        }
        return json.dumps(doc, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        doc = json.loads(text)
        if tuple(doc["features"]) != FEATURES:
            raise ValueError("the calibration was fitted on other signals: run make calibrate")

        def model(d: dict[str, list[float]]) -> Model:
            return Model(tuple(d["weights"]), tuple(d["means"]), tuple(d["scales"]))

        return cls(model(doc["first"]), model(doc["listed"]), doc["card"], doc["listing"])


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    return Calibration.from_json(path.read_text(encoding="utf-8"))


def fit(vectors: Sequence[Sequence[float]], labels: Sequence[int], *, l2: float = 0.01) -> Model:
    """Logistic regression by Newton's method on standardised features (the bias is kept)."""
    n, k = len(vectors), len(vectors[0])
    means = [sum(v[j] for v in vectors) / n for j in range(k)]
    scales = [math.sqrt(sum((v[j] - means[j]) ** 2 for v in vectors) / n) or 1.0 for j in range(k)]
    means[-1], scales[-1] = 0.0, 1.0  # the bias column stays 1
    xs = [[(v[j] - means[j]) / scales[j] for j in range(k)] for v in vectors]
    w = [0.0] * k
    for _ in range(50):
        grad = [l2 * w[j] for j in range(k)]
        hess = [[l2 if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, y in zip(xs, labels, strict=True):
            p = 1 / (
                1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, x, strict=True)))))
            )
            for i in range(k):
                grad[i] += (p - y) * x[i]
                for j in range(k):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(b) for b in step) < 1e-7:
            break
    return Model(tuple(w), tuple(means), tuple(scales))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and well-posed)."""
    k = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, k):
            f = a[r][col] / a[col][col]
            for c in range(col, k + 1):
                a[r][c] -= f * a[col][c]
    x = [0.0] * k
    for r in range(k - 1, -1, -1):
        x[r] = (a[r][k] - sum(a[r][c] * x[c] for c in range(r + 1, k))) / a[r][r]
    return x

"""Accuracy of the search on tests/data/search_eval.tsv (imported by the test and the benchmark)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from catalog.search import Confidence, SearchIndex

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_eval.tsv"


@dataclass
class EvalReport:
    total: int = 0
    top1: int = 0
    top3: int = 0
    out_of_scope: int = 0
    oos_confident: list[str] = field(default_factory=list)
    oos_none: int = 0
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"in-scope {self.total}: top-1 {self.top1 / self.total:.1%}, "
            f"top-3 {self.top3 / self.total:.1%}; out-of-scope {self.out_of_scope}: "
            f"none {self.oos_none}, confident {len(self.oos_confident)}"
        )


def load_eval(path: Path = EVAL_FILE) -> list[tuple[str, list[str]]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, _, codes = line.partition("\t")
        cases.append((query, [] if codes.strip() == "-" else codes.strip().split(",")))
    return cases


def evaluate(index: SearchIndex, cases: list[tuple[str, list[str]]]) -> EvalReport:
    report = EvalReport()
    for query, expected in cases:
        result = index.search(query, limit=3)
        if not expected:
            report.out_of_scope += 1
            if result.confidence is Confidence.CONFIDENT:
                report.oos_confident.append(query)
            if result.confidence is Confidence.NONE:
                report.oos_none += 1
            continue
        accepted = set(expected)
        for code in expected:
            accepted.update(e.code for e in index.level_variants(code))
        codes = [h.code for h in result.hits]
        report.total += 1
        report.top1 += bool(codes[:1] and codes[0] in accepted)
        report.top3 += bool(accepted & set(codes[:3]))
        if not (codes[:1] and codes[0] in accepted):
            report.misses.append((query, expected, codes))
    return report


if __name__ == "__main__":
    from catalog.bundled import bundled_index

    rep = evaluate(bundled_index(), load_eval())
    print(rep.line())
    if "-v" in sys.argv:
        for q, exp, got in rep.misses:
            print(f"MISS {q!r}: expected {exp} got {got}")
        for q in rep.oos_confident:
            print(f"OOS confident: {q!r}")

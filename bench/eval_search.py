"""What the chat shows for the questions in tests/data/search/eval.tsv, scored.

Each query is put to the same answering the bot uses and judged on what the citizen sees:
the card of one procedure ("right card directly" when it is an accepted one, "confident but
wrong" when not), one short question or a list to choose from ("answered" when an accepted
procedure is among the choices, one more turn), or "not found". Results are reported per
split (dev: tuned on; held-out: only reported) and per kind (short query, whole question,
out of scope). Imported by the unit test (dev part) and `make bench` (both parts).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tthc.catalog.answering import Answer, AnswerKind

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "search" / "eval.tsv"
OUT_OF_SCOPE = "out of scope"
STORY_OUT_OF_SCOPE = "story, no proc."  # a long story no procedure answers
GROUPS = ("short", "question", "story", "english", OUT_OF_SCOPE, STORY_OUT_OF_SCOPE)


@dataclass(frozen=True)
class Case:
    """One query and the procedures that answer it (none: out of scope)."""

    query: str
    codes: tuple[str, ...]
    kind: str  # "short", "question", "story" (a long message telling a situation) or "english"
    origin: str  # "outside", "citizen" or "project"
    split: str  # "dev" or "held-out"
    source: str = ""

    @property
    def group(self) -> str:
        if self.codes:
            return self.kind
        return STORY_OUT_OF_SCOPE if self.kind == "story" else OUT_OF_SCOPE


def load_cases(path: Path = EVAL_FILE) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, codes, kind, origin, split, *source = line.split("\t")
        listed = () if codes.strip() == "-" else tuple(c.strip() for c in codes.split(","))
        cases.append(Case(query, listed, kind, origin, split, source[0] if source else ""))
    return cases


@dataclass
class Tally:
    """Outcomes of one group of queries."""

    total: int = 0
    answered: int = 0  # the right card, or the right procedure among the choices
    direct: int = 0  # the right card at once
    confident_wrong: int = 0  # a card, of the wrong procedure (for out of scope: any card)
    right_top_unshown: int = 0  # "not found" although the ranking's first was right
    turns: int = 0  # turns to reach the right card, summed over answered queries
    not_found: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, case: Case, answer: Answer, accepted: set[str]) -> None:
        self.total += 1
        if answer.kind is AnswerKind.NONE:
            self.not_found += 1
        if not case.codes:
            if answer.kind is AnswerKind.CARD:
                self.confident_wrong += 1
                self.misses.append(f"OOS card {case.query!r} → {answer.shown[0].name[:60]}")
            return
        shown = [h.code for h in answer.shown]
        if answer.kind is AnswerKind.CARD:
            if shown[0] in accepted:
                self.answered += 1
                self.direct += 1
                self.turns += 1
                return
            self.confident_wrong += 1
        elif answer.kind is not AnswerKind.NONE and accepted & set(shown):
            self.answered += 1
            self.turns += 2
            return
        ranked = [h.code for h in answer.result.hits]
        if answer.kind is AnswerKind.NONE and ranked[:1] and ranked[0] in accepted:
            self.right_top_unshown += 1
        self.misses.append(
            f"{answer.kind.value:6} {case.query!r} want {','.join(case.codes)} "
            f"got {','.join(shown[:3]) or '-'}"
        )

    def cells(self, out_of_scope: bool) -> list[str]:
        def pct(n: int) -> str:
            return f"{n / self.total:6.1%}" if self.total else "     -"

        if out_of_scope:
            return [
                f"{self.total:4}",
                "     -",
                "     -",
                pct(self.confident_wrong),
                "    -",
                "   -",
            ]
        turns = f"{self.turns / self.answered:4.2f}" if self.answered else "   -"
        return [
            f"{self.total:4}",
            pct(self.answered),
            pct(self.direct),
            pct(self.confident_wrong),
            f"{self.right_top_unshown:5}",
            turns,
        ]


Report = dict[tuple[str, str], Tally]


def evaluate(
    answer: Callable[[str], Answer],
    accepted: Callable[[tuple[str, ...]], set[str]],
    cases: Iterable[Case],
) -> Report:
    """Tallies per (split, group); `accepted` widens codes to the same procedure at other levels."""
    report: Report = {}
    for case in cases:
        tally = report.setdefault((case.split, case.group), Tally())
        tally.add(case, answer(case.query), accepted(case.codes))
    return report


def table(report: Report) -> str:
    """The report as aligned text, one row per split and kind."""
    head = "split     kind              n  answered  direct  conf.wrong  top-unshown  turns"
    rows = [head]
    for split in ("dev", "held-out"):
        for group in GROUPS:
            tally = report.get((split, group))
            if tally is None:
                continue
            no_procedure = group in (OUT_OF_SCOPE, STORY_OUT_OF_SCOPE)
            n, answered, direct, wrong, unshown, turns = tally.cells(no_procedure)
            rows.append(
                f"{split:9} {group:15} {n}    {answered}  {direct}      {wrong}        "
                f"{unshown}   {turns}"
            )
    return "\n".join(rows)


def main() -> None:
    from tthc.catalog.bundled import bundled_answerer

    answerer = bundled_answerer()
    cases = load_cases()
    wanted = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "dev"
    report = evaluate(answerer.answer, answerer.accepted, cases)
    print(table(report))
    if "-v" in sys.argv:
        for (split, group), tally in sorted(report.items()):
            if split != wanted:
                continue
            for miss in tally.misses:
                print(f"[{group}] {miss}")


if __name__ == "__main__":
    main()

"""Fit the search's confidence on the development part of the evaluation set.

Run: make calibrate   (writes catalog/data/calibration.json; never reads the held-out part)

The thresholds are the loosest that keep, on the development part, wrong cards at most
`MAX_WRONG_CARDS` of the in-scope questions and no card at all for out-of-scope ones; the
listing threshold trades answered questions against lists shown for out-of-scope ones.
"""

from __future__ import annotations

from dataclasses import replace

from bench.eval_search import Case, load_cases
from tthc.catalog.bundled import bundled_index
from tthc.catalog.calibration import CALIBRATION_FILE, Calibration, Model, Signals, fit
from tthc.catalog.chitchat import chitchat
from tthc.catalog.search import SearchIndex

MAX_WRONG_CARDS = 0.015
FOLDS = 5
Row = tuple[Case, Signals, bool, bool]
OOS_LIST_COST = 0.25  # one out-of-scope question given a list costs a quarter of an answered one


def neutral() -> Calibration:
    zero = Model((0.0,) * len(Signals.__dataclass_fields__) + (0.0,), (0.0,) * 13, (1.0,) * 13)
    return Calibration(zero, zero, card=2.0, listing=0.0)


def samples(index: SearchIndex, cases: list[Case]) -> list[Row]:
    out = []
    for case in cases:
        if chitchat(case.query) is not None:  # the chat answers small talk before searching
            continue
        result = index.search(case.query, limit=5)
        if result.signals is None:
            continue
        accepted = set(case.codes)
        for code in case.codes:
            accepted.update(e.code for e in index.level_variants(code))
        codes = [h.code for h in result.hits]
        first = bool(codes) and codes[0] in accepted
        listed = bool(accepted & set(codes))
        out.append((case, result.signals, first, listed))
    return out


def out_of_fold(rows: list[Row]) -> list[tuple[Case, float, float, bool, bool]]:
    """Each question's chances from models fitted without it (thresholds chosen on these
    are not flattered by the models having seen the question)."""
    out = []
    for fold in range(FOLDS):
        train = [r for i, r in enumerate(rows) if i % FOLDS != fold]
        test = [r for i, r in enumerate(rows) if i % FOLDS == fold]
        calibration = fitted(train)
        for case, signals, first, listed in test:
            out.append((case, *calibration.chances(signals), first, listed))
    return out


def fitted(rows: list[Row]) -> Calibration:
    vectors = [s.vector() for _, s, _, _ in rows]
    first = fit(vectors, [int(f) for _, _, f, _ in rows])
    listed = fit(vectors, [int(x) for _, _, _, x in rows])
    return Calibration(first, listed, card=1.0, listing=1.0)


def choose(
    chances: list[tuple[Case, float, float, bool, bool]], calibration: Calibration
) -> Calibration:
    kinds = {c.kind for c, *_ in chances if c.codes}
    in_scope = {k: sum(1 for c, *_ in chances if c.codes and c.kind == k) or 1 for k in kinds}
    card = 1.0
    for t in sorted({round(p1, 4) for _, p1, _, _, _ in chances}, reverse=True):
        wrong = {
            k: sum(1 for c, p1, _, f, _ in chances if p1 >= t and c.kind == k and c.codes and not f)
            for k in kinds
        }
        oos = sum(1 for c, p1, *_ in chances if p1 >= t and not c.codes)
        if oos or any(wrong[k] / in_scope[k] > MAX_WRONG_CARDS for k in kinds):
            break
        card = t
    best_listing, best_value = 1.0, float("-inf")
    for t in sorted({round(max(p1, p5), 4) for _, p1, p5, _, _ in chances}):
        shown = [(c, first, listed) for c, p1, p5, first, listed in chances if max(p1, p5) >= t]
        answered = sum(1 for c, first, listed in shown if c.codes and listed)
        oos_listed = sum(1 for c, *_ in shown if not c.codes)
        value = answered - OOS_LIST_COST * oos_listed
        if value > best_value:
            best_listing, best_value = t, value
    return replace(calibration, card=card, listing=best_listing)


def main() -> None:
    index = bundled_index()
    index.calibration = neutral()
    rows = samples(index, [c for c in load_cases() if c.split == "dev"])
    calibration = choose(out_of_fold(rows), fitted(rows))
    CALIBRATION_FILE.write_text(calibration.to_json(), encoding="utf-8")
    print(f"fitted on {len(rows)} development questions: card from {calibration.card:.3f}, ")
    print(f"list from {calibration.listing:.3f}; written to {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()

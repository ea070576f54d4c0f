"""Search benchmark: accuracy, latency (p50/p99) and memory on the real and a scaled catalogue.

Run: make bench   (or .venv/bin/python -m bench.search)
"""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc

from bench.eval_search import evaluate, load_eval
from catalog.bundled import bundled_catalog, bundled_synonyms
from catalog.search import Entry, SearchIndex


def entries(scale: int = 1) -> list[Entry]:
    records = list(bundled_catalog().records.values())
    out = []
    for copy in range(scale):
        for r in records:
            suffix = "" if copy == 0 else f" (bản sao {copy})"
            out.append(
                Entry(
                    f"{r['code']}-{copy}" if copy else r["code"],
                    r["name"] + suffix,
                    r["field"],
                    tuple(r["levels"]),
                    r["agency"],
                )
            )
    return out


def measure(label: str, items: list[Entry], queries: list[str]) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    index = SearchIndex(items, bundled_synonyms())
    load = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for q in queries[:50]:
        index.search(q)  # warm caches
    timings = []
    for q in queries:
        t = time.perf_counter()
        index.search(q)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"{label}: {len(index)} procedures, load {load:.2f} s, index memory {peak / 2**20:.0f} MiB, "
        f"{len(timings)} queries p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {timings[-1]:.2f} ms"
    )


def main() -> None:
    cases = load_eval()
    report = evaluate(SearchIndex(entries(), bundled_synonyms()), cases)
    print("accuracy:", report.line())
    queries = [q for q, _ in cases] * 3
    random.Random(1).shuffle(queries)
    measure("real catalogue", entries(1), queries)
    measure("scaled catalogue", entries(3), queries)


if __name__ == "__main__":
    main()

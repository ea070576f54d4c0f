"""Search benchmark: what the chat answers (dev and held-out parts), latency and memory.

Run: make bench   (or .venv/bin/python -m bench.search)
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import tracemalloc

from bench.eval_search import evaluate, load_cases, table
from tthc.app.migrations import upgrade
from tthc.catalog.answering import Answerer
from tthc.catalog.bundled import (
    bundled_answerer,
    bundled_catalog,
    bundled_english,
    bundled_intents,
    bundled_phrasing,
    bundled_synonyms,
    bundled_topics,
)
from tthc.catalog.search import Entry, SearchIndex
from tthc.catalog.service import CatalogService
from tthc.core.database import Database


def entries(scale: int = 1) -> list[Entry]:
    """The bundled catalogue, repeated `scale` times under new codes.

    Copies keep their names (as the same procedure published by several provinces would),
    so every query meets `scale` times as many candidates; no words are added that could
    match queries by accident.
    """
    records = list(bundled_catalog().records.values())
    return [
        Entry(
            f"{r['code']}-{copy}" if copy else r["code"],
            r["name"],
            r["field"],
            tuple(r["levels"]),
            r["agency"],
        )
        for copy in range(scale)
        for r in records
    ]


def build(items: list[Entry]) -> SearchIndex:
    return SearchIndex(
        items,
        bundled_synonyms(),
        phrasing=bundled_phrasing(),
        intents=bundled_intents(),
        english=bundled_english(),
    )


def measure(label: str, items: list[Entry], queries: list[tuple[str, str]]) -> None:
    """Index build time and memory, then answer latency overall and per kind of message."""
    started = time.perf_counter()
    index = build(items)
    load = time.perf_counter() - started
    tracemalloc.start()  # a second build, traced: tracing slows it down several times
    build(items)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    answerer = Answerer(index, bundled_topics())
    for _, q in queries[:50]:
        answerer.answer(q)  # warm caches
    timings: dict[str, list[float]] = {}
    for kind, q in queries:
        t = time.perf_counter()
        answerer.answer(q)
        timings.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
    every = sorted(t for ts in timings.values() for t in ts)
    print(
        f"{label}: {len(index)} procedures, index build {load:.2f} s, "
        f"memory {peak / 2**20:.0f} MiB, {len(every)} messages {_percentiles(every)}"
    )
    for kind, ts in sorted(timings.items()):
        print(f"  {kind:<9} {len(ts):>5} messages {_percentiles(sorted(ts))}")


def _percentiles(timings: list[float]) -> str:
    p99 = timings[max(int(len(timings) * 0.99) - 1, 0)]
    return f"p50 {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms, max {timings[-1]:.2f} ms"


def database_load() -> None:
    """What a bot process pays at start: seeding an empty SQLite file, then the first index."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        db = Database(url)
        started = time.perf_counter()
        CatalogService(db).ensure_seeded()
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        CatalogService(db).index()
        built = time.perf_counter() - started
        db.dispose()
    print(
        f"database: seeding an empty SQLite {seeded:.2f} s, index from the database {built:.2f} s"
    )


def main() -> None:
    started = time.perf_counter()
    bundled_catalog()
    print(f"bundled catalogue: read and validated in {time.perf_counter() - started:.2f} s")
    cases = load_cases()
    answerer = bundled_answerer()
    print("what the chat shows (dev: tuned on; held-out: only reported):")
    print(table(evaluate(answerer.answer, answerer.accepted, cases)))
    queries = [(c.kind, c.query) for c in cases] * 3
    random.Random(1).shuffle(queries)
    measure("real catalogue", entries(1), queries)
    measure("scaled catalogue", entries(3), queries)
    database_load()


if __name__ == "__main__":
    main()

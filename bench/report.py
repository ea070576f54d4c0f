"""Report benchmark: the managers' figures on a province's year (622,039 dossiers).

Run: make bench-report   (or .venv/bin/python -m bench.report [ROWS])
Imports the synthetic year of bench.dossier_import (with a submission-channel column) into
a fresh SQLite file, adds 20,000 ratings and 2,000 complaints, then times each report
the chat sends (best of three) and the whole /baocao pack with its charts and workbooks,
and prints the figures.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.dossier_import import write_export
from tthc.app.migrations import upgrade
from tthc.complaints.models import Complaint
from tthc.core.database import Database
from tthc.core.settings import Settings
from tthc.dossiers.importer import import_dossiers
from tthc.dossiers.records import RowReader
from tthc.messages import Messages
from tthc.ratings.models import Rating
from tthc.reports import render
from tthc.reports.complaints import complaints
from tthc.reports.figures import dossiers, satisfaction
from tthc.reports.pack import period_figures

QUARTER = (date(2024, 7, 1), date(2024, 9, 30))
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `runs` calls (a busy machine only ever slows a run down), and its result."""
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def feedback(db: Database, seed: int = 3) -> None:
    """Ratings and complaints spread over the year, as a province's would be."""
    rnd = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    agencies = ["Ủy ban nhân dân cấp xã", "Sở Tư pháp", "Công an tỉnh", "Sở Xây dựng"]
    with db.session() as session:
        for i in range(20_000):
            at = start + timedelta(minutes=rnd.randrange(365 * 24 * 60))
            session.add(
                Rating(
                    user_id=i % 5000, dossier_code=f"X-{i}", scale=rnd.choice([0] * 70 + [1] * 25 + [2] * 5),
                    criteria={}, comment="Cán bộ nhiệt tình" if i % 40 == 0 else None,
                    procedure_code=f"1.00{1000 + i % 300}", agency=rnd.choice(agencies),
                    level=rnd.choice(["Cấp xã", "Cấp tỉnh"]), created_at=at,
                )
            )  # fmt: skip
        for i in range(2_000):
            at = start + timedelta(minutes=rnd.randrange(365 * 24 * 60))
            answered = at + timedelta(hours=rnd.randrange(1, 400)) if i % 5 else None
            session.add(
                Complaint(
                    user_id=i, text="Phản ánh", status="answered" if answered else "open",
                    created_at=at, answered_at=answered, procedure_code="1.000656",
                )
            )  # fmt: skip


def period(
    db: Database,
    first: date,
    last: date,
    *,
    settings: Settings,
    words: render.Labels,
    now: datetime,
) -> None:
    """Each report of one period, best of three, and the whole pack once."""
    for by in ("level", "unit", "agency"):
        seconds, table = best_of(3, partial(dossiers, db, first, last, by=by))
        print(f"  dossiers by {by}: {seconds:.2f} s, {len(table.rows)} rows")
    t = table.total
    print(f"    carried over {t.carried_over:,}, received {t.received:,}, resolved "
          f"{t.resolved:,} (early {t.early:,}, on time {t.on_time:,}, late {t.late:,}; "
          f"{t.timely_percent}% early or on time), in progress at the end {t.pending:,} "
          f"(overdue {t.pending_overdue:,}), online {t.online_percent}%")  # fmt: skip
    seconds, rated = best_of(3, lambda: satisfaction(
        db, first, last, scale=settings.rating_scale, criteria=[], by="agency",
        min_ratings=settings.report_min_ratings))  # fmt: skip
    print(f"  satisfaction: {seconds:.2f} s, {rated.overall.total:,} ratings, "
          f"{rated.overall.satisfied}% satisfied")  # fmt: skip
    seconds, complained = best_of(3, lambda: complaints(
        db, first, last, answer_days=settings.complaint_answer_days, now=now))  # fmt: skip
    c = complained.total
    print(
        f"  complaints: {seconds:.2f} s, received {c.received:,}, answered "
        f"{c.answered:,} ({c.on_time_percent}% on time), overdue now {c.overdue_now:,}"
    )
    started = time.perf_counter()
    rated, table, complained = period_figures(
        db, first, last, settings=settings, names=lambda _: None, now=now
    )
    render.satisfaction_chart(rated, io.BytesIO(), words)
    render.satisfaction_xlsx(rated, io.BytesIO(), words)
    render.dossiers_chart(table, io.BytesIO(), words)
    render.dossiers_xlsx(table, io.BytesIO(), words)
    render.complaints_xlsx(complained, io.BytesIO(), words)
    print(f"  the whole /baocao pack (figures, two charts, three workbooks): "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 622_039
    settings = Settings(_env_file=None)
    words = render.Labels.of(Messages(), "vi")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dossiers.csv"
        write_export(path, rows, channel=True)
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        db = Database(url)
        reader = RowReader(b"bench-key-0123456789", settings.dossier_code_pattern)
        started = time.perf_counter()
        import_dossiers(db, path, reader, source=path.name)
        feedback(db)
        print(f"{rows:,} dossiers, 20,000 ratings, 2,000 complaints loaded in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        now = datetime(2025, 1, 15, tzinfo=UTC)
        for label, (first, last) in (("quarter 3/2024", QUARTER), ("year 2024", YEAR)):
            print(f"\n{label}: {first:%d/%m/%Y} – {last:%d/%m/%Y}")
            period(db, first, last, settings=settings, words=words, now=now)
        db.dispose()


if __name__ == "__main__":
    main()

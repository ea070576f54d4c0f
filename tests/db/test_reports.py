"""Manager reports reproduce the figures provinces publish."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert

from tests.conftest import _fresh_db
from tthc.core.database import Database
from tthc.dossiers.models import Dossier
from tthc.dossiers.status import Status
from tthc.ratings.models import Rating
from tthc.reports.figures import dossiers, satisfaction
from tthc.reports.render import dossiers_json, satisfaction_json

SCALE = ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
DAY = datetime(2025, 2, 10, 3, 0, tzinfo=UTC)


def test_quarter_of_427_ratings_gives_the_published_shares(db: Database) -> None:
    """One province's quarter: 415 very satisfied, 12 satisfied, 0 not satisfied (97.19%,
    2.81%, 0%). The first citizen had said "not satisfied" before rating again: only the
    latest rating of a dossier counts."""
    with db.session() as session:
        session.add(Rating(user_id=1, dossier_code="D0", scale=2, created_at=DAY))
        for i in range(427):
            session.add(
                Rating(
                    user_id=1 if i == 0 else 1000 + i,
                    dossier_code=f"D{i}",
                    scale=0 if i < 415 else 1,
                    created_at=DAY,
                )
            )
    report = satisfaction(db, date(2025, 1, 1), date(2025, 3, 31), scale=SCALE, criteria=[])
    assert report.overall.counts == [415, 12, 0]
    assert report.overall.percents == [Decimal("97.19"), Decimal("2.81"), Decimal("0.00")]
    assert satisfaction_json(report)["dossier_ratings"]["levels"][0] == {
        "label": "Rất hài lòng", "count": 415, "percent": 97.19,
    }  # fmt: skip
    empty = satisfaction(db, date(2024, 1, 1), date(2024, 3, 31), scale=SCALE, criteria=[])
    assert empty.empty and empty.overall.percents == [None, None, None]


# Per-level received counts of one province's year (177,640 / 83,789 / 360,610 = 622,039).
# The seed publishes the received totals; the done / on-time / late / in-progress split
# below is illustrative, in the proportions such tables show.
SEED = {
    "Cấp tỉnh": (177_640, 176_300, 600, 740, 40),
    "Cấp huyện": (83_789, 83_100, 400, 289, 9),
    "Cấp xã": (360_610, 359_500, 500, 610, 10),
}


@pytest.mark.slow  # 622,039 dossiers
def test_a_year_of_a_province_reproduces_its_table(
    sqlite_templates: dict[str, Path], tmp_path: Path
) -> None:
    db = Database(_fresh_db("sqlite", False, sqlite_templates, None, tmp_path))
    received = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    due = datetime(2024, 3, 10, 2, 0, tzinfo=UTC)
    early = datetime(2024, 3, 8, 2, 0, tzinfo=UTC)
    late = datetime(2024, 3, 12, 2, 0, tzinfo=UTC)
    future_due = datetime(2099, 1, 1, tzinfo=UTC)
    n = 0
    with db.session() as session:
        conn = session.connection()
        for level, (total, on_time, late_count, in_progress, overdue) in SEED.items():
            kinds = (
                [(Status.RETURNED, due, early)] * on_time
                + [(Status.RETURNED, due, late)] * late_count
                + [(Status.PROCESSING, due, None)] * overdue
                + [(Status.PROCESSING, future_due, None)] * (in_progress - overdue)
            )
            assert len(kinds) == total
            rows = []
            for status, due_at, finished in kinds:
                n += 1
                rows.append(
                    {
                        "code": f"C{n}",
                        "status": int(status),
                        "level": level,
                        "received_at": received,
                        "due_at": due_at,
                        "finished_at": finished,
                        "updated_at": received,
                    }
                )
            conn.execute(insert(Dossier.__table__), rows)  # type: ignore[attr-defined]
    report = dossiers(db, date(2024, 1, 1), date(2024, 12, 31), by="level")
    table = {r["name"]: r for r in dossiers_json(report)["rows"]}
    assert list(table) == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    # Returned two days before the due time: early, as the portal counts it.
    assert {
        k: (
            v["carried_over"],
            v["received"],
            v["resolved"],
            v["early"],
            v["late"],
            v["pending"],
            v["pending_overdue"],
        )
        for k, v in table.items()
    } == {
        "Cấp tỉnh": (0, 177_640, 176_900, 176_300, 600, 740, 40),
        "Cấp huyện": (0, 83_789, 83_500, 83_100, 400, 289, 9),
        "Cấp xã": (0, 360_610, 360_000, 359_500, 500, 610, 10),
    }
    assert [table[k]["timely_percent"] for k in table] == [99.66, 99.52, 99.86]
    total = dossiers_json(report)["total"]
    assert (total["received"], total["resolved"], total["timely_percent"]) == (
        622_039,
        620_400,
        99.76,
    )
    db.dispose()

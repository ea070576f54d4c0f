"""The portal's way of counting a period, on a crafted set whose answers are known.

Period: 01/07/2026 – 30/09/2026 (Vietnam time). Each dossier is one case of the rules.
"""

from __future__ import annotations

from datetime import date, datetime

from tthc.core.clock import VIETNAM
from tthc.core.database import Database
from tthc.dossiers.models import Dossier
from tthc.dossiers.status import Status
from tthc.reports.figures import dossiers

FIRST, LAST = date(2026, 7, 1), date(2026, 9, 30)


def at(day: str, hour: int = 9) -> datetime:
    d, m, y = (int(x) for x in day.split("/"))
    return datetime(y, m, d, hour, tzinfo=VIETNAM)


CASES = [
    # code, level, received, due, finished, status, channel
    ("000.25.31.H56-260601-0001", "Cấp xã", "01/06/2026", "20/06/2026", None, Status.PROCESSING, None),  # carried over, open at end, overdue
    ("000.25.31.H56-260615-0001", "Cấp xã", "15/06/2026", "10/07/2026", "05/07/2026", Status.RETURNED, None),  # carried over, resolved early
    ("000.25.31.H56-260710-0001", "Cấp xã", "10/07/2026", "20/07/2026", "20/07/2026", Status.DONE, "online"),  # on the due day: on time
    ("000.25.31.H56-260711-0001", "Cấp xã", "11/07/2026", "20/07/2026", "25/07/2026", Status.RETURNED, "direct"),  # late
    ("000.00.20.H56-260901-0001", "Cấp tỉnh", "01/09/2026", "30/10/2026", None, Status.PROCESSING, "online"),  # open at end, on time
    ("000.00.20.H56-260902-0001", "Cấp tỉnh", "02/09/2026", "10/09/2026", None, Status.NEEDS_DOCUMENTS, None),  # open at end, overdue
    ("000.00.20.H56-260903-0001", "Cấp tỉnh", "03/09/2026", "10/09/2026", None, Status.WITHDRAWN, "post"),  # withdrawn: not work in progress
    ("000.00.20.H56-261002-0001", "Cấp tỉnh", "02/10/2026", "10/10/2026", None, Status.PROCESSING, None),  # after the period
    ("000.00.20.H56-260301-0001", "Cấp tỉnh", "01/03/2026", "10/03/2026", "09/03/2026", Status.RETURNED, None),  # long before: nowhere
    ("000.00.20.H56-260905-0001", "Cấp tỉnh", "05/09/2026", "20/10/2026", "01/10/2026", Status.DONE, None),  # resolved after the end: open at end
]  # fmt: skip


def _load(db: Database) -> None:
    with db.session() as session:
        for code, level, received, due, finished, status, channel in CASES:
            session.add(
                Dossier(
                    code=code, level=level, agency=f"UBND {level}", received_at=at(received),
                    due_at=at(due, 17), finished_at=at(finished, 10) if finished else None,
                    status=int(status), channel=channel,
                )
            )  # fmt: skip


def test_the_portal_way_per_level(db: Database) -> None:
    _load(db)
    report = dossiers(db, FIRST, LAST, by="level")
    rows = {r.name: r for r in report.rows}
    commune, province = rows["Cấp xã"], rows["Cấp tỉnh"]
    assert (commune.carried_over, commune.received, commune.resolved) == (2, 2, 3)
    assert (commune.early, commune.on_time, commune.late) == (1, 1, 1)
    assert (commune.pending, commune.pending_overdue) == (1, 1)
    assert (commune.online, commune.channel_known) == (1, 2)
    assert (province.carried_over, province.received, province.resolved) == (0, 4, 0)
    assert (province.pending, province.pending_overdue) == (3, 1)
    assert (province.online, province.channel_known) == (1, 2)
    total = report.total
    assert (total.received, total.resolved, total.pending) == (6, 3, 4)
    assert str(total.timely_percent) == "66.67" and str(total.online_percent) == "50.00"
    assert [r.name for r in report.rows] == ["Cấp tỉnh", "Cấp xã"]


def test_per_receiving_unit_from_the_code(db: Database) -> None:
    _load(db)
    report = dossiers(db, FIRST, LAST, by="unit")
    units = {r.unit: r for r in report.rows}
    assert set(units) == {"000.25.31.H56", "000.00.20.H56"}
    assert units["000.25.31.H56"].name == "UBND Cấp xã"
    assert units["000.25.31.H56"].resolved == 3 and units["000.00.20.H56"].received == 4


def test_an_empty_period_has_no_data(db: Database) -> None:
    _load(db)
    report = dossiers(db, date(2020, 1, 1), date(2020, 1, 31))
    assert report.empty and report.total.timely_percent is None

"""The figures managers read: satisfaction shares and dossier timeliness.

Percentages are each level's share of the ratings counted, rounded half up to two
decimals, as provincial reports print them (415 of 427 → 97.19%). A breakdown with no
ratings or dossiers has no percentages (None), so it reads "no data", not 0%.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import col, select

from tthc.core.clock import VIETNAM
from tthc.core.database import Database
from tthc.core.redaction import redact
from tthc.dossiers.models import Dossier
from tthc.dossiers.status import Status, Timeliness, deadline
from tthc.ratings.models import Rating

RATING_GROUPS = ("level", "agency", "procedure", "field")
DOSSIER_GROUPS = ("level", "agency")
LOWEST = 5


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a share of `whole` in percent, two decimals, half up; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Shares:
    """Counts per scale level (best first) and their percentages."""

    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def percents(self) -> list[Decimal | None]:
        return [percent(c, self.total) for c in self.counts]

    @property
    def satisfied(self) -> Decimal | None:
        """Share of every level but the last (the "not satisfied" one)."""
        return percent(sum(self.counts[:-1]), self.total)


@dataclass
class Group:
    """One row of a breakdown (an agency, a week…), with comments of its poor ratings."""

    name: str
    shares: Shares
    comments: list[str] = field(default_factory=list)


@dataclass
class SatisfactionReport:
    """Ratings of dossiers in a period (latest per citizen and dossier), and general ones."""

    start: date
    end: date
    scale: list[str]
    criteria: list[str]
    overall: Shares
    general: Shares
    per_criterion: dict[str, Shares]
    breakdown: list[Group]
    by: str | None
    trend: list[Group]
    lowest_procedures: list[Group]
    lowest_agencies: list[Group]
    stored: int  # every rating row in the period, replaced ones included

    @property
    def empty(self) -> bool:
        return self.overall.total == 0 and self.general.total == 0


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in Vietnam time: dates are inclusive."""
    return (
        datetime.combine(start, time(), VIETNAM),
        datetime.combine(end + timedelta(days=1), time(), VIETNAM),
    )


def satisfaction(
    db: Database,
    start: date,
    end: date,
    *,
    scale: list[str],
    criteria: list[str],
    by: str | None = None,
    trend: str = "week",
) -> SatisfactionReport:
    """Shares per level, per criterion, per group and per week/month, lowest-rated first."""
    lo, hi = _bounds(start, end)
    with db.session() as session:
        rows = list(
            session.exec(
                select(Rating)
                .where(Rating.created_at >= lo, Rating.created_at < hi)
                .order_by(col(Rating.id))
            )
        )
    latest: dict[tuple[int, str], Rating] = {}
    general: list[Rating] = []
    for r in rows:
        if r.dossier_code is None:
            general.append(r)
        else:
            latest[(r.user_id, r.dossier_code)] = r  # later ids replace earlier ones
    counted = list(latest.values())
    n = len(scale)
    report = SatisfactionReport(
        start=start,
        end=end,
        scale=scale,
        criteria=criteria,
        overall=_shares(counted, n),
        general=_shares(general, n),
        per_criterion={
            c: Shares([sum(1 for r in counted if r.criteria.get(c) == i) for i in range(n)])
            for c in criteria
        },
        breakdown=_groups(counted, n, lambda r: _group_key(r, by)) if by else [],
        by=by,
        trend=sorted(
            _groups(counted, n, lambda r: _period(r.created_at, trend)), key=lambda g: g.name
        ),
        lowest_procedures=_lowest(counted, n, lambda r: r.procedure_code),
        lowest_agencies=_lowest(counted, n, lambda r: r.agency),
        stored=len(rows),
    )
    return report


def _shares(ratings: Iterable[Rating], n: int) -> Shares:
    counts = [0] * n
    for r in ratings:
        if 0 <= r.scale < n:
            counts[r.scale] += 1
    return Shares(counts)


def _group_key(r: Rating, by: str | None) -> str | None:
    return {
        "level": r.level,
        "agency": r.agency,
        "procedure": r.procedure_code,
        "field": r.field,
    }.get(by or "")


def _period(at: datetime, trend: str) -> str:
    local = at.astimezone(VIETNAM)
    if trend == "month":
        return f"{local:%Y-%m}"
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def _groups(ratings: list[Rating], n: int, key: object) -> list[Group]:
    buckets: dict[str, list[Rating]] = defaultdict(list)
    for r in ratings:
        name = key(r)  # type: ignore[operator]
        buckets[name or "(không rõ)"].append(r)
    groups = []
    for name, items in buckets.items():
        comments = [redact(r.comment) for r in items if r.comment and r.scale == n - 1]
        groups.append(Group(name, _shares(items, n), comments[:5]))
    return sorted(groups, key=lambda g: (-g.shares.total, g.name))


def _lowest(ratings: list[Rating], n: int, key: object) -> list[Group]:
    groups = [g for g in _groups(ratings, n, key) if g.shares.counts[-1] > 0]
    return sorted(groups, key=lambda g: (g.shares.satisfied or Decimal(0), -g.shares.total))[
        :LOWEST
    ]


# -- dossiers --------------------------------------------------------------------------


@dataclass
class DossierRow:
    """Received / done (on time, late) / in progress (overdue) for one group."""

    name: str
    received: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0
    closed_unfinished: int = 0  # refused or withdrawn

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.on_time, self.done)


@dataclass
class DossierReport:
    """Dossiers received in a period, per level or agency, and in total."""

    start: date
    end: date
    by: str
    rows: list[DossierRow]
    total: DossierRow

    @property
    def empty(self) -> bool:
        return self.total.received == 0


LEVEL_ORDER = {"Cấp tỉnh": 0, "Cấp huyện": 1, "Cấp xã": 2}


def dossiers(
    db: Database, start: date, end: date, *, by: str = "level", now: datetime | None = None
) -> DossierReport:
    """The per-level (or per-agency) table provincial reports publish."""
    lo, hi = _bounds(start, end)
    today = (now or datetime.now(VIETNAM)).astimezone(VIETNAM).date()
    group_column = col(Dossier.level) if by == "level" else col(Dossier.agency)
    query = select(group_column, Dossier.status, Dossier.due_at, Dossier.finished_at).where(
        col(Dossier.received_at) >= lo, col(Dossier.received_at) < hi
    )
    rows: dict[str, DossierRow] = {}
    total = DossierRow("Tổng cộng")
    with db.session() as session:
        for name, status, due_at, finished_at in session.exec(query).yield_per(20_000):
            row = rows.setdefault(name or "(không rõ)", DossierRow(name or "(không rõ)"))
            for target in (row, total):
                _count(target, Status(status), due_at, finished_at, today)
    ordered = sorted(rows.values(), key=lambda r: (LEVEL_ORDER.get(r.name, 9), -r.received, r.name))
    return DossierReport(start, end, by, ordered, total)


def _count(
    row: DossierRow,
    status: Status,
    due_at: datetime | None,
    finished_at: datetime | None,
    today: date,
) -> None:
    row.received += 1
    now = datetime.combine(today, time(12), VIETNAM)
    timeliness = deadline(due_at, finished_at, now, status).timeliness
    if finished_at is not None or status.finished:
        row.done += 1  # done without a due date or a finish date cannot be late
        if timeliness is Timeliness.LATE:
            row.late += 1
        else:
            row.on_time += 1
    elif status.closed:
        row.closed_unfinished += 1
    else:
        row.in_progress += 1
        if timeliness is Timeliness.OVERDUE:
            row.overdue += 1

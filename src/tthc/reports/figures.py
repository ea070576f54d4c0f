"""The figures managers read: satisfaction shares and dossier timeliness.

Percentages are each level's share of the ratings counted, rounded half up to two
decimals, as provincial reports print them (415 of 427 → 97.19%). A breakdown with no
ratings or dossiers has no percentages (None), so it reads "no data", not 0%.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import col, select

from tthc.core.clock import VIETNAM
from tthc.core.database import Database
from tthc.core.redaction import redact
from tthc.dossiers.models import Dossier
from tthc.dossiers.status import Status
from tthc.ratings.models import Rating

RATING_GROUPS = ("level", "agency", "procedure", "field")
UNKNOWN = "(không rõ)"  # a group the data does not name (translated as a term)
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
    # Every comment of a counted rating: (scale level, procedure, agency, text), redacted.
    comments: list[tuple[int, str, str, str]] = field(default_factory=list)
    min_ratings: int = 5  # a lowest-rated list only ranks groups with this many ratings

    @property
    def empty(self) -> bool:
        return self.overall.total == 0 and self.general.total == 0


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
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
    names: Callable[[str], str | None] | None = None,
    min_ratings: int = 5,
) -> SatisfactionReport:
    """Shares per level, per criterion, per group and per week/month, lowest-rated first.

    Procedures are named by `names` (code → name) where it knows them; the lowest-rated
    lists leave out groups with fewer than `min_ratings` ratings (one rating is no rate).
    """
    lo, hi = day_bounds(start, end)
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
        lowest_procedures=_lowest(
            counted, n, lambda r: _procedure(r.procedure_code, names), min_ratings
        ),
        lowest_agencies=_lowest(counted, n, lambda r: r.agency, min_ratings),
        stored=len(rows),
        comments=[
            (r.scale, _procedure(r.procedure_code, names) or "", r.agency or "", redact(r.comment))
            for r in counted + general
            if r.comment
        ],
        min_ratings=min_ratings,
    )
    return report


def _procedure(code: str | None, names: Callable[[str], str | None] | None) -> str | None:
    """ "1.001193 · Thủ tục đăng ký khai sinh", or the code alone when the name is unknown."""
    if not code:
        return None
    name = names(code) if names is not None else None
    return f"{code} · {name}" if name else code


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
        buckets[name or UNKNOWN].append(r)
    groups = []
    for name, items in buckets.items():
        comments = [redact(r.comment) for r in items if r.comment and r.scale == n - 1]
        groups.append(Group(name, _shares(items, n), comments[:5]))
    return sorted(groups, key=lambda g: (-g.shares.total, g.name))


def _lowest(ratings: list[Rating], n: int, key: object, min_ratings: int) -> list[Group]:
    groups = [
        g
        for g in _groups(ratings, n, key)
        if g.shares.counts[-1] > 0 and g.shares.total >= min_ratings and g.name != UNKNOWN
    ]
    return sorted(groups, key=lambda g: (g.shares.satisfied or Decimal(0), -g.shares.total))[
        :LOWEST
    ]


# -- dossiers --------------------------------------------------------------------------


@dataclass
class DossierRow:
    """One group's dossiers the way the national portal counts them for a period.

    Resolved in the period (finished or returned within it): early (a day or more before
    the due time), on time, late. In progress at the period's end: on time or overdue.
    Carried over: received before the period and still open when it began. Received in
    the period, and of those the ones submitted online (when the export says).
    """

    name: str
    unit: str = ""  # the receiving unit's code (the receipt code's prefix), by unit only
    carried_over: int = 0
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    pending_overdue: int = 0
    online: int = 0
    channel_known: int = 0

    @property
    def timely_percent(self) -> Decimal | None:
        """Resolved early or on time, of everything resolved."""
        return percent(self.early + self.on_time, self.resolved)

    @property
    def online_percent(self) -> Decimal | None:
        """Submitted online, of the received dossiers whose channel is known."""
        return percent(self.online, self.channel_known)

    def add(self, other: DossierRow) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTS = (
    "carried_over", "received", "resolved", "early", "on_time", "late", "pending",
    "pending_overdue", "online", "channel_known",
)  # fmt: skip


@dataclass
class DossierReport:
    """The period's table per level, receiving unit or agency, and its total."""

    start: date
    end: date
    by: str
    rows: list[DossierRow]
    total: DossierRow

    @property
    def empty(self) -> bool:
        t = self.total
        return not (t.received or t.resolved or t.pending or t.carried_over)


LEVEL_ORDER = {"Cấp tỉnh": 0, "Cấp huyện": 1, "Cấp xã": 2}
DOSSIER_GROUPS = ("level", "unit", "agency")
_CLOSED = (int(Status.REJECTED), int(Status.WITHDRAWN))
_FINISHED = (int(Status.DONE), int(Status.RETURNED))


def dossiers(db: Database, start: date, end: date, *, by: str = "level") -> DossierReport:
    """The portal-style table, counted by the database in one grouped query.

    A dossier finished without a date cannot be placed in a period: it counts as
    received, never as resolved or in progress. Refused and withdrawn ones are not work
    in progress.
    """
    lo, hi = day_bounds(start, end)
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        key = _group_key_column(by, dialect)
        resolved_at = func.coalesce(Dossier.finished_at, Dossier.returned_at)
        status = col(Dossier.status)
        received_at, due_at = col(Dossier.received_at), col(Dossier.due_at)

        def unresolved(at: datetime) -> Any:  # still open at `at`
            return or_(resolved_at >= at, and_(resolved_at.is_(None), status.not_in(_FINISHED)))

        resolved = and_(resolved_at >= lo, resolved_at < hi)
        received = and_(received_at >= lo, received_at < hi)
        pending = and_(received_at < hi, status.not_in(_CLOSED), unresolved(hi))
        conditions = {
            "carried_over": and_(received_at < lo, status.not_in(_CLOSED), unresolved(lo)),
            "received": received,
            "resolved": resolved,
            "early": and_(
                resolved, due_at.is_not(None), resolved_at <= _day_before(due_at, dialect)
            ),
            "late": and_(resolved, due_at.is_not(None), resolved_at > due_at),
            "pending": pending,
            "pending_overdue": and_(pending, due_at < hi),
            "online": and_(received, col(Dossier.channel) == "online"),
            "channel_known": and_(received, col(Dossier.channel).is_not(None)),
        }
        sums = [func.sum(case((c, 1), else_=0)).label(n) for n, c in conditions.items()]
        query = (
            select(key.label("key"), func.max(Dossier.agency).label("agency"), *sums)
            .where(received_at < hi, or_(resolved_at.is_(None), resolved_at >= lo))
            .group_by(key)
        )
        rows: list[DossierRow] = []
        for found in session.execute(query):
            values = found._mapping
            counts = {n: int(values[n] or 0) for n in conditions}
            counts["on_time"] = counts["resolved"] - counts["early"] - counts["late"]
            name = values["key"] or UNKNOWN
            row = (
                DossierRow(values["agency"] or UNKNOWN, unit=name)
                if by == "unit"
                else DossierRow(name)
            )
            for field_name, count in counts.items():
                setattr(row, field_name, count)
            rows.append(row)
    rows = [r for r in rows if any(getattr(r, n) for n in COUNTS)]
    total = DossierRow("Tổng cộng")
    for row in rows:
        total.add(row)
    ordered = sorted(
        rows, key=lambda r: (LEVEL_ORDER.get(r.name, 9), -(r.received + r.resolved), r.unit, r.name)
    )
    return DossierReport(start, end, by, ordered, total)


def _group_key_column(by: str, dialect: str) -> Any:
    """Level, agency, or the receiving unit: the receipt code before its first dash."""
    if by == "level":
        return col(Dossier.level)
    if by == "agency":
        return col(Dossier.agency)
    if dialect == "postgresql":
        return func.split_part(Dossier.code, "-", 1)
    return func.substr(Dossier.code, 1, func.instr(Dossier.code, "-") - 1)


def _day_before(column: Any, dialect: str) -> Any:
    """The instant a day earlier, in the database's own arithmetic."""
    if dialect == "postgresql":
        return column - timedelta(days=1)
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" text; datetime() drops the fraction.
    return func.strftime("%Y-%m-%d %H:%M:%f000", column, "-1 day")

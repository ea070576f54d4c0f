"""The one-stop status vocabulary and the on-time judgement derived from dates.

Statuses are the ten values one-stop systems share (FACTS.md §2). Their wording in
imports is matched loosely (case, diacritics, spacing); what each status means for the
citizen and what to do next lives in the message templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from tthc.core.clock import VIETNAM
from tthc.core.text import fold


class Status(IntEnum):
    """Dossier status codes as one-stop systems number them."""

    REGISTERED = 1  # Mới đăng ký
    ACCEPTED = 2  # Được tiếp nhận
    REJECTED = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    NEEDS_DOCUMENTS = 5  # Yêu cầu bổ sung giấy tờ
    NEEDS_PAYMENT = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    DONE = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả

    @property
    def finished(self) -> bool:
        """The result exists (ratings are offered from here on)."""
        return self in (Status.DONE, Status.RETURNED)

    @property
    def paused(self) -> bool:
        """Whether the processing clock stands still in this state.

        It does while the citizen supplements papers or pays, and while processing is
        suspended (Nghị định 61/2018/NĐ-CP, as amended).
        """
        return self in (Status.NEEDS_DOCUMENTS, Status.NEEDS_PAYMENT, Status.STOPPED)

    @property
    def closed(self) -> bool:
        """Nothing more will happen to the dossier."""
        return self in (Status.REJECTED, Status.WITHDRAWN, Status.RETURNED)


LABELS: dict[Status, str] = {
    Status.REGISTERED: "Mới đăng ký",
    Status.ACCEPTED: "Được tiếp nhận",
    Status.REJECTED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.NEEDS_DOCUMENTS: "Yêu cầu bổ sung giấy tờ",
    Status.NEEDS_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.DONE: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
_BY_FOLDED = {fold(label): status for status, label in LABELS.items()}
_BY_FOLDED.update({str(int(s)): s for s in Status})


def parse_status(text: str | None) -> Status | None:
    """A status from its label as exported (any case, with or without diacritics) or code."""
    return _BY_FOLDED.get(fold(text or ""))


class Timeliness(StrEnum):
    """On-time state derived from the due date (internal names; labels are configurable)."""

    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # trễ hạn
    IN_TIME = "in_time"  # in progress, due date not passed
    OVERDUE = "overdue"  # in progress, due date passed
    PAUSED = "paused"  # waiting for the citizen (papers, payment) or suspended: no clock
    NOT_STARTED = "not_started"  # registered online, not yet accepted: no clock yet
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Deadline:
    """Where a dossier stands against its due date, in whole calendar days."""

    timeliness: Timeliness
    days: int | None  # days left (in progress) or days early/late (finished)


def deadline(
    due_at: datetime | None, finished_at: datetime | None, now: datetime, status: Status
) -> Deadline:
    """Early / on time / late for finished dossiers; days left or overdue for open ones.

    "On time" means finished on the due day itself (one-stop reports count by day). A
    paused dossier and one not yet accepted have no running clock, so no days overdue.
    """
    if due_at is None:
        return Deadline(Timeliness.UNKNOWN, None)
    due_day = due_at.astimezone(VIETNAM).date()
    if finished_at is not None:
        diff = (finished_at.astimezone(VIETNAM).date() - due_day).days
        if diff < 0:
            return Deadline(Timeliness.EARLY, -diff)
        return Deadline(Timeliness.ON_TIME if diff == 0 else Timeliness.LATE, diff)
    if status.closed:
        return Deadline(Timeliness.UNKNOWN, None)
    if status.paused:
        return Deadline(Timeliness.PAUSED, None)
    if status is Status.REGISTERED:
        return Deadline(Timeliness.NOT_STARTED, None)
    left = (due_day - now.astimezone(VIETNAM).date()).days
    if left >= 0:
        return Deadline(Timeliness.IN_TIME, left)
    return Deadline(Timeliness.OVERDUE, -left)

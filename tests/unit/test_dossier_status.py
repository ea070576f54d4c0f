"""What a citizen reads for each of the ten one-stop statuses when the due date is long past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tthc.bot.plain import plain_text
from tthc.dossiers.models import Dossier
from tthc.dossiers.service import DossierService
from tthc.dossiers.status import Status, Timeliness, deadline
from tthc.messages import Messages

NOW = datetime(2026, 11, 29, 3, tzinfo=UTC)
DUE = NOW - timedelta(days=663)


def card(status: Status, lang: str = "vi", finished: datetime | None = None) -> str:
    dossier = Dossier(
        code="000.00.20.H56-240527-0001",
        procedure_name="Đăng ký khai sinh",
        status=int(status),
        received_at=DUE - timedelta(days=5),
        due_at=DUE,
        finished_at=finished,
    )
    view = DossierService._view(dossier, False, NOW)
    return plain_text(Messages().render(lang, "dossier_status", d=view))


@pytest.mark.parametrize(
    ("status", "expected", "absent"),
    [
        (Status.REGISTERED, "chưa được tiếp nhận", "quá hạn"),
        (Status.ACCEPTED, "đã quá hạn 663 ngày", "tạm dừng"),
        (Status.REJECTED, "Hồ sơ không được tiếp nhận", "quá hạn"),
        (Status.PROCESSING, "đã quá hạn 663 ngày", "tạm dừng"),
        (Status.NEEDS_DOCUMENTS, "tạm dừng tính thời hạn", "quá hạn"),
        (Status.NEEDS_PAYMENT, "tạm dừng tính thời hạn", "quá hạn"),
        (Status.WITHDRAWN, "Hồ sơ đã được rút", "quá hạn"),
        (Status.STOPPED, "tạm dừng tính thời hạn", "quá hạn"),
    ],
)
def test_an_open_dossier_shows_its_clock_as_the_status_has_it(
    status: Status, expected: str, absent: str
) -> None:
    text = card(status)
    assert expected in text
    assert absent not in text


@pytest.mark.parametrize("status", [Status.DONE, Status.RETURNED])
def test_a_finished_dossier_is_judged_by_its_result_date(status: Status) -> None:
    text = card(status, finished=DUE + timedelta(days=2))
    assert "trễ hạn 2 ngày" in text and "quá hạn" not in text


def test_paused_states_stop_the_clock_in_reports_too() -> None:
    for status in (Status.NEEDS_DOCUMENTS, Status.NEEDS_PAYMENT, Status.STOPPED):
        assert deadline(DUE, None, NOW, status).timeliness is Timeliness.PAUSED
    assert deadline(DUE, None, NOW, Status.PROCESSING).timeliness is Timeliness.OVERDUE
    assert "paused" in card(Status.STOPPED, "en") and "overdue" not in card(Status.STOPPED, "en")


@pytest.mark.parametrize(
    "text",
    ["27/05/2024 07:31", "27/05/2024 06:59", "01/01/2025 00:00", "29/02/2024 23:59", "2024-05-27 07:31",
     "31/12/2024 08:00", "1/2/2024 9:05"],
)  # fmt: skip
def test_the_bulk_timestamp_text_is_what_sqlalchemy_stores(text: str) -> None:
    from sqlalchemy.dialects import sqlite

    from tthc.dossiers.records import parse_date, sqlite_timestamp

    store = sqlite.DATETIME().bind_processor(sqlite.dialect())
    expected = store(parse_date(text).astimezone(UTC).replace(tzinfo=None))  # type: ignore[union-attr,misc]
    assert sqlite_timestamp(text) == expected


@pytest.mark.parametrize("text", ["30/02/2024 08:00", "29/02/2023 08:00", "12/13/2024 08:00"])
def test_impossible_dates_are_refused_by_the_bulk_path(text: str) -> None:
    from tthc.dossiers.records import sqlite_timestamp

    with pytest.raises(ValueError):
        sqlite_timestamp(text)

"""Dossier import on SQLite and PostgreSQL: the sample layout, idempotence, history,
validation with row numbers, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from tthc.core.clock import VIETNAM
from tthc.core.database import Database
from tthc.core.settings import Settings
from tthc.dossiers.importer import DossierImportRejected, import_dossiers
from tthc.dossiers.models import Dossier, DossierEvent
from tthc.dossiers.records import DossierFileError, RowReader
from tthc.dossiers.status import Status

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "dossiers-sample.csv"
SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
HEADER = "Mã hồ sơ,Mã thủ tục,Người nộp,Số điện thoại,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái"


def reader(**columns: str) -> RowReader:
    return RowReader(b"test-key", SETTINGS.dossier_code_pattern, columns)


def write(tmp_path: Path, lines: list[str], *, bom: bool = True, name: str = "d.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8-sig" if bom else "utf-8")
    return path


def dossiers(db: Database) -> dict[str, Dossier]:
    with db.session() as session:
        return {d.code: d for d in session.exec(select(Dossier))}


def events(db: Database, code: str) -> list[tuple[int | None, int]]:
    with db.session() as session:
        d = session.exec(select(Dossier).where(Dossier.code == code)).one()
        rows = session.exec(
            select(DossierEvent).where(DossierEvent.dossier_id == d.id).order_by(DossierEvent.id)
        )  # type: ignore[arg-type]
        return [(e.previous_status, e.status) for e in rows]


A = "000.00.20.H56-240527-0001"
B = "000.25.31.H56-240730-0002"


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/data is not present")
def test_sample_imports_without_configuration_and_reimports_unchanged(db: Database) -> None:
    first = import_dossiers(db, SAMPLE, reader(), source="sample")
    assert (first.rows, first.added, first.problem_count, first.ignored_columns) == (
        5000,
        5000,
        0,
        [],
    )
    again = import_dossiers(db, SAMPLE, reader(), source="sample")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 5000)
    stored = dossiers(db)["000.00.20.H56-240527-0001"]
    assert stored.status == Status.RETURNED and stored.level == "Cấp tỉnh"
    assert stored.received_at is not None
    assert stored.received_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") == "27/05/2024 07:31"
    assert stored.secret_hash and "091318" not in stored.secret_hash  # hashed, not stored


def test_history_only_when_something_changed(db: Database, tmp_path: Path) -> None:
    first = [f"{A},1.000656,Lê Long,0912345678,01/06/2024 08:00,05/06/2024 08:00,,Đang xử lý"]
    import_dossiers(db, write(tmp_path, first, bom=False), reader(), source="1")
    changed = [
        f"{A},1.000656,Lê Long,0912345678,01/06/2024 08:00,05/06/2024 08:00,04/06/2024 10:00,da xu ly xong"
    ]
    report = import_dossiers(db, write(tmp_path, changed), reader(), source="2")
    assert (report.changed, report.status_changes) == (1, 1)
    renamed = [changed[0].replace("Lê Long", "Lê Thanh Long")]
    report = import_dossiers(db, write(tmp_path, renamed), reader(), source="3")
    assert (report.changed, report.status_changes) == (1, 0)
    assert events(db, A) == [(None, 4), (4, 9)]  # the rename is not a status event
    assert dossiers(db)[A].applicant == "Lê Thanh Long"


def test_every_problem_reported_with_row_numbers_and_nothing_written(
    db: Database, tmp_path: Path
) -> None:
    lines = [
        f"{A},1.000656,X,,01/06/2024 08:00,05/06/2024,,Đang xử lý",
        "ABC-1,1.000656,X,,01/06/2024,05/06/2024,,Đang xử lý",
        f"{B},1.000656,X,,31/02/2024,05/06/2024,,Đang xử lý",
        f"{B},1.000656,X,,01/06/2024,05/06/2024,,Đang chờ",
        f"{A},1.000656,X,,01/06/2024,05/06/2024,,Đang xử lý",
    ]
    with pytest.raises(DossierImportRejected) as caught:
        import_dossiers(db, write(tmp_path, lines), reader(), source="bad")
    assert [str(p) for p in caught.value.report.problems] == [
        "row 3, code: 'ABC-1' does not match the receipt code pattern",
        "row 4, received_at: '31/02/2024' is not a date like 27/05/2024 07:31",
        "row 5, status: unknown status 'Đang chờ'",
        f"row 6, code: {A} appears twice",
    ]
    assert dossiers(db) == {}


def test_other_layouts_map_columns_and_xlsx_works(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["BÁO CÁO HỒ SƠ THÁNG 6"])
    wb.active.append(["Số HS", "Tình trạng", "Hạn xử lý"])
    wb.active.append([A, "Đã trả kết quả", "05/06/2024"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(DossierFileError, match="no header row"):
        import_dossiers(db, path, reader(), source="x")
    report = import_dossiers(db, path, reader(**{"Số HS": "code"}), source="x")
    assert report.added == 1 and dossiers(db)[A].status == Status.RETURNED
    with pytest.raises(ValueError, match="unknown dossier field"):
        reader(**{"Số HS": "nonsense"})


def test_import_reports_progress_per_chunk(db: Database, tmp_path: Path) -> None:
    import tthc.dossiers.importer as importer

    lines = [
        f"000.00.20.H56-240527-{n:04d},1.000656,Lê,0912345678,,,,Đang xử lý" for n in range(1, 13)
    ]
    path = write(tmp_path, lines)
    seen: list[tuple[int, float | None]] = []
    original = importer.CHUNK
    importer.CHUNK = 5
    try:
        import_dossiers(
            db, path, reader(), source="d.csv", progress=lambda n, f: seen.append((n, f))
        )
    finally:
        importer.CHUNK = original
    assert [n for n, _ in seen] == [5, 10, 12]
    assert all(f is not None and 0 < f <= 1 for _, f in seen) and seen[-1][1] == 1.0


def test_a_dry_run_counts_what_the_import_does_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    first = write(tmp_path, [f"{A},1.000656,Lê A,0912345678,01/06/2024 08:00,05/06/2024 08:00,,4"])
    import_dossiers(db, first, reader(), source="first")
    second = write(
        tmp_path,
        [
            f"{A},1.000656,Lê A,0912345678,01/06/2024 08:00,05/06/2024 08:00,04/06/2024 10:00,9",
            f"{B},1.000656,Trần B,,02/06/2024 08:00,06/06/2024 08:00,,4",
        ],
        name="second.csv",
    )
    before = dossiers(db)
    dry = import_dossiers(db, second, reader(), source="second", dry_run=True)
    assert dossiers(db).keys() == before.keys() and events(db, A) == [(None, 4)]
    real = import_dossiers(db, second, reader(), source="second")
    counts = ("added", "changed", "unchanged", "status_changes", "notifications")
    assert (
        [getattr(dry, c) for c in counts] == [getattr(real, c) for c in counts] == [1, 1, 0, 1, 0]
    )

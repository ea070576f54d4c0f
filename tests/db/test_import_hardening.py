"""Careless and hostile import files: one clear line each, nothing half-written.

On SQLite and PostgreSQL, where lengths and NUL bytes behave differently.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlmodel import select

from tthc.catalog.importer import apply_import
from tthc.catalog.models import Procedure
from tthc.catalog.records import CatalogFileError, read_catalog_file
from tthc.core.database import Database
from tthc.core.settings import Settings
from tthc.dossiers.importer import DossierImportRejected, import_dossiers
from tthc.dossiers.models import Dossier
from tthc.dossiers.records import DossierFileError, RowReader

SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
DOSSIER_HEADER = "Mã hồ sơ,Mã thủ tục,Người nộp,Số điện thoại,Ngày hẹn trả,Trạng thái"
CODE = "000.00.20.H56-240527-0001"


def reader() -> RowReader:
    return RowReader(b"test-key", SETTINGS.dossier_code_pattern)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_two_code_columns_in_a_catalogue_file_are_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.csv", "Mã số,Tên,Mã số\n1.000001,Thủ tục A,1.000002\n")
    with pytest.raises(CatalogFileError, match="'Mã số' and 'Mã số' both give the code"):
        read_catalog_file(path)


def test_two_status_columns_in_a_dossier_export_are_an_error(db: Database, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "d.csv",
        f"Mã hồ sơ,Trạng thái,Tình trạng\n{CODE},Đang xử lý,Đã trả kết quả\n",
    )
    with pytest.raises(
        DossierFileError, match="'Trạng thái' and 'Tình trạng' both give the status"
    ):
        import_dossiers(db, path, reader(), source="d.csv")
    with db.session() as session:
        assert session.exec(select(Dossier)).first() is None


def test_a_huge_cell_is_a_row_problem_not_a_traceback(db: Database, tmp_path: Path) -> None:
    name = "A" * 200_000
    path = _write(
        tmp_path, "d.csv", f"{DOSSIER_HEADER}\n{CODE},1.000656,{name},0912345678,,Đang xử lý\n"
    )
    with pytest.raises(DossierImportRejected) as rejected:
        import_dossiers(db, path, reader(), source="d.csv")
    assert [str(p) for p in rejected.value.report.problems] == [
        "row 2, applicant: is 200,000 characters long (at most 200)"
    ]
    catalogue = _write(tmp_path, "c.csv", "Mã số,Tên\n1.000001," + "x" * 200_000 + "\n")
    parsed = read_catalog_file(catalogue)
    assert [str(p) for p in parsed.problems] == ["row 2, name: is longer than 2,000 characters"]


def test_values_longer_than_their_columns_are_refused_before_the_database(
    db: Database, tmp_path: Path
) -> None:
    # PostgreSQL raised StringDataRightTruncation here, with applicant names in the traceback.
    long_level = "Cấp " + "x" * 60
    path = _write(
        tmp_path,
        "d.csv",
        "Mã hồ sơ,Mã thủ tục,Cấp thực hiện,Người nộp,Trạng thái\n"
        f"{CODE},1.000656-{'9' * 40},{long_level},Lê Văn A,Đang xử lý\n",
    )
    with pytest.raises(DossierImportRejected) as rejected:
        import_dossiers(db, path, reader(), source="d.csv")
    fields = sorted(p.field for p in rejected.value.report.problems)
    assert fields == ["level", "procedure_code"]
    assert "Lê Văn A" not in " ".join(str(p) for p in rejected.value.report.problems)


def test_a_truncated_workbook_is_one_line(db: Database, tmp_path: Path) -> None:
    import zipfile

    from openpyxl import Workbook

    book = tmp_path / "d.xlsx"
    workbook = Workbook()
    workbook.active.append(["Mã hồ sơ", "Trạng thái"])
    for n in range(200):
        workbook.active.append([f"000.00.20.H56-240527-{n:04d}", "Đang xử lý"])
    workbook.save(book)
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]  # cut mid-XML
    with zipfile.ZipFile(book, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(DossierFileError, match="cannot be read"):
        import_dossiers(db, book, reader(), source="d.xlsx")
    with db.session() as session:
        assert session.exec(select(Dossier)).first() is None  # all or nothing


def test_two_imports_at_once_both_finish_without_a_traceback(db: Database) -> None:
    records = {
        f"9.{n:06d}": {"code": f"9.{n:06d}", "name": f"Thủ tục song song {n}"} for n in range(40)
    }
    from tthc.catalog.records import ParsedFile

    errors: list[BaseException] = []

    def run(actor: str) -> None:
        try:
            apply_import(db, ParsedFile(records=dict(records)), actor=actor, source="x")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"staff{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.session() as session:
        codes = [p.code for p in session.exec(select(Procedure))]
    assert sorted(codes) == sorted(records)


def test_a_rotated_secret_key_still_verifies_and_rehashes(db: Database, tmp_path: Path) -> None:
    from datetime import timedelta

    from tthc.dossiers.service import DossierService, Outcome

    path = _write(
        tmp_path, "d.csv", f"{DOSSIER_HEADER}\n{CODE},1.000656,Lê A,0912345678,,Đang xử lý\n"
    )
    old = RowReader(b"old-key-0123456789", SETTINGS.dossier_code_pattern)
    import_dossiers(db, path, old, source="d.csv")

    def service(key: bytes, previous: bytes | None) -> DossierService:
        return DossierService(
            db, key=key, code_pattern=SETTINGS.dossier_code_pattern,
            code_example=SETTINGS.dossier_code_example, max_failures=5,
            window=timedelta(minutes=15), previous_key=previous,
        )  # fmt: skip

    rotated = service(b"new-key-0123456789", b"old-key-0123456789")
    assert rotated.lookup(1, CODE).outcome is Outcome.NEED_SECRET
    assert rotated.lookup(1, CODE, secret="5678").outcome is Outcome.FOUND
    # Re-hashed under the new key: without the old one, another user still gets in.
    only_new = service(b"new-key-0123456789", None)
    only_new.lookup(2, CODE)
    assert only_new.lookup(2, CODE, secret="5678").outcome is Outcome.FOUND

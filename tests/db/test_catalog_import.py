"""Catalogue import/export against SQLite and PostgreSQL: atomic, validated, audited, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from tthc.audit.models import AuditEntry
from tthc.catalog import repository
from tthc.catalog.bundled import CATALOG_FILE
from tthc.catalog.exporter import procedure_to_record, write_catalog
from tthc.catalog.importer import apply_import, compute_diff
from tthc.catalog.records import CatalogFileError, read_catalog_file
from tthc.core.database import Database

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _count(db: Database) -> int:
    with db.session() as session:
        return repository.count_procedures(session=session)


def test_full_import_then_dry_run_shows_no_changes(db: Database) -> None:
    parsed = read_catalog_file(CATALOG_FILE)
    diff = apply_import(db, parsed, actor="tester", source="bundled")
    assert len(diff.added) == 2834 and not diff.changed
    assert _count(db) == 2834
    with db.session() as session:
        assert compute_diff(session, parsed, prune=True).is_empty
        audit = session.exec(select(AuditEntry)).all()
        assert [(a.actor, a.added) for a in audit] == [("tester", 2834)]
        assert repository.get_state(session=session).version == 1


def test_partial_spreadsheet_changes_only_its_columns(db: Database, tmp_path: Path) -> None:
    apply_import(db, read_catalog_file(CATALOG_FILE), actor="t", source="bundled")
    csv = tmp_path / "list.csv"
    csv.write_text(
        "Mã số,Tên,Lĩnh vực\n1.000656,Thủ tục đăng ký khai tử (mới),Hộ tịch\n", encoding="utf-8-sig"
    )
    with db.session() as session:
        before = repository.get_procedure(session=session, code="1.000656")
    diff = apply_import(db, read_catalog_file(csv), actor="t", source=str(csv))
    assert diff.changed == {"1.000656": ["name"]}
    with db.session() as session:
        after = repository.get_procedure(session=session, code="1.000656")
    assert after is not None and before is not None
    assert after.name == "Thủ tục đăng ký khai tử (mới)"
    assert after.documents == before.documents and after.fees == before.fees


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ('[{"code": "1.000001", "name": ""}]', ".json", "record 1, name: is missing"),
        (
            '[{"code": "1.000001", "name": "X", "level": ["Cấp vũ trụ 1"]}]',
            ".json",
            "record 1, levels: 'Cấp vũ trụ 1' is not a level",
        ),
        (
            '[{"code": "1.000001", "name": "X", "level": ["Tầng 5"]}]',
            ".json",
            "record 1, levels: 'Tầng 5' is not a level",
        ),
    ],
)
def test_malformed_records_are_reported_and_nothing_changes(
    db: Database, tmp_path: Path, content: str, suffix: str, expected: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    parsed = read_catalog_file(path)
    assert str(parsed.problems[0]).startswith(expected)
    with pytest.raises(ValueError):
        apply_import(db, parsed, actor="t", source=str(path))
    assert _count(db) == 0


def test_broken_json_and_wrong_columns(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"code": ', encoding="utf-8")
    with pytest.raises(CatalogFileError, match="not valid JSON"):
        read_catalog_file(broken)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Số thứ tự", "Nội dung"])
    wb.active.append([1, "abc"])
    wrong = tmp_path / "wrong.xlsx"
    wb.save(wrong)
    with pytest.raises(CatalogFileError, match="no header row with a code column"):
        read_catalog_file(wrong)


@pytest.mark.slow  # the whole catalogue, four formats
@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".csv", ".xlsx"])
def test_export_reimports_with_no_diff(db: Database, tmp_path: Path, suffix: str) -> None:
    apply_import(db, read_catalog_file(CATALOG_FILE), actor="t", source="bundled")
    with db.session() as session:
        aliases = repository.aliases_by_code(session=session)
        records = [
            procedure_to_record(p, aliases.get(p.code, []))
            for p in repository.all_procedures(session=session)
        ]
    path = tmp_path / f"export{suffix}"
    write_catalog(records, path)
    parsed = read_catalog_file(path)
    assert parsed.problems == []
    with db.session() as session:
        diff = compute_diff(session, parsed, prune=True)
    assert diff.is_empty, (diff.added[:3], list(diff.changed.items())[:3], diff.removed[:3])


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not present")
def test_portal_json_and_list_spreadsheets(db: Database) -> None:
    parsed = read_catalog_file(SHARED / "procedures.json")
    assert len(parsed.records) == 2834 and parsed.problems == []
    apply_import(db, parsed, actor="t", source="portal")
    with db.session() as session:
        assert compute_diff(
            session, read_catalog_file(SHARED / "procedures.json"), prune=True
        ).is_empty
    lists = read_catalog_file(SHARED / "portal-lists" / "danh-sach-tthc-BoTuPhap.xlsx")
    assert lists.problems == [] and lists.ignored_columns == ["Cơ quan ban hành"]
    with db.session() as session:
        diff = compute_diff(session, lists, prune=False)
    assert not diff.removed
    assert all(set(fields) <= {"name", "agency", "field"} for fields in diff.changed.values())

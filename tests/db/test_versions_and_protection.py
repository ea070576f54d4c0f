"""Undoable catalogue files and dossier files that never lower protection, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from tthc.catalog.records import ParsedFile
from tthc.catalog.service import CatalogService, ReplaceRefused
from tthc.core.database import Database
from tthc.core.settings import Settings
from tthc.dossiers.importer import import_dossiers
from tthc.dossiers.models import Dossier
from tthc.dossiers.records import RowReader

SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
CODE = "000.00.20.H56-240527-0001"


def _parsed(records: list[dict[str, object]]) -> ParsedFile:
    parsed = ParsedFile()
    parsed.records = {str(r["code"]): r for r in records}
    return parsed


def test_every_applied_file_can_be_undone_in_order(db: Database) -> None:
    catalog = CatalogService(db)
    catalog.ensure_seeded()
    records = {r["code"]: r for r in catalog.export_records()}
    total = catalog.count()
    catalog.edit_aliases("1.000656", add=["giấy báo tử của bố"], actor="t")
    old_fees = records["1.001193"]["fees"]
    first = _parsed(
        [{**records["1.001193"], "fees": "Lệ phí: 8.000 đồng"}, {"code": "9.000001", "name": "Mới"}]
    )
    catalog.import_file(first, actor="a", source="first.json")
    everything_but = _parsed([r for c, r in records.items() if c != "1.000656"])
    catalog.import_file(everything_but, actor="b", source="second.json", prune=True)
    assert catalog.get("1.000656") is None and catalog.count() == total - 1  # +1, then -2
    latest = catalog.undoable()
    assert latest is not None and (latest.source, latest.restored) == ("second.json", 3)
    # A stale confirmation undoes nothing.
    assert catalog.undo(actor="c", change_id=latest.id - 1) is None
    undone = catalog.undo(actor="c", change_id=latest.id)
    assert undone is not None and undone.source == "second.json"
    assert catalog.get("1.000656") is not None
    assert catalog.aliases("1.000656") == ["giấy báo tử của bố"]
    second = catalog.undo(actor="c")
    assert second is not None and (second.source, second.removed) == ("first.json", 1)
    restored = catalog.get("1.001193")
    assert restored is not None and restored.fees == old_fees
    assert catalog.get("9.000001") is None and catalog.count() == total
    assert catalog.undo(actor="c") is None  # the seeded catalogue is not undoable


def test_a_small_or_empty_file_cannot_replace_the_catalogue(db: Database) -> None:
    catalog = CatalogService(db, replace_min_share=0.5)
    catalog.ensure_seeded()
    total = catalog.count()
    one = _parsed([r for r in catalog.export_records() if r["code"] == "1.001193"])
    with pytest.raises(ReplaceRefused, match="too few to replace"):
        catalog.import_file(one, actor="a", source="x", prune=True)
    with pytest.raises(ReplaceRefused):
        catalog.import_file(_parsed([]), actor="a", source="x")
    assert catalog.count() == total
    catalog.import_file(one, actor="a", source="x")  # without removal it is welcome
    assert catalog.count() == total


def _dossiers(tmp_path: Path, name: str, header: str, line: str) -> Path:
    path = tmp_path / name
    path.write_text(f"{header}\n{line}\n", encoding="utf-8")
    return path


def _stored(db: Database) -> Dossier:
    with db.session() as session:
        dossier = session.exec(select(Dossier).where(Dossier.code == CODE)).one()
        session.expunge(dossier)
        return dossier


def test_a_dossier_file_never_lowers_what_is_stored(db: Database, tmp_path: Path) -> None:
    reader = RowReader(b"k" * 16, SETTINGS.dossier_code_pattern)
    full = "Mã hồ sơ,Cơ quan tiếp nhận,Cấp thực hiện,Số điện thoại,Trạng thái"
    import_dossiers(
        db, _dossiers(tmp_path, "a.csv", full, f"{CODE},UBND xã A,Cấp xã,0912345678,Đang xử lý"),
        reader, source="a.csv",
    )  # fmt: skip
    before = _stored(db)
    assert before.secret_hash and before.agency == "UBND xã A"
    # Another layout: no phone, agency or level column at all.
    report = import_dossiers(
        db, _dossiers(tmp_path, "b.csv", "Số hồ sơ,Tình trạng", f"{CODE},Đã trả kết quả"),
        reader, source="b.csv",
    )  # fmt: skip
    assert set(report.absent) >= {"secret_hash", "agency", "level"} and report.changed == 1
    after = _stored(db)
    assert (after.secret_hash, after.agency, after.level) == (
        before.secret_hash, "UBND xã A", "Cấp xã"
    )  # fmt: skip
    assert after.status != before.status
    # The columns there, the cells empty: counted, kept, unless told to clear.
    empty = _dossiers(tmp_path, "c.csv", full, f"{CODE},,,,Đã trả kết quả")
    preview = import_dossiers(db, empty, reader, source="c.csv", dry_run=True)
    assert preview.emptied == {"secret_hash": 1, "agency": 1, "level": 1}
    import_dossiers(db, empty, reader, source="c.csv")
    assert _stored(db).secret_hash == before.secret_hash
    import_dossiers(db, empty, reader, source="c.csv", clear=True)
    cleared = _stored(db)
    assert (cleared.secret_hash, cleared.agency, cleared.level) == (None, None, None)

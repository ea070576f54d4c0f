"""`tthc catalog …` and `tthc search` as staff run them: real files, a real SQLite database."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.conftest import CliRunnerCall
from tthc.app.services import build_services
from tthc.core.settings import get_settings


def _search(tthc: CliRunnerCall, query: str) -> list[dict[str, object]]:
    result = tthc("search", query, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_search_json_puts_id_card_reissue_first(tthc: CliRunnerCall) -> None:
    hits = _search(tthc, "lam lai can cuoc")
    assert hits[0] == {
        "code": "1.014064",
        "name": "Cấp lại thẻ căn cước",
        "score": hits[0]["score"],
        "confidence": "confident",
    }
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_batch_mode_prints_one_json_array_per_line(tthc: CliRunnerCall) -> None:
    result = tthc("search", input="dang ky khai tu\nxin chào\n")
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])[0]["code"] == "1.000656"
    assert all(h["confidence"] == "none" for h in json.loads(lines[1]))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", '[{"code": "1.000001", "name": ', "not valid JSON"),
        ("noname.json", '[{"code": "1.000656", "name": ""}]', "record 1, name: is missing"),
        (
            "level.csv",
            "Mã số,Tên,Cấp thực hiện\n1.000656,Đăng ký khai tử,Tầng 5\n",
            "row 2, levels: 'Tầng 5' is not a level",
        ),
        ("columns.csv", "STT,Nội dung\n1,abc\n", "no header row with a code column"),
    ],
)
def test_malformed_import_is_rejected_and_database_unchanged(
    tthc: CliRunnerCall, tmp_path: Path, name: str, content: str, message: str
) -> None:
    before = tthc("catalog", "stats").output
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = tthc("catalog", "import", str(path))
    assert result.exit_code == 2
    assert message in result.output
    assert tthc("catalog", "stats").output == before
    assert _search(tthc, "dang ky khai tu")[0]["name"] == "Thủ tục đăng ký khai tử"


def test_import_dry_run_then_apply_then_no_changes(tthc: CliRunnerCall, tmp_path: Path) -> None:
    path = tmp_path / "update.csv"
    path.write_text("Mã số,Tên\n1.000656,Thủ tục đăng ký khai tử (sửa đổi)\n", encoding="utf-8")
    dry = tthc("catalog", "import", "--dry-run", str(path))
    assert "added 0, changed 1, removed 0 (would be applied)" in dry.output
    assert "~ 1.000656: name" in dry.output
    assert _search(tthc, "1.000656")[0]["name"] == "Thủ tục đăng ký khai tử"
    applied = tthc("catalog", "import", "--actor", "tester", str(path))
    assert "(were applied)" in applied.output
    assert _search(tthc, "1.000656")[0]["name"] == "Thủ tục đăng ký khai tử (sửa đổi)"
    assert "no changes" in tthc("catalog", "import", "--dry-run", str(path)).output


def test_staff_alias_and_synonym_change_search(tthc: CliRunnerCall) -> None:
    assert _search(tthc, "bao viec hieu")[0]["code"] != "1.000656"
    added = tthc("catalog", "aliases", "1.000656", "--add", "báo việc hiếu")
    assert "báo việc hiếu" in added.output
    hits = _search(tthc, "bao viec hieu")
    assert hits[0]["code"] == "1.000656"
    removed = tthc("catalog", "aliases", "1.000656", "--remove", "BAO VIEC HIEU")
    assert "0 alias(es)" in removed.output

    assert _search(tthc, "chung hieu")[0]["code"] != "1.000656"
    assert tthc("catalog", "synonyms", "set", "chứng hiếu", "khai tử").exit_code == 0
    assert "chứng hiếu\tkhai tử\tstaff" in tthc("catalog", "synonyms", "list", "--staff").output
    assert _search(tthc, "chung hieu")[0]["code"] == "1.000656"
    assert tthc("catalog", "synonyms", "remove", "chứng hiếu").exit_code == 0
    assert tthc("catalog", "synonyms", "remove", "chứng hiếu").exit_code == 2
    assert tthc("catalog", "aliases", "9.999999").exit_code == 2


@pytest.mark.slow  # the whole catalogue, four formats
def test_export_formats_reimport_with_no_changes(tthc: CliRunnerCall, tmp_path: Path) -> None:
    for name in ("c.csv", "c.xlsx"):
        path = tmp_path / name
        assert "2834 procedures written" in tthc("catalog", "export", str(path)).output
        assert "no changes" in tthc("catalog", "import", "--dry-run", "--prune", str(path)).output


def test_roles_and_reports_from_the_command_line(tthc: CliRunnerCall, tmp_path: Path) -> None:
    assert "42: manager granted" in tthc("users", "grant", "42", "manager").output
    assert "42\tmanager" in tthc("users", "list").output
    assert tthc("users", "revoke", "42", "staff").exit_code == 2
    assert "42: manager revoked" in tthc("users", "revoke", "42", "manager").output
    empty = tthc("report", "satisfaction", "--from", "2025-01-01", "--to", "31/03/2025")
    assert "Không có dữ liệu: chưa có đánh giá nào trong kỳ này." in empty.output
    chart, xlsx = tmp_path / "d.png", tmp_path / "d.xlsx"
    result = tthc(
        "report", "dossiers", "--from", "2025-01-01", "--to", "2025-03-31", "--json",
        "--chart", str(chart), "--xlsx", str(xlsx),
    )  # fmt: skip
    data = json.loads(result.output)
    assert data["total"]["received"] == 0 and data["total"]["timely_percent"] is None
    assert chart.read_bytes().startswith(b"\x89PNG") and xlsx.stat().st_size > 0
    backwards = tthc("report", "dossiers", "--from", "2025-03-01", "--to", "2025-01-01")
    assert backwards.exit_code == 2 and "starts (01/03/2025) after it ends" in backwards.output


def test_the_audit_journal_lists_staff_changes_newest_first(tthc: CliRunnerCall) -> None:
    assert (
        tthc(
            "catalog", "aliases", "1.001193", "--add", "làm giấy khai sinh", "--actor", "lan"
        ).exit_code
        == 0
    )
    assert tthc("users", "grant", "42", "staff").exit_code == 0
    result = tthc("audit", "--json")
    assert result.exit_code == 0, result.output
    journal = json.loads(result.output)
    actions = [(e["actor"], e["action"]) for e in journal["entries"]]
    assert actions[:2] == [("command line", "role_grant"), ("lan", "aliases")]
    assert journal["entries"][1]["details"]["aliases"] == ["làm giấy khai sinh"]
    assert journal["total"] == len(journal["entries"])  # the seeding import is the oldest
    assert actions[-1] == ("system", "import")
    text = tthc("audit", "--limit", "1").output.splitlines()
    assert text[0] == f"{journal['total']} entries, page 1/{journal['total']}, newest first"
    assert "command line  role_grant" in text[1]


def test_undo_puts_back_what_the_latest_file_removed(tthc: CliRunnerCall, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    assert tthc("catalog", "export", str(path)).exit_code == 0
    records = [r for r in json.loads(path.read_text("utf-8")) if r["code"] != "1.000656"]
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    removed = tthc("catalog", "import", str(smaller), "--prune")
    assert "removed 1" in removed.output
    refused = tthc("catalog", "undo", input="n\n")
    assert "latest file:" in refused.output and refused.exit_code != 0
    undone = tthc("catalog", "undo", "--yes")
    assert undone.exit_code == 0 and "1 restored" in undone.output
    assert _search(tthc, "dang ky khai tu")[0]["code"] == "1.000656"
    nothing = tthc("catalog", "undo", "--yes")
    assert nothing.exit_code != 0 and "no applied catalogue file to undo" in nothing.output


def test_complaint_figures_from_the_command_line(tthc: CliRunnerCall, tmp_path: Path) -> None:
    with closing(build_services(get_settings())) as services:
        for text in ("Quầy số 3 đóng cửa sớm", "Chờ quá lâu"):
            services.complaints.file(
                7, text, attachment=None, dossier_code=None, procedure_code="1.000656"
            )
        services.complaints.answer("PA-000001", "Đã nhắc nhở.", staff_id=8)
    result = tthc(
        "report", "complaints", "--period", "30", "--json", "--xlsx", str(tmp_path / "c.xlsx")
    )
    data = json.loads(result.output)
    assert (data["received"], data["answered"], data["answered_on_time"]) == (2, 1, 1)
    assert data["overdue_now"] == 0 and data["by_agency"][0]["received"] == 2
    assert (tmp_path / "c.xlsx").stat().st_size > 0
    bad = tthc("report", "complaints", "--period", "hôm kia")
    assert bad.exit_code != 0 and "is not a period" in bad.output

"""The CLI against careless input and unsafe deployments: one line, exit status 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tthc.cli import main
from tthc.core.settings import get_settings

CODE = "000.00.20.H56-240527-0001"


@pytest.fixture
def cli(seeded_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runner]:
    monkeypatch.setenv("DATABASE_URL", seeded_sqlite_url)
    for name in ("TELEGRAM_BOT_TOKEN", "SECRET_KEY", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield Runner(monkeypatch)
    get_settings.cache_clear()


class Runner:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def env(self, **values: str) -> None:
        for name, value in values.items():
            self.monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_bot_refuses_the_development_secret_key(cli: Runner) -> None:
    cli.env(TELEGRAM_BOT_TOKEN="123456:ABCDEF")
    result = cli("run")
    assert result.exit_code == 2
    assert "SECRET_KEY: set a long random value" in result.output
    cli.env(SECRET_KEY="short")
    assert cli("run").exit_code == 2


def test_dossier_import_refuses_the_development_key_unless_in_development(
    cli: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "d.csv"
    path.write_text(f"Mã hồ sơ,Trạng thái,Số điện thoại\n{CODE},Đang xử lý,0912345678\n", "utf-8")
    refused = cli("dossier", "import", str(path))
    assert refused.exit_code == 2 and "SECRET_KEY" in refused.output
    cli.env(ENVIRONMENT="development")
    assert cli("dossier", "import", str(path)).exit_code == 0


def test_a_user_id_too_large_for_the_database_is_refused(cli: Runner) -> None:
    result = cli("users", "grant", "99999999999999999999", "staff")
    assert result.exit_code == 2
    assert "99999999999999999999 is not in the range" in result.output
    assert "Traceback" not in result.output


def test_import_errors_are_one_line_with_the_row(cli: Runner, tmp_path: Path) -> None:
    catalogue = tmp_path / "c.csv"
    catalogue.write_text("Mã số,Tên,Mã số\n1.000001,Thủ tục,1.000002\n", encoding="utf-8")
    result = cli("catalog", "import", str(catalogue))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: c.csv: row 1: columns 'Mã số' and 'Mã số' both give the code; keep one of them"
    ]
    cli.env(ENVIRONMENT="development")
    export = tmp_path / "d.csv"
    export.write_text(
        f"Mã hồ sơ,Trạng thái,Người nộp\n{CODE},Đang xử lý,{'A' * 200_000}\n", encoding="utf-8"
    )
    imported = cli("dossier", "import", str(export))
    assert imported.exit_code == 2 and "Traceback" not in imported.output
    assert "error: row 2, applicant: is 200,000 characters long (at most 200)" in imported.output


def test_without_database_url_the_database_is_var_tthc_db(
    cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL")
    get_settings.cache_clear()
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "var" / "tthc.db").exists()
    assert not (tmp_path / "var" / "foundation.database").exists()


def test_the_misnamed_database_of_0_1_0_is_reported_not_replaced(
    cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "foundation.database").write_bytes(b"")
    get_settings.cache_clear()
    for command in (("db", "upgrade"), ("chat",), ("health",)):
        result = CliRunner().invoke(main, list(command), input="")
        assert result.exit_code == 2, (command, result.output)
        assert "mv ./var/foundation.database ./var/tthc.db" in result.output
    assert not (tmp_path / "var" / "tthc.db").exists()  # neither used silently

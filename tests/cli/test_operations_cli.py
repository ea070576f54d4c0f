"""Operators' commands: backups, restore, the version, receipts' QR codes for every channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import CliRunnerCall
from tthc import __version__
from tthc.core.settings import get_settings


def test_version_backup_and_restore_from_the_command_line(
    tthc: CliRunnerCall, seeded_sqlite_url: str, tmp_path: Path
) -> None:
    assert tthc("--version").output.strip() == f"tthc, version {__version__}"
    backup = tmp_path / "b.db"
    done = tthc("db", "backup", str(backup))
    assert done.exit_code == 0 and "backup written" in done.output and backup.stat().st_size > 0
    asked = tthc("db", "restore", str(backup), input="n\n")
    assert asked.exit_code != 0 and "Replace the data" in asked.output  # asks first
    restored = tthc("db", "restore", str(backup), "--yes")
    assert restored.exit_code == 0 and "the data it replaced is kept in" in restored.output
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    refused = tthc("db", "restore", str(junk), "--yes")
    assert refused.exit_code == 2 and "not a tthc-bot database" in refused.output


def test_postgres_backups_are_the_pg_dump_command_without_the_password(
    tthc: CliRunnerCall, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://tthc:s3cret@10.0.0.5:5433/tthc")
    get_settings.cache_clear()
    out = tthc("db", "backup", str(tmp_path / "x.dump")).output
    assert "pg_dump --format=custom" in out and "postgresql://tthc@10.0.0.5:5433/tthc" in out
    assert "pg_restore --clean" in out and "s3cret" not in out


def test_a_receipt_qr_for_every_channel_carries_the_bare_code(
    tthc: CliRunnerCall, tmp_path: Path
) -> None:
    code = "000.00.20.H56-240527-0001"
    needs_bot = tthc("dossier", "qr", code, "-o", str(tmp_path / "a.svg"))
    assert needs_bot.exit_code == 2 and "--bare" in needs_bot.output
    bare = tthc("dossier", "qr", code, "-o", str(tmp_path / "b.svg"), "--bare")
    assert bare.exit_code == 0 and bare.output.startswith(f"{code} →")
    assert (tmp_path / "b.svg").read_text().startswith("<?xml")
    linked = tthc("dossier", "qr", code, "-o", str(tmp_path / "c.svg"), "--bot", "tthc_bot")
    assert linked.output.startswith("https://t.me/tthc_bot?start=hs_")

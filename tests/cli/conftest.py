"""The command line as staff and operators run it: a real SQLite database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result

from tthc.cli import main
from tthc.core.settings import get_settings


@pytest.fixture
def tthc(seeded_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunnerCall]:
    monkeypatch.setenv("DATABASE_URL", seeded_sqlite_url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    get_settings.cache_clear()
    yield CliRunnerCall()
    get_settings.cache_clear()


class CliRunnerCall:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(main, list(args), input=input, catch_exceptions=False)

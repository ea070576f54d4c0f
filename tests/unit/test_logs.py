"""Logs never hold the bot token or phone/ID numbers, at any level."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime

import pytest

from tthc.core.logs import configure_logging, scrub

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_line_is_scrubbed(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("DEBUG", fmt)
    try:
        logging.getLogger("httpx").warning(
            "HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", TOKEN
        )
        logging.getLogger("x").debug("text from 0912 345 678, cccd 001203004567, user 987654321")
        try:
            raise ValueError(f"failed for +84912345678 with {TOKEN}")
        except ValueError:
            logging.getLogger("x").exception("boom")
    finally:
        configure_logging("WARNING", "text")
    out = stream.getvalue()
    assert TOKEN not in out and "AAHdqTcv" not in out
    assert "0912 345 678" not in out and "001203004567" not in out and "912345678" not in out
    assert "987654321" not in out  # raw ids stay out of logs too (one redaction rule)
    assert out.count("<token>") >= 2


def test_scrub_cuts_long_lines() -> None:
    assert len(scrub("x" * 10_000)) == 4000


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_timestamps_carry_their_zone_and_chatter_stays_below_info(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("INFO", fmt)
    try:
        logging.getLogger("apscheduler.executors.default").info("Running job ...")
        logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
        logging.getLogger("tthc.updates").info("update", extra={"kind": "message"})
    finally:
        configure_logging("WARNING", "text")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "Running job" not in lines[0]
    stamp = json.loads(lines[0])["ts"] if fmt == "json" else lines[0].split(" ", 1)[0]
    moment = datetime.fromisoformat(stamp)
    assert moment.utcoffset() is not None and "T" in stamp

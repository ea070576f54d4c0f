"""What an operator watches: /metrics, /healthz with the version, one log line per update."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import _fresh_db
from tests.harness import BotHarness, FakeServer
from tthc import __version__
from tthc.app.web import serve, web_app


@pytest.fixture
async def polling(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[tuple[BotHarness, str]]:
    """The bot polling, with the routes `tthc run` serves beside it when PORT is set
    (the command itself: tests/cli/test_webhook_cli.py); and their address."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, port=0, listen="127.0.0.1")
    await harness.start()
    settings = harness.settings()
    runner, site = await serve(web_app(harness.application, settings, webhook=False), settings)
    yield harness, f"http://127.0.0.1:{site.port}"
    await runner.cleanup()
    await harness.stop()


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_and_health_beside_a_polling_bot(
    polling: tuple[BotHarness, str], caplog: pytest.LogCaptureFixture
) -> None:
    bot, base = polling
    async with ClientSession() as http:
        async with http.get(f"{base}/metrics") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain; version=")
            before = _samples(await response.text())
        caplog.set_level(logging.INFO, logger="tthc.updates")
        for user_id, text in (
            (501, "lam lai can cuoc"),
            (502, "dang ky khai sinh"),
            (503, "xyzzy"),
        ):
            replies = await bot.user(user_id).send(text)
            assert replies
        async with http.get(f"{base}/metrics") as response:
            after = _samples(await response.text())
        async with http.get(f"{base}/healthz") as response:
            health = await response.json()
    assert health["ok"] is True and health["version"] == __version__

    route = {
        "channel": "telegram", "kind": "message", "route": "catalog.search.question",
        "outcome": "ok",
    }  # fmt: skip
    grown = _value(after, "tthc_updates_total", **route) - _value(
        before, "tthc_updates_total", **route
    )
    assert grown >= 3
    assert _value(after, "tthc_search_outcomes_total", outcome="card") > _value(
        before, "tthc_search_outcomes_total", outcome="card"
    )
    assert _value(after, "tthc_search_outcomes_total", outcome="not_found") > _value(
        before, "tthc_search_outcomes_total", outcome="not_found"
    )
    sent = {"channel": "telegram", "method": "sendMessage"}
    assert (
        _value(after, "tthc_messages_sent_total", **sent)
        >= _value(before, "tthc_messages_sent_total", **sent) + 3
    )
    assert _value(after, "tthc_update_duration_seconds_count", kind="message") >= 3
    assert _value(after, "tthc_build_info", version=__version__, python=_python(after)) == 1
    assert _value(after, "tthc_catalogue_procedures") > 2000
    assert _value(after, "tthc_outbox_pending") == 0
    assert _value(after, "tthc_database_up") == 1

    # One line per update: kind, route, outcome, duration, instance and a hashed user.
    lines = [r for r in caplog.records if r.name == "tthc.updates"]
    assert len(lines) == 3
    for record in lines:
        fields = record.__dict__
        assert (fields["kind"], fields["route"], fields["outcome"]) == (
            "message", "catalog.search.question", "ok",
        )  # fmt: skip
        assert fields["ms"] >= 0 and ":" in fields["instance"]
        assert len(fields["user"]) == 12 and "501" not in fields["user"]
        assert "can cuoc" not in record.getMessage()
    assert len({r.__dict__["user"] for r in lines}) == 3


def _python(samples: dict) -> str:
    return next(dict(labels)["python"] for name, labels in samples if name == "tthc_build_info")


async def test_a_flood_and_a_redelivery_are_counted_as_such(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, user_messages_per_minute=2)
    await harness.start()
    caplog.set_level(logging.INFO, logger="tthc.updates")
    try:
        citizen = harness.user(601)
        for _ in range(4):
            await citizen.send("xin chao")
    finally:
        await harness.stop()
    outcomes = [r.__dict__["outcome"] for r in caplog.records if r.name == "tthc.updates"]
    assert outcomes[:2] == ["ok", "ok"] and set(outcomes[2:]) == {"rate_limited"}

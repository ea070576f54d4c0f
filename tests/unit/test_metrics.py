"""The dashboard shipped in docs/ reads metrics the bot exports, by their exported names."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tthc.core import metrics

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"


def test_every_dashboard_query_names_an_exported_metric() -> None:
    state = metrics.State(
        outbox_pending=2, outbox_oldest_seconds=30.0, catalogue_version=7,
        catalogue_procedures=2834, index_loaded=True,
    )  # fmt: skip
    # Labelled metrics export nothing until a label set is used.
    metrics.UPDATES.labels("telegram", "message", "catalog.search.question", "ok").inc(0)
    metrics.UPDATE_SECONDS.labels("message")
    metrics.SEARCHES.labels("card").inc(0)
    metrics.SENT.labels("telegram", "sendMessage").inc(0)
    metrics.CHANNEL_ERRORS.labels("telegram", "sendMessage", "Forbidden").inc(0)
    metrics.UNREACHABLE.labels("telegram").inc(0)
    metrics.DATABASE_ERRORS.labels("update").inc(0)
    metrics.RATE_LIMITED.labels("messages").inc(0)
    text = metrics.exposition(lambda: state).decode()
    exported = {sample.name for f in text_string_to_metric_families(text) for sample in f.samples}
    assert "tthc_outbox_oldest_age_seconds" in exported and "tthc_build_info" in exported
    queries = [
        target["expr"]
        for panel in json.loads(DASHBOARD.read_text())["panels"]
        for target in panel["targets"]
    ]
    used = {name for q in queries for name in re.findall(r"\btthc_[a-z_]+", q)}
    assert len(used) >= 12 and used <= exported, used - exported
    assert all(name.startswith("tthc_") for name in exported)


def test_a_database_that_does_not_answer_is_reported_not_raised() -> None:
    text = metrics.exposition(lambda: metrics.State()).decode()
    assert "tthc_database_up 0.0" in text and "tthc_outbox_pending" not in text

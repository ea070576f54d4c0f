"""What an operator scrapes: the bot's Prometheus metrics, all named `tthc_…`.

Counters and histograms live in one registry of this module (prometheus_client's way:
module-level metrics, incremented where things happen). What is a state rather than an
event (the outbox's depth, the catalogue's version and size) is read from the database
when `/metrics` is scraped, by `exposition(state)`, so every instance reports the same.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, Info, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from tthc import __version__

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter(
    "tthc_updates",
    "Updates received, by channel, kind (message, command, button, file…), route and outcome.",
    ["channel", "kind", "route", "outcome"],
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "tthc_update_duration_seconds",
    "Time from taking an update to its last reply, by kind.",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
SEARCHES = Counter(
    "tthc_search_outcomes",
    "Questions answered, by outcome: card, choice, list, not_found, small_talk.",
    ["outcome"],
    registry=REGISTRY,
)
SENT = Counter(
    "tthc_messages_sent",
    "Messages the channel accepted (replies, edits, files, notifications), by channel and method.",
    ["channel", "method"],
    registry=REGISTRY,
)
CHANNEL_ERRORS = Counter(
    "tthc_channel_errors",
    "Calls the channel refused or that failed, by channel, method and kind of error.",
    ["channel", "method", "kind"],
    registry=REGISTRY,
)
UNREACHABLE = Counter(
    "tthc_unreachable_users",
    "Users the channel would not let the bot write to (blocked, not allowed), by channel.",
    ["channel"],
    registry=REGISTRY,
)
DATABASE_ERRORS = Counter(
    "tthc_database_errors",
    "Updates and health checks that met a database that was down or locked.",
    ["where"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "tthc_rate_limited_updates",
    "Updates not handled because their sender was over budget, by kind (messages, presses).",
    ["kind"],
    registry=REGISTRY,
)
BUILD = Info("tthc_build", "The running version.", registry=REGISTRY)
BUILD.info({"version": __version__, "python": platform.python_version()})


@dataclass(frozen=True)
class State:
    """The numbers read at scrape time (None: the database did not answer)."""

    outbox_pending: int | None = None
    outbox_oldest_seconds: float | None = None
    catalogue_version: int | None = None
    catalogue_procedures: int | None = None
    index_loaded: bool = False


class _StateCollector(Collector):
    def __init__(self, state: State) -> None:
        self.state = state

    def collect(self) -> Iterator[Metric]:
        s = self.state
        up = s.catalogue_version is not None
        yield _gauge("tthc_database_up", "1 when the database answered this scrape.", up)
        yield _gauge(
            "tthc_search_index_loaded", "1 when the search index is loaded.", s.index_loaded
        )
        if s.outbox_pending is not None:
            yield _gauge(
                "tthc_outbox_pending", "Notifications waiting to be sent.", s.outbox_pending
            )
            yield _gauge(
                "tthc_outbox_oldest_age_seconds",
                "Age of the oldest notification waiting (0 when none waits).",
                s.outbox_oldest_seconds or 0.0,
            )
        if s.catalogue_version is not None:
            yield _gauge("tthc_catalogue_version", "Stored catalogue version.", s.catalogue_version)
            yield _gauge(
                "tthc_catalogue_procedures", "Procedures in the catalogue.", s.catalogue_procedures
            )


def _gauge(name: str, documentation: str, value: float | bool | None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=float(value or 0))


class _Both(Collector):
    def __init__(self, parts: Iterable[Collector]) -> None:
        self.parts = list(parts)

    def collect(self) -> Iterator[Metric]:
        for part in self.parts:
            yield from part.collect()


def exposition(read_state: Callable[[], State]) -> bytes:
    """The Prometheus text format: the events counted so far and the state read now."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Both([REGISTRY, _StateCollector(read_state())]))
    return generate_latest(registry)

"""Structured logging: `key=value` text for people, JSON lines for log collectors.

Every line is scrubbed before it is written, at every level: the bot token (HTTP
clients log request URLs, which carry it) and phone or ID numbers citizens typed.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

from tthc.core.redaction import redact

# A bot token "123456789:AA…" (HTTP clients log request URLs, which carry it).
_TOKEN = re.compile(r"(?<!\d)\d{5,12}:[A-Za-z0-9_-]{20,}")
MAX_LINE = 4000


def scrub(text: str) -> str:
    """A log line without the bot token or personal data (core.redaction), not endlessly long."""
    text = redact(_TOKEN.sub("<token>", text))
    return text if len(text) <= MAX_LINE else text[: MAX_LINE - 3] + "..."


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class _Iso:
    """ISO 8601 with the zone ("2026-12-06T11:35:09.902+00:00"): UTC, whatever the host says."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds")


class _TextFormatter(_Iso, logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        extra = _extras(record)
        if extra:
            base += " " + " ".join(f"{k}={_short(v)}" for k, v in extra.items())
        return scrub(base)


class _JsonFormatter(_Iso, logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return scrub(json.dumps(data, ensure_ascii=False, default=str))


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "..."


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Send logs to stderr in the chosen format; quiet the HTTP client's per-request lines."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # At DEBUG the libraries print whole updates and requests (texts, names, typed check
    # digits next to a receipt code): they stay at INFO whatever LOG_LEVEL says.
    for library in ("telegram", "httpcore", "aiohttp", "sqlalchemy"):
        logging.getLogger(library).setLevel(max(logging.getLevelName(level), logging.INFO))
    # Chatter (a job ran, a migration context opened) only at DEBUG: INFO is one line
    # per update plus what an operator acts on.
    chatter = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for library in ("apscheduler", "alembic"):
        logging.getLogger(library).setLevel(chatter)

"""`tthc run` (the Telegram bot) and `tthc chat` (the same bot in a terminal)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import click

from tthc.app.application import build_application, run_polling
from tthc.app.console import ConsoleChat
from tthc.app.migrations import current_revision, upgrade
from tthc.app.services import build_services
from tthc.app.web import (
    HEALTH_TIMEOUT,
    WebhookQueryFailed,
    WebhookStartFailed,
    check_health,
    run_webhook,
    webhook_status,
)
from tthc.cli.common import CliError, open_services, required, settings
from tthc.core.logs import configure_logging
from tthc.core.settings import ConfigError


@click.command()
def run() -> None:
    """Start the Telegram bot. Applies migrations and seeds the catalogue first.

    With WEBHOOK_URL, serves Telegram's webhook (and GET /healthz) on LISTEN:PORT;
    otherwise polls.
    """
    config = settings()
    configure_logging(config.log_level, config.log_format)
    token = required(config.require_token)
    required(config.require_production_secrets)
    required(config.require_webhook)
    with open_services(config, seed=True) as services:
        application = build_application(services, token=token)
        if config.webhook_url:
            try:
                run_webhook(application, config)
            except WebhookStartFailed as exc:
                raise CliError(str(exc)) from None
        else:
            run_polling(application)


@click.command()
def chat() -> None:
    """Talk to the bot in this terminal: same handlers and texts, no token or network needed.

    Buttons are shown as numbers: type the number to press one. /quit leaves.
    """
    config = settings()
    configure_logging("WARNING", config.log_format)
    with open_services(config, seed=True) as services:
        asyncio.run(ConsoleChat(services).run(sys.stdin))


@click.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def db_upgrade(revision: str) -> None:
    """Apply schema migrations."""
    config = settings()
    required(config.require_database_location)
    try:
        upgrade(config.database_url, revision)
        click.echo(f"database at revision {current_revision(config.database_url)}")
    except Exception as exc:
        raise CliError(f"database unavailable: {exc}") from None


@click.command()
def health() -> None:
    """Exit 0 when this instance can answer citizens, 1 otherwise (container health checks).

    With WEBHOOK_URL, asks the running instance's GET /healthz on PORT; otherwise checks
    the database and builds the catalogue's search index itself.
    """
    config = settings()
    if config.webhook_url:
        url = f"http://127.0.0.1:{config.port}/healthz"
        try:
            with urlopen(url, timeout=HEALTH_TIMEOUT) as response:
                report = json.load(response)
        except HTTPError as exc:
            report = json.load(exc)
        except (URLError, OSError) as exc:
            raise CliError(f"unhealthy: {url}: {getattr(exc, 'reason', exc)}") from None
    else:
        try:
            config.require_database_location()
        except ConfigError as exc:
            raise CliError(f"unhealthy: {exc}") from None
        services = build_services(config)
        try:
            services.catalog.index()
        except Exception as exc:  # reported below as unhealthy
            click.echo(f"catalogue index not loaded: {exc}", err=True)
        report = check_health(services)
        services.close()
    click.echo(json.dumps(report, ensure_ascii=False))
    if not report.get("ok"):
        raise CliError("unhealthy")


@click.group()
def webhook() -> None:
    """Telegram's view of the webhook."""


@webhook.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print Telegram's answer as JSON.")
def webhook_info(as_json: bool) -> None:
    """Where Telegram sends updates, how many wait, and the last delivery error."""
    config = settings()
    token = required(config.require_token)

    try:
        info = asyncio.run(webhook_status(config, token))
    except WebhookQueryFailed as exc:
        raise CliError(f"Telegram: {exc}") from None
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, default=str))
        return
    click.echo(f"url: {info.get('url') or '(none: the bot polls)'}")
    click.echo(f"pending updates: {info.get('pending_update_count', 0)}")
    if info.get("max_connections"):
        click.echo(f"max connections: {info['max_connections']}")
    if info.get("last_error_date"):
        when = datetime.fromtimestamp(int(info["last_error_date"]), UTC)
        click.echo(f"last error: {when:%Y-%m-%d %H:%M} UTC {info.get('last_error_message', '')}")
    else:
        click.echo("last error: none")

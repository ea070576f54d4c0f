"""`tthc run` (the Telegram bot) and `tthc chat` (the same bot in a terminal)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import click
from telegram.error import TelegramError

from tthc import __version__
from tthc.app.application import build_application, run_polling
from tthc.app.backup import BackupError, backup_sqlite, pg_commands, restore_sqlite, sqlite_file
from tthc.app.console import ConsoleChat
from tthc.app.migrations import current_revision, upgrade
from tthc.app.runner import run_channels
from tthc.app.services import build_services
from tthc.app.web import (
    HEALTH_TIMEOUT,
    WebhookQueryFailed,
    WebhookStartFailed,
    check_health,
    run_webhook,
    webhook_status,
)
from tthc.app.zalo.channel import build_zalo
from tthc.app.zalo.client import ZaloError, ZaloUnreachable
from tthc.cli.common import CliError, open_services, required, settings
from tthc.core.logs import configure_logging
from tthc.core.settings import ConfigError

log = logging.getLogger("tthc")


@click.command()
def run() -> None:
    """Start the bot. Applies migrations and seeds the catalogue first.

    With WEBHOOK_URL, serves Telegram's webhook (and GET /healthz, /metrics) on
    LISTEN:PORT; otherwise polls. With ZALO_BOT_TOKEN, serves Zalo too (or alone, without
    TELEGRAM_BOT_TOKEN) on the same server.
    """
    config = settings()
    configure_logging(config.log_level, config.log_format)
    log.info(
        "tthc-bot starting",
        extra={
            "version": __version__,
            "mode": "webhook" if config.webhook_url else "polling",
            "database": config.database_url.split(":", 1)[0],
        },
    )
    zalo_token = required(config.require_zalo)
    token = None if zalo_token and not config.telegram_bot_token else required(config.require_token)
    required(config.require_production_secrets)
    required(config.require_webhook)
    with open_services(config, seed=True) as services:
        polling_with_port = config.serves_http and not config.webhook_url
        if zalo_token or polling_with_port:
            telegram = build_application(services, token=token) if token else None
            zalo = build_zalo(services, zalo_token) if zalo_token else None
            try:
                run_channels(telegram, zalo)
            except (OSError, ZaloError, ZaloUnreachable, TelegramError) as exc:
                raise CliError(f"cannot start: {exc}") from None
            return
        assert token is not None
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


class Unhealthy(CliError):
    """Exit 1: what health checks (systemd, Docker, Kubernetes) read as "not healthy"."""

    exit_code = 1


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(file: Path) -> None:
    """Write a consistent copy of the live SQLite database to FILE (safe while the bot runs).

    For PostgreSQL, prints the pg_dump and pg_restore commands to run instead. Keep
    SECRET_KEY with the backup: without it check digits and hashes cannot be read.
    """
    config = settings()
    required(config.require_database_location)
    try:
        if sqlite_file(config.database_url) is None:
            dump, restore = pg_commands(config.database_url, file)
            click.echo(f"PostgreSQL: run (password from PGPASSWORD or ~/.pgpass)\n  {dump}")
            click.echo(f"restore with\n  {restore}\nthen: tthc db upgrade")
            return
        copied = backup_sqlite(config.database_url, file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    click.echo(f"backup written: {copied.path} ({copied.size:,} bytes, revision {copied.revision})")


@db.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def db_restore(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup FILE (the current data is kept beside it).

    Stop the bot first. The backup is checked, copied in, and migrated to this version.
    """
    config = settings()
    required(config.require_database_location)
    if sqlite_file(config.database_url) is None:
        _, restore = pg_commands(config.database_url, file)
        raise CliError(f"PostgreSQL: run {restore}, then tthc db upgrade")
    if not yes:
        click.confirm(f"Replace the data in {config.database_url} with {file}?", abort=True)
    try:
        copied, kept = restore_sqlite(config.database_url, file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    if kept is not None:
        click.echo(f"the data it replaced is kept in {kept}")
    click.echo(f"restored {file} into {copied.path} (revision {copied.revision})")


@click.command()
def health() -> None:
    """Exit 0 when this instance can answer citizens, 1 otherwise (container health checks).

    When the instance serves HTTP (WEBHOOK_URL, or PORT set), asks its GET /healthz on
    LISTEN:PORT; otherwise checks the database and builds the catalogue's search index.
    A configuration error exits 2.
    """
    config = settings()
    if config.serves_http:
        url = f"http://{_reachable(config.listen)}:{config.port}/healthz"
        try:
            with urlopen(url, timeout=HEALTH_TIMEOUT) as response:
                report = json.load(response)
        except HTTPError as exc:
            report = json.load(exc)
        except (URLError, OSError) as exc:
            raise Unhealthy(f"unhealthy: {url}: {getattr(exc, 'reason', exc)}") from None
    else:
        try:
            config.require_database_location()
        except ConfigError as exc:
            raise CliError(f"configuration: {exc}") from None
        services = build_services(config)
        try:
            services.catalog.index()
        except Exception as exc:  # reported below as unhealthy
            click.echo(f"catalogue index not loaded: {exc}", err=True)
        report = check_health(services)
        services.close()
    click.echo(json.dumps(report, ensure_ascii=False))
    if not report.get("ok"):
        raise Unhealthy("unhealthy")


def _reachable(listen: str) -> str:
    """The address to ask: a wildcard LISTEN is reached on loopback, an IPv6 one in brackets."""
    if listen in ("", "0.0.0.0"):
        return "127.0.0.1"
    if listen == "::":
        return "[::1]"
    return f"[{listen}]" if ":" in listen else listen


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

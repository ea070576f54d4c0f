"""`tthc run` (the Telegram bot) and `tthc chat` (the same bot in a terminal)."""

from __future__ import annotations

import asyncio
import sys

import click

from bot.app import build_application, run_polling
from bot.console import ConsoleChat
from foundation.database import current_revision, upgrade
from foundation.logs import configure_logging
from tthc.cli.common import CliError, open_services, required, settings


@click.command()
def run() -> None:
    """Start the Telegram bot (long polling). Applies migrations and seeds the catalogue first."""
    config = settings()
    configure_logging(config.log_level, config.log_format)
    token = required(config.require_token)
    required(config.require_production_secrets)
    with open_services(config, seed=True) as services:
        run_polling(build_application(services, token=token))


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
    try:
        upgrade(config.database_url, revision)
        click.echo(f"database at revision {current_revision(config.database_url)}")
    except Exception as exc:
        raise CliError(f"database unavailable: {exc}") from None

"""What every command shares: one-line errors, settings, services opened one way, output."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from tthc.app.migrations import upgrade
from tthc.app.services import Services, build_services
from tthc.bot.plain import plain_text
from tthc.core.database import DatabaseUnavailable
from tthc.core.settings import ConfigError, Settings, get_settings

T = TypeVar("T")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
ACTOR_OPTION = click.option(
    "--actor", default=None, help="Who makes the change (audit log); default: OS user."
)


class CliError(click.ClickException):
    """An error reported as one clear line, exit status 2."""

    exit_code = 2


def settings() -> Settings:
    """The environment's settings, or a one-line configuration error."""
    try:
        return get_settings()
    except ConfigError as exc:
        raise CliError(f"configuration: {exc}") from None


def required(check: Callable[[], T]) -> T:
    """Run a settings check (`settings.require_token`, ...); failing, a one-line error."""
    try:
        return check()
    except ConfigError as exc:
        raise CliError(str(exc)) from None


@contextmanager
def open_services(config: Settings, *, seed: bool = False) -> Iterator[Services]:
    """Services for one command on a migrated database, closed when the command ends."""
    required(config.require_database_location)
    try:
        upgrade(config.database_url)
        services = build_services(config)
        if seed:
            services.catalog.ensure_seeded()
    except DatabaseUnavailable as exc:
        raise CliError(f"database unavailable: {exc}") from None
    except Exception as exc:
        if exc.__class__.__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
            raise CliError(f"database unavailable: {exc}") from None
        raise
    try:
        yield services
    finally:
        services.close()


def emit(html: str, data: Any, as_json: bool) -> None:
    """JSON for machines, or a rendered message as plain text for people."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(plain_text(html))


def problems(lines: list[str], total: int | None = None, shown: int = 200) -> None:
    """Print the first problems of a rejected file, and how many more there are."""
    for problem in lines[:shown]:
        click.echo(f"error: {problem}", err=True)
    more = (len(lines) if total is None else total) - len(lines[:shown])
    if more > 0:
        click.echo(f"... and {more} more", err=True)

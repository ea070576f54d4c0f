"""`tthc dossier ...`: load one-stop exports, print the QR code of a receipt's deep link."""

from __future__ import annotations

import getpass
import json
import re
from pathlib import Path

import click
import segno

from tthc.bot.links import DOSSIER_LINK, deep_link
from tthc.cli.common import (
    ACTOR_OPTION,
    JSON_OPTION,
    CliError,
    open_services,
    problems,
    required,
    settings,
)
from tthc.core.progress import TerminalProgress
from tthc.dossiers.codes import normalize_code
from tthc.dossiers.importer import DossierImportRejected, import_dossiers
from tthc.dossiers.records import DossierFileError


@click.group()
def dossier() -> None:
    """Dossiers (hồ sơ): import statuses from one-stop exports, print receipt QR codes."""


@dossier.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and count changes; write nothing.")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="HEADER=FIELD",
    help="Map another column header to a dossier field (repeatable), e.g. 'Số HS=code'.",
)
@ACTOR_OPTION
@JSON_OPTION
def dossier_import(
    path: Path, dry_run: bool, mapping: tuple[str, ...], actor: str | None, as_json: bool
) -> None:
    """Import a one-stop export (CSV or XLSX): all or nothing, idempotent, with history."""
    extra = {}
    for item in mapping:
        header, sep, field = item.partition("=")
        if not sep:
            raise CliError(f"--map {item!r}: use HEADER=FIELD")
        extra[header.strip()] = field.strip()
    config = settings()
    required(config.require_production_secrets)
    with open_services(config) as services:
        progress = TerminalProgress(f"importing {path.name}")
        try:
            report = import_dossiers(
                services.db,
                path,
                services.dossier_reader(extra),
                source=path.name,
                actor=actor or getpass.getuser(),
                dry_run=dry_run,
                progress=None if as_json else progress,
            )
        except (ValueError, DossierFileError) as exc:
            raise CliError(str(exc)) from None
        except DossierImportRejected as exc:
            problems([str(p) for p in exc.report.problems], exc.report.problem_count)
            raise CliError(
                f"{path.name}: {exc.report.problem_count} problem(s) in {exc.report.rows} rows; "
                "nothing was imported"
            ) from None
        finally:
            progress.done()
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, **report.summary()}, ensure_ascii=False))
        return
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{report.rows} rows read from {path.name}: {report.added} added, {report.changed} "
        f"changed, {report.unchanged} unchanged ({verb} applied); {report.status_changes} "
        f"status change(s), {report.notifications} notification(s) queued"
    )
    if report.ignored_columns:
        click.echo(f"ignored columns: {', '.join(report.ignored_columns)}")


@dossier.command("qr")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--bot", "bot_username", default=None, help="Bot username (default: BOT_USERNAME).")
@click.option("--scale", default=8, show_default=True, type=click.IntRange(1, 40))
@click.option(
    "--bare",
    is_flag=True,
    help="Only the code, for every channel: a phone camera shows it, the citizen pastes it "
    "into the Telegram or Zalo chat (Zalo has no deep links).",
)
def dossier_qr(code: str, output: Path, bot_username: str | None, scale: int, bare: bool) -> None:
    """Write a QR code (PNG or SVG) of the deep link that opens dossier CODE in the bot."""
    config = settings()
    code = normalize_code(code)
    if not re.match(config.dossier_code_pattern, code):
        raise CliError(f"{code!r} does not match DOSSIER_CODE_PATTERN")
    username = (bot_username or config.bot_username or "").lstrip("@")
    link = code if bare else deep_link(username, DOSSIER_LINK, code)
    if link is None:
        raise CliError(
            "the bot's username is needed: pass --bot NAME or set BOT_USERNAME (or --bare)"
        )
    segno.make(link, error="m").save(str(output), scale=scale, border=4)
    click.echo(f"{link} → {output}")

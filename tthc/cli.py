"""`tthc` command line: run the bot, chat in the terminal, manage the database and catalogue."""

from __future__ import annotations

import asyncio
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from foundation.inputs import MAX_BIGINT
from foundation.logs import configure_logging
from foundation.progress import TerminalProgress
from foundation.settings import ConfigError, Settings, get_settings
from tthc import __version__


class CliError(click.ClickException):
    """An error reported as one clear line, exit status 2."""

    exit_code = 2


def _settings() -> Settings:
    try:
        return get_settings()
    except ConfigError as exc:
        raise CliError(f"configuration: {exc}") from None


@contextmanager
def _open_services(settings: Settings, *, seed: bool = False) -> Iterator[Any]:
    """Services for one command, closed when it ends."""
    services = _services(settings, seed=seed)
    try:
        yield services
    finally:
        services.close()


def _services(settings: Settings, *, seed: bool = False) -> Any:
    from foundation.database import DatabaseUnavailable, upgrade
    from tthc.services import build_services

    try:
        upgrade(settings.database_url)
        services = build_services(settings)
        if seed:
            services.catalog.ensure_seeded()
    except DatabaseUnavailable as exc:
        raise CliError(f"database unavailable: {exc}") from None
    except Exception as exc:
        if exc.__class__.__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
            raise CliError(f"database unavailable: {exc}") from None
        raise
    return services


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tthc")
def main() -> None:
    """tthc-bot: guide citizens through administrative procedures on Telegram."""


@main.command()
def run() -> None:
    """Start the Telegram bot (long polling). Applies migrations and seeds the catalogue first."""
    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    try:
        token = settings.require_token()
        settings.require_production_secrets()
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    from bot.app import build_application, run_polling

    with _open_services(settings, seed=True) as services:
        run_polling(build_application(services, token=token))


@main.command()
def chat() -> None:
    """Talk to the bot in this terminal: same handlers and texts, no token or network needed.

    Buttons are shown as numbers: type the number to press one. /quit leaves.
    """
    settings = _settings()
    configure_logging("WARNING", settings.log_format)
    from bot.console import ConsoleChat

    with _open_services(settings, seed=True) as services:
        asyncio.run(ConsoleChat(services).run(sys.stdin))


@main.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def db_upgrade(revision: str) -> None:
    """Apply schema migrations."""
    settings = _settings()
    from foundation.database import current_revision, upgrade

    try:
        upgrade(settings.database_url, revision)
        click.echo(f"database at revision {current_revision(settings.database_url)}")
    except Exception as exc:
        raise CliError(f"database unavailable: {exc}") from None


@main.group()
def catalog() -> None:
    """Procedure catalogue: import, export, statistics."""


@catalog.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show the difference; change nothing.")
@click.option("--prune", is_flag=True, help="Remove procedures that are not in the file.")
@click.option("--actor", default=None, help="Who makes the change (audit log); default: OS user.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def catalog_import(
    path: Path, dry_run: bool, prune: bool, actor: str | None, as_json: bool
) -> None:
    """Import procedures from the portal JSON, CSV or XLSX (all or nothing)."""
    from catalog.importer import apply_import, compute_diff
    from catalog.records import CatalogFileError, read_catalog_file

    settings = _settings()
    progress = TerminalProgress(f"reading {path.name}")
    try:
        parsed = read_catalog_file(path, None if as_json else progress)
    except CatalogFileError as exc:
        raise CliError(f"{path.name}: {exc}") from None
    finally:
        progress.done()
    if parsed.problems:
        for problem in parsed.problems[:200]:
            click.echo(f"error: {problem}", err=True)
        more = len(parsed.problems) - 200
        if more > 0:
            click.echo(f"... and {more} more", err=True)
        raise CliError(f"{path.name}: {len(parsed.problems)} problem(s); nothing was imported")
    with _open_services(settings) as services:
        if dry_run:
            with services.db.session() as session:
                diff = compute_diff(session, parsed, prune=prune)
        else:
            diff = apply_import(
                services.db, parsed, actor=actor or getpass.getuser(), source=str(path), prune=prune
            )
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, **diff.summary()}, ensure_ascii=False))
        return
    verb = "would be" if dry_run else "were"
    click.echo(f"{len(parsed.records)} records read from {path.name}")
    if parsed.ignored_columns:
        click.echo(f"ignored columns: {', '.join(parsed.ignored_columns)}")
    if diff.is_empty:
        click.echo("no changes")
        return
    click.echo(
        f"added {len(diff.added)}, changed {len(diff.changed)}, removed {len(diff.removed)} ({verb} applied)"
    )
    for code in diff.added[:50]:
        click.echo(f"  + {code} {parsed.records[code].get('name', '')[:90]}")
    for code, fields in list(diff.changed.items())[:50]:
        click.echo(f"  ~ {code}: {', '.join(fields)}")
    for code in diff.removed[:50]:
        click.echo(f"  - {code}")


@catalog.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def catalog_export(path: Path) -> None:
    """Write the catalogue as .json, .csv or .xlsx (re-imports with no changes)."""
    from catalog import repository
    from catalog.exporter import procedure_to_record, write_catalog

    services = _services(_settings(), seed=True)
    try:
        with services.db.session() as session:
            aliases = repository.aliases_by_code(session=session)
            records = [
                procedure_to_record(p, aliases.get(p.code, []))
                for p in repository.all_procedures(session=session)
            ]
        write_catalog(records, path)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    finally:
        services.close()
    click.echo(f"{len(records)} procedures written to {path}")


@catalog.command("stats")
def catalog_stats() -> None:
    """Procedure counts per field and per level."""
    with _open_services(_settings(), seed=True) as services:
        fields, levels, total = services.catalog.stats()
        info = services.catalog.info()
    click.echo(
        f"{total} procedures, catalogue version {info.version}, updated {info.updated_at:%Y-%m-%d %H:%M} UTC"
    )
    click.echo("\nBy level:")
    for level, count in levels.most_common():
        click.echo(f"  {count:6d}  {level}")
    click.echo("\nBy field:")
    for field, count in fields.most_common():
        click.echo(f"  {count:6d}  {field}")


@catalog.command("aliases")
@click.argument("code")
@click.option("--add", "add", multiple=True, help="Another name citizens use (repeatable).")
@click.option("--remove", "remove", multiple=True, help="An alias to drop (repeatable).")
@click.option("--actor", default=None, help="Who makes the change (audit log); default: OS user.")
def catalog_aliases(
    code: str, add: tuple[str, ...], remove: tuple[str, ...], actor: str | None
) -> None:
    """Show or edit the other names citizens use for procedure CODE."""
    from catalog.service import UnknownProcedure

    services = _services(_settings(), seed=True)
    try:
        if add or remove:
            aliases = services.catalog.edit_aliases(
                code, add=add, remove=remove, actor=actor or getpass.getuser()
            )
        else:
            aliases = services.catalog.aliases(code)
    except UnknownProcedure:
        raise CliError(f"no procedure has the code {code}") from None
    finally:
        services.close()
    click.echo(f"{code}: {len(aliases)} alias(es)")
    for alias in aliases:
        click.echo(f"  {alias}")


@catalog.group("synonyms")
def catalog_synonyms() -> None:
    """The synonym and abbreviation table the search applies (bundled rules plus staff rules)."""


@catalog_synonyms.command("list")
@click.option("--staff", "staff_only", is_flag=True, help="Only the rules staff added.")
def synonyms_list(staff_only: bool) -> None:
    """Print every rule in effect: phrase, replacement, origin."""
    with _open_services(_settings()) as services:
        rules = services.catalog.synonyms()
    for term, expansion, origin in rules:
        if not staff_only or origin == "staff":
            click.echo(f"{term}\t{expansion or '(filler: dropped)'}\t{origin}")


@catalog_synonyms.command("set")
@click.argument("term")
@click.argument("replacement")
@click.option("--actor", default=None, help="Who makes the change (audit log); default: OS user.")
def synonyms_set(term: str, replacement: str, actor: str | None) -> None:
    """Make TERM mean REPLACEMENT in searches ("" makes TERM a filler word)."""
    services = _services(_settings())
    try:
        services.catalog.set_synonym(term, replacement, actor=actor or getpass.getuser())
    except ValueError as exc:
        raise CliError(str(exc)) from None
    finally:
        services.close()
    click.echo(f"{term} → {replacement or '(filler: dropped)'}")


@catalog_synonyms.command("remove")
@click.argument("term")
@click.option("--actor", default=None, help="Who makes the change (audit log); default: OS user.")
def synonyms_remove(term: str, actor: str | None) -> None:
    """Remove a staff rule (a bundled rule for TERM applies again)."""
    with _open_services(_settings()) as services:
        removed = services.catalog.remove_synonym(term, actor=actor or getpass.getuser())
    if not removed:
        raise CliError(f"no staff rule for {term!r}")
    click.echo(f"removed the staff rule for {term}")


@catalog.command("unanswered")
@click.option("--kind", type=click.Choice(["none", "abandoned"]), default=None)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def catalog_unanswered(kind: str | None, limit: int, as_json: bool) -> None:
    """Questions the catalogue did not answer (none) and result lists left unused (abandoned)."""
    with _open_services(_settings()) as services:
        rows = services.catalog.unanswered(kind=kind, limit=limit)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"kind": r.kind, "query": r.query, "normalized": r.normalized,
                     "count": r.count, "last_seen": r.last_seen.isoformat()}
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )  # fmt: skip
        return
    if not rows:
        click.echo("no unanswered questions")
    for r in rows:
        click.echo(f"{r.count:6d}  {r.kind:9s}  {r.last_seen:%Y-%m-%d}  {r.query[:100]}")


@main.group()
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
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def dossier_import(path: Path, dry_run: bool, mapping: tuple[str, ...], as_json: bool) -> None:
    """Import a one-stop export (CSV or XLSX): all or nothing, idempotent, with history."""
    from dossiers.importer import DossierImportRejected, import_dossiers
    from dossiers.records import DossierFileError

    extra = {}
    for item in mapping:
        header, sep, field = item.partition("=")
        if not sep:
            raise CliError(f"--map {item!r}: use HEADER=FIELD")
        extra[header.strip()] = field.strip()
    settings = _settings()
    try:
        settings.require_production_secrets()
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    services = _services(settings)
    progress = TerminalProgress(f"importing {path.name}")
    try:
        reader = services.dossier_reader(extra)
        report = import_dossiers(
            services.db,
            path,
            reader,
            source=path.name,
            dry_run=dry_run,
            progress=None if as_json else progress,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    except DossierFileError as exc:
        raise CliError(str(exc)) from None
    except DossierImportRejected as exc:
        for problem in exc.report.problems[:200]:
            click.echo(f"error: {problem}", err=True)
        if exc.report.problem_count > 200:
            click.echo(f"... and {exc.report.problem_count - 200} more", err=True)
        raise CliError(
            f"{path.name}: {exc.report.problem_count} problem(s) in {exc.report.rows} rows; "
            "nothing was imported"
        ) from None
    finally:
        progress.done()
        services.close()
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
def dossier_qr(code: str, output: Path, bot_username: str | None, scale: int) -> None:
    """Write a QR code (PNG or SVG) of the deep link that opens dossier CODE in the bot."""
    import re

    import segno

    from bot.links import DOSSIER_LINK, deep_link
    from dossiers.service import normalize_code

    settings = _settings()
    code = normalize_code(code)
    if not re.match(settings.dossier_code_pattern, code):
        raise CliError(f"{code!r} does not match DOSSIER_CODE_PATTERN")
    username = (bot_username or settings.bot_username or "").lstrip("@")
    link = deep_link(username, DOSSIER_LINK, code)
    if link is None:
        raise CliError("the bot's username is needed: pass --bot NAME or set BOT_USERNAME")
    segno.make(link, error="m").save(output, scale=scale, border=4)
    click.echo(f"{link} → {output}")


@main.group()
def users() -> None:
    """Staff and manager roles (administrators come from ADMIN_IDS)."""


ROLE_CHOICE = click.Choice(["staff", "manager"])
USER_ID = click.IntRange(1, MAX_BIGINT)  # Telegram ids fit a BIGINT; more is a typo


@users.command("grant")
@click.argument("user_id", type=USER_ID)
@click.argument("role", type=ROLE_CHOICE)
def users_grant(user_id: int, role: str) -> None:
    """Give USER_ID (a Telegram user id) the staff or manager role."""
    from users.roles import Role

    with _open_services(_settings()) as services:
        added = services.roles.grant(user_id, Role(role), by=None)
    click.echo(f"{user_id}: {role} {'granted' if added else 'already granted'}")


@users.command("revoke")
@click.argument("user_id", type=USER_ID)
@click.argument("role", type=ROLE_CHOICE)
def users_revoke(user_id: int, role: str) -> None:
    """Take the staff or manager role away from USER_ID."""
    from users.roles import Role

    with _open_services(_settings()) as services:
        removed = services.roles.revoke(user_id, Role(role), by=None)
    if not removed:
        raise CliError(f"{user_id} does not have the {role} role")
    click.echo(f"{user_id}: {role} revoked")


@users.command("list")
def users_list() -> None:
    """Administrators, staff and managers."""
    settings = _settings()
    with _open_services(settings) as services:
        members = services.roles.members()
    for admin in sorted(settings.admin_ids):
        click.echo(f"{admin}\tadmin (ADMIN_IDS)")
    for user_id, role in members:
        click.echo(f"{user_id}\t{role}")


@main.group()
def report() -> None:
    """Figures for managers: satisfaction and dossier timeliness."""


def _period(start: str | None, end: str | None) -> tuple[date, date]:
    from reports.periods import parse_period

    try:
        return parse_period(start, end)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _report_options(command: Any) -> Any:
    """--from/--to and the output options every report shares."""
    options = [
        click.option(
            "--from",
            "start",
            default=None,
            help="First day (YYYY-MM-DD or DD/MM/YYYY); default: 30 days ago.",
        ),
        click.option("--to", "end", default=None, help="Last day, inclusive; default: today."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON."),
        click.option(
            "--xlsx",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Also write a workbook.",
        ),
        click.option(
            "--chart",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Also write a PNG chart.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _emit(text: str, data: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(_plain(text))


@report.command("satisfaction")
@_report_options
@click.option("--by", type=click.Choice(["level", "agency", "procedure", "field"]), default=None)
@click.option("--trend", type=click.Choice(["week", "month"]), default="week", show_default=True)
def report_satisfaction(
    start: str | None, end: str | None, by: str | None, trend: str, as_json: bool,
    xlsx: Path | None, chart: Path | None,
) -> None:  # fmt: skip
    """Ratings per level, criterion, group and week/month; lowest-rated procedures and agencies."""
    from reports import render
    from reports.figures import satisfaction

    settings = _settings()
    first, last = _period(start, end)
    with _open_services(settings) as services:
        result = satisfaction(
            services.db, first, last, scale=settings.rating_scale,
            criteria=settings.rating_criteria, by=by, trend=trend,
        )  # fmt: skip
        text = services.messages.render("vi", "report_satisfaction", r=result)
    if xlsx:
        render.satisfaction_xlsx(result, xlsx)
    if chart:
        render.satisfaction_chart(result, chart)
    _emit(text, render.satisfaction_json(result), as_json)


@report.command("dossiers")
@_report_options
@click.option("--by", type=click.Choice(["level", "agency"]), default="level", show_default=True)
def report_dossiers(
    start: str | None, end: str | None, by: str, as_json: bool, xlsx: Path | None,
    chart: Path | None,
) -> None:  # fmt: skip
    """Received / done on time / late / in progress per level or agency, with on-time %."""
    from reports import render
    from reports.figures import dossiers

    first, last = _period(start, end)
    with _open_services(_settings()) as services:
        result = dossiers(services.db, first, last, by=by)
        text = services.messages.render("vi", "report_dossiers", r=result)
    if xlsx:
        render.dossiers_xlsx(result, xlsx)
    if chart:
        render.dossiers_chart(result, chart)
    _emit(text, render.dossiers_json(result), as_json)


@main.command()
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def purge(dry_run: bool, as_json: bool) -> None:
    """Erase personal data older than RETENTION_DAYS (the bot does this daily)."""
    from foundation.clock import utcnow
    from privacy.retention import purge as run_purge

    settings = _settings()
    with _open_services(settings) as services:
        result = run_purge(services.db, settings.retention_days, now=utcnow(), dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, **result.counts}))
        return
    verb = "would be" if dry_run else "were"
    for kind, count in result.counts.items():
        click.echo(f"{kind:16s} {count:8d} {verb} purged")


def _plain(html: str) -> str:
    from bot.console import html_to_text

    return html_to_text(html)


@main.command()
@click.argument("query", required=False)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option(
    "--json", "as_json", is_flag=True, help="JSON array of {code, name, score, confidence}."
)
def search(query: str | None, limit: int, as_json: bool) -> None:
    """What the chat answers to QUERY; without QUERY, read one query per line (JSON line each).

    JSON: the hits with `code`, `name`, `score` and `confidence`: "confident" means the chat
    shows hit 1's card, "ambiguous" that it shows these hits to choose from, "none" that it
    says not found.
    """
    from catalog.answering import Answerer

    with _open_services(_settings(), seed=True) as services:
        answerer = Answerer(services.catalog.index())
    if query is None:
        for line in sys.stdin:
            answer = answerer.answer(line.strip(), limit)
            click.echo(json.dumps(_hits_json(answer), ensure_ascii=False))
        return
    answer = answerer.answer(query, limit)
    if as_json:
        click.echo(json.dumps(_hits_json(answer), ensure_ascii=False))
        return
    result = answer.result
    aspect = f", about {result.aspect.value}" if result.aspect else ""
    click.echo(f"{answer.confidence.value} ({answer.kind.value}{aspect}): {result.normalized!r}")
    labels = (*answer.labels, *[""] * limit)
    for hit, label in zip(_shown(answer), labels, strict=False):
        case = f"  → {label}" if label else ""
        click.echo(f"  {hit.score:.3f}  {hit.code}  {hit.name}  [{', '.join(hit.levels)}]{case}")


def _shown(answer: Any) -> tuple[Any, ...]:
    """The hits the chat offers to choose from, or the whole ranking for a card or none."""
    return answer.shown if answer.confidence.value == "ambiguous" else answer.result.hits


def _hits_json(answer: Any) -> list[dict[str, Any]]:
    confidence = answer.confidence.value
    return [
        {"code": h.code, "name": h.name, "score": h.score, "confidence": confidence}
        for h in _shown(answer)
    ]

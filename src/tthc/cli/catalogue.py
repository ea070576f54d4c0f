"""`tthc catalog ...` and `tthc search`: keep the catalogue, and see what the chat answers.

Import, export, statistics, aliases, synonyms and the questions nobody answered.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from tthc.catalog.answering import Answer, Answerer
from tthc.catalog.exporter import write_catalog
from tthc.catalog.records import CatalogFileError, read_catalog_file
from tthc.catalog.search import Hit
from tthc.catalog.service import ReplaceRefused, UnknownProcedure
from tthc.cli.common import ACTOR_OPTION, JSON_OPTION, CliError, open_services, problems, settings
from tthc.core.progress import TerminalProgress


@click.group()
def catalog() -> None:
    """Procedure catalogue: import, export, statistics."""


@catalog.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show the difference; change nothing.")
@click.option("--prune", is_flag=True, help="Remove procedures that are not in the file.")
@ACTOR_OPTION
@JSON_OPTION
def catalog_import(
    path: Path, dry_run: bool, prune: bool, actor: str | None, as_json: bool
) -> None:
    """Import procedures from the portal JSON, CSV or XLSX (all or nothing)."""
    config = settings()
    progress = TerminalProgress(f"reading {path.name}")
    try:
        parsed = read_catalog_file(path, None if as_json else progress)
    except CatalogFileError as exc:
        raise CliError(f"{path.name}: {exc}") from None
    finally:
        progress.done()
    if parsed.problems:
        problems([str(p) for p in parsed.problems])
        raise CliError(f"{path.name}: {len(parsed.problems)} problem(s); nothing was imported")
    with open_services(config) as services:
        if dry_run:
            diff = services.catalog.preview_import(parsed, prune=prune)
        else:
            try:
                diff = services.catalog.import_file(
                    parsed, actor=actor or getpass.getuser(), source=str(path), prune=prune
                )
            except ReplaceRefused as refused:
                raise CliError(f"{path.name}: {refused}") from None
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
    with open_services(settings(), seed=True) as services:
        records = services.catalog.export_records()
    try:
        write_catalog(records, path)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    click.echo(f"{len(records)} procedures written to {path}")


@catalog.command("undo")
@click.option("--yes", is_flag=True, help="Undo without asking.")
@ACTOR_OPTION
def catalog_undo(yes: bool, actor: str | None) -> None:
    """Put the catalogue back as it was before the latest applied file (aliases included)."""
    with open_services(settings(), seed=True) as services:
        latest = services.catalog.undoable()
        if latest is None:
            raise CliError("no applied catalogue file to undo")
        click.echo(
            f"latest file: {latest.source or '-'} applied {latest.at:%Y-%m-%d %H:%M} UTC by "
            f"{latest.actor}: {latest.added} added, {latest.restored} changed or removed"
        )
        if not yes:
            click.confirm("undo it?", abort=True)
        undone = services.catalog.undo(actor=actor or getpass.getuser(), change_id=latest.id)
    if undone is None:
        raise CliError("the catalogue changed meanwhile; nothing was undone (run it again)")
    click.echo(
        f"undone: {undone.removed} procedure(s) removed, {undone.restored} restored "
        f"(catalogue version {undone.version})"
    )


@catalog.command("stats")
def catalog_stats() -> None:
    """Procedure counts per field and per level."""
    with open_services(settings(), seed=True) as services:
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
@ACTOR_OPTION
def catalog_aliases(
    code: str, add: tuple[str, ...], remove: tuple[str, ...], actor: str | None
) -> None:
    """Show or edit the other names citizens use for procedure CODE."""
    with open_services(settings(), seed=True) as services:
        try:
            if add or remove:
                aliases = services.catalog.edit_aliases(
                    code, add=add, remove=remove, actor=actor or getpass.getuser()
                )
            else:
                aliases = services.catalog.aliases(code)
        except UnknownProcedure:
            raise CliError(f"no procedure has the code {code}") from None
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
    with open_services(settings()) as services:
        rules = services.catalog.synonyms()
    for term, expansion, origin in rules:
        if not staff_only or origin == "staff":
            click.echo(f"{term}\t{expansion or '(filler: dropped)'}\t{origin}")


@catalog_synonyms.command("set")
@click.argument("term")
@click.argument("replacement")
@ACTOR_OPTION
def synonyms_set(term: str, replacement: str, actor: str | None) -> None:
    """Make TERM mean REPLACEMENT in searches ("" makes TERM a filler word)."""
    with open_services(settings()) as services:
        try:
            services.catalog.set_synonym(term, replacement, actor=actor or getpass.getuser())
        except ValueError as exc:
            raise CliError(str(exc)) from None
    click.echo(f"{term} → {replacement or '(filler: dropped)'}")


@catalog_synonyms.command("remove")
@click.argument("term")
@ACTOR_OPTION
def synonyms_remove(term: str, actor: str | None) -> None:
    """Remove a staff rule (a bundled rule for TERM applies again)."""
    with open_services(settings()) as services:
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
    with open_services(settings()) as services:
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


@click.command()
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
    with open_services(settings(), seed=True) as services:
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


def _shown(answer: Answer) -> tuple[Hit, ...]:
    """The hits the chat offers to choose from, or the whole ranking for a card or none."""
    return tuple(answer.shown if answer.confidence.value == "ambiguous" else answer.result.hits)


def _hits_json(answer: Answer) -> list[dict[str, object]]:
    confidence = answer.confidence.value
    return [
        {"code": h.code, "name": h.name, "score": h.score, "confidence": confidence}
        for h in _shown(answer)
    ]

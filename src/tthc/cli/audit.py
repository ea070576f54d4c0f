"""`tthc audit`: the journal of changes staff made, newest first (as `/nhatky` shows it)."""

from __future__ import annotations

import json

import click

from tthc.cli.common import JSON_OPTION, open_services, settings


@click.command("audit")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="1 = newest.")
@JSON_OPTION
def audit(limit: int, page: int, as_json: bool) -> None:
    """Who changed what and when: catalogue and dossier imports, aliases, roles."""
    with open_services(settings()) as services:
        journal = services.audit.page(page - 1, size=limit)
    if as_json:
        entries = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "source": e.source,
                "added": e.added,
                "changed": e.changed,
                "removed": e.removed,
                "details": e.details,
            }
            for e in journal.entries
        ]
        click.echo(json.dumps({"total": journal.total, "entries": entries}, ensure_ascii=False))
        return
    if not journal.total:
        click.echo("the journal is empty")
        return
    click.echo(f"{journal.total} entries, page {journal.page + 1}/{journal.pages}, newest first")
    for e in journal.entries:
        counts = f" +{e.added} ~{e.changed} -{e.removed}" if e.action.endswith("import") else ""
        details = json.dumps(e.details, ensure_ascii=False)[:200] if e.details else ""
        source = f" {e.source}" if e.source else ""
        click.echo(f"{e.at:%Y-%m-%d %H:%M} UTC  {e.actor}  {e.action}{source}{counts}  {details}")

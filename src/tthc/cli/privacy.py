"""`tthc purge`: the retention rule, run by hand."""

from __future__ import annotations

import json

import click

from tthc.cli.common import open_services, settings
from tthc.core.clock import utcnow
from tthc.privacy.retention import purge as run_purge


@click.command()
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def purge(dry_run: bool, as_json: bool) -> None:
    """Erase personal data older than RETENTION_DAYS (the bot does this daily)."""
    config = settings()
    with open_services(config) as services:
        result = run_purge(services.db, config.retention_days, now=utcnow(), dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, **result.counts}))
        return
    verb = "would be" if dry_run else "were"
    for kind, count in result.counts.items():
        click.echo(f"{kind:16s} {count:8d} {verb} purged")

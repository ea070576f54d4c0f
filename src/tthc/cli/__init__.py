"""`tthc`: the command line, one module per capability (commands and options are a contract).

`run`/`chat`/`db` start and prepare the bot (serve), `catalog`/`search` keep the catalogue
(catalogue), `dossier` loads one-stop exports, `users` grants roles, `report` gives the
figures, `purge` applies the retention rule and `audit` shows who changed what.
"""

from __future__ import annotations

import click

from tthc import __version__
from tthc.cli.audit import audit
from tthc.cli.catalogue import catalog, search
from tthc.cli.common import CliError
from tthc.cli.dossier import dossier
from tthc.cli.privacy import purge
from tthc.cli.report import report
from tthc.cli.roles import users
from tthc.cli.serve import chat, db, health, run, webhook

__all__ = ["CliError", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tthc")
def main() -> None:
    """tthc-bot: guide citizens through administrative procedures on Telegram."""


for command in (
    run,
    chat,
    db,
    health,
    webhook,
    catalog,
    dossier,
    users,
    report,
    purge,
    search,
    audit,
):
    main.add_command(command)

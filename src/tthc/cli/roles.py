"""`tthc users ...`: staff and manager roles (administrators come from ADMIN_IDS)."""

from __future__ import annotations

import click

from tthc.cli.common import CliError, open_services, settings
from tthc.core.inputs import MAX_BIGINT
from tthc.users.roles import Role

ROLE_CHOICE = click.Choice([r.value for r in Role])
USER_ID = click.IntRange(1, MAX_BIGINT)  # Telegram ids fit a BIGINT; more is a typo


@click.group()
def users() -> None:
    """Staff and manager roles (administrators come from ADMIN_IDS)."""


@users.command("grant")
@click.argument("user_id", type=USER_ID)
@click.argument("role", type=ROLE_CHOICE)
def users_grant(user_id: int, role: str) -> None:
    """Give USER_ID (a Telegram user id) the staff or manager role."""
    with open_services(settings()) as services:
        added = services.roles.grant(user_id, Role(role), by=None)
    click.echo(f"{user_id}: {role} {'granted' if added else 'already granted'}")


@users.command("revoke")
@click.argument("user_id", type=USER_ID)
@click.argument("role", type=ROLE_CHOICE)
def users_revoke(user_id: int, role: str) -> None:
    """Take the staff or manager role away from USER_ID."""
    with open_services(settings()) as services:
        removed = services.roles.revoke(user_id, Role(role), by=None)
    if not removed:
        raise CliError(f"{user_id} does not have the {role} role")
    click.echo(f"{user_id}: {role} revoked")


@users.command("list")
def users_list() -> None:
    """Administrators, staff and managers."""
    config = settings()
    with open_services(config) as services:
        members = services.roles.members()
    for admin in sorted(config.admin_ids):
        click.echo(f"{admin}\tadmin (ADMIN_IDS)")
    for user_id, role in members:
        click.echo(f"{user_id}\t{role}")

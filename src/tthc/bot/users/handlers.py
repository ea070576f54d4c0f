"""Roles in the chat: who may use the staff tools and the reports (/quyen)."""

from __future__ import annotations

from telegram import Update

from tthc.bot.common import actor_of, arguments, current_user, private_only, reply_text
from tthc.bot.context import BotContext
from tthc.bot.roles import role_name
from tthc.core.inputs import ascii_int
from tthc.users.roles import NotAdmin, Role


@private_only(staff=True)
async def roles_command(update: Update, context: BotContext) -> None:
    """`/quyen [cap|thu <user id> staff|manager]` (administrators)."""
    user = await current_user(update, context)
    roles = context.services.roles
    if not roles.is_admin(user.id):
        await reply_text(update, context, user, "not_allowed", role=None)
        return
    args = arguments(context)
    target = ascii_int(args[1], low=1) if len(args) == 3 else None
    if (
        target is not None
        and args[0] in ("cap", "thu", "grant", "revoke")
        and args[2] in ("staff", "manager")
    ):
        grant = args[0] in ("cap", "grant")
        change = roles.grant if grant else roles.revoke
        try:
            done = await context.call(
                change, target, Role(args[2]), by=user.id, actor=actor_of(update)
            )
        except NotAdmin:
            done = False
        name = role_name(context, user.language, Role(args[2]))
        await reply_text(
            update,
            context,
            user,
            "role_changed",
            user_id=args[1],
            role=name,
            grant=grant,
            done=done,
        )
        return
    members = await context.call(roles.members)
    named = [(member, role_name(context, user.language, Role(role))) for member, role in members]
    await reply_text(update, context, user, "roles_list", members=named)

"""Who may use a command: the role check every staff and manager command declares once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from tthc.bot.common import Handler, current_user, private_only, reply_text
from tthc.bot.context import BotContext
from tthc.users.roles import Role
from tthc.users.service import UserView


def role_name(context: BotContext, lang: str, role: Role) -> str:
    """A role as the user reads it ("cán bộ", "staff")."""
    return context.services.messages.label(lang, f"role_{role.value}")


StaffHandler = Callable[[Update, BotContext, UserView], Coroutine[Any, Any, None]]


def requires(role: Role) -> Callable[[StaffHandler], Handler]:
    """A command for one role, in a private chat or a staff group; others are told why not.

    The handler is called with the user, already known to hold the role.
    """

    def wrap(handler: StaffHandler) -> Handler:
        @private_only(staff=True)
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> None:
            user = await current_user(update, context)
            if await context.call(context.services.roles.has, user.id, role):
                await handler(update, context, user)
                return
            name = role_name(context, user.language, role)
            await reply_text(update, context, user, "not_allowed", role=name)

        return guarded

    return wrap

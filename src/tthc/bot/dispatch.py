"""The one place that decides what a citizen's message, deep link or menu press means.

Capabilities register routes here when the application is wired (`register(app, routes)`
in each capability's `telegram` package); this module imports none of them. Free text
goes, in order, to the route of the pending step (a dossier code was asked for, a rating
comment, a complaint), to the capabilities that recognise their own input anywhere (a
pasted receipt code), and otherwise to the catalogue search as a question.
"""

from __future__ import annotations

from telegram import Update

from tthc.bot.common import (
    arguments,
    current_user,
    in_private,
    main_menu,
    message_text,
    reply_text,
    unsupported,
)
from tthc.bot.context import BotContext
from tthc.bot.observe import routed
from tthc.bot.routes import Routes
from tthc.users.conversation import read, step_of


class Dispatcher:
    """Routes updates by the conversation's typed state (see `users.conversation`)."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes

    async def text(self, update: Update, context: BotContext) -> None:
        """Any text that is not a command."""
        user = await current_user(update, context)
        text = message_text(update)
        if not text.strip():
            await reply_text(update, context, user, "empty_text")
            return
        private = in_private(update, context)
        step = step_of(read(user))
        pending = self.routes.steps.get(step) if step is not None else None
        if pending is not None and (private or not pending[1]):
            routed(pending[0])
            if await pending[0](update, context, user, text):
                return
        for claim, private_only in self.routes.claims:
            if private or not private_only:
                routed(claim)
                if await claim(update, context, user, text):
                    return
        if self.routes.question is not None:
            routed(self.routes.question)
            await self.routes.question(update, context, user, text)

    async def start(self, update: Update, context: BotContext) -> None:
        """`/start`: the main menu, or what a deep link points to."""
        user = await current_user(update, context)
        await context.call(context.services.users.set_state, user.id, None)
        payload = (arguments(context) or [""])[0]
        for prefix, route in self.routes.links.items():
            if payload.startswith(prefix):
                await route(update, context, user, payload)
                return
        await main_menu(update, context, user)

    async def menu(self, update: Update, context: BotContext) -> None:
        """`m:<action>`: a main-menu button."""
        user = await current_user(update, context)
        data = update.callback_query.data if update.callback_query else None
        route = self.routes.menu.get((data or "").partition(":")[2])
        if route is None:
            await main_menu(update, context, user)
            return
        await route(update, context, user)

    async def attachment(self, update: Update, context: BotContext) -> None:
        """A photo or file: a capability's, or not understood.

        A capability takes it when it asked for one (a complaint's photo) or recognises it
        (a staff member's catalogue file). In a group chat a photo is somebody talking to the group, not to the bot: ignored.
        """
        if not in_private(update, context):
            return
        user = await current_user(update, context)
        for route in self.routes.attachments:
            if await route(update, context, user):
                return
        await unsupported(update, context)

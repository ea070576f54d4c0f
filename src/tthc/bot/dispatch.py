"""The one place that decides what a citizen's message, deep link or menu press means.

Capabilities register routes here when the application is wired (`register(app, routes)`
in each capability's `telegram` package); this module imports none of them. Free text
goes, in order, to the route of the pending step (a dossier code was asked for, a rating
comment, a complaint), to the capabilities that recognise their own input anywhere (a
pasted receipt code), and otherwise to the catalogue search as a question.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

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
from tthc.users.conversation import Step, read, step_of
from tthc.users.service import UserView

# A text route answers True when the text was its to handle.
TextRoute = Callable[[Update, BotContext, UserView, str], Awaitable[bool]]
LinkRoute = Callable[[Update, BotContext, UserView, str], Awaitable[None]]
MenuRoute = Callable[[Update, BotContext, UserView], Awaitable[None]]
AttachmentRoute = Callable[[Update, BotContext, UserView], Awaitable[bool]]


@dataclass
class Routes:
    """Everything a capability can claim: steps, free text, deep links, menu actions."""

    steps: dict[Step, tuple[TextRoute, bool]] = field(default_factory=dict)
    claims: list[tuple[TextRoute, bool]] = field(default_factory=list)
    question: TextRoute | None = None
    links: dict[str, LinkRoute] = field(default_factory=dict)
    menu: dict[str, MenuRoute] = field(default_factory=dict)
    attachments: list[AttachmentRoute] = field(default_factory=list)

    def on_step(self, step: Step, route: TextRoute, *, private: bool = False) -> None:
        """Text typed while `step` is pending; `private` routes only in private chats."""
        self.steps[step] = (route, private)

    def claim_text(self, route: TextRoute, *, private: bool = False) -> None:
        """Text a capability recognises whatever is pending (a pasted receipt code)."""
        self.claims.append((route, private))

    def on_question(self, route: TextRoute) -> None:
        """Everything else: a question about a procedure."""
        self.question = route

    def on_link(self, prefix: str, route: LinkRoute) -> None:
        """`/start <prefix><code>` deep links."""
        self.links[prefix] = route

    def on_menu(self, action: str, route: MenuRoute) -> None:
        """The `m:<action>` main-menu button."""
        self.menu[action] = route

    def on_attachment(self, route: AttachmentRoute) -> None:
        """A photo or file sent in a private chat; routes are asked in the order registered."""
        self.attachments.append(route)


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
        if (
            pending is not None
            and (private or not pending[1])
            and await pending[0](update, context, user, text)
        ):
            return
        for claim, private_only in self.routes.claims:
            if (private or not private_only) and await claim(update, context, user, text):
                return
        if self.routes.question is not None:
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

"""What each capability claims in the chat, filled in once when the application is wired.

Capabilities register here (`register(app, routes)`); the dispatcher, the dossier lookup
and the outbox job read it from the application (`context.routes`). Nothing here is a
module global: two applications in one process (tests, the console) never share routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from telegram import Update

from tthc.bot.context import BotContext
from tthc.bot.replies import Outgoing
from tthc.core.models import OutboxMessage
from tthc.users.conversation import DossierIntent, Step
from tthc.users.service import UserView

# A text route answers True when the text was its to handle.
TextRoute = Callable[[Update, BotContext, UserView, str], Awaitable[bool]]
LinkRoute = Callable[[Update, BotContext, UserView, str], Awaitable[None]]
MenuRoute = Callable[[Update, BotContext, UserView], Awaitable[None]]
AttachmentRoute = Callable[[Update, BotContext, UserView], Awaitable[bool]]
# What to do with a dossier a lookup found, for an intent another capability owns.
FoundRoute = Callable[[Update, BotContext, UserView, str], Awaitable[None]]
# What a queued outbox message says, in the recipient's language (None: nothing any more).
Notice = Callable[[BotContext, OutboxMessage, str], Awaitable[Outgoing | Sequence[Outgoing] | None]]


@dataclass
class Routes:
    """Everything a capability can claim: steps, free text, deep links, menu actions."""

    steps: dict[Step, tuple[TextRoute, bool]] = field(default_factory=dict)
    claims: list[tuple[TextRoute, bool]] = field(default_factory=list)
    question: TextRoute | None = None
    links: dict[str, LinkRoute] = field(default_factory=dict)
    menu: dict[str, MenuRoute] = field(default_factory=dict)
    attachments: list[AttachmentRoute] = field(default_factory=list)
    found: dict[DossierIntent, FoundRoute] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)

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

    def on_found_dossier(self, intent: DossierIntent, route: FoundRoute) -> None:
        """A dossier found for `intent` (rate it, complain about it) goes to its owner."""
        self.found[intent] = route

    def on_notice(self, kind: str, notice: Notice) -> None:
        """How the outbox's messages of `kind` read when they are delivered."""
        self.notices[kind] = notice

"""Typed callback context: handlers reach the services through `context.services`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from telegram.ext import Application, CallbackContext, ExtBot

if TYPE_CHECKING:  # the container is composed above every capability (see docs/architecture.md)
    from tthc.app.services import Services
    from tthc.bot.routes import Routes

T = TypeVar("T")


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Adds the service container and a way to run blocking service calls off the event loop."""

    @property
    def services(self) -> Services:
        """Services attached by the wiring in `tthc.app.application`."""
        return cast("Services", self.application.bot_data["services"])

    @property
    def routes(self) -> Routes:
        """What the capabilities registered when the application was wired."""
        return cast("Routes", self.application.bot_data["routes"])

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a (database-touching) service call in a worker thread."""
        return await asyncio.to_thread(function, *args, **kwargs)


BotApplication = Application[Any, BotContext, Any, Any, Any, Any]

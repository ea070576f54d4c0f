"""Users and roles in the chat."""

from __future__ import annotations

from telegram.ext import CommandHandler

from tthc.bot.context import BotApplication
from tthc.bot.users import handlers


def register(app: BotApplication) -> None:
    """Attach /quyen."""
    app.add_handler(CommandHandler("quyen", handlers.roles_command))

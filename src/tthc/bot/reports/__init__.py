"""Reports in the chat."""

from __future__ import annotations

from telegram.ext import CommandHandler

from tthc.bot.context import BotApplication
from tthc.bot.reports import handlers


def register(app: BotApplication) -> None:
    """Attach /baocao (the weekly digest is scheduled by the wiring)."""
    app.add_handler(CommandHandler("baocao", handlers.report_command))

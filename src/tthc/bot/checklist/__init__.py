"""The checklist in the chat."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from tthc.bot.checklist import callbacks, handlers
from tthc.bot.context import BotApplication


def register(app: BotApplication) -> None:
    """Attach the checklist's buttons."""
    app.add_handler(CallbackQueryHandler(handlers.show_checklist, pattern=callbacks.PAGE))

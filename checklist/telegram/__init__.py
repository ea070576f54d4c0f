"""The checklist in the chat."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication
from checklist.telegram import callbacks, handlers


def register(app: BotApplication) -> None:
    """Attach the checklist's buttons."""
    app.add_handler(CallbackQueryHandler(handlers.show_checklist, pattern=callbacks.PAGE))

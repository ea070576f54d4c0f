"""Reports in the chat."""

from __future__ import annotations

from telegram.ext import CommandHandler

from tthc.bot.context import BotApplication
from tthc.bot.reports import handlers
from tthc.bot.routes import Routes


def register(app: BotApplication, routes: Routes) -> None:
    """Attach /baocao and the digest's delivery (the weekly job is scheduled by the wiring)."""
    app.add_handler(CommandHandler("baocao", handlers.report_command))
    routes.on_notice(handlers.DIGEST_NOTICE, handlers.digest_notice)

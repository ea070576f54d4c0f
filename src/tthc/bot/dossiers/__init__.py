"""Dossiers in the chat: lookups, the status card, following, change notifications."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from tthc.bot.context import BotApplication
from tthc.bot.dossiers import callbacks, handlers, notices
from tthc.bot.links import DOSSIER_LINK
from tthc.bot.routes import Routes
from tthc.users.conversation import Step


def register(app: BotApplication, routes: Routes) -> None:
    """Attach the dossier commands and buttons, and claim receipt codes typed anywhere."""
    app.add_handler(CommandHandler("hoso", handlers.hoso_command))
    app.add_handler(CommandHandler("theodoi", handlers.follow_command))
    app.add_handler(CommandHandler("huy_theo_doi", handlers.unsubscribe_command))
    app.add_handler(CallbackQueryHandler(handlers.dossier_button, pattern=callbacks.DOSSIER))
    routes.on_step(Step.DOSSIER_DIGITS, handlers.on_digits, private=True)
    routes.on_step(Step.DOSSIER_CODE, handlers.on_code, private=True)
    routes.claim_text(handlers.pasted_code, private=True)
    routes.on_link(DOSSIER_LINK, handlers.deep_link)
    routes.on_menu("dossier", handlers.menu_prompt)
    routes.on_notice("status", notices.status_notice)

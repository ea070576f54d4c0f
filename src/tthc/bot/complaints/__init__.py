"""Complaints in the chat: citizens' /phananh, the staff inbox (/hopthu, /traloi, /dong)."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from tthc.bot.complaints import callbacks, handlers
from tthc.bot.context import BotApplication
from tthc.bot.routes import Routes
from tthc.complaints.service import ANSWER_NOTICE, OVERDUE_NOTICE
from tthc.users.conversation import DossierIntent, Step


def register(app: BotApplication, routes: Routes) -> None:
    """Attach the complaint commands and buttons; take complaints about found dossiers."""
    app.add_handler(CommandHandler("phananh", handlers.complaint_command))
    app.add_handler(CommandHandler("hopthu", handlers.inbox_command))
    app.add_handler(CommandHandler("traloi", handlers.answer_command))
    app.add_handler(CommandHandler("dong", handlers.close_command))
    app.add_handler(CallbackQueryHandler(handlers.complaint_button, pattern=callbacks.CONFIRM))
    routes.on_step(Step.COMPLAINT, handlers.on_text, private=True)
    routes.on_attachment(handlers.on_attachment)
    routes.on_menu("complaint", handlers.menu_complaint)
    routes.on_found_dossier(DossierIntent.COMPLAINT, handlers.about_dossier)
    routes.on_notice(ANSWER_NOTICE, handlers.answer_notice)
    routes.on_notice(OVERDUE_NOTICE, handlers.overdue_notice)

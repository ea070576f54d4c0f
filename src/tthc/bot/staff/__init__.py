"""The staff desk in the chat: files, /xuat, /hoantac, the inbox (/chuatraloi, /gan), /nhatky."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from tthc.bot.context import BotApplication
from tthc.bot.routes import Routes
from tthc.bot.staff import callbacks, handlers
from tthc.catalog.inbox import ANSWER
from tthc.users.conversation import Step


def register(app: BotApplication, routes: Routes) -> None:
    """Attach the staff commands and buttons, the file route and the follow-up message."""
    app.add_handler(CommandHandler("chuatraloi", handlers.inbox_command))
    app.add_handler(CommandHandler("gan", handlers.map_command))
    app.add_handler(CommandHandler("nhatky", handlers.audit_command))
    app.add_handler(CommandHandler("bo_gan", handlers.unmap_command))
    app.add_handler(CommandHandler("xuat", handlers.export_command))
    app.add_handler(CommandHandler("hoantac", handlers.undo_command))
    app.add_handler(CallbackQueryHandler(handlers.alias_button, pattern=callbacks.ALIAS_CONFIRM))
    app.add_handler(CallbackQueryHandler(handlers.undo_button, pattern=callbacks.UNDO))
    app.add_handler(CallbackQueryHandler(handlers.unmap_button, pattern=callbacks.UNMAP))
    app.add_handler(CallbackQueryHandler(handlers.upload_button, pattern=callbacks.UPLOAD))
    app.add_handler(CallbackQueryHandler(handlers.inbox_button, pattern=callbacks.INBOX))
    app.add_handler(CallbackQueryHandler(handlers.audit_button, pattern=callbacks.AUDIT))
    routes.on_step(Step.STAFF_FIND, handlers.on_find_text, private=True)
    routes.on_attachment(handlers.on_upload)
    routes.on_notice(ANSWER, handlers.answer_notice)

"""Ratings in the chat."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from tthc.bot.context import BotApplication
from tthc.bot.links import RATING_LINK
from tthc.bot.ratings import callbacks, handlers
from tthc.bot.routes import Routes
from tthc.users.conversation import DossierIntent, Step


def register(app: BotApplication, routes: Routes) -> None:
    """Attach /danhgia and the rating message; rate dossiers found by a lookup."""
    app.add_handler(CommandHandler("danhgia", handlers.rate_command))
    app.add_handler(CallbackQueryHandler(handlers.rating_button, pattern=callbacks.RATING))
    routes.on_step(Step.RATING, handlers.on_comment, private=True)
    routes.on_link(RATING_LINK, handlers.deep_link)
    routes.on_menu("rate", handlers.menu_rating)
    routes.on_found_dossier(DossierIntent.RATE, handlers.rate_dossier)

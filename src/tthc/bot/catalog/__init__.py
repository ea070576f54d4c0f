"""The catalogue in the chat: questions, cards, sections, checklists, browsing, shared links."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from tthc.bot.catalog import browse, callbacks, checklist, search
from tthc.bot.context import BotApplication
from tthc.bot.links import PROCEDURE_LINK
from tthc.bot.routes import Routes


def register(app: BotApplication, routes: Routes) -> None:
    """Attach the catalogue's buttons, and take every question nobody else claims."""
    app.add_handler(CallbackQueryHandler(search.open_procedure, pattern=callbacks.CARD))
    app.add_handler(CallbackQueryHandler(search.open_section, pattern=callbacks.SECTION))
    app.add_handler(CallbackQueryHandler(search.back_to_list, pattern=callbacks.BACK_TO_SEARCH))
    app.add_handler(CallbackQueryHandler(search.open_journey, pattern=callbacks.JOURNEY))
    app.add_handler(CallbackQueryHandler(browse.facet_page, pattern=callbacks.FACET_PAGE))
    app.add_handler(CallbackQueryHandler(browse.facet_members, pattern=callbacks.FACET_MEMBERS))
    app.add_handler(CallbackQueryHandler(browse.open_from_list, pattern=callbacks.FROM_LIST))
    app.add_handler(CallbackQueryHandler(checklist.show_checklist, pattern=callbacks.CHECKLIST))
    routes.on_question(search.question)
    routes.on_link(PROCEDURE_LINK, search.deep_link_card)
    routes.on_menu("browse", browse.browse_menu)

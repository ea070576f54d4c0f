"""The document checklist: tick what you already have, see what is missing."""

from __future__ import annotations

from telegram import Update

from tthc.bot.checklist import callbacks
from tthc.bot.checklist.views import ChecklistViews
from tthc.bot.common import current_user, reply_text
from tthc.bot.context import BotContext
from tthc.bot.sender import send
from tthc.catalog.reading.documents import read_documents


async def show_checklist(update: Update, context: BotContext) -> None:
    """A page of the checklist, after ticking or unticking one document if asked."""
    user = await current_user(update, context)
    press = callbacks.parse(update.callback_query.data or "" if update.callback_query else "")
    services = context.services
    procedure = await context.call(services.catalog.get, press.code)
    if procedure is None:
        await reply_text(update, context, user, "stale", menu=True)
        return
    papers = [(p.key, p.name) for p in read_documents(procedure.documents).papers]
    if press.key is not None:
        if press.key not in {k for k, _ in papers}:  # the list changed since (an import)
            await reply_text(update, context, user, "stale", menu=True)
            return
        await context.call(services.checklists.set, user.id, press.code, press.key, have=press.have)
    entries = await context.call(services.checklists.entries, user.id, press.code, papers)
    views = ChecklistViews(services.messages)
    await send(update, context, views.checklist(user.language, procedure, entries, press.page))

"""The document checklist: tick what you already have, see what is missing."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import current_user, views
from bot.sender import send
from catalog.reading.documents import read_documents


async def show_checklist(update: Update, context: BotContext) -> None:
    """`k:<code>:<page>` shows a page; `c:<code>:<key>:<page>:<1|0>` sets one document first."""
    user = await current_user(update, context)
    parts = (update.callback_query.data or "").split(":") if update.callback_query else []
    code, page = parts[1], int(parts[-2] if parts[0] == "c" else parts[-1])
    services = context.services
    procedure = await context.call(services.catalog.get, code)
    v = views(context)
    if procedure is None:
        await send(update, context, v.text(user.language, "stale", menu=True))
        return
    papers = [(p.key, p.name) for p in read_documents(procedure.documents).papers]
    if parts[0] == "c":
        key, have = parts[2], parts[4] == "1"
        if key not in {k for k, _ in papers}:  # the list changed since (an import)
            await send(update, context, v.text(user.language, "stale", menu=True))
            return
        await context.call(services.checklists.set, user.id, code, key, have=have)
    entries = await context.call(services.checklists.entries, user.id, code, papers)
    await send(update, context, v.checklist(user.language, procedure, entries, page))

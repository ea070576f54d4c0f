"""The document checklist under a card: tick what you already have, see what is missing."""

from __future__ import annotations

from telegram import Update

from tthc.bot.catalog import callbacks
from tthc.bot.common import current_user, reply_text
from tthc.bot.context import BotContext
from tthc.bot.replies import Button, Reply, caption, grid, page_of, pager, rows
from tthc.bot.sender import send
from tthc.catalog.models import Procedure
from tthc.catalog.reading.documents import read_documents
from tthc.checklist.service import ChecklistEntry
from tthc.messages import Messages

CHECKLIST_PAGE = 8


class ChecklistViews:
    """Turns a procedure's papers and the citizen's ticks into a reply."""

    def __init__(self, messages: Messages) -> None:
        self.m = messages

    def checklist(
        self, lang: str, procedure: Procedure, entries: list[ChecklistEntry], page: int
    ) -> Reply:
        """The documents with ✅/⬜ and one button per document that sets the other state."""
        page, pages, shown = page_of(entries, page, CHECKLIST_PAGE)
        first = page * CHECKLIST_PAGE
        text = self.m.render(
            lang,
            "checklist",
            p=procedure,
            entries=[(first + i + 1, e.have, caption(e.name, 160)) for i, e in enumerate(shown)],
            have=sum(e.have for e in entries),
            total=len(entries),
            missing=[first + i + 1 for i, e in enumerate(shown) if not e.have],
            page=page + 1,
            pages=pages,
        )
        code = procedure.code
        toggles = [
            Button(
                self.m.label(lang, "check_item", number=first + i + 1, have=e.have),
                callbacks.checklist_tick(code, e.key, page, have=not e.have),
            )
            for i, e in enumerate(shown)
        ]
        keyboard = rows(
            *grid(toggles, 4),
            pager(
                lambda key: self.m.label(lang, key),
                callbacks.checklist_page(code, None),
                page,
                pages,
            ),
            [Button(self.m.label(lang, "back"), callbacks.section(code, "documents"))],
        )
        return Reply(text, keyboard, edit=True)


async def show_checklist(update: Update, context: BotContext) -> None:
    """A page of the checklist, after ticking or unticking one document if asked."""
    user = await current_user(update, context)
    press = callbacks.parse_checklist(
        update.callback_query.data or "" if update.callback_query else ""
    )
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

"""The checklist's reply: the papers to bring, ticked or not, a page at a time."""

from __future__ import annotations

from tthc.bot.catalog import callbacks as catalog_callbacks
from tthc.bot.checklist import callbacks
from tthc.bot.replies import Button, Reply, caption, grid, page_of, pager, rows
from tthc.catalog.models import Procedure
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
                callbacks.tick(code, e.key, page, have=not e.have),
            )
            for i, e in enumerate(shown)
        ]
        keyboard = rows(
            *grid(toggles, 4),
            pager(lambda key: self.m.label(lang, key), callbacks.page(code, None), page, pages),
            [Button(self.m.label(lang, "back"), catalog_callbacks.section(code, "documents"))],
        )
        return Reply(text, keyboard, edit=True)

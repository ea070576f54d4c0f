"""Staff desk replies.

Upload previews, the unanswered inbox, the audit journal, and the follow-up a citizen
receives when staff answer their question.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from markupsafe import Markup

from tthc.audit.service import AuditPage
from tthc.bot.catalog import callbacks as catalog_callbacks
from tthc.bot.catalog.views import CatalogViews
from tthc.bot.replies import Button, Reply, caption, pager, rows
from tthc.bot.staff import callbacks
from tthc.catalog.inbox import InboxPage, Mapped, Question, TakesOver
from tthc.catalog.models import Procedure
from tthc.catalog.search import Hit
from tthc.catalog.versions import STORED_FIELDS, Undoable
from tthc.core.spreadsheet import Problem
from tthc.messages import Messages
from tthc.staff.uploads import Upload, UploadRejected

# The importers word their problems for the command line; the chat shows them in the
# staff member's language. Each pattern names a label (`problem_<key>`) and its values.
_PROBLEMS = (
    ("missing", re.compile(r"^is missing$")),
    ("duplicate", re.compile(r"^duplicate code (?P<value>.+)$")),
    ("twice", re.compile(r"^(?P<value>.+) appears twice$")),
    ("not_code", re.compile(r"^'?(?P<value>.*?)'? is not a procedure code")),
    (
        "mangled",
        re.compile(r"^'?(?P<value>.*?)'? lost its last zeros in Excel; probably (?P<likely>\S+)$"),
    ),
    ("too_long", re.compile(r"longer than (?P<value>[\d,.]+) characters")),
    ("not_level", re.compile(r"^'?(?P<value>.*?)'? is not a level")),
    ("not_date", re.compile(r"^'?(?P<value>.*?)'? is not a date")),
    ("unknown_status", re.compile(r"^unknown status '?(?P<value>.*?)'?$")),
    ("not_list", re.compile(r"must be a list")),
    ("not_object", re.compile(r"^is not an object$")),
    ("not_finite", re.compile(r"^NaN or Infinity is not a value$")),
    ("not_on_sheet", re.compile(r"^(?P<value>.+) is not on the procedure sheet$")),
)
_WHERE = re.compile(r"^(?:(?:sheet )?(?P<sheet>[^,]+), )?(?P<kind>row|record) (?P<number>\d+)$")


class StaffViews:
    """Replies of the staff desk."""

    def __init__(self, messages: Messages) -> None:
        self.m = messages

    # -- uploads ------------------------------------------------------------------------

    def upload_preview(self, lang: str, upload: Upload, *, moved: bool = False) -> Reply:
        """What applying would change, with ✅ Áp dụng / ❌ Hủy.

        A third button applies with pruning, when that would remove something.
        """
        label = self.m.label
        preview = upload.preview
        text = self.m.render(
            lang,
            "upload_preview",
            kind=upload.kind.value,
            filename=upload.filename,
            p=preview,
            card=self._card(lang, preview.get("card")),
            expires=upload.expires_at,
            moved=moved,
        )
        if not _changes(upload):
            return Reply(text, rows([Button(label(lang, "cancel"), callbacks.cancel(upload.id))]))
        more = []
        if count := preview.get("removable"):
            more = [
                Button(label(lang, "upload_prune", count=count), callbacks.apply_pruning(upload.id))
            ]
        elif preview.get("emptied"):
            more = [Button(label(lang, "upload_clear"), callbacks.apply_clearing(upload.id))]
        return Reply(
            text,
            rows(
                [Button(label(lang, "upload_apply"), callbacks.apply(upload.id))],
                more,
                [Button(label(lang, "cancel"), callbacks.cancel(upload.id))],
            ),
        )

    def prune_confirm(self, lang: str, upload: Upload) -> Reply:
        """The second step before removing procedures: the count, a sample, a way back."""
        count = upload.preview.get("removable", 0)
        text = self.m.render(
            lang,
            "upload_prune_confirm",
            count=count,
            filename=upload.filename,
            sample=upload.preview.get("removable_sample", []),
        )
        label = self.m.label
        return Reply(
            text,
            rows(
                [
                    Button(
                        label(lang, "upload_prune_confirm", count=count),
                        callbacks.confirm_pruning(upload.id),
                    )
                ],
                [Button(label(lang, "back"), callbacks.preview(upload.id))],
            ),
            edit=True,
        )

    def alias_takes_over(self, lang: str, takes: TakesOver) -> Reply:
        """The question opens another card today: map it anyway, or leave it."""
        text = self.m.render(
            lang, "alias_takes_over", code=takes.code, current=takes.current, name=takes.name
        )
        label = self.m.label
        return Reply(
            text,
            rows(
                [
                    Button(
                        label(lang, "alias_confirm", code=takes.code), callbacks.alias_confirm(True)
                    )
                ],
                [Button(label(lang, "cancel"), callbacks.alias_confirm(False))],
            ),
        )

    def undo_confirm(self, lang: str, latest: Undoable) -> Reply:
        """Which file /hoantac would revert, and the button that does it."""
        text = self.m.render(lang, "undo_confirm", u=latest)
        return Reply(
            text, rows([Button(self.m.label(lang, "undo_button"), callbacks.undo(latest.id))])
        )

    def _card(self, lang: str, record: dict[str, Any] | None) -> Markup | str:
        """A procedure's card as citizens will see it once the file applies."""
        if not record:
            return ""
        values = {k: v for k, v in record.items() if k in STORED_FIELDS}
        if values.get("effective_date"):
            values["effective_date"] = date.fromisoformat(values["effective_date"])
        procedure = Procedure(code=record["code"], **values)
        # Rendered by the card's own (escaping) template: safe to place as it is.
        return Markup(CatalogViews(self.m).card_text(lang, procedure, [], stored=False))

    def upload_rejected(self, lang: str, rejected: UploadRejected) -> Reply:
        """Why the file cannot be applied: its type, unreadable, or problems by row."""
        problems = [self.problem(lang, p) for p in rejected.problems[:10]]
        return Reply(
            self.m.render(
                lang,
                "upload_rejected",
                reason=rejected.reason,
                detail=rejected.detail,
                problems=problems,
                count=rejected.count,
            )
        )

    def problem(self, lang: str, problem: Problem) -> str:
        """One validation problem in the reader's language: where, which column, what."""
        label = self.m.label
        where = _WHERE.match(problem.where)
        place = (
            label(
                lang,
                "problem_where",
                kind=where["kind"],
                number=where["number"],
                sheet=where["sheet"],
            )
            if where
            else problem.where
        )
        column = label(lang, "problem_field", field=problem.field)
        for key, pattern in _PROBLEMS:
            found = pattern.search(problem.message)
            if found:
                values = {"value": None, **found.groupdict()}
                return label(lang, f"problem_{key}", where=place, field=column, **values)
        return label(lang, "problem_other", where=place, field=column, value=problem.message)

    # -- the unanswered inbox -----------------------------------------------------------

    def inbox(self, lang: str, page: InboxPage) -> Reply:
        """A page of open questions, most asked first; a button per question."""
        label = self.m.label
        first = page.page * 5
        text = self.m.render(lang, "inbox", page=page, first=first)
        buttons = [
            Button(caption(f"{first + i + 1}. {q.query}", 60), callbacks.question(q.id))
            for i, q in enumerate(page.questions)
        ]
        nav = pager(lambda key: label(lang, key), "un:l:", page.page, page.pages)
        return Reply(text, rows(*[[b] for b in buttons], nav))

    def question(
        self, lang: str, question: Question, candidates: list[Hit], *, searched: str | None = None
    ) -> Reply:
        """One question with the procedures it could mean, "search another", "not a procedure"."""
        label = self.m.label
        text = self.m.render(
            lang, "inbox_question", q=question, candidates=candidates, searched=searched
        )
        choices = [
            [Button(caption(f"{i}. {hit.name}", 60), callbacks.map_to(question.id, hit.code))]
            for i, hit in enumerate(candidates, start=1)
        ]
        return Reply(
            text,
            rows(
                *choices,
                [Button(label(lang, "inbox_find"), callbacks.find_other(question.id))],
                [Button(label(lang, "inbox_set_aside"), callbacks.set_aside(question.id))],
                [Button(label(lang, "inbox_back"), callbacks.inbox_page(0))],
            ),
        )

    def mapped(self, lang: str, mapped: Mapped, *, edit: bool) -> Reply:
        """The question now leads to the procedure; how many citizens will hear of it."""
        text = self.m.render(lang, "inbox_mapped", m=mapped)
        back = rows([Button(self.m.label(lang, "inbox_back"), callbacks.inbox_page(0))])
        return Reply(text, back, edit=edit)

    # -- the audit journal --------------------------------------------------------------

    def audit(self, lang: str, page: AuditPage) -> Reply:
        """A page of the journal, newest first."""
        label = self.m.label
        text = self.m.render(lang, "audit_page", page=page)
        nav = pager(lambda key: label(lang, key), callbacks.AUDIT_PAGE, page.page, page.pages)
        unmap = [
            [
                Button(
                    caption(label(lang, "unmap_button", question=e.details.get("question", ""))),
                    callbacks.unmap(e.id),
                )
            ]
            for e in page.entries
            if e.action == "map_question" and e.id is not None and e.details
        ]
        return Reply(text, rows(*unmap, nav))

    # -- the citizen's follow-up --------------------------------------------------------

    def answer(self, lang: str, payload: dict[str, Any]) -> Reply:
        """ "Bạn đã hỏi … — thủ tục phù hợp là …" with the card's button."""
        text = self.m.render(lang, "answer_followup", query=payload["query"], name=payload["name"])
        button = Button(
            self.m.label(lang, "open_procedure"), catalog_callbacks.card(payload["code"])
        )
        return Reply(text, rows([button]))


def _changes(upload: Upload) -> bool:
    p = upload.preview
    if upload.kind.value == "catalog":
        return bool(p.get("added") or p.get("changed") or p.get("removable"))
    return bool(p.get("added") or p.get("changed") or p.get("emptied"))

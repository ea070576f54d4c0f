"""Staff desk replies.

Upload previews, the unanswered inbox, the audit journal, and the follow-up a citizen
receives when staff answer their question.
"""

from __future__ import annotations

import re
from typing import Any

from tthc.audit.service import AuditPage
from tthc.bot.catalog import callbacks as catalog_callbacks
from tthc.bot.replies import Button, Reply, caption, pager, rows
from tthc.bot.staff import callbacks
from tthc.catalog.inbox import InboxPage, Mapped, Question
from tthc.catalog.search import Hit
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
            expires=upload.expires_at,
            moved=moved,
        )
        if not _changes(upload):
            return Reply(text, rows([Button(label(lang, "cancel"), callbacks.cancel(upload.id))]))
        prune = []
        if preview.get("removable"):
            count = preview["removable"]
            prune = [
                Button(label(lang, "upload_prune", count=count), callbacks.apply_pruning(upload.id))
            ]
        return Reply(
            text,
            rows(
                [Button(label(lang, "upload_apply"), callbacks.apply(upload.id))],
                prune,
                [Button(label(lang, "cancel"), callbacks.cancel(upload.id))],
            ),
        )

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
                value = found.groupdict().get("value")
                return label(lang, f"problem_{key}", where=place, field=column, value=value)
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
        return Reply(text, rows(nav))

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
    return bool(p.get("added") or p.get("changed"))

"""The rating message: the scale, optional criteria and comment, send or cancel."""

from __future__ import annotations

from tthc.bot.ratings import callbacks
from tthc.bot.replies import Button, Reply, rows
from tthc.messages import Messages
from tthc.users.conversation import RatingDraft

# Faces for the scale, best first, picked to match its length (3 or 5 levels).
FACES = {3: ["😀", "🙂", "🙁"], 5: ["😀", "🙂", "😐", "🙁", "😞"]}


def faces(n: int) -> list[str]:
    """A face per scale level; digits when the scale has another length."""
    return FACES.get(n, [str(i + 1) for i in range(n)])


class RatingViews:
    """Turns rating drafts into replies; scale and criteria are shown in the user's language."""

    def __init__(self, messages: Messages, scale: list[str], criteria: list[str]) -> None:
        self.m = messages
        self.scale = scale
        self.criteria = criteria

    def rating_prompt(self, lang: str, code: str | None) -> Reply:
        """Pick a level of the scale."""
        scale = [self.m.term(lang, s) for s in self.scale]
        buttons = [
            (Button(f"{face} {label}", callbacks.level(i)),)
            for i, (face, label) in enumerate(zip(faces(len(scale)), scale, strict=True))
        ]
        buttons.append((Button(self.m.label(lang, "cancel"), callbacks.CANCEL),))
        return Reply(self.m.render(lang, "rating_prompt", code=code), tuple(buttons))

    def rating_draft(self, lang: str, draft: RatingDraft, *, edit: bool = True) -> Reply:
        """The chosen level, optional criteria and comment, and the send button."""
        assert draft.level is not None
        marks = faces(len(self.scale))
        scale = [self.m.term(lang, s) for s in self.scale]
        chosen = {int(k): v for k, v in draft.criteria.items()}
        criteria = [
            (
                self.m.term(lang, name),
                marks[chosen[i]] + " " + scale[chosen[i]] if i in chosen else None,
            )
            for i, name in enumerate(self.criteria)
        ]
        text = self.m.render(
            lang,
            "rating_draft",
            code=draft.code,
            level=scale[draft.level],
            criteria=criteria,
            comment=draft.comment,
        )
        criterion_rows = [
            tuple(
                Button(
                    f"{i + 1}{'✔' if chosen.get(i) == j else ''} {face}", callbacks.criterion(i, j)
                )
                for j, face in enumerate(marks)
            )
            for i in range(len(self.criteria))
        ]
        keyboard = rows(
            *criterion_rows,
            [Button(self.m.label(lang, "rating_comment"), callbacks.COMMENT)],
            [
                Button(self.m.label(lang, "rating_send"), callbacks.SEND),
                Button(self.m.label(lang, "cancel"), callbacks.CANCEL),
            ],
        )
        return Reply(text, keyboard, edit=edit)

"""Replies for ratings, complaints, roles and reports (no Telegram objects, no database)."""

from __future__ import annotations

from typing import Any

from bot.replies import Button, Reply, rows
from messages import Messages

# Faces for the scale, best first, picked to match its length (3 or 5 levels).
FACES = {3: ["😀", "🙂", "🙁"], 5: ["😀", "🙂", "😐", "🙁", "😞"]}


def faces(n: int) -> list[str]:
    """A face per scale level; digits when the scale has another length."""
    return FACES.get(n, [str(i + 1) for i in range(n)])


class FeedbackViews:
    """Turns rating drafts, tickets and reports into replies in the user's language."""

    def __init__(self, messages: Messages, scale: list[str], criteria: list[str]) -> None:
        self.m = messages
        self.scale = scale
        self.criteria = criteria

    def rating_prompt(self, lang: str, code: str | None) -> Reply:
        """Pick a level of the scale."""
        buttons = [
            (Button(f"{face} {label}", f"g:l:{i}"),)
            for i, (face, label) in enumerate(zip(faces(len(self.scale)), self.scale, strict=True))
        ]
        buttons.append((Button(self.m.label(lang, "cancel"), "g:x"),))
        return Reply(self.m.render(lang, "rating_prompt", code=code), tuple(buttons))

    def rating_draft(self, lang: str, draft: dict[str, Any], *, edit: bool = True) -> Reply:
        """The chosen level, optional criteria and comment, and the send button."""
        marks = faces(len(self.scale))
        chosen = {int(k): v for k, v in draft.get("criteria", {}).items()}
        criteria = [
            (name, marks[chosen[i]] + " " + self.scale[chosen[i]] if i in chosen else None)
            for i, name in enumerate(self.criteria)
        ]
        text = self.m.render(
            lang,
            "rating_draft",
            code=draft.get("code"),
            level=self.scale[draft["level"]],
            criteria=criteria,
            comment=draft.get("comment"),
        )
        criterion_rows = [
            tuple(
                Button(f"{i + 1}{'✔' if chosen.get(i) == j else ''} {face}", f"g:c:{i}:{j}")
                for j, face in enumerate(marks)
            )
            for i in range(len(self.criteria))
        ]
        keyboard = rows(
            *criterion_rows,
            [Button(self.m.label(lang, "rating_comment"), "g:m")],
            [
                Button(self.m.label(lang, "rating_send"), "g:s"),
                Button(self.m.label(lang, "cancel"), "g:x"),
            ],
        )
        return Reply(text, keyboard, edit=edit)

    def complaint_draft(self, lang: str, draft: dict[str, Any]) -> Reply:
        """The complaint as it will be filed, with Gửi / Sửa / Hủy."""
        attachment = draft.get("attachment")
        text = self.m.render(
            lang,
            "complaint_confirm",
            about=draft.get("about"),
            text=draft["text"],
            attachment=attachment[0] if attachment else None,
        )
        label = self.m.label
        keyboard = rows(
            [Button(label(lang, "complaint_send"), "pa:s")],
            [Button(label(lang, "complaint_edit"), "pa:e"), Button(label(lang, "cancel"), "pa:x")],
        )
        return Reply(text, keyboard)

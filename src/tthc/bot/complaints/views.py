"""The complaint shown back before it is filed."""

from __future__ import annotations

from tthc.bot.complaints import callbacks
from tthc.bot.replies import Button, Reply, rows
from tthc.messages import Messages
from tthc.users.conversation import ComplaintDraft


class ComplaintViews:
    """Turns a complaint draft into the confirmation reply."""

    def __init__(self, messages: Messages) -> None:
        self.m = messages

    def complaint_draft(self, lang: str, draft: ComplaintDraft) -> Reply:
        """The complaint as it will be filed, with Gửi / Sửa / Hủy."""
        text = self.m.render(
            lang,
            "complaint_confirm",
            about=draft.about,
            text=draft.text,
            attachment=draft.attachment[0] if draft.attachment else None,
        )
        label = self.m.label
        keyboard = rows(
            [Button(label(lang, "complaint_send"), callbacks.SEND)],
            [
                Button(label(lang, "complaint_edit"), callbacks.EDIT),
                Button(label(lang, "cancel"), callbacks.DROP),
            ],
        )
        return Reply(text, keyboard)

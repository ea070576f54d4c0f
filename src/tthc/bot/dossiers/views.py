"""The dossiers' replies: lookups, the status card, change notifications."""

from __future__ import annotations

from typing import Any

from tthc.bot.catalog import callbacks as catalog_callbacks
from tthc.bot.dossiers import callbacks
from tthc.bot.menu import menu
from tthc.bot.replies import Button, Reply, rows
from tthc.core.clock import utcnow
from tthc.dossiers.service import DossierView, LookupResult, Outcome
from tthc.messages import Messages


class DossierViews:
    """Turns lookups and dossiers into replies in the user's language."""

    def __init__(self, messages: Messages, contact: str | None = None) -> None:
        self.m = messages
        self.contact = contact  # how to reach the centre (CENTRE_CONTACT)

    def _text(self, lang: str, template: str, **values: Any) -> Reply:
        return Reply(self.m.render(lang, template, **values))

    def dossier_lookup(self, lang: str, result: LookupResult, example: str) -> Reply:
        """The reply to a lookup, whatever its outcome."""
        o = result.outcome
        if o is Outcome.FOUND:
            assert result.dossier is not None
            return self.dossier_status(lang, result.dossier)
        if o in (Outcome.LIMITED, Outcome.PROTECTED):
            assert result.retry_at is not None
            minutes = max(1, round((result.retry_at - utcnow()).total_seconds() / 60))
            stopped = "dossier_limited" if o is Outcome.LIMITED else "dossier_protected"
            return self._text(
                lang,
                stopped,
                retry=result.retry_at,
                minutes=minutes,
                code=result.code,
                contact=self.contact,
            )
        template = {
            Outcome.NEED_SECRET: "dossier_secret_prompt",
            Outcome.WRONG_SECRET: "dossier_secret_wrong",
            Outcome.MALFORMED: "dossier_malformed",
        }[o]
        return self._text(
            lang, template, code=result.code, example=example, left=result.attempts_left
        )

    def dossier_status(self, lang: str, dossier: DossierView, *, edit: bool = False) -> Reply:
        """Status, meaning, next step and dates, with follow/refresh buttons."""
        label = self.m.label
        code = dossier.code
        follow = (
            Button(label(lang, "unsubscribe"), callbacks.unfollow(code))
            if dossier.subscribed
            else Button(label(lang, "subscribe"), callbacks.follow(code))
        )
        keyboard = rows(
            [Button(label(lang, "rate"), callbacks.rate(code))] if dossier.status.finished else [],
            [follow],
            [Button(label(lang, "refresh"), callbacks.view(code))],
            [Button(label(lang, "open_procedure"), catalog_callbacks.card(dossier.procedure_code))]
            if dossier.procedure_code
            else [],
            [Button(label(lang, "main_menu"), menu("home"))],
        )
        return Reply(self.m.render(lang, "dossier_status", d=dossier), keyboard, edit=edit)

    def dossier_changed(self, lang: str, dossier: DossierView, previous: str | None) -> Reply:
        """The notification a follower receives when an import changes the status."""
        label = self.m.label
        keyboard = rows(
            [Button(label(lang, "details"), callbacks.view(dossier.code))],
            [Button(label(lang, "rate"), callbacks.rate(dossier.code))]
            if dossier.status.finished
            else [],
            [Button(label(lang, "unsubscribe"), callbacks.unfollow(dossier.code))],
        )
        return Reply(self.m.render(lang, "dossier_changed", d=dossier, previous=previous), keyboard)

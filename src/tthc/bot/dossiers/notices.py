"""What a followed dossier's status change says when the outbox delivers it."""

from __future__ import annotations

from tthc.bot.context import BotContext
from tthc.bot.dossiers.views import DossierViews
from tthc.bot.replies import Reply
from tthc.core.models import OutboxMessage
from tthc.dossiers.status import LABELS, Status


async def status_notice(context: BotContext, message: OutboxMessage, lang: str) -> Reply | None:
    """A followed dossier's new status (None when the dossier was deleted since)."""
    found = await context.call(context.services.dossiers.notification, message)
    if found is None:
        return None
    dossier, previous = found
    return DossierViews(context.services.messages).dossier_changed(
        lang, dossier, LABELS[Status(previous)] if previous else None
    )

"""Complaints in the chat: citizens write and confirm them; staff read, answer and close."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, datetime

from telegram import Update

from tthc.bot.common import (
    arguments,
    current_user,
    message_text,
    private_only,
    remember,
    reply_text,
    stale_button,
)
from tthc.bot.common import views as common_views
from tthc.bot.complaints import callbacks
from tthc.bot.complaints.views import ComplaintViews
from tthc.bot.context import BotContext
from tthc.bot.dossiers import handlers as dossiers
from tthc.bot.replies import Reply
from tthc.bot.roles import requires
from tthc.bot.sender import send
from tthc.complaints.service import due_day, is_overdue, ticket
from tthc.complaints.usecases import file_complaint
from tthc.core.clock import vietnam_today
from tthc.core.models import OutboxMessage
from tthc.users.conversation import (
    ComplaintDraft,
    ComplaintPrompt,
    DossierIntent,
    read,
)
from tthc.users.roles import Role
from tthc.users.service import UserView

log = logging.getLogger(__name__)
MAX_COMPLAINT = 4000  # the complaint text column and its validation agree
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")


def views(context: BotContext) -> ComplaintViews:
    return ComplaintViews(context.services.messages)


@private_only()
async def complaint_command(update: Update, context: BotContext) -> None:
    """`/phananh [dossier or procedure code] [text]`, or the menu.

    A code names what the complaint is about (a dossier code goes through the check
    digits); anything else typed after the command is the complaint itself.
    """
    user = await current_user(update, context)
    args = arguments(context)
    first = args[0] if args else ""
    rest = " ".join(args[1:]).strip()
    services = context.services
    if not args:
        await ask_complaint(update, context, user, None)
    elif services.dossiers.looks_like_code(first):
        await dossiers.lookup(update, context, user, first, intent=DossierIntent.COMPLAINT)
    elif PROCEDURE_CODE.match(first):
        procedure = await context.call(services.catalog.get, first)
        if procedure is None:
            await reply_text(update, context, user, "unknown_procedure", menu=True, code=first)
        elif rest:
            await _draft(update, context, user, rest, None, about=first)
        else:
            await ask_complaint(update, context, user, first)
    else:
        await _draft(update, context, user, " ".join(args), None, about=None)


async def menu_complaint(update: Update, context: BotContext, user: UserView) -> None:
    """The `m:complaint` menu button."""
    await ask_complaint(update, context, user, None)


async def about_dossier(update: Update, context: BotContext, user: UserView, code: str) -> None:
    """A found dossier the citizen wants to complain about."""
    await ask_complaint(update, context, user, code)


async def ask_complaint(
    update: Update, context: BotContext, user: UserView, about: str | None
) -> None:
    """Ask for the complaint; the user's next message (text, photo or file) is it."""
    await remember(context, user, ComplaintPrompt(about))
    await reply_text(update, context, user, "complaint_prompt", about=about)


async def on_text(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """The complaint's text, when one was asked for."""
    asked = read(user)
    if not isinstance(asked, ComplaintPrompt):
        return False
    await _draft(update, context, user, text, None, about=asked.about)
    return True


async def on_attachment(update: Update, context: BotContext, user: UserView) -> bool:
    """A photo or file sent as the complaint (its caption is the text)."""
    asked = read(user)
    message = update.effective_message
    if not isinstance(asked, ComplaintPrompt) or message is None:
        return False
    if message.photo:
        attachment = ("photo", message.photo[-1].file_id)
    elif message.document:
        attachment = ("document", message.document.file_id)
    else:
        return False
    await _draft(update, context, user, message_text(update), attachment, about=asked.about)
    return True


async def _draft(
    update: Update,
    context: BotContext,
    user: UserView,
    text: str,
    attachment: tuple[str, str] | None,
    *,
    about: str | None,
) -> None:
    """Show the complaint back with Gửi / Sửa / Hủy; nothing is filed before Gửi."""
    if not text.strip():
        await reply_text(update, context, user, "complaint_empty")
        return
    if len(text) > MAX_COMPLAINT:
        await reply_text(
            update, context, user, "too_long_text", length=len(text), limit=MAX_COMPLAINT
        )
        return
    draft = ComplaintDraft(about, text.strip(), attachment)
    await remember(context, user, draft)
    await send(update, context, views(context).complaint_draft(user.language, draft))


@private_only()
async def complaint_button(update: Update, context: BotContext) -> None:
    """Send, rewrite or drop the complaint shown back (see `callbacks`)."""
    user = await current_user(update, context)
    action = callbacks.parse(update.callback_query.data or "" if update.callback_query else "")
    draft = read(user)
    if not isinstance(draft, ComplaintDraft):
        await stale_button(update, context)  # filed or dropped already
        return
    if action == "x":
        await remember(context, user, None)
        reply = common_views(context).text(user.language, "cancelled", menu=True)
        await send(update, context, replace(reply, edit=True))
        return
    if action == "e":
        await ask_complaint(update, context, user, draft.about)
        return
    s = context.services
    days = s.settings.complaint_answer_days
    filed = await context.call(
        file_complaint, context.services, user.id, draft, vietnam_today(), days
    )
    if filed is None:  # sent already: a double tap, maybe on another instance
        await stale_button(update, context)
        return
    reply = common_views(context).text(
        user.language,
        "complaint_filed",
        ticket=filed.ticket,
        days=filed.days,
        due=filed.due,
        menu=True,
    )
    await send(update, context, replace(reply, edit=True))


# -- staff -----------------------------------------------------------------------------


@requires(Role.STAFF)
async def inbox_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/hopthu`: open complaints (staff), overdue ones first."""
    complaints = await context.call(context.services.complaints.open_complaints, 100)
    days, today = context.services.settings.complaint_answer_days, vietnam_today()
    items = [
        {
            "ticket": ticket(c.id or 0),
            "created": c.created_at,
            "due": due_day(c.created_at, days),
            "overdue": is_overdue(c.created_at, days, today),
            "about": c.dossier_code or c.procedure_code,
            "attachment": bool(c.attachment_file_id),
            "text": c.text,
        }
        for c in complaints
    ]
    items.sort(key=lambda item: not item["overdue"])  # stable: oldest first within each
    await reply_text(update, context, user, "complaint_list", items=items[:20], count=len(items))


async def overdue_reminders(context: BotContext) -> None:
    """The JobQueue's check: staff are reminded once of each ticket that becomes overdue."""
    services = context.services
    staff = {user_id for user_id, _ in await context.call(services.roles.members, Role.STAFF)}
    queued = await context.call(
        services.complaints.remind_overdue,
        sorted(staff | set(services.settings.admin_ids)),
        working_days=services.settings.complaint_answer_days,
        today=vietnam_today(),
    )
    if queued:
        log.info("overdue complaint reminders queued", extra={"count": queued})


async def overdue_notice(context: BotContext, message: OutboxMessage, lang: str) -> Reply:
    """What a reminder says when the outbox delivers it."""
    payload = message.payload
    return common_views(context).text(
        lang,
        "complaint_overdue",
        ticket=payload["ticket"],
        created=datetime.fromisoformat(payload["created"]),
        due=date.fromisoformat(payload["due"]),
    )


@requires(Role.STAFF)
async def answer_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/traloi <ticket> <text>`: answer a complaint; the citizen gets the answer."""
    args = arguments(context)
    messages = context.services.messages
    if len(args) < 2:
        usage = messages.label(user.language, "usage_answer")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    answered = await context.call(
        context.services.complaints.answer, args[0], " ".join(args[1:]), staff_id=user.id
    )
    if answered is None:
        await reply_text(update, context, user, "ticket_unknown", ticket=args[0])
        return
    await reply_text(update, context, user, "staff_answered", ticket=answered.ticket)


async def answer_notice(context: BotContext, message: OutboxMessage, lang: str) -> Reply:
    """The outbox's message to the citizen: staff's answer to their complaint."""
    payload = message.payload
    return common_views(context).text(
        lang, "complaint_answer", ticket=payload["ticket"], answer=payload["answer"]
    )


@requires(Role.STAFF)
async def close_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/dong <ticket>`: close a complaint."""
    args = arguments(context)
    if not args:
        usage = context.services.messages.label(user.language, "usage_close")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    closed = await context.call(context.services.complaints.close, args[0])
    template = "staff_closed" if closed else "ticket_unknown"
    await reply_text(update, context, user, template, ticket=args[0].upper()[:20])

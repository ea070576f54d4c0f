"""Ratings, complaints, staff answers, roles and manager reports."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden

from bot.context import BotContext
from bot.feedback_views import FeedbackViews
from bot.handlers import common, dossier
from bot.handlers.common import arguments, current_user, in_private, private_only, views
from bot.replies import Reply
from bot.sender import send, send_to
from complaints.service import answer_due, ticket
from dossiers.service import Outcome
from foundation.claims import claim_once
from foundation.clock import VIETNAM, vietnam_today
from foundation.inputs import ascii_int
from ratings.service import RatingRefusal
from reports import render
from reports.figures import dossiers as dossier_report
from reports.figures import satisfaction
from users.roles import NotAdmin, Role
from users.service import UserView

log = logging.getLogger(__name__)
RATING = "rating"
COMPLAINT = "complaint"
COMPLAINT_CONFIRM = "complaint_confirm"
MAX_COMPLAINT = 4000  # the complaint text column and its validation agree
MAX_COMMENT = 2000
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
ROLE_NAMES = {
    "vi": {Role.STAFF: "cán bộ", Role.MANAGER: "lãnh đạo, quản lý"},
    "en": {Role.STAFF: "staff", Role.MANAGER: "managers"},
}


def fviews(context: BotContext) -> FeedbackViews:
    """The feedback reply builders."""
    return context.bot_data["feedback_views"]  # type: ignore[no-any-return]


# -- ratings ---------------------------------------------------------------------------


@private_only()
async def rate_command(update: Update, context: BotContext) -> None:
    """`/danhgia <code>` rates a finished dossier; `/danhgia` alone rates the service."""
    user = await current_user(update, context)
    await start_rating(update, context, user, " ".join(arguments(context)) or None)


@private_only()
async def rate_button(update: Update, context: BotContext) -> None:
    """`g:d:<code>` (under a finished dossier) and `m:rate` (the menu)."""
    user = await current_user(update, context)
    data = update.callback_query.data or "" if update.callback_query else ""
    await start_rating(update, context, user, data[4:] if data.startswith("g:d:") else None)


async def start_rating(
    update: Update, context: BotContext, user: UserView, code: str | None
) -> None:
    """Check the dossier (looking it up first if needed), then ask for a level."""
    services = context.services
    if code is not None:
        result = await context.call(services.dossiers.lookup, user.id, code)
        if result.outcome is not Outcome.FOUND:  # malformed, check digits needed, limited
            await dossier.reply_lookup(update, context, user, result, dossier.Intent.RATE)
            return
        code = result.code
        target = await context.call(services.ratings.target, user.id, code)
        if target is RatingRefusal.UNFINISHED:
            assert result.dossier is not None
            reply = views(context).text(
                user.language, "rating_unfinished", code=code, status=result.dossier.status_label
            )
            await send(update, context, reply)
            return
    await context.call(services.users.set_state, user.id, RATING, {"code": code})
    await send(update, context, fviews(context).rating_prompt(user.language, code))


@private_only()
async def rating_button(update: Update, context: BotContext) -> None:
    """`g:l:<level>`, `g:c:<criterion>:<level>`, `g:m` (comment), `g:s` (send), `g:x` (cancel)."""
    user = await current_user(update, context)
    parts = (update.callback_query.data or "").split(":") if update.callback_query else []
    services = context.services
    draft: dict[str, Any] = dict(user.state_data) if user.state == RATING else {}
    action = parts[1]
    if action == "x":
        await context.call(services.users.set_state, user.id, None)
        await send(update, context, views(context).text(user.language, "cancelled", menu=True))
        return
    scale = len(services.settings.rating_scale)
    criteria = len(services.settings.rating_criteria)
    if (
        user.state != RATING
        or (action != "l" and "level" not in draft)
        or (action == "l" and int(parts[2]) >= scale)
        or (action == "c" and (int(parts[2]) >= criteria or int(parts[3]) >= scale))
    ):
        # An old rating message (its draft is gone), or a forged or outdated button whose
        # level or criterion is not on the configured scale: nothing is stored.
        await common.stale_button(update, context)
        return
    if action == "l":
        draft["level"] = int(parts[2])
    elif parts[1] == "c":
        draft.setdefault("criteria", {})[parts[2]] = int(parts[3])
    elif parts[1] == "m":
        draft["await_comment"] = True
        await context.call(services.users.set_state, user.id, RATING, draft)
        await send(update, context, views(context).text(user.language, "rating_comment_prompt"))
        return
    elif parts[1] == "s":
        await _submit(update, context, user, draft)
        return
    await context.call(services.users.set_state, user.id, RATING, draft)
    await send(update, context, fviews(context).rating_draft(user.language, draft))


async def _submit(
    update: Update, context: BotContext, user: UserView, draft: dict[str, Any]
) -> None:
    services = context.services
    criteria = {
        services.settings.rating_criteria[int(i)]: level
        for i, level in draft.get("criteria", {}).items()
        if int(i) < len(services.settings.rating_criteria)
    }
    code = draft.get("code")
    replaced = await context.call(services.ratings.has_rated, user.id, code) if code else False
    await context.call(
        services.ratings.rate,
        user.id,
        code,
        scale=draft["level"],
        criteria=criteria,
        comment=draft.get("comment"),
    )
    await context.call(services.users.set_state, user.id, None)
    level = services.settings.rating_scale[draft["level"]]
    reply = views(context).text(
        user.language, "rating_thanks", code=code, level=level, replaced=replaced, menu=True
    )
    await send(update, context, reply)


async def handle_text(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """A comment for a rating draft or the text of a complaint; else False."""
    if user.state == RATING and user.state_data.get("await_comment"):
        if len(text) > MAX_COMMENT:
            reply = views(context).text(
                user.language, "too_long_text", length=len(text), limit=MAX_COMMENT
            )
            await send(update, context, reply)
            return True
        draft = dict(user.state_data)
        draft.pop("await_comment")
        draft["comment"] = text.strip()
        await context.call(context.services.users.set_state, user.id, RATING, draft)
        await send(update, context, fviews(context).rating_draft(user.language, draft, edit=False))
        return True
    if user.state == COMPLAINT:
        await _draft_complaint(
            update, context, user, text, None, about=user.state_data.get("about")
        )
        return True
    return False


# -- complaints ------------------------------------------------------------------------


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
        await dossier.lookup(update, context, user, first, intent=dossier.Intent.COMPLAINT)
    elif PROCEDURE_CODE.match(first):
        procedure = await context.call(services.catalog.get, first)
        if procedure is None:
            reply = views(context).text(user.language, "unknown_procedure", menu=True, code=first)
            await send(update, context, reply)
        elif rest:
            await _draft_complaint(update, context, user, rest, None, about=first)
        else:
            await ask_complaint(update, context, user, first)
    else:
        await _draft_complaint(update, context, user, " ".join(args), None, about=None)


async def _complaint_about_dossier(
    update: Update, context: BotContext, user: UserView, code: str
) -> None:
    await ask_complaint(update, context, user, code)


async def _rate_found_dossier(
    update: Update, context: BotContext, user: UserView, code: str
) -> None:
    await start_rating(update, context, user, code)


dossier.CONTINUATIONS[dossier.Intent.COMPLAINT] = _complaint_about_dossier
dossier.CONTINUATIONS[dossier.Intent.RATE] = _rate_found_dossier


async def ask_complaint(
    update: Update, context: BotContext, user: UserView, about: str | None
) -> None:
    """Ask for the complaint; the user's next message (text, photo or file) is it."""
    await context.call(context.services.users.set_state, user.id, COMPLAINT, {"about": about})
    await send(update, context, views(context).text(user.language, "complaint_prompt", about=about))


async def attachment_message(update: Update, context: BotContext) -> None:
    """A photo or file: part of a complaint being written, otherwise not understood.

    In a group chat a photo is somebody talking to the group, not to the bot: ignored.
    """
    if not in_private(update, context):
        return
    user = await current_user(update, context)
    message = update.effective_message
    if user.state != COMPLAINT or message is None:
        await common.unsupported(update, context)
        return
    if message.photo:
        attachment = ("photo", message.photo[-1].file_id)
    elif message.document:
        attachment = ("document", message.document.file_id)
    else:
        await common.unsupported(update, context)
        return
    about = user.state_data.get("about")
    await _draft_complaint(update, context, user, message.caption or "", attachment, about=about)


async def _draft_complaint(
    update: Update,
    context: BotContext,
    user: UserView,
    text: str,
    attachment: tuple[str, str] | None,
    *,
    about: str | None,
) -> None:
    """Show the complaint back with Gửi / Sửa / Hủy; nothing is filed before Gửi."""
    v = views(context)
    if not text.strip():
        await send(update, context, v.text(user.language, "complaint_empty"))
        return
    if len(text) > MAX_COMPLAINT:
        reply = v.text(user.language, "too_long_text", length=len(text), limit=MAX_COMPLAINT)
        await send(update, context, reply)
        return
    draft = {"about": about, "text": text.strip(), "attachment": attachment}
    await context.call(context.services.users.set_state, user.id, COMPLAINT_CONFIRM, draft)
    await send(update, context, fviews(context).complaint_draft(user.language, draft))


@private_only()
async def complaint_button(update: Update, context: BotContext) -> None:
    """`pa:s` files the shown complaint, `pa:e` lets the citizen rewrite it, `pa:x` drops it."""
    user = await current_user(update, context)
    action = (update.callback_query.data or "")[3:] if update.callback_query else ""
    services = context.services
    v = views(context)
    if user.state != COMPLAINT_CONFIRM:
        await common.stale_button(update, context)  # filed or dropped already
        return
    draft = user.state_data
    if action == "x":
        await context.call(services.users.set_state, user.id, None)
        await send(
            update, context, replace(v.text(user.language, "cancelled", menu=True), edit=True)
        )
        return
    if action == "e":
        await ask_complaint(update, context, user, draft.get("about"))
        return
    about = draft.get("about")
    dossier_code = about if about and services.dossiers.looks_like_code(about) else None
    procedure_code = about if about and not dossier_code else None
    attachment = tuple(draft["attachment"]) if draft.get("attachment") else None
    number = await context.call(
        services.complaints.file,
        user.id,
        draft["text"],
        attachment=attachment,  # type: ignore[arg-type]
        dossier_code=dossier_code,
        procedure_code=procedure_code,
    )
    await context.call(services.users.set_state, user.id, None)
    days = services.settings.complaint_answer_days
    due = answer_due(vietnam_today(), days)
    reply = v.text(user.language, "complaint_filed", ticket=number, days=days, due=due, menu=True)
    await send(update, context, replace(reply, edit=True))


# -- staff -----------------------------------------------------------------------------


async def _allowed(update: Update, context: BotContext, user: UserView, role: Role) -> bool:
    if await context.call(context.services.roles.has, user.id, role):
        return True
    name = ROLE_NAMES.get(user.language, ROLE_NAMES["vi"])[role]
    await send(update, context, views(context).text(user.language, "not_allowed", role=name))
    return False


@private_only(staff=True)
async def inbox_command(update: Update, context: BotContext) -> None:
    """`/hopthu`: open complaints (staff)."""
    user = await current_user(update, context)
    if not await _allowed(update, context, user, Role.STAFF):
        return
    complaints = await context.call(context.services.complaints.open_complaints)
    items = [
        {
            "ticket": ticket(c.id or 0),
            "created": c.created_at,
            "about": c.dossier_code or c.procedure_code,
            "attachment": bool(c.attachment_file_id),
            "text": c.text,
        }
        for c in complaints
    ]
    await send(update, context, views(context).text(user.language, "complaint_list", items=items))


@private_only(staff=True)
async def answer_command(update: Update, context: BotContext) -> None:
    """`/traloi <ticket> <text>`: answer a complaint; the citizen gets the answer."""
    user = await current_user(update, context)
    if not await _allowed(update, context, user, Role.STAFF):
        return
    v = views(context)
    args = arguments(context)
    if len(args) < 2:
        await send(
            update,
            context,
            v.text(user.language, "staff_usage", usage="/traloi PA-000001 nội dung trả lời"),
        )
        return
    answered = await context.call(
        context.services.complaints.answer, args[0], " ".join(args[1:]), staff_id=user.id
    )
    if answered is None:
        await send(update, context, v.text(user.language, "ticket_unknown", ticket=args[0]))
        return
    citizen = await context.call(context.services.users.touch, answered.user_id)
    note = v.text(
        citizen.language, "complaint_answer", ticket=answered.ticket, answer=answered.answer
    )
    delivered = True
    try:
        await send_to(context.bot, answered.user_id, note)
    except (Forbidden, BadRequest) as exc:  # the citizen blocked the bot or left
        log.warning("complaint answer %s not delivered: %s", answered.ticket, exc)
        delivered = False
    reply = v.text(user.language, "staff_answered", ticket=answered.ticket, delivered=delivered)
    await send(update, context, reply)


@private_only(staff=True)
async def close_command(update: Update, context: BotContext) -> None:
    """`/dong <ticket>`: close a complaint."""
    user = await current_user(update, context)
    if not await _allowed(update, context, user, Role.STAFF):
        return
    v = views(context)
    args = arguments(context)
    if not args:
        await send(update, context, v.text(user.language, "staff_usage", usage="/dong PA-000001"))
        return
    closed = await context.call(context.services.complaints.close, args[0])
    template = "staff_closed" if closed else "ticket_unknown"
    await send(update, context, v.text(user.language, template, ticket=args[0].upper()[:20]))


@private_only(staff=True)
async def roles_command(update: Update, context: BotContext) -> None:
    """`/quyen [cap|thu <user id> staff|manager]` (administrators)."""
    user = await current_user(update, context)
    services = context.services
    v = views(context)
    if not services.roles.is_admin(user.id):
        await send(
            update,
            context,
            v.text(user.language, "not_allowed", role=None),
        )
        return
    args = arguments(context)
    target = ascii_int(args[1], low=1) if len(args) == 3 else None
    if (
        target is not None
        and args[0] in ("cap", "thu", "grant", "revoke")
        and args[2] in ("staff", "manager")
    ):
        grant = args[0] in ("cap", "grant")
        change = services.roles.grant if grant else services.roles.revoke
        try:
            done = await context.call(change, target, Role(args[2]), by=user.id)
        except NotAdmin:
            done = False
        reply = v.text(
            user.language, "role_changed", user_id=args[1], role=args[2], grant=grant, done=done
        )
        await send(update, context, reply)
        return
    members = await context.call(services.roles.members)
    await send(update, context, v.text(user.language, "roles_list", members=members))


# -- reports ---------------------------------------------------------------------------


@private_only(staff=True)
async def report_command(update: Update, context: BotContext) -> None:
    """`/baocao [days]`: satisfaction and dossier figures as text, a chart and a workbook."""
    user = await current_user(update, context)
    if not await _allowed(update, context, user, Role.MANAGER):
        return
    args = arguments(context)
    days = (ascii_int(args[0], low=1, high=366) if args else None) or 30
    chat = update.effective_chat
    assert chat is not None
    await send_reports(context, chat.id, user.language, days=days)


async def send_reports(
    context: BotContext, chat_id: int, lang: str, *, days: int, today: date | None = None
) -> None:
    """The manager's pack: two texts, the satisfaction chart, one workbook per report."""
    services = context.services
    settings = services.settings
    last = today or date.today()
    first = last - timedelta(days=days - 1)
    rated = await context.call(
        satisfaction,
        services.db,
        first,
        last,
        scale=settings.rating_scale,
        criteria=settings.rating_criteria,
        by="agency",
    )
    table = await context.call(dossier_report, services.db, first, last, by="level")
    for text in (
        services.messages.render(lang, "report_satisfaction", r=rated),
        services.messages.render(lang, "report_dossiers", r=table),
    ):
        await send_to(context.bot, chat_id, Reply(text))
    chart = io.BytesIO()
    await context.call(render.satisfaction_chart, rated, chart)
    await context.bot.send_photo(
        chat_id, photo=chart.getvalue(), caption=f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"
    )
    workbook = io.BytesIO()
    await context.call(render.satisfaction_xlsx, rated, workbook)
    name = f"hai-long_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
    await context.bot.send_document(chat_id, document=InputFile(workbook.getvalue(), filename=name))
    workbook = io.BytesIO()
    await context.call(render.dossiers_xlsx, table, workbook)
    name = f"ho-so_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
    await context.bot.send_document(chat_id, document=InputFile(workbook.getvalue(), filename=name))


async def weekly_digest(context: BotContext) -> None:
    """The JobQueue's weekly push of the last 7 days to every manager and administrator."""
    services = context.services
    year, week, _ = datetime.now(VIETNAM).isocalendar()
    if not await context.call(claim_once, services.db, "weekly-digest", f"{year}-W{week:02d}"):
        return  # another bot instance sends this week's digest
    managers = {user_id for user_id, _ in await context.call(services.roles.members, Role.MANAGER)}
    for user_id in sorted(managers | set(services.settings.admin_ids)):
        lang = (await context.call(services.users.touch, user_id)).language
        await send_reports(context, user_id, lang, days=7)

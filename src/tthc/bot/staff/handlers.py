"""The staff desk in the chat: files sent as documents, /chuatraloi, /gan, /nhatky.

Every entry point checks the staff role (managers and administrators hold it too); a
citizen who sends a spreadsheet is told politely that files are for staff.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from tthc.bot.common import actor_of, arguments, message_text, remember, reply_text
from tthc.bot.common import views as common_views
from tthc.bot.context import BotContext
from tthc.bot.replies import Document, Reply
from tthc.bot.roles import requires, role_name
from tthc.bot.sender import send, send_to, typing_if_slow
from tthc.bot.staff import callbacks
from tthc.bot.staff.views import StaffViews
from tthc.bot.turns import outside_turn, stored
from tthc.catalog.exporter import exported
from tthc.catalog.inbox import TakesOver
from tthc.catalog.service import UnknownProcedure
from tthc.core.clock import vietnam_today
from tthc.core.inputs import ascii_int, file_name
from tthc.core.models import OutboxMessage
from tthc.dossiers.template import dossier_template, example_row
from tthc.staff.uploads import Decision, UploadRejected, accepts
from tthc.users.conversation import ConfirmingAlias, FindingProcedure, read
from tthc.users.roles import Role
from tthc.users.service import UserView

log = logging.getLogger(__name__)


def views(context: BotContext) -> StaffViews:
    return StaffViews(context.services.messages)


# -- files ------------------------------------------------------------------------------


async def on_upload(update: Update, context: BotContext, user: UserView) -> bool:
    """A catalogue or dossier file sent as a document: preview it (staff) or refuse it."""
    message = update.effective_message
    document = message.document if message else None
    name = file_name(document.file_name if document else None)
    if document is None or not accepts(name):
        return False
    services = context.services
    if not await context.call(services.roles.has, user.id, Role.STAFF):
        role = role_name(context, user.language, Role.STAFF)
        await reply_text(update, context, user, "upload_refused", role=role)
        return True
    limit = services.settings.upload_max_bytes
    if (document.file_size or 0) > limit:
        await reply_text(
            update, context, user, "upload_too_big", size=document.file_size, limit=limit
        )
        return True
    try:
        async with typing_if_slow(update, context), outside_turn():
            file = await context.bot.get_file(document.file_id)
            content = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        log.warning("upload %s not downloaded: %s", name, exc)
        await reply_text(update, context, user, "upload_download_failed")
        return True
    if len(content) > limit:
        await reply_text(update, context, user, "upload_too_big", size=len(content), limit=limit)
        return True
    try:
        # Seconds of reading for a large export: other updates use the database meanwhile.
        async with typing_if_slow(update, context), outside_turn():
            prepared = await context.call(services.uploads.prepare, name, content)
        upload = await context.call(services.uploads.store, prepared, user_id=user.id)
    except UploadRejected as rejected:
        await send(update, context, views(context).upload_rejected(user.language, rejected))
        return True
    await send(update, context, views(context).upload_preview(user.language, upload))
    return True


@requires(Role.STAFF)
async def upload_button(update: Update, context: BotContext, user: UserView) -> None:
    """The buttons under a preview (see `callbacks`): apply, remove, clear, cancel.

    Removing procedures takes two presses: the first only shows what would go.
    """
    assert update.callback_query is not None and update.callback_query.data is not None
    action, upload_id = callbacks.parse_upload(update.callback_query.data)
    uploads = context.services.uploads
    lang = user.language
    if action in ("p", "v"):  # a second look, nothing applied
        upload = await context.call(uploads.pending, upload_id, user_id=user.id)
        if upload is None:
            reply = common_views(context).text(lang, "upload_gone")
        elif action == "p" and upload.preview.get("removable"):
            reply = views(context).prune_confirm(lang, upload)
        else:
            reply = views(context).upload_preview(lang, upload)
        await send(update, context, replace(reply, edit=True))
        return
    if action == "c":
        outcome = await context.call(uploads.cancel, upload_id, user_id=user.id)
    else:
        await stored()  # an import may take the database's write lock: hold nothing meanwhile
        try:
            outcome = await context.call(
                uploads.apply,
                upload_id,
                user_id=user.id,
                actor=actor_of(update),
                prune=action == "d",
                clear=action == "x",
            )
        except UploadRejected as rejected:
            await send(update, context, views(context).upload_rejected(lang, rejected))
            return
    if outcome.decision is Decision.MOVED and outcome.upload is not None:
        reply = views(context).upload_preview(lang, outcome.upload, moved=True)
    else:
        kind = outcome.upload.kind.value if outcome.upload else None
        template = f"upload_{outcome.decision.value}"
        reply = common_views(context).text(lang, template, kind=kind, s=outcome.summary)
    await send(update, context, replace(reply, edit=True))


# -- the unanswered inbox ----------------------------------------------------------------


@requires(Role.STAFF)
async def inbox_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/chuatraloi [page]`: the questions citizens asked that found nothing."""
    inbox = await context.call(context.services.inbox.page, _page(context))
    await send(update, context, views(context).inbox(user.language, inbox))


@requires(Role.STAFF)
async def inbox_button(update: Update, context: BotContext, user: UserView) -> None:
    """A page, a question, a procedure chosen for it, "search another", "not a procedure"."""
    assert update.callback_query is not None and update.callback_query.data is not None
    action, number, code = callbacks.parse_inbox(update.callback_query.data)
    services, lang, staff = context.services, user.language, views(context)
    if action == "l":
        inbox = await context.call(services.inbox.page, number)
        reply = staff.inbox(lang, inbox)
        await send(update, context, replace(reply, edit=True))
        return
    if action == "m" and code is not None:
        await _map(update, context, user, code, question_id=number)
        return
    question = await context.call(services.inbox.question, number)
    if question is None:
        await send(
            update, context, replace(common_views(context).text(lang, "inbox_gone"), edit=True)
        )
        return
    if action == "q":
        candidates = await context.call(services.inbox.candidates, question.query)
        reply = staff.question(lang, question, candidates)
        await send(update, context, replace(reply, edit=True))
    elif action == "f":
        await remember(context, user, FindingProcedure(question.id))
        await reply_text(update, context, user, "inbox_find_prompt", query=question.query)
    elif action == "x":
        done = await context.call(services.inbox.set_aside, question.id, actor=actor_of(update))
        template = "inbox_set_aside" if done else "inbox_gone"
        await send(
            update,
            context,
            replace(common_views(context).text(lang, template, query=question.query), edit=True),
        )


async def on_find_text(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """What a staff member typed after "🔎 Tìm thủ tục khác": the procedures it finds."""
    asked = read(user)
    if not isinstance(asked, FindingProcedure):
        return False
    services = context.services
    if not await context.call(services.roles.has, user.id, Role.STAFF):
        await remember(context, user, None)
        return False
    question = await context.call(services.inbox.question, asked.question_id)
    if question is None:
        await remember(context, user, None)
        await reply_text(update, context, user, "inbox_gone")
        return True
    candidates = await context.call(services.inbox.candidates, text, 5)
    await send(
        update, context, views(context).question(user.language, question, candidates, searched=text)
    )
    return True


@requires(Role.STAFF)
async def map_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/gan MÃ câu hỏi của công dân`: the question leads to that procedure from now on."""
    parts = message_text(update).split(maxsplit=2)  # through the input boundary (NUL, bidi)
    if len(parts) < 3:
        usage = context.services.messages.label(user.language, "usage_map")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    await _map(update, context, user, parts[1], text=parts[2])


async def _map(
    update: Update,
    context: BotContext,
    user: UserView,
    code: str,
    *,
    question_id: int | None = None,
    text: str | None = None,
    confirmed: bool = False,
) -> None:
    inbox = context.services.inbox
    try:
        mapped = await context.call(
            inbox.map,
            code,
            actor=actor_of(update),
            question_id=question_id,
            text=text,
            confirmed=confirmed,
        )
    except TakesOver as takes:
        await remember(context, user, ConfirmingAlias(code, question_id, text))
        await send(update, context, views(context).alias_takes_over(user.language, takes))
        return
    except UnknownProcedure:
        await reply_text(update, context, user, "unknown_procedure", code=code)
        return
    except ValueError:
        usage = context.services.messages.label(user.language, "usage_map")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    if isinstance(read(user), FindingProcedure | ConfirmingAlias):
        await remember(context, user, None)
    staff = views(context)
    if mapped is None:
        await send(
            update,
            context,
            replace(common_views(context).text(user.language, "inbox_gone"), edit=True),
        )
        return
    edit = update.callback_query is not None
    await send(update, context, staff.mapped(user.language, mapped, edit=edit))


@requires(Role.STAFF)
async def alias_button(update: Update, context: BotContext, user: UserView) -> None:
    """`ga:y` maps the question as asked, whatever it opened; `ga:n` leaves it as it was."""
    assert update.callback_query is not None and update.callback_query.data is not None
    pending = read(user)
    if not isinstance(pending, ConfirmingAlias):
        await send(
            update,
            context,
            replace(common_views(context).text(user.language, "inbox_gone"), edit=True),
        )
        return
    if update.callback_query.data == callbacks.alias_confirm(False):
        await remember(context, user, None)
        await send(
            update,
            context,
            replace(common_views(context).text(user.language, "alias_kept"), edit=True),
        )
        return
    await _map(
        update,
        context,
        user,
        pending.code,
        question_id=pending.question_id,
        text=pending.text,
        confirmed=True,
    )


@requires(Role.STAFF)
async def unmap_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/bo_gan MÃ câu hỏi`: the question no longer leads to that procedure."""
    parts = message_text(update).split(maxsplit=2)
    if len(parts) < 3:
        usage = context.services.messages.label(user.language, "usage_unmap")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    code, question = parts[1], parts[2]
    await _unmap(update, context, user, code, question)


@requires(Role.STAFF)
async def unmap_button(update: Update, context: BotContext, user: UserView) -> None:
    """`bg:<entry>`: the alias a journal entry's mapping added, removed."""
    assert update.callback_query is not None and update.callback_query.data is not None
    entry_id = int(update.callback_query.data.partition(":")[2])
    entry = await context.call(context.services.audit.get, entry_id)
    details = entry.details if entry is not None and entry.action == "map_question" else None
    if not details:
        await reply_text(update, context, user, "stale", menu=True)
        return
    code, question = str(details.get("code", "")), str(details.get("question", ""))
    await _unmap(update, context, user, code, question)


async def _unmap(
    update: Update, context: BotContext, user: UserView, code: str, question: str
) -> None:
    """Remove the alias and say so (the command and the journal's button alike)."""
    try:
        removed = await context.call(
            context.services.inbox.unmap, code, question, actor=actor_of(update)
        )
    except UnknownProcedure:
        await reply_text(update, context, user, "unknown_procedure", code=code)
        return
    await reply_text(
        update, context, user, "alias_removed", code=code, query=question, removed=removed
    )


# -- files out, and undo -----------------------------------------------------------------

EXPORT_FORMATS = {"xlsx": "xlsx", "excel": "xlsx", "json": "json", "csv": "csv"}
DOSSIER_TEMPLATE = ("hoso", "ho_so", "mau_ho_so")


@requires(Role.STAFF)
async def export_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/xuat [json|csv|hoso]`: the catalogue as a file to edit and send back.

    `hoso` sends the dossier import template instead.
    """
    args = [a.lower() for a in arguments(context)]
    wanted = args[0] if args else "xlsx"
    messages, lang = context.services.messages, user.language
    if wanted in DOSSIER_TEMPLATE:
        guide = messages.render(lang, "dossier_template_guide").splitlines()
        example = example_row(context.services.settings.dossier_code_example)
        data = await context.call(dossier_template, example, guide)
        await _send_file(update, context, user, data, "dossier_template", filename="ho-so-mau.xlsx")
        return
    fmt = EXPORT_FORMATS.get(wanted)
    if fmt is None:
        usage = messages.label(lang, "usage_export")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    how_to = messages.render(lang, "export_guide").splitlines() if fmt == "xlsx" else None
    async with typing_if_slow(update, context), outside_turn():
        records = await context.call(context.services.catalog.export_records)
        data = await context.call(exported, records, f"danh-muc.{fmt}", how_to)
    filename = f"danh-muc-{vietnam_today():%Y%m%d}.{fmt}"
    await _send_file(
        update, context, user, data, "export_ready", filename=filename, count=len(records)
    )


async def _send_file(
    update: Update,
    context: BotContext,
    user: UserView,
    data: bytes,
    template: str,
    *,
    filename: str,
    **values: Any,
) -> None:
    """A short note, then the file."""
    text = common_views(context).text(user.language, template, filename=filename, **values)
    chat = update.effective_chat
    assert chat is not None
    await send_to(context.bot, chat.id, [text, Document(data, filename)])


@requires(Role.STAFF)
async def undo_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/hoantac`: which file would be undone, with a button to confirm."""
    latest = await context.call(context.services.catalog.undoable)
    if latest is None:
        await reply_text(update, context, user, "undo_nothing")
        return
    await send(update, context, views(context).undo_confirm(user.language, latest))


@requires(Role.STAFF)
async def undo_button(update: Update, context: BotContext, user: UserView) -> None:
    """`hu:<id>`: undo that file, if it is still the latest applied one."""
    assert update.callback_query is not None and update.callback_query.data is not None
    change_id = int(update.callback_query.data.partition(":")[2])
    await stored()  # the undo takes the catalogue's write lock: hold nothing meanwhile
    undone = await context.call(
        context.services.catalog.undo, actor=actor_of(update), change_id=change_id
    )
    template = "undo_done" if undone is not None else "undo_gone"
    reply = common_views(context).text(user.language, template, u=undone)
    await send(update, context, replace(reply, edit=True))


# -- the audit journal -------------------------------------------------------------------


@requires(Role.STAFF)
async def audit_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/nhatky [page]`: the latest changes, newest first."""
    journal = await context.call(context.services.audit.page, _page(context))
    await send(update, context, views(context).audit(user.language, journal))


@requires(Role.STAFF)
async def audit_button(update: Update, context: BotContext, user: UserView) -> None:
    """`au:<page>`: another page of the journal."""
    assert update.callback_query is not None and update.callback_query.data is not None
    page = int(update.callback_query.data.partition(":")[2])
    journal = await context.call(context.services.audit.page, page)
    reply = views(context).audit(user.language, journal)
    await send(update, context, replace(reply, edit=True))


def _page(context: BotContext) -> int:
    """The page a command asks for (`/nhatky 2`), counted from 0; the first by default."""
    args = arguments(context)
    number = ascii_int(args[0], low=1, high=100_000) if args else None
    return (number or 1) - 1


# -- the citizen's follow-up -------------------------------------------------------------


async def answer_notice(context: BotContext, message: OutboxMessage, lang: str) -> Reply | None:
    """The outbox's "answer" message: staff found the procedure for the citizen's question."""
    return views(context).answer(lang, message.payload)

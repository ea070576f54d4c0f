"""Reports in the chat: /baocao for managers, and the weekly digest job."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from telegram import Update

from tthc.bot.common import arguments
from tthc.bot.context import BotContext
from tthc.bot.replies import Document, Outgoing, Photo, Reply
from tthc.bot.roles import requires
from tthc.bot.sender import send_to
from tthc.core.claims import claim_once
from tthc.core.clock import VIETNAM
from tthc.core.inputs import ascii_int
from tthc.core.models import OutboxMessage
from tthc.reports import render
from tthc.reports.figures import dossiers as dossier_report
from tthc.reports.figures import satisfaction
from tthc.users.roles import Role
from tthc.users.service import UserView

DIGEST_NOTICE = "digest"  # the outbox kind of a manager's weekly digest


@requires(Role.MANAGER)
async def report_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/baocao [days]`: satisfaction and dossier figures as text, a chart and a workbook."""
    args = arguments(context)
    days = (ascii_int(args[0], low=1, high=366) if args else None) or 30
    chat = update.effective_chat
    assert chat is not None
    await send_reports(context, chat.id, user.language, days=days)


async def send_reports(
    context: BotContext, chat_id: int, lang: str, *, days: int, today: date | None = None
) -> None:
    """The manager's pack, now, to the chat that asked."""
    last = today or date.today()
    first = last - timedelta(days=days - 1)
    await send_to(context.bot, chat_id, await report_pack(context, lang, first, last))


async def report_pack(context: BotContext, lang: str, first: date, last: date) -> list[Outgoing]:
    """Two texts, the satisfaction chart, one workbook per report."""
    services = context.services
    settings = services.settings
    messages = services.messages
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
    labels = render.Labels.of(messages, lang)
    chart, rated_book, dossier_book = io.BytesIO(), io.BytesIO(), io.BytesIO()
    await context.call(render.satisfaction_chart, rated, chart, labels)
    await context.call(render.satisfaction_xlsx, rated, rated_book, labels)
    await context.call(render.dossiers_xlsx, table, dossier_book, labels)
    span = f"{first:%Y%m%d}-{last:%Y%m%d}"
    return [
        Reply(messages.render(lang, "report_satisfaction", r=rated)),
        Reply(messages.render(lang, "report_dossiers", r=table)),
        Photo(chart.getvalue(), f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"),
        Document(rated_book.getvalue(), f"{labels.label('satisfaction_file')}_{span}.xlsx"),
        Document(dossier_book.getvalue(), f"{labels.label('dossiers_file')}_{span}.xlsx"),
    ]


async def weekly_digest(context: BotContext) -> None:
    """The JobQueue's weekly digest: the last 7 days, queued for every manager and administrator.

    One instance claims the week; the outbox then delivers (and retries) each manager's copy.
    """
    services = context.services
    now = datetime.now(VIETNAM)
    year, week, _ = now.isocalendar()
    if not await context.call(claim_once, services.db, "weekly-digest", f"{year}-W{week:02d}"):
        return  # another bot instance queued this week's digest
    last = now.date()
    first = last - timedelta(days=6)
    managers = {user_id for user_id, _ in await context.call(services.roles.members, Role.MANAGER)}
    for user_id in sorted(managers | set(services.settings.admin_ids)):
        await context.call(
            services.outbox.enqueue,
            user_id=user_id,
            kind=DIGEST_NOTICE,
            payload={"first": first.isoformat(), "last": last.isoformat()},
            dedupe=f"digest:{year}-W{week:02d}",
        )


async def digest_notice(context: BotContext, message: OutboxMessage, lang: str) -> list[Outgoing]:
    """What a queued digest holds when the outbox delivers it: the pack for its week."""
    payload = message.payload
    first, last = date.fromisoformat(payload["first"]), date.fromisoformat(payload["last"])
    return await report_pack(context, lang, first, last)

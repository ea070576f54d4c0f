"""Reports in the chat: /baocao for managers, and the weekly digest job."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from telegram import InputFile, Update

from tthc.bot.common import arguments
from tthc.bot.context import BotContext
from tthc.bot.replies import Reply
from tthc.bot.roles import requires
from tthc.bot.sender import send_to
from tthc.core.claims import claim_once
from tthc.core.clock import VIETNAM
from tthc.core.inputs import ascii_int
from tthc.reports import render
from tthc.reports.figures import dossiers as dossier_report
from tthc.reports.figures import satisfaction
from tthc.users.roles import Role
from tthc.users.service import UserView


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
    """The manager's pack: two texts, the satisfaction chart, one workbook per report."""
    services = context.services
    settings = services.settings
    messages = services.messages
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
        messages.render(lang, "report_satisfaction", r=rated),
        messages.render(lang, "report_dossiers", r=table),
    ):
        await send_to(context.bot, chat_id, Reply(text))
    labels = render.Labels.of(messages, lang)
    chart = io.BytesIO()
    await context.call(render.satisfaction_chart, rated, chart, labels)
    await context.bot.send_photo(
        chat_id, photo=chart.getvalue(), caption=f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"
    )
    workbook = io.BytesIO()
    await context.call(render.satisfaction_xlsx, rated, workbook, labels)
    name = f"{labels.label('satisfaction_file')}_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
    await context.bot.send_document(chat_id, document=InputFile(workbook.getvalue(), filename=name))
    workbook = io.BytesIO()
    await context.call(render.dossiers_xlsx, table, workbook, labels)
    name = f"{labels.label('dossiers_file')}_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
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

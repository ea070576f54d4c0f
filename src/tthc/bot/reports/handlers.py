"""Reports in the chat: /baocao for managers, and the weekly digest job."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from telegram import Update

from tthc.bot.common import arguments, reply_text
from tthc.bot.context import BotContext
from tthc.bot.replies import Document, Outgoing, Photo, Reply
from tthc.bot.roles import requires
from tthc.bot.sender import send_to
from tthc.core.claims import claim_once
from tthc.core.clock import VIETNAM, utcnow, vietnam_today
from tthc.core.models import OutboxMessage
from tthc.reports import render
from tthc.reports.pack import period_figures
from tthc.reports.periods import parse_period_text
from tthc.users.roles import Role
from tthc.users.service import UserView

DIGEST_NOTICE = "digest"  # the outbox kind of a manager's weekly digest


@requires(Role.MANAGER)
async def report_command(update: Update, context: BotContext, user: UserView) -> None:
    """`/baocao [period]`: satisfaction, dossier and complaint figures, charts, workbooks.

    The period: a number of days, "tháng 11[/2026]", "quý 3[/2026]", "năm 2026" or two
    dates; an unreadable one gets the usage line, never a default period.
    """
    try:
        first, last = parse_period_text(" ".join(arguments(context)), today=vietnam_today())
    except ValueError:
        usage = context.services.messages.label(user.language, "usage_report")
        await reply_text(update, context, user, "staff_usage", usage=usage)
        return
    chat = update.effective_chat
    assert chat is not None
    await send_to(context.bot, chat.id, await report_pack(context, user.language, first, last))


async def report_pack(context: BotContext, lang: str, first: date, last: date) -> list[Outgoing]:
    """Three texts, two charts, one workbook per report."""
    services = context.services
    messages = services.messages
    rated, table, complained = await context.call(
        period_figures,
        services.db,
        first,
        last,
        settings=services.settings,
        names=services.catalog.name_of,
        now=utcnow(),
    )
    labels = render.Labels.of(messages, lang)
    files = {name: io.BytesIO() for name in ("rated", "dossiers", "complaints", "c1", "c2")}
    await context.call(render.satisfaction_chart, rated, files["c1"], labels)
    await context.call(render.dossiers_chart, table, files["c2"], labels)
    await context.call(render.satisfaction_xlsx, rated, files["rated"], labels)
    await context.call(render.dossiers_xlsx, table, files["dossiers"], labels)
    await context.call(render.complaints_xlsx, complained, files["complaints"], labels)
    span = f"{first:%Y%m%d}-{last:%Y%m%d}"
    caption = f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"
    return [
        Reply(messages.render(lang, "report_satisfaction", r=rated)),
        Reply(messages.render(lang, "report_dossiers", r=table)),
        Reply(messages.render(lang, "report_complaints", r=complained)),
        Photo(files["c1"].getvalue(), caption),
        Photo(files["c2"].getvalue(), caption),
        *(
            Document(files[key].getvalue(), f"{labels.label(f'{name}_file')}_{span}.xlsx")
            for key, name in (
                ("rated", "satisfaction"),
                ("dossiers", "dossiers"),
                ("complaints", "complaints"),
            )
        ),
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

"""Wiring only: build the Application from settings and services; nothing runs at import."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.context import BotApplication, BotContext
from bot.feedback_views import FeedbackViews
from bot.handlers import browse, checklist, common, dossier, feedback, search
from bot.notifier import deliver_outbox
from bot.views import Views
from foundation.claims import claim_once
from foundation.clock import VIETNAM, utcnow
from privacy.retention import purge
from tthc.services import Services

log = logging.getLogger(__name__)

COMMANDS = {
    "vi": [
        ("start", "Menu chính"),
        ("help", "Hướng dẫn"),
        ("hoso", "Tra cứu hồ sơ theo mã"),
        ("theodoi", "Theo dõi hồ sơ, báo khi có thay đổi"),
        ("huy_theo_doi", "Huỷ theo dõi hồ sơ"),
        ("danhgia", "Đánh giá mức độ hài lòng"),
        ("phananh", "Gửi phản ánh, kiến nghị"),
        ("lang", "Đổi ngôn ngữ"),
        ("cancel", "Huỷ thao tác"),
    ],
    "en": [
        ("start", "Main menu"),
        ("help", "Help"),
        ("hoso", "Check a dossier by its code"),
        ("theodoi", "Follow a dossier: get told when it changes"),
        ("huy_theo_doi", "Stop dossier notifications"),
        ("danhgia", "Rate the service"),
        ("phananh", "Send feedback or a complaint"),
        ("lang", "Change language"),
        ("cancel", "Cancel"),
    ],
}


def build_application(
    services: Services,
    *,
    token: str,
    request: BaseRequest | None = None,
    update_processor: BaseUpdateProcessor | None = None,
    rate_limit: bool = True,
) -> BotApplication:
    """The python-telegram-bot Application with every handler attached."""
    settings = services.settings
    builder: Any = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    if request is not None:  # for the bot's calls; getUpdates keeps its own connection
        builder = builder.request(request)
    if update_processor is not None:
        builder = builder.concurrent_updates(update_processor)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application: BotApplication = builder.build()
    application.bot_data["services"] = services
    application.bot_data["views"] = Views(services.messages)
    application.bot_data["feedback_views"] = FeedbackViews(
        services.messages, settings.rating_scale, settings.rating_criteria
    )
    add_handlers(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            deliver_outbox,  # type: ignore[arg-type]
            interval=settings.outbox_interval_seconds,
            first=settings.outbox_interval_seconds,
            name="outbox",
        )
        application.job_queue.run_daily(
            purge_personal_data,  # type: ignore[arg-type]
            time=dt.time(3, 0, tzinfo=VIETNAM),
            name="retention",
        )
        hour, minute = (int(x) for x in settings.digest_time.split(":"))
        application.job_queue.run_daily(
            feedback.weekly_digest,  # type: ignore[arg-type]
            time=dt.time(hour, minute, tzinfo=VIETNAM),
            days=((settings.digest_weekday + 1) % 7,),  # PTB counts from Sunday = 0
            name="weekly-digest",
        )
    return application


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register handlers; order matters only where filters overlap."""
    application.add_handler(CommandHandler("start", common.start))
    application.add_handler(CommandHandler("help", common.help_command))
    application.add_handler(CommandHandler("cancel", common.cancel))
    application.add_handler(CommandHandler("lang", common.language))
    application.add_handler(CommandHandler("hoso", dossier.hoso_command))
    application.add_handler(CommandHandler("theodoi", dossier.follow_command))
    application.add_handler(CommandHandler("huy_theo_doi", dossier.unsubscribe_command))
    application.add_handler(CommandHandler("danhgia", feedback.rate_command))
    application.add_handler(CommandHandler("phananh", feedback.complaint_command))
    application.add_handler(CommandHandler("hopthu", feedback.inbox_command))
    application.add_handler(CommandHandler("traloi", feedback.answer_command))
    application.add_handler(CommandHandler("dong", feedback.close_command))
    application.add_handler(CommandHandler("quyen", feedback.roles_command))
    application.add_handler(CommandHandler("baocao", feedback.report_command))
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, search.text_message))
    application.add_handler(
        MessageHandler(filters.PHOTO | filters.Document.ALL, feedback.attachment_message)
    )
    application.add_handler(
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, common.unsupported)
    )
    application.add_handler(
        CallbackQueryHandler(
            common.menu_button, pattern=r"^m:(home|help|search|browse|dossier|rate|complaint)$"
        )
    )
    application.add_handler(
        CallbackQueryHandler(common.language_button, pattern=r"^(l:(vi|en)|m:lang)$")
    )
    application.add_handler(
        CallbackQueryHandler(search.open_procedure, pattern=r"^[pr]:[\w.\-]{1,32}$")
    )
    code = r"[\w.\-]{1,32}"
    origin = r"[falq]:[0-9a-f]{8}:\d{1,4}"
    application.add_handler(
        CallbackQueryHandler(search.open_section, pattern=rf"^s:{code}:\w(:{origin})?$")
    )
    application.add_handler(CallbackQueryHandler(browse.facet_page, pattern=r"^b:[fal]:\d{1,4}$"))
    application.add_handler(
        CallbackQueryHandler(browse.facet_members, pattern=r"^b[fal]:[0-9a-f]{8}:\d{1,4}$")
    )
    application.add_handler(
        CallbackQueryHandler(browse.open_from_list, pattern=rf"^o:{origin}:{code}$")
    )
    application.add_handler(
        CallbackQueryHandler(search.back_to_list, pattern=r"^bq:[0-9a-f]{8}:\d{1,4}$")
    )
    application.add_handler(
        CallbackQueryHandler(
            checklist.show_checklist,
            pattern=rf"^(k:{code}:\d{{1,3}}|c:{code}:[0-9a-f]{{8}}:\d{{1,3}}:[01])$",
        )
    )
    application.add_handler(
        CallbackQueryHandler(dossier.dossier_button, pattern=r"^d:[vsu]:[\w.\-]{1,60}$")
    )
    application.add_handler(
        CallbackQueryHandler(feedback.rate_button, pattern=r"^g:d:[\w.\-]{1,60}$")
    )
    application.add_handler(
        CallbackQueryHandler(feedback.rating_button, pattern=r"^g:(l:\d|c:\d{1,2}:\d|m|s|x)$")
    )
    application.add_handler(CallbackQueryHandler(feedback.complaint_button, pattern=r"^pa:[sex]$"))
    application.add_handler(CallbackQueryHandler(common.stale_button))
    application.add_error_handler(common.on_error)  # type: ignore[arg-type]


async def purge_personal_data(context: BotContext) -> None:
    """The daily retention purge; one instance runs it per day."""
    services = context.services
    today = dt.datetime.now(VIETNAM).date().isoformat()
    if not await context.call(claim_once, services.db, "retention", today):
        return
    result = await context.call(purge, services.db, services.settings.retention_days, now=utcnow())
    log.info("retention purge", extra=result.counts)


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the command menu in both languages (best effort: the bot works without it)."""
    try:
        for lang, commands in COMMANDS.items():
            await application.bot.set_my_commands(
                [BotCommand(c, d) for c, d in commands],
                language_code=None if lang == "vi" else lang,
            )
    except Exception:
        log.warning("could not publish the command list", exc_info=True)


def run_polling(application: BotApplication) -> None:
    """Long polling until SIGINT/SIGTERM, then a clean shutdown."""
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)

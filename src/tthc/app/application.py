"""Wiring only: build the Application from settings and services; nothing runs at import.

Each capability attaches its own commands and buttons (`tthc.bot.<capability>.register`)
and claims its share of free text, deep links and menu actions through the dispatcher's
routes. Every handler and job then runs inside one unit of work (`_atomic`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
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
from telegram.request import BaseRequest, HTTPXRequest

from tthc.app.services import Services, worker_threads
from tthc.bot import (
    catalog,
    common,
    complaints,
    dossiers,
    menu,
    ratings,
    reports,
    staff,
    users,
)
from tthc.bot.complaints.handlers import overdue_reminders
from tthc.bot.context import BotApplication, BotContext
from tthc.bot.dispatch import Dispatcher
from tthc.bot.fairness import Budget
from tthc.bot.metered import MeteredRequest
from tthc.bot.observe import UpdateObserver, ended, routed
from tthc.bot.ordering import ChatOrderedProcessor
from tthc.bot.outbox import deliver_outbox
from tthc.bot.repeat import Every
from tthc.bot.reports.handlers import weekly_digest
from tthc.bot.routes import Routes
from tthc.bot.turns import Turns
from tthc.bot.updates import PoisonSafeRequest, ignored_updates
from tthc.bot.views import Views
from tthc.core.claims import claim_once
from tthc.core.clock import VIETNAM, utcnow
from tthc.core.settings import Settings
from tthc.messages import Messages
from tthc.privacy.retention import purge

log = logging.getLogger(__name__)

# The command menu Telegram shows beside the text box; descriptions are `command_<name>`
# labels in messages/<lang>/labels.txt.
MENU_COMMANDS = (
    "start", "help", "hoso", "theodoi", "huy_theo_doi", "danhgia", "phananh", "lang", "cancel",
)  # fmt: skip

Callback = Callable[..., Coroutine[Any, Any, Any]]

OVERDUE_CHECK_SECONDS = 1800  # how often staff may learn a complaint became overdue


def build_application(
    services: Services,
    *,
    token: str,
    request: BaseRequest | None = None,
    update_processor: BaseUpdateProcessor | None = None,
    rate_limit: bool = True,
    channel: str = "telegram",
) -> BotApplication:
    """The python-telegram-bot Application with every handler attached.

    Updates are handled concurrently, each chat's in order (`ChatOrderedProcessor`);
    messages are sent within TELEGRAM_MAX_RATE per second unless `rate_limit` is off.
    Another `channel` (Zalo) runs the same handlers through its own `request`; the
    scheduled jobs run on the Telegram application only.
    """
    settings = services.settings
    builder: Any = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    # Every call counted (bot/metered.py); getUpdates keeps its own connection.
    builder = builder.request(
        MeteredRequest(request or HTTPXRequest(connection_pool_size=256), channel=channel)
    )
    builder = builder.get_updates_request(MeteredRequest(PoisonSafeRequest(connection_pool_size=1)))
    # On SQLite, updates take turns at the database and overlap on the network (bot.turns).
    builder = builder.concurrent_updates(update_processor or chat_processor(services, channel))
    if rate_limit and settings.telegram_max_rate > 0:
        limiter = AIORateLimiter(overall_max_rate=settings.telegram_max_rate, max_retries=3)
        builder = builder.rate_limiter(limiter)
    application: BotApplication = builder.build()
    application.bot_data["services"] = services
    application.bot_data["channel"] = channel
    application.bot_data["views"] = Views(services.messages)
    application.bot_data["turns"] = Turns(exclusive=services.db.is_sqlite)
    add_handlers(application)
    if channel == "telegram":
        _schedule_jobs(application, services)
    return application


def chat_processor(services: Services, channel: str = "telegram") -> ChatOrderedProcessor:
    """Each chat in order, every user within their budget (bot/ordering.py, bot/fairness.py)."""
    return ChatOrderedProcessor(
        services.settings.concurrent_updates, **processor_options(services, channel)
    )


def processor_options(services: Services, channel: str = "telegram") -> dict[str, Any]:
    """The budget, the over-budget answer and the per-update record of every processor."""
    key = services.settings.secret_key.get_secret_value().encode()
    return {
        "budget": user_budget(services.settings),
        "over_budget": functools.partial(tell_too_fast, services.messages),
        "observer": UpdateObserver(key, channel=channel),
    }


def user_budget(settings: Settings) -> Budget:
    """Messages and button presses each user may send per minute."""
    return Budget(
        {"messages": settings.user_messages_per_minute, "presses": settings.user_presses_per_minute}
    )


async def tell_too_fast(messages: Messages, update: Update) -> None:
    """Once per flood: slow down. No database: a flood must cost as little as possible."""
    person = update.effective_user
    lang = "en" if person and (person.language_code or "").startswith("en") else "vi"
    text = messages.render(lang, "too_fast")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        elif update.effective_chat is not None:
            await update.get_bot().send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell a user they are over budget", exc_info=True)


def add_handlers(application: BotApplication) -> None:
    """Register every capability's handlers, then the fallbacks; each runs atomically."""
    routes = Routes()
    routes.on_menu("home", common.main_menu)
    routes.on_menu("help", common.show_help)
    routes.on_menu("search", common.search_prompt)
    routes.on_menu("lang", common.language_toggle)
    application.bot_data["routes"] = routes
    dispatcher = Dispatcher(routes)
    application.add_handler(CommandHandler("start", dispatcher.start))
    application.add_handler(CommandHandler("help", common.help_command))
    application.add_handler(CommandHandler("cancel", common.cancel))
    application.add_handler(CommandHandler("lang", common.language))
    application.add_handler(CallbackQueryHandler(dispatcher.menu, pattern=menu.MENU))
    application.add_handler(CallbackQueryHandler(common.language_button, pattern=menu.LANGUAGE))
    catalog.register(application, routes)
    dossiers.register(application, routes)
    ratings.register(application, routes)
    complaints.register(application, routes)
    users.register(application)
    reports.register(application, routes)
    staff.register(application, routes)  # after complaints: their files come first
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, dispatcher.text))
    application.add_handler(
        MessageHandler(filters.PHOTO | filters.Document.ALL, dispatcher.attachment)
    )
    application.add_handler(
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, common.unsupported)
    )
    application.add_handler(CallbackQueryHandler(common.stale_button))
    for handlers in application.handlers.values():
        for handler in handlers:
            handler.callback = _atomic(handler.callback)
    application.add_handler(ignored_updates(), group=-1)  # before all, needs no database
    application.add_error_handler(common.on_error)


def _atomic(callback: Callback) -> Callback:
    """Run a handler (or job) in one unit of work: one session, committed once at the end.

    Replies commit what was done before they are sent (`bot.turns.stored`), so a reply
    never announces what is not stored; a failure rolls everything back.
    """

    @functools.wraps(callback)
    async def run(*args: Any) -> Any:
        context: BotContext = args[-1]
        update = args[0] if isinstance(args[0], Update) else None
        work = context.services.db.unit_of_work()
        turns: Turns = context.application.bot_data["turns"]
        routed(callback)
        async with turns.turn():
            with work.current():
                try:
                    if update is None or await context.call(first_delivery, context, update):
                        result = await callback(*args)
                    else:
                        result = None
                except BaseException:
                    await asyncio.to_thread(work.finish, failed=True)
                    raise
                await asyncio.to_thread(work.finish)
        return result

    return run


def first_delivery(context: BotContext, update: Update) -> bool:
    """Whether this update is new here and on every instance (recorded with its effects).

    Telegram redelivers an update it did not see acknowledged, and during a rollout two
    instances may both receive it: only the first handles it, the others skip it.
    """
    channel = context.application.bot_data.get("channel", "telegram")
    if context.services.once.first_time(f"{channel}:{update.update_id}"):
        return True
    log.debug("update already handled: skipped", extra={"update_id": update.update_id})
    ended("duplicate")
    return False


def _schedule_jobs(application: BotApplication, services: Services) -> None:
    """The nightly purge, the weekly digest and the check for overdue complaints.

    Calendar times follow the wall clock; the overdue check is an interval (monotonic).
    """
    queue = application.job_queue
    if queue is None:
        return
    settings = services.settings
    queue.run_daily(
        _atomic(purge_personal_data), time=dt.time(3, 0, tzinfo=VIETNAM), name="retention"
    )
    hour, minute = (int(x) for x in settings.digest_time.split(":"))
    queue.run_daily(
        _atomic(weekly_digest),
        time=dt.time(hour, minute, tzinfo=VIETNAM),
        days=((settings.digest_weekday + 1) % 7,),  # PTB counts from Sunday = 0
        name="weekly-digest",
    )
    queue.run_repeating(
        _atomic(overdue_reminders), interval=OVERDUE_CHECK_SECONDS, first=60, name="overdue"
    )


async def purge_personal_data(context: BotContext) -> None:
    """The daily retention purge; one instance runs it per day."""
    services = context.services
    today = dt.datetime.now(VIETNAM).date().isoformat()
    if not await context.call(claim_once, services.db, "retention", today):
        return
    result = await context.call(purge, services.db, services.settings.retention_days, now=utcnow())
    log.info("retention purge", extra=result.counts)


async def _post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop the outbox loop with the application."""
    outbox: Every | None = application.bot_data.get("outbox")
    if outbox is not None:
        await outbox.stop()


def command_menu(messages: Messages, lang: str) -> list[BotCommand]:
    """The command list published for one language."""
    return [BotCommand(c, messages.label(lang, f"command_{c}")) for c in MENU_COMMANDS]


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Size the worker threads, start the search index, publish the command menu (best effort)."""
    services: Services = application.bot_data["services"]
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(worker_threads(services.settings), thread_name_prefix="tthc")
    )
    services.catalog.warm()
    # The outbox records each delivery's outcome in its own transaction right after the
    # send (a crash must not forget a sent message), so it runs without a unit of work,
    # on the monotonic clock (bot/repeat.py).
    context = application.context_types.context(application)
    outbox = Every(
        services.settings.outbox_interval_seconds, lambda: deliver_outbox(context), "outbox"
    )
    application.bot_data["outbox"] = outbox
    outbox.start()
    messages = services.messages
    try:
        for lang in ("vi", "en"):
            await application.bot.set_my_commands(
                command_menu(messages, lang), language_code=None if lang == "vi" else lang
            )
    except Exception:
        log.warning("could not publish the command list", exc_info=True)


def run_polling(application: BotApplication) -> None:
    """Long polling until SIGINT/SIGTERM, then a clean shutdown."""
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)

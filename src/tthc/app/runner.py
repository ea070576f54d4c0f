"""`tthc run` with Zalo, or polling with PORT set: one process, one web server.

Telegram's webhook alone keeps `web.run_webhook`, plain polling PTB's `run_polling`.
Otherwise this runs Zalo alone, Telegram alone (polling, with /healthz and /metrics on
LISTEN:PORT), or both: one web server carries /healthz, /metrics, Telegram's webhook
path and Zalo's.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web
from telegram import Update

from tthc.app import guards
from tthc.app.web import MAX_UPDATE_BYTES, add_status_routes, prepare_webhook, serve, web_app
from tthc.app.zalo.channel import ZaloChannel, add_zalo_route
from tthc.bot.context import BotApplication

log = logging.getLogger(__name__)


def run_channels(telegram: BotApplication | None, zalo: ZaloChannel | None) -> None:
    """Serve the channels given until SIGINT/SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve_channels(telegram, zalo, stop)

    asyncio.run(main())


async def serve_channels(
    telegram: BotApplication | None, zalo: ZaloChannel | None, stop: asyncio.Event
) -> None:
    """Start every channel and the shared web server, wait for `stop`, stop them all."""
    if telegram is not None:
        settings = telegram.bot_data["services"].settings
        app = web_app(telegram, settings, webhook=bool(settings.webhook_url))
    else:
        assert zalo is not None, "no channel to serve"
        settings = zalo.services.settings
        app = web.Application(
            client_max_size=MAX_UPDATE_BYTES, middlewares=[guards.request_arrived]
        )
        add_status_routes(app, zalo.services)
    if zalo is not None and settings.zalo_webhook_url:
        add_zalo_route(app, zalo)
    runner = None
    try:
        if telegram is not None:
            await _start_telegram(telegram, bool(settings.webhook_url))
        if zalo is not None:
            await zalo.start()
        if settings.serves_http:
            runner, site = await serve(app, settings)
            log.info("serving", extra={"port": site.port, "channels": _names(telegram, zalo)})
        await stop.wait()
        log.info("stopping: finishing the updates in hand; webhooks stay registered")
    finally:
        if runner is not None:
            await runner.cleanup()
        if zalo is not None:
            await zalo.stop()
        if telegram is not None:
            await _stop_telegram(telegram)


def _names(telegram: BotApplication | None, zalo: ZaloChannel | None) -> str:
    return ",".join(n for n, c in (("telegram", telegram), ("zalo", zalo)) if c is not None)


async def _start_telegram(application: BotApplication, webhook: bool) -> None:
    settings = application.bot_data["services"].settings
    if webhook:
        await prepare_webhook(application, settings)
        return
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
    )
    await application.start()


async def _stop_telegram(application: BotApplication) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
    await application.shutdown()

"""Webhook mode: Telegram POSTs updates here; a load balancer asks GET /healthz.

A small aiohttp server rather than python-telegram-bot's own (`run_webhook`), for two
reasons: PTB's server answers Telegram as soon as an update is queued, so an instance
stopped mid-traffic loses what it had queued (Telegram only retries what was not
acknowledged); and it serves only the webhook path, with no health check beside it.
Here an update is acknowledged (200) after it was handled; a request without
WEBHOOK_SECRET is refused (403) before anything is read. The webhook is (re)registered at
start-up by every instance (idempotent) and never deleted at stop: another instance is
still serving it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from telegram import Bot, Update
from telegram.error import TelegramError

from tthc.app import guards
from tthc.bot.context import BotApplication
from tthc.core.database import DatabaseUnavailable
from tthc.core.settings import Settings

if TYPE_CHECKING:
    from tthc.app.services import Services

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 3.0
MAX_UPDATE_BYTES = 1 << 20


@dataclass
class WebhookServer:
    """A running webhook: its aiohttp runner and the application it feeds."""

    application: BotApplication
    runner: web.AppRunner
    site: guards.GuardedSite

    @property
    def port(self) -> int:
        """Where it listens (PORT=0 picks a free one)."""
        return self.site.port

    async def stop(self) -> None:
        """Stop taking updates, finish those in hand, stop the application (webhook kept)."""
        await self.runner.cleanup()
        await self.application.stop()
        if self.application.post_stop is not None:  # as run_webhook would
            await self.application.post_stop(self.application)
        await self.application.shutdown()


def web_app(application: BotApplication, settings: Settings) -> web.Application:
    """The routes: the webhook path (POST) and /healthz (GET)."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    skipped: set[int] = set()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning(
                "webhook request refused: wrong or missing secret token from %s", request.remote
            )
            return web.Response(status=403)
        try:
            body = await asyncio.wait_for(request.read(), settings.web_read_timeout_seconds)
            data = json.loads(body)
        except TimeoutError:
            return web.Response(status=408)
        except (ValueError, RecursionError) as exc:  # not JSON, or nested beyond reason
            log.warning("webhook request refused: not JSON (%s)", type(exc).__name__)
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.warning("webhook request refused: not an update object")
            return web.Response(status=400)
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # an update we cannot read: acknowledged, or it blocks the rest
            if data["update_id"] not in skipped:
                skipped.add(data["update_id"])
                log.warning(
                    "unreadable update skipped",
                    extra={"update_id": data["update_id"], "error": type(exc).__name__},
                )
            return web.Response(status=200)
        # Handled before the answer: if this instance dies first, Telegram sends it again.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        return web.Response(status=200)

    async def health(_: web.Request) -> web.Response:
        report = await asyncio.to_thread(check_health, application.bot_data["services"])
        return web.json_response(report, status=200 if report["ok"] else 503)

    app = web.Application(client_max_size=MAX_UPDATE_BYTES, middlewares=[guards.request_arrived])
    app.router.add_post(settings.webhook_path, receive)
    app.router.add_get("/healthz", health)
    return app


def check_health(services: Services) -> dict[str, object]:
    """Whether the database answers and the catalogue's search index is loaded."""
    report: dict[str, object] = {"ok": False, "database": False, "catalogue": False}
    try:
        info = services.catalog.info()
        report["database"] = True
        report["catalogue_version"] = info.version
        report["procedures"] = info.procedures
        report["catalogue"] = services.catalog.loaded and info.procedures > 0
    except DatabaseUnavailable:  # its message names the host: logged, not shown
        log.warning("health check: database unavailable", exc_info=True)
        report["error"] = "database unavailable"
    except Exception as exc:  # the health check must answer, whatever broke
        log.warning("health check failed", exc_info=True)
        report["error"] = type(exc).__name__
    report["ok"] = bool(report["database"] and report["catalogue"])
    return report


async def start_webhook(application: BotApplication, settings: Settings) -> WebhookServer:
    """Initialise the application, register the webhook, and serve it."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.bot.set_webhook(
        url=settings.webhook_url or "",
        secret_token=settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else None,
        allowed_updates=Update.ALL_TYPES,
        max_connections=settings.concurrent_updates,
    )
    await application.start()
    await asyncio.to_thread(application.bot_data["services"].catalog.index)  # ready for /healthz
    runner = web.AppRunner(web_app(application, settings), access_log=None)
    await runner.setup()
    site = guards.GuardedSite(
        runner,
        settings.listen,
        settings.port,
        max_connections=settings.web_max_connections,
        read_timeout=settings.web_read_timeout_seconds,
    )
    await site.start()
    log.info("serving the webhook", extra={"path": settings.webhook_path, "port": site.port})
    return WebhookServer(application, runner, site)


class WebhookStartFailed(Exception):
    """The webhook could not be served: Telegram unreachable, the port taken."""


def run_webhook(application: BotApplication, settings: Settings) -> None:
    """Serve the webhook until SIGINT/SIGTERM; raises WebhookStartFailed."""

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            server = await start_webhook(application, settings)
        except TelegramError as exc:
            raise WebhookStartFailed(f"Telegram did not answer: {exc}") from exc
        except OSError as exc:
            raise WebhookStartFailed(
                f"cannot serve on {settings.listen}:{settings.port}: {exc}"
            ) from exc
        await stop.wait()
        log.info("stopping: finishing the updates in hand; the webhook stays registered")
        await server.stop()

    asyncio.run(serve())


class WebhookQueryFailed(Exception):
    """Telegram could not be asked about the webhook."""


async def webhook_status(settings: Settings, token: str) -> dict[str, Any]:
    """Telegram's getWebhookInfo: the URL, pending updates, the last delivery error."""
    bot = Bot(token, base_url=settings.telegram_base_url or "https://api.telegram.org/bot")
    try:
        async with bot:
            info = await bot.get_webhook_info()
    except TelegramError as exc:
        raise WebhookQueryFailed(str(exc)) from exc
    data = info.to_dict()
    if info.last_error_date is not None:
        data["last_error_date"] = int(info.last_error_date.timestamp())
    return data

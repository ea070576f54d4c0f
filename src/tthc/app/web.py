"""The web server: Telegram's webhook, GET /healthz for load balancers, GET /metrics.

In polling mode with PORT set, the same server runs without the webhook path
(`app/runner.py`), so an operator scrapes and health-checks either mode alike.

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
from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Bot, Update
from telegram.error import TelegramError

from tthc import __version__
from tthc.app import guards
from tthc.bot.context import BotApplication
from tthc.core import metrics
from tthc.core.database import DatabaseUnavailable
from tthc.core.settings import Settings

if TYPE_CHECKING:
    from tthc.app.services import Services

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 3.0
MAX_UPDATE_BYTES = 1 << 20


def web_app(
    application: BotApplication, settings: Settings, *, webhook: bool = True
) -> web.Application:
    """The routes: the webhook path (POST, unless polling), /healthz and /metrics (GET)."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    skipped: set[int] = set()

    async def receive(request: web.Request) -> web.Response:
        data = await read_event(request, SECRET_HEADER, secret, settings.web_read_timeout_seconds)
        if isinstance(data, web.Response):
            return data
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

    app = web.Application(client_max_size=MAX_UPDATE_BYTES, middlewares=[guards.request_arrived])
    if webhook:
        app.router.add_post(settings.webhook_path, receive)
    add_status_routes(app, application.bot_data["services"])
    return app


async def read_event(
    request: web.Request, header: str, secret: str, timeout: float
) -> Any | web.Response:
    """A webhook's JSON body, or the refusal to answer with.

    The secret header is checked before anything is read (403); then the body must come
    within `timeout` (408) and be JSON (400).
    """
    given = request.headers.get(header, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        log.warning("%s refused: wrong or missing secret from %s", request.path, request.remote)
        return web.Response(status=403)
    try:
        body = await asyncio.wait_for(request.read(), timeout)
        return json.loads(body)
    except TimeoutError:
        return web.Response(status=408)
    except (ValueError, RecursionError) as exc:  # not JSON, or nested beyond reason
        log.warning("%s refused: not JSON (%s)", request.path, type(exc).__name__)
        return web.Response(status=400)


def add_status_routes(app: web.Application, services: Services) -> None:
    """GET /healthz and GET /metrics, for any channel's server."""

    async def health(_: web.Request) -> web.Response:
        report = await asyncio.to_thread(check_health, services)
        return web.json_response(report, status=200 if report["ok"] else 503)

    async def scrape(_: web.Request) -> web.Response:
        body = await asyncio.to_thread(metrics.exposition, lambda: read_state(services))
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", health)
    app.router.add_get("/metrics", scrape)


def read_state(services: Services) -> metrics.State:
    """The outbox and catalogue numbers /metrics reports, or none if the database is down."""
    try:
        info = services.catalog.info()
        pending, oldest = services.outbox.depth()
    except Exception:
        metrics.DATABASE_ERRORS.labels("metrics").inc()
        log.warning("metrics: the database did not answer", exc_info=True)
        return metrics.State(index_loaded=services.catalog.loaded)
    return metrics.State(
        outbox_pending=pending,
        outbox_oldest_seconds=oldest,
        catalogue_version=info.version,
        catalogue_procedures=info.procedures,
        index_loaded=services.catalog.loaded,
    )


def check_health(services: Services) -> dict[str, object]:
    """Whether the database answers and the catalogue's search index is loaded."""
    report: dict[str, object] = {
        "ok": False, "version": __version__, "database": False, "catalogue": False,
    }  # fmt: skip
    try:
        info = services.catalog.info()
        report["database"] = True
        report["catalogue_version"] = info.version
        report["procedures"] = info.procedures
        report["catalogue"] = services.catalog.loaded and info.procedures > 0
    except DatabaseUnavailable:  # its message names the host: logged, not shown
        metrics.DATABASE_ERRORS.labels("health").inc()
        log.warning("health check: database unavailable", exc_info=True)
        report["error"] = "database unavailable"
    except Exception as exc:  # the health check must answer, whatever broke
        log.warning("health check failed", exc_info=True)
        report["error"] = type(exc).__name__
    report["ok"] = bool(report["database"] and report["catalogue"])
    return report


async def start_webhook(application: BotApplication, settings: Settings) -> WebhookServer:
    """Initialise the application, register the webhook, and serve it."""
    await prepare_webhook(application, settings)
    runner, site = await serve(web_app(application, settings), settings)
    log.info("serving the webhook", extra={"path": settings.webhook_path, "port": site.port})
    return WebhookServer(runner, site, application)


async def prepare_webhook(application: BotApplication, settings: Settings) -> None:
    """Initialise and start the application, register the webhook, load the search index."""
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


async def serve(
    app: web.Application, settings: Settings
) -> tuple[web.AppRunner, guards.GuardedSite]:
    """Serve `app` on LISTEN:PORT with the connection and read limits."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = guards.GuardedSite(
        runner,
        settings.listen,
        settings.port,
        max_connections=settings.web_max_connections,
        read_timeout=settings.web_read_timeout_seconds,
    )
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner, site


@dataclass
class WebhookServer:
    """A running webhook: the server and the application it feeds."""

    runner: web.AppRunner
    site: guards.GuardedSite
    application: BotApplication

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

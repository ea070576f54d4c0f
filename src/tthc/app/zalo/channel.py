"""The Zalo channel: a second Application on the same services, fed by Zalo's events.

Events arrive on the webhook (ZALO_WEBHOOK_URL's path on the shared web server; the
secret header is checked before the body is read; answered after the event is handled,
so an instance that dies mid-event leaves it to Zalo's retry) or, for development, by
polling. Each event becomes a Telegram update (`events.py`) handled by the same
processor, handlers and unit of work as Telegram's; the same event twice is handled
once (`first_delivery`, keyed by Zalo's message id).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram import Update

from tthc.app.application import build_application
from tthc.app.services import Services
from tthc.app.web import read_event
from tthc.app.zalo.client import ZaloApi, ZaloError, ZaloUnreachable
from tthc.app.zalo.events import IMAGE, event_of, to_update
from tthc.app.zalo.transport import ZaloRequest
from tthc.bot.context import BotApplication
from tthc.users.channels import ChannelUsers

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"
PLACEHOLDER_TOKEN = "0:zalo"  # python-telegram-bot wants a token; Zalo's stays in ZaloApi
PHOTO_LIMIT = 10 << 20
POLL_TIMEOUT = 30


@dataclass
class ZaloChannel:
    """The Zalo Application, its API client, and the mapping of Zalo ids to ours."""

    application: BotApplication
    api: ZaloApi
    users: ChannelUsers
    services: Services
    poller: asyncio.Task[None] | None = field(default=None)

    async def start(self) -> None:
        """Initialise and start the Application; register the webhook, or start polling."""
        settings = self.services.settings
        await self.application.initialize()
        if self.application.post_init is not None:
            await self.application.post_init(self.application)
        await self.application.start()
        if settings.zalo_webhook_url:
            secret = settings.zalo_webhook_secret
            await self.api.call(
                "setWebhook",
                {
                    "url": settings.zalo_webhook_url,
                    "secret_token": secret.get_secret_value() if secret else "",
                },
            )
            log.info("zalo webhook registered", extra={"path": settings.zalo_webhook_path})
        else:
            await self.api.call("deleteWebhook")
            self.poller = asyncio.create_task(self._poll(), name="zalo-polling")

    async def stop(self) -> None:
        """Stop taking events, finish those in hand (the webhook stays registered)."""
        if self.poller is not None:
            self.poller.cancel()
            await asyncio.gather(self.poller, return_exceptions=True)
        if self.application.running:  # not when start-up failed half-way
            await self.application.stop()
            if self.application.post_stop is not None:
                await self.application.post_stop(self.application)
        await self.application.shutdown()

    async def handle(self, body: Any) -> None:
        """Handle one event (a webhook body or a polled one)."""
        event = event_of(body)
        if event is None:
            log.warning("zalo event skipped: not an event")
            return
        photo = None
        if event.get("event_name") == IMAGE:
            photo = await self._keep_photo(event["message"])
        data = await asyncio.to_thread(to_update, event, self.users, photo=photo)
        if data is None:
            log.warning("zalo event skipped: no sender or message id")
            return
        update = Update.de_json(data, self.application.bot)
        await self.application.update_processor.process_update(
            update, self.application.process_update(update)
        )

    async def _keep_photo(self, message: dict[str, Any]) -> str | None:
        """Download a photo now (Zalo's URL does not last); None if it cannot be had."""
        url = message.get("photo_url") or message.get("photo") or message.get("url")
        sender = (message.get("from") or {}).get("id")
        if not isinstance(url, str) or not sender:
            return None
        try:
            content, kind = await self.api.download(url, limit=PHOTO_LIMIT)
        except Exception as exc:  # the complaint goes on without the photo
            log.warning("zalo photo not downloaded: %s", type(exc).__name__)
            return None
        user_id = await asyncio.to_thread(self.users.user_id, str(sender))
        return await asyncio.to_thread(
            self.users.store_file, user_id, content, kind or "image/jpeg"
        )

    async def _poll(self) -> None:
        """GetUpdates in a loop (development: consumed events come back, dedup skips them)."""
        while True:
            try:
                result = await self.api.call("getUpdates", {"timeout": POLL_TIMEOUT})
            except (ZaloError, ZaloUnreachable) as exc:
                log.warning("zalo polling: %s", exc)
                await asyncio.sleep(2)
                continue
            events = result if isinstance(result, list) else [result] if result else []
            for event in events:
                try:
                    await self.handle({"result": event})
                except Exception:
                    log.exception("zalo event failed")


def build_zalo(services: Services, token: str, *, update_processor: Any = None) -> ZaloChannel:
    """The Zalo channel on these services (not started)."""
    settings = services.settings
    api = ZaloApi(settings.zalo_base_url, token)
    users = ChannelUsers(services.db, "zalo")
    application = build_application(
        services,
        token=PLACEHOLDER_TOKEN,
        request=ZaloRequest(api, users, services.messages),
        update_processor=update_processor,
        rate_limit=False,  # PTB's limiter takes negative ids for groups (20 a minute)
        channel="zalo",
    )
    return ZaloChannel(application, api, users, services)


def add_zalo_route(app: web.Application, channel: ZaloChannel) -> None:
    """POST ZALO_WEBHOOK_URL's path: the secret header first, then the event."""
    settings = channel.services.settings
    secret = settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret else ""

    async def receive(request: web.Request) -> web.Response:
        data = await read_event(request, SECRET_HEADER, secret, settings.web_read_timeout_seconds)
        if isinstance(data, web.Response):
            return data
        # Handled before the answer: if this instance dies first, Zalo sends it again.
        await channel.handle(data)
        return web.json_response({"ok": True})

    app.router.add_post(settings.zalo_webhook_path, receive)

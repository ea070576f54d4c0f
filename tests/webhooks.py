"""Webhook instances behind a round-robin proxy, as a load balancer would spread updates.

Shared by the webhook and abuse end-to-end tests; `cluster` (tests/e2e/conftest.py) is two
such instances on one PostgreSQL database.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, web

from tests.harness import TOKEN, FakeServer
from tthc.app.application import build_application
from tthc.app.services import Services, build_services
from tthc.app.web import SECRET_HEADER, WebhookServer, start_webhook
from tthc.core.settings import Settings

SECRET = "webhook-secret-0123456789"


@dataclass
class Proxy:
    """A round-robin reverse proxy (what a load balancer does), recording who served what."""

    backends: list[str]
    served: list[tuple[int, str]] = field(default_factory=list)
    runner: web.AppRunner | None = None
    port: int = 0

    async def start(self) -> None:
        turns = itertools.count()

        async def forward(request: web.Request) -> web.Response:
            body = await request.read()
            backend = self.backends[next(turns) % len(self.backends)]
            headers = {SECRET_HEADER: request.headers.get(SECRET_HEADER, "")}
            try:
                async with (
                    ClientSession() as session,
                    session.post(
                        backend, data=body, headers={**headers, "Content-Type": "application/json"}
                    ) as response,
                ):
                    if response.status == 200:
                        update_id = int((await request.json())["update_id"])
                        self.served.append((update_id, backend))
                    return web.Response(status=response.status)
            except ClientError:
                return web.Response(status=502)  # that instance is down

        app = web.Application()
        app.router.add_post("/telegram", forward)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self.runner.addresses[0][1])

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@dataclass
class Instance:
    services: Services
    server: WebhookServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/telegram"

    async def stop(self) -> None:
        await self.server.stop()
        self.services.close()


async def webhook_instance(
    server: FakeServer, url: str, proxy_port: int, **overrides: Any
) -> Instance:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TOKEN,
        telegram_base_url=server.base_url,
        database_url=url,
        secret_key="test-secret-key-0123456789",
        environment="development",
        webhook_url=f"http://127.0.0.1:{proxy_port}/telegram",
        webhook_secret=SECRET,
        listen="127.0.0.1",
        port=0,
        catalog_refresh_seconds=0,
        concurrent_updates=32,  # more than the default, to press on threads and connections
        **overrides,
    )
    settings.require_webhook()
    services = build_services(settings)
    application = build_application(services, token=TOKEN, rate_limit=False)
    return Instance(services, await start_webhook(application, settings))

"""The Zalo channel served as `tthc run` serves it (its own web server), and drivers that
talk to either channel the same way: send text, press a button by its caption."""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Any, Protocol

from pydantic import SecretStr

from tests.fakezalo import ZALO_TOKEN, FakeZalo
from tests.harness import BotHarness, Citizen, until_healthy
from tthc.app.runner import serve_channels
from tthc.app.services import Services, build_services
from tthc.app.zalo.channel import ZaloChannel, build_zalo
from tthc.core.settings import Settings

ZALO_SECRET = "zalo-secret-0123"
_NUMBERED = re.compile(r"^\[(\d{1,2})\] (.+)$", re.M)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ZaloHarness:
    """The real Zalo channel on a database, its webhook registered at the fake Zalo API."""

    def __init__(self, fake: FakeZalo, telegram: BotHarness, **settings: Any) -> None:
        self.fake = fake
        self.telegram = telegram  # its settings (database, keys) are shared
        self.extra = settings
        self.port = free_port()
        self.services: Services | None = None
        self.channel: ZaloChannel | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.message_ids = 0

    def settings(self) -> Settings:
        return self.telegram.settings().model_copy(
            update={
                "zalo_bot_token": SecretStr(ZALO_TOKEN),
                "zalo_base_url": self.fake.base_url,
                "zalo_webhook_url": f"http://127.0.0.1:{self.port}/zalo/hook",
                "zalo_webhook_secret": SecretStr(ZALO_SECRET),
                "port": self.port,
                "listen": "127.0.0.1",
                **self.extra,
            }
        )

    async def start(self) -> None:
        settings = self.settings()
        self.services = build_services(settings)
        self.channel = build_zalo(self.services, ZALO_TOKEN)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(serve_channels(None, self.channel, self._stop))
        task = self._task
        # Served only after the channel started (its webhook registered, if it has one).
        await until_healthy(
            f"http://127.0.0.1:{self.port}/healthz", running=lambda: not task.done()
        )
        assert settings.zalo_webhook_url is None or self.fake.webhook is not None

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
        if self.services is not None:
            self.services.close()

    def user(self, user: str) -> ZaloCitizen:
        return ZaloCitizen(self, user)


class Driver(Protocol):
    """A citizen on some channel: what they type and press, and the texts they read."""

    async def send(self, text: str) -> list[str]: ...

    async def press(self, caption: str) -> list[str]: ...


class TelegramCitizen:
    def __init__(self, citizen: Citizen) -> None:
        self.citizen = citizen

    async def send(self, text: str) -> list[str]:
        return [m.plain for m in await self.citizen.send(text)]

    async def press(self, caption: str) -> list[str]:
        return [m.plain for m in await self.citizen.press(caption)]


class ZaloCitizen:
    """Types into Zalo; a button is pressed by typing the number printed before its caption."""

    def __init__(self, harness: ZaloHarness, user: str) -> None:
        self.harness = harness
        self.user = user
        self.last: list[str] = []

    async def send(self, text: str, *, message_id: str | None = None) -> list[str]:
        fake = self.harness.fake
        self.harness.message_ids += 1
        event = fake.text_event(self.user, text, message_id or f"z{self.harness.message_ids}")
        before = len(fake.sent)
        assert await fake.deliver(event) == 200
        self.last = [m.text for m in fake.sent[before:] if m.chat_id == self.user]
        return self.last

    async def press(self, caption: str) -> list[str]:
        choices = {label: n for n, label in _NUMBERED.findall("\n".join(self.last))}
        assert caption in choices, (caption, list(choices))
        return await self.send(choices[caption])

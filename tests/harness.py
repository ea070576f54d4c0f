"""Drive the real bot through the fake Bot API as a citizen would."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import ClientError, ClientSession, web
from telegram import Update
from telegram.request import HTTPXRequest

from tests.fakeapi import FakeTelegram, SentMessage
from tthc.app.application import build_application, processor_options
from tthc.app.services import Services, build_services
from tthc.bot.ordering import ChatOrderedProcessor
from tthc.core.settings import Settings
from tthc.users.roles import Role

TOKEN = "123456:TEST-TOKEN"


class TrackingProcessor(ChatOrderedProcessor):
    """The bot's own processor with one slot; tests can wait until a given update is done."""

    def __init__(self, slots: int = 1, **kwargs: Any) -> None:
        super().__init__(slots, **kwargs)
        self.done: set[int] = set()
        self.changed = asyncio.Condition()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await super().do_process_update(update, coroutine)
        finally:
            if isinstance(update, Update):
                async with self.changed:
                    self.done.add(update.update_id)
                    self.changed.notify_all()

    async def wait_for(self, update_id: int, timeout: float = 30.0) -> None:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: update_id in self.done), timeout)


class FakeServer:
    """The fake Bot API on a loopback port."""

    def __init__(self) -> None:
        self.api = FakeTelegram()
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        self.runner = web.AppRunner(self.api.app())
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


class BotHarness:
    """The real Application polling the fake server; restartable on the same database."""

    def __init__(
        self,
        server: FakeServer,
        database_url: str,
        *,
        read_timeout: float | None = None,
        slots: int = 1,
        **settings: Any,
    ) -> None:
        self.slots = slots  # updates handled at once (the tests' default: one by one)
        self.server = server
        self.read_timeout = read_timeout
        self.api = server.api
        self.database_url = database_url
        self.extra_settings = settings
        self.services: Services | None = None
        self.application: Any = None
        self.processor: TrackingProcessor | None = None
        self.message_ids = itertools.count(1)

    def settings(self) -> Settings:
        return Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,
            telegram_base_url=self.server.base_url,
            telegram_base_file_url=f"http://127.0.0.1:{self.server.port}/file/bot",
            database_url=self.database_url,
            secret_key="test-secret-key-0123456789",
            catalog_refresh_seconds=0,
            **{
                "outbox_interval_seconds": 0.2,
                "outbox_retry_seconds": 0.2,
                # Tests send faster than people; the fairness tests set the budget they test.
                "user_messages_per_minute": 0,
                "user_presses_per_minute": 0,
                **self.extra_settings,
            },
        )

    async def start(self) -> None:
        self.services = build_services(self.settings())
        self.processor = TrackingProcessor(self.slots, **processor_options(self.services))
        self.application = build_application(
            self.services,
            token=TOKEN,
            update_processor=self.processor,
            rate_limit=False,
            request=HTTPXRequest(read_timeout=self.read_timeout) if self.read_timeout else None,
        )
        await self.application.initialize()
        if self.application.post_init is not None:  # what run_polling does after initialize
            await self.application.post_init(self.application)
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0, timeout=1)

    async def stop(self) -> None:
        if self.application is not None:
            await self.application.updater.stop()
            await self.application.stop()
            if self.application.post_stop is not None:  # what run_polling does after stop
                await self.application.post_stop(self.application)
            await self.application.shutdown()
            self.application = None
        if self.services is not None:
            self.services.close()
            self.services = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(self, user_id: int, *, first_name: str = "Lan", language_code: str = "vi") -> Citizen:
        return Citizen(
            self,
            {
                "id": user_id,
                "is_bot": False,
                "first_name": first_name,
                "language_code": language_code,
            },
        )

    async def indexed(self) -> None:
        """Wait until the search index has caught up with the stored catalogue (it is
        rebuilt beside the chat after a change; the old one answers meanwhile)."""
        assert self.services is not None
        await asyncio.to_thread(self.services.catalog.wait_for_index)

    async def deliver(self, update: dict[str, Any]) -> list[SentMessage]:
        before = len(self.api.sent)
        update_id = self.api.push(update)
        assert self.processor is not None
        await self.processor.wait_for(update_id)
        return self.api.sent[before:]


class Citizen:
    """One Telegram user talking to the bot in a private chat."""

    def __init__(self, harness: BotHarness, user: dict[str, Any]) -> None:
        self.harness = harness
        self.user = user
        self.last: SentMessage | None = None

    @property
    def chat_id(self) -> int:
        return int(self.user["id"])

    async def send(self, text: str) -> list[SentMessage]:
        message: dict[str, Any] = {
            "message_id": next(self.harness.message_ids),
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private"},
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return self._remember(await self.harness.deliver({"message": message}))

    async def send_raw(self, message: dict[str, Any]) -> list[SentMessage]:
        payload = {
            "message_id": next(self.harness.message_ids),
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private"},
            "from": self.user,
            **message,
        }
        return self._remember(await self.harness.deliver({"message": payload}))

    async def send_document(
        self, filename: str, content: bytes, *, size: int | None = None
    ) -> list[SentMessage]:
        """Send a file as Telegram does: the bot sees its id and size and downloads it."""
        file_id = f"doc{next(self.harness.message_ids)}"
        self.harness.api.files[f"documents/{file_id}"] = content
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": filename,
            "file_size": len(content) if size is None else size,
        }
        return await self.send_raw({"document": document})

    async def press(self, caption: str, message: SentMessage | None = None) -> list[SentMessage]:
        target = message or self.last
        assert target is not None, "no message with buttons yet"
        button = target.button(caption)
        return await self.press_data(button["callback_data"], target)

    async def press_data(self, data: str, message: SentMessage) -> list[SentMessage]:
        current = self.harness.api.messages[(message.chat_id, message.message_id)]
        update = {
            "callback_query": {
                "id": f"cq{next(self.harness.message_ids)}",
                "from": self.user,
                "chat_instance": "ci",
                "data": data,
                "message": self.harness.api._message_dict(current),
            }
        }
        return self._remember(await self.harness.deliver(update))

    def _remember(self, replies: list[SentMessage]) -> list[SentMessage]:
        own = [r for r in replies if r.chat_id == self.chat_id]
        if own:
            self.last = own[-1]
        return own


async def wait_until(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)


async def until_healthy(
    url: str, *, running: Callable[[], bool] = lambda: True, timeout: float = 60.0
) -> None:
    """Wait until GET `url` answers 200; fail at once if what serves it stopped running."""
    deadline = time.monotonic() + timeout
    async with ClientSession() as http:
        while time.monotonic() < deadline:
            assert running(), f"what serves {url} stopped"
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except ClientError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered 200")


@contextlib.asynccontextmanager
async def staffed(
    server: FakeServer,
    database_url: str,
    *,
    admin: int,
    staff: tuple[int, ...] = (),
    managers: tuple[int, ...] = (),
) -> AsyncIterator[BotHarness]:
    """The bot with an administrator and the staff and managers it granted."""
    harness = BotHarness(server, database_url, admin_ids=frozenset({admin}))
    await harness.start()
    assert harness.services is not None
    for user in staff:
        harness.services.roles.grant(user, Role.STAFF, by=None)
    for user in managers:
        harness.services.roles.grant(user, Role.MANAGER, by=None)
    try:
        yield harness
    finally:
        await harness.stop()

"""The web server's limits: how many connections, and how long a request may take to arrive.

aiohttp waits as long as a client likes for headers and body: 1,100 half-sent requests
held every file descriptor a systemd unit gets (1,024) and the bot stopped answering.
Here each connection is wrapped: beyond `max_connections` it is closed at once; a request
whose headers have not arrived within `read_timeout` seconds of the connection opening
(or of the previous response) is cut off; the body has the same time (see `web.py`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)
_GUARDS: dict[int, _Guard] = {}  # transport id → its guard, for the middleware


class _Guard(asyncio.Protocol):
    """Counts and times one connection, and hands everything else to aiohttp's protocol."""

    def __init__(self, site: GuardedSite, inner: Any) -> None:
        self.site = site
        self.inner = inner
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.admitted = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if self.site.open >= self.site.max_connections:
            self.site.refused += 1
            if self.site.refused == 1 or self.site.refused % 1000 == 0:
                log.warning("connection refused: %s open", self.site.open)
            transport.abort()
            return
        self.admitted = True
        self.site.open += 1
        _GUARDS[id(transport)] = self
        self.inner.connection_made(transport)
        self.arm()

    def arm(self) -> None:
        """Start the clock for the next request to arrive."""
        self.disarm()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(self.site.read_timeout, self._too_slow)

    def disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _too_slow(self) -> None:
        self.site.timed_out += 1
        if self.transport is not None:
            self.transport.abort()

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return bool(self.inner.eof_received())

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        if not self.admitted:
            return
        self.site.open -= 1
        if self.transport is not None:
            _GUARDS.pop(id(self.transport), None)
        self.inner.connection_lost(exc)


class GuardedSite(web.TCPSite):
    """A TCP site whose connections are counted and timed (see the module docstring)."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        *,
        max_connections: int,
        read_timeout: float,
    ) -> None:
        super().__init__(runner, host, port)
        self.max_connections = max_connections
        self.read_timeout = read_timeout
        self.open = 0
        self.refused = 0
        self.timed_out = 0

    async def start(self) -> None:
        """Listen, wrapping aiohttp's protocol for every connection."""
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Guard(self, server()), self._host, self._port, backlog=self._backlog
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def request_arrived(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The headers are in: stop the clock; start it again for the next request."""
    guard = _GUARDS.get(id(request.transport)) if request.transport is not None else None
    if guard is not None:
        guard.disarm()
    try:
        return await handler(request)
    finally:
        if guard is not None and guard.transport is not None and not guard.transport.is_closing():
            guard.arm()

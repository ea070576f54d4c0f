"""Fixtures the end-to-end tests share beyond tests/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import _fresh_db
from tests.harness import FakeServer
from tests.pg import PostgresServer
from tests.webhooks import Instance, Proxy, webhook_instance


@pytest.fixture
async def cluster(
    server: FakeServer,
    pg_server: PostgresServer | None,
    sqlite_templates: dict[str, Path],
    tmp_path: Path,
) -> AsyncIterator[tuple[Proxy, list[Instance]]]:
    """Two webhook instances on one PostgreSQL database behind a round-robin proxy."""
    url = _fresh_db("postgres", True, sqlite_templates, pg_server, tmp_path)
    proxy = Proxy([])
    await proxy.start()
    instances = [await webhook_instance(server, url, proxy.port) for _ in range(2)]
    proxy.backends[:] = [i.url for i in instances]
    yield proxy, instances
    for instance in instances:
        if instance.server.runner.server is not None:
            await instance.stop()
    await proxy.stop()

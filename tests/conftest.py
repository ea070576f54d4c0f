"""Shared fixtures: databases (SQLite and a real PostgreSQL), the fake Bot API, the bot."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from tests.fakezalo import FakeZalo
from tests.harness import BotHarness, FakeServer
from tests.pg import PostgresServer, find_pg_bin
from tthc.app.migrations import upgrade
from tthc.catalog.service import CatalogService
from tthc.core.database import Database

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    bindir = find_pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries are missing in CI: .ci/run must install them")
        yield None
        return
    server = PostgresServer(bindir)
    server.start()
    try:
        for name, seed in (("tmpl_empty", False), ("tmpl_seeded", True)):
            _admin(server, f'CREATE DATABASE "{name}"')
            upgrade(server.url(name))
            if seed:
                db = Database(server.url(name))
                CatalogService(db).ensure_seeded()
                db.dispose()
        yield server
    finally:
        server.stop()


def _admin(server: PostgresServer, sql: str) -> None:
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sqlite-templates")
    paths = {}
    for name, seed in (("empty", False), ("seeded", True)):
        path = root / f"{name}.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        if seed:
            db = Database(url)
            CatalogService(db).ensure_seeded()
            db.dispose()
        paths[name] = path
    return paths


def _fresh_db(
    kind: str, seeded: bool, templates: dict[str, Path], pg: PostgresServer | None, tmp_path: Path
) -> str:
    if kind == "sqlite":
        target = tmp_path / f"db{next(_counter)}.db"
        shutil.copyfile(templates["seeded" if seeded else "empty"], target)
        return f"sqlite:///{target}"
    if pg is None:
        pytest.skip("PostgreSQL binaries not found (install Debian's postgresql package)")
    name = f"t{os.getpid()}_{next(_counter)}"
    _admin(pg, f'CREATE DATABASE "{name}" TEMPLATE "{"tmpl_seeded" if seeded else "tmpl_empty"}"')
    return pg.url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, sqlite_templates: dict[str, Path], tmp_path: Path
) -> str:
    """A migrated, empty database of each kind."""
    pg = request.getfixturevalue("pg_server") if request.param == "postgres" else None
    return _fresh_db(request.param, False, sqlite_templates, pg, tmp_path)


@pytest.fixture
def seeded_sqlite_url(sqlite_templates: dict[str, Path], tmp_path: Path) -> str:
    """A migrated SQLite file holding the bundled catalogue."""
    return _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    fake = FakeServer()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def fake_zalo() -> AsyncIterator[FakeZalo]:
    """The fake Zalo Bot API."""
    fake = FakeZalo()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    """The real bot on a seeded SQLite copy, polling the fake Bot API."""
    harness = BotHarness(server, _fresh_db("sqlite", True, sqlite_templates, None, tmp_path))
    await harness.start()
    yield harness
    await harness.stop()


@pytest.fixture
async def pg_bot(
    server: FakeServer,
    pg_server: PostgresServer | None,
    sqlite_templates: dict[str, Path],
    tmp_path: Path,
) -> AsyncIterator[BotHarness]:
    """The real bot on a seeded PostgreSQL database."""
    harness = BotHarness(server, _fresh_db("postgres", True, sqlite_templates, pg_server, tmp_path))
    await harness.start()
    yield harness
    await harness.stop()

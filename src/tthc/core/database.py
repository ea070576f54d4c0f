"""The shared database layer: engines for SQLite and PostgreSQL, units of work, migrations.

SQLite gets WAL (readers never block the one writer), enforced foreign keys and a busy
timeout so a concurrent import makes the bot wait instead of failing. PostgreSQL URLs are
pinned to the psycopg 3 driver.

A unit of work is one session for a whole chat update (or job run), committed once: every
`Database.session()` block opened while it is current joins it, so a message that reads
the user, changes their state and records a question costs one transaction, and the
steps of a rating or a complaint are stored together or not at all. Outside a unit of
work (the CLI, imports, tests) each block is its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Engine, Table, Update, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(Exception):
    """The database could not be reached or is locked; the caller should ask the user to retry."""


def normalise_url(url: str) -> str:
    """Pin PostgreSQL URLs to psycopg 3 and accept Heroku-style `postgres://`."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def create_db_engine(url: str, *, echo: bool = False, pool_size: int = 5) -> Engine:
    """Create an engine with the connection settings this application relies on.

    `pool_size`: connections kept for PostgreSQL; the bot asks for one per update it
    handles at once (and its worker threads), so a unit of work never waits for one.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=5,
        connect_args={"connect_timeout": 5},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_CURRENT: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


class UnitOfWork:
    """One session shared by everything done for one update, committed once.

    The session is opened on first use, so an update that never touches the database
    costs nothing. `commit` may be called more than once (before each reply is sent, so a
    reply never announces what is not stored); work after it starts a new transaction.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(self.db.engine, expire_on_commit=False)
        return self._session

    @property
    def pending(self) -> bool:
        """Whether work was done since the last commit."""
        return self._session is not None and self._session.in_transaction()

    def commit(self) -> None:
        """Commit what was done so far (nothing to do when nothing was done)."""
        if self._session is not None and self._session.in_transaction():
            with _translated(self._session):
                self._session.commit()

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def finish(self, *, failed: bool = False) -> None:
        """Commit (or, when the update failed, roll back) and release the connection."""
        try:
            if failed:
                self.rollback()
            else:
                self.commit()
        finally:
            self.close()

    @contextmanager
    def current(self) -> Iterator[UnitOfWork]:
        """Make this the unit of work that `Database.session()` blocks join, and nothing else.

        The async wiring uses this and calls `finish` in a worker thread itself, so the
        event loop never waits on the database.
        """
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def __enter__(self) -> UnitOfWork:
        self._token = _CURRENT.set(self)
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        try:
            self.finish(failed=error is not None)
        finally:
            _CURRENT.reset(self._token)


@contextmanager
def detached() -> Iterator[None]:
    """Blocks inside are their own transactions, even within an update's unit of work.

    For long read-only work done while the update lets others use the database (a file
    previewed outside its turn): it must not open the update's transaction on the side.
    """
    token = _CURRENT.set(None)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_unit_of_work() -> UnitOfWork | None:
    """The unit of work of the update being handled, if any."""
    return _CURRENT.get()


@contextmanager
def _translated(session: Session) -> Iterator[None]:
    """Re-raise connection-level failures as DatabaseUnavailable (after rolling back)."""
    try:
        yield
    except (OperationalError, DBAPIError) as exc:
        session.rollback()
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            raise DatabaseUnavailable(str(exc.orig or exc)) from exc
        raise


class Database:
    """Owns the engine; hands out units of work and short transactions."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 5) -> None:
        self.url = url
        self.engine = create_db_engine(url, echo=echo, pool_size=pool_size)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite database (some bulk paths differ)."""
        return self.engine.dialect.name == "sqlite"

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work to run an update or a job in (`with db.unit_of_work(): ...`)."""
        return UnitOfWork(self)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run a block that calls several services as one transaction.

        Inside an update's unit of work the block joins it, and a failure rolls the whole
        unit back (nothing half-done is committed by the handler that caught the error);
        elsewhere (the command line, a test) the block is a unit of work of its own.
        """
        current = _CURRENT.get()
        if current is not None and current.db is self:
            try:
                yield
            except BaseException:
                current.rollback()
                raise
            return
        with self.unit_of_work():
            yield

    @contextmanager
    def session(self, *, independent: bool = False) -> Iterator[Session]:
        """A session for one block of work.

        Inside a unit of work the block joins it and is committed with it; otherwise (or
        when `independent`, for work that must be visible at once, like a job claim) it is
        its own transaction, committed on success and rolled back on any error.
        Connection-level failures are re-raised as :class:`DatabaseUnavailable` so callers
        can tell "try again later" apart from a bug.
        """
        uow = _CURRENT.get()
        if uow is not None and uow.db is self and not independent:
            with _translated(uow.session):
                yield uow.session
            return
        session = Session(self.engine, expire_on_commit=False)
        try:
            with _translated(session):
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close pooled connections (at shutdown, or before copying a SQLite file)."""
        self.engine.dispose()


def table(model: type[SQLModel]) -> Table:
    """A model's table, for Core statements (bulk writes, updates across rows)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def changed_rows(session: Session, statement: Delete | Update) -> int:
    """Run a DELETE or UPDATE in the session; how many rows it touched."""
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return int(result.rowcount or 0)


def insert_or_ignore(session: Session, model: type[SQLModel], **values: Any) -> bool:
    """Insert one row unless its key exists; True when it was inserted.

    No IntegrityError to catch (which would end a PostgreSQL transaction, and on SQLite
    tempts one into a second connection that waits for the first): a concurrent insert of
    the same key waits for the other transaction, then inserts nothing.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = list(table(model).primary_key.columns)
    statement = (
        insert(table(model))
        .values(**values)
        .on_conflict_do_nothing(index_elements=[c.name for c in keys])
        .returning(keys[0])  # rowcount is not reliable for upserts across drivers
    )
    return session.execute(statement).first() is not None

"""Alembic environment: runs migrations against the URL set by `tthc.app.migrations.alembic_config`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from tthc.app.models import metadata
from tthc.core.database import create_db_engine

config = context.config
LOCK_KEY = 0x7174686301  # "tthc" + 1: this application's migration lock


def run_migrations_offline() -> None:
    """Emit SQL without a database (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations on a live connection; SQLite needs batch mode for ALTERs."""
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = create_db_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Instances started together all migrate: the first does it, the others
                # wait here, then find the schema at head (read after the lock).
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

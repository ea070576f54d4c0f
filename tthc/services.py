"""The service container shared by the bot, the console chat and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.service import CatalogService
from checklist.service import ChecklistService
from messages import Messages
from tthc.config import Settings
from tthc.db import Database
from users.service import UserService


@dataclass
class Services:
    """Long-lived objects built once per process by :func:`build_services`."""

    settings: Settings
    db: Database
    messages: Messages
    users: UserService
    catalog: CatalogService
    checklists: ChecklistService

    def close(self) -> None:
        """Release database connections."""
        self.db.dispose()


def build_services(settings: Settings, *, db: Database | None = None) -> Services:
    """Wire the services for one process; nothing here talks to Telegram."""
    database = db or Database(settings.database_url)
    return Services(
        settings=settings,
        db=database,
        messages=Messages(settings.default_language),
        users=UserService(database, settings.default_language),
        catalog=CatalogService(database, refresh_seconds=settings.catalog_refresh_seconds),
        checklists=ChecklistService(database),
    )

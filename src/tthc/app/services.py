"""The service container shared by the bot, the console chat and the CLI."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from tthc.audit.service import AuditService
from tthc.catalog.inbox import UnansweredInbox
from tthc.catalog.service import CatalogService
from tthc.checklist.service import ChecklistService
from tthc.complaints.service import ComplaintService
from tthc.core.claims import Once
from tthc.core.database import Database
from tthc.core.outbox import Outbox
from tthc.core.settings import Settings
from tthc.dossiers.records import RowReader
from tthc.dossiers.service import DossierService
from tthc.messages import Messages
from tthc.ratings.service import RatingService
from tthc.staff.uploads import UploadService
from tthc.users.roles import RoleService
from tthc.users.service import UserService


@dataclass
class Services:
    """Long-lived objects built once per process by :func:`build_services`."""

    settings: Settings
    db: Database
    messages: Messages
    users: UserService
    catalog: CatalogService
    checklists: ChecklistService
    dossiers: DossierService
    outbox: Outbox
    roles: RoleService
    ratings: RatingService
    complaints: ComplaintService
    uploads: UploadService
    inbox: UnansweredInbox
    audit: AuditService
    once: Once

    def dossier_reader(self, extra_columns: dict[str, str] | None = None) -> RowReader:
        """A row reader for dossier exports with this deployment's key, pattern and columns."""
        return dossier_reader(self.settings, extra_columns)

    def close(self) -> None:
        """Release database connections (after a search index build under way)."""
        self.catalog.close()
        self.db.dispose()


def dossier_reader(settings: Settings, extra_columns: dict[str, str] | None = None) -> RowReader:
    """A row reader for dossier exports with this deployment's key, pattern and columns."""
    return RowReader(
        settings.secret_key.get_secret_value().encode(),
        settings.dossier_code_pattern,
        {**settings.dossier_columns, **(extra_columns or {})},
    )


def worker_threads(settings: Settings) -> int:
    """Threads (and database connections) for blocking work: one per update at once, plus jobs.

    Fewer would let updates that hold a connection wait for a thread that is itself
    waiting for a connection (32 updates on 6 threads and 10 connections: 0.4 replies/s).
    """
    return settings.concurrent_updates + 4


def build_services(settings: Settings, *, db: Database | None = None) -> Services:
    """Wire the services for one process; nothing here talks to Telegram."""
    database = db or Database(settings.database_url, pool_size=worker_threads(settings))
    dossiers = DossierService(
        database,
        key=settings.secret_key.get_secret_value().encode(),
        code_pattern=settings.dossier_code_pattern,
        code_example=settings.dossier_code_example,
        max_failures=settings.lookup_max_failures,
        window=timedelta(minutes=settings.lookup_window_minutes),
        budget=settings.lookup_budget,
        previous_key=(
            settings.secret_key_previous.get_secret_value().encode()
            if settings.secret_key_previous
            else None
        ),
        max_failures_per_dossier=settings.lookup_max_failures_per_dossier,
    )
    users = UserService(database, settings.default_language)
    catalog = CatalogService(
        database,
        refresh_seconds=settings.catalog_refresh_seconds,
        replace_min_share=settings.catalog_replace_min_share,
    )
    outbox = Outbox(database, retry_seconds=settings.outbox_retry_seconds)
    return Services(
        settings=settings,
        db=database,
        messages=Messages(settings.default_language),
        users=users,
        catalog=catalog,
        checklists=ChecklistService(database),
        dossiers=dossiers,
        outbox=outbox,
        roles=RoleService(database, settings.admin_ids),
        ratings=RatingService(database, dossiers, settings.rating_scale, settings.rating_criteria),
        complaints=ComplaintService(database, outbox),
        uploads=UploadService(database, catalog, functools.partial(dossier_reader, settings)),
        inbox=UnansweredInbox(
            database,
            catalog,
            users,
            outbox,
            followup_days=settings.unanswered_followup_days,
        ),
        audit=AuditService(database),
        once=Once(database),
    )

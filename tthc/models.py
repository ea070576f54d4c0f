"""Every table of the application, gathered for Alembic and for tests."""

from sqlmodel import SQLModel

import audit.models
import catalog.models
import checklist.models
import complaints.models
import dossiers.models
import foundation.claims
import ratings.models
import staff.models
import users.models  # importing registers the tables on SQLModel.metadata

metadata = SQLModel.metadata
__all__ = [
    "audit",
    "catalog",
    "checklist",
    "complaints",
    "dossiers",
    "foundation",
    "metadata",
    "ratings",
    "staff",
    "users",
]

"""Every table of the application, gathered for Alembic and for tests."""

from sqlmodel import SQLModel

import catalog.models
import checklist.models
import complaints.models
import dossiers.models
import foundation.claims
import ratings.models
import users.models  # importing registers the tables on SQLModel.metadata

metadata = SQLModel.metadata
__all__ = [
    "catalog",
    "checklist",
    "complaints",
    "dossiers",
    "foundation",
    "metadata",
    "ratings",
    "users",
]

"""Every table of the application, gathered for Alembic and for tests."""

from sqlmodel import SQLModel

import catalog.models
import checklist.models
import dossiers.models
import feedback.models
import tthc.claims
import users.models  # importing registers the tables on SQLModel.metadata

metadata = SQLModel.metadata
__all__ = ["catalog", "checklist", "dossiers", "feedback", "metadata", "tthc", "users"]

"""Every table of the application, gathered for Alembic and for tests."""

from sqlmodel import SQLModel

import catalog.models
import users.models  # noqa: F401  (registers the tables on SQLModel.metadata)

metadata = SQLModel.metadata
__all__ = ["catalog", "metadata"]

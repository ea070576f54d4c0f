"""Every table of the application, gathered for Alembic and for tests."""

from sqlmodel import SQLModel

# Importing the model modules registers their tables on SQLModel.metadata.
from tthc.audit import models as audit_models
from tthc.catalog import models as catalog_models
from tthc.checklist import models as checklist_models
from tthc.complaints import models as complaint_models
from tthc.core import claims
from tthc.dossiers import models as dossier_models
from tthc.ratings import models as rating_models
from tthc.staff import models as staff_models
from tthc.users import models as user_models

metadata = SQLModel.metadata
__all__ = [
    "audit_models",
    "catalog_models",
    "checklist_models",
    "claims",
    "complaint_models",
    "dossier_models",
    "metadata",
    "rating_models",
    "staff_models",
    "user_models",
]

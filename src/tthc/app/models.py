"""Every table of the application, gathered for Alembic and for tests.

Each package keeps its tables in its own `models` module; importing them all registers
the tables on SQLModel.metadata. They are found, not listed, so a new capability's tables
cannot be forgotten here.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from sqlmodel import SQLModel

import tthc


def _model_modules() -> list[ModuleType]:
    found = []
    for package in pkgutil.iter_modules(tthc.__path__):
        name = f"tthc.{package.name}.models"
        if package.ispkg and importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


MODULES = _model_modules()
metadata = SQLModel.metadata

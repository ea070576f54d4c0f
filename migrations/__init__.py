"""Alembic migrations for every table of the application."""

"""Checklist rules.

A press *sets* a document's state rather than toggling it, so a double press or a retried
update lands in the same place.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc.checklist import repository
from tthc.core.database import Database


@dataclass(frozen=True)
class ChecklistEntry:
    """One required document and whether the citizen has it."""

    key: str
    name: str
    have: bool


class ChecklistService:
    """Read and update a citizen's document checklist for one procedure."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def entries(
        self, user_id: int, code: str, papers: list[tuple[str, str]]
    ) -> list[ChecklistEntry]:
        """The procedure's papers (key, name), in display order, with the citizen's ticks.

        Notes and headings of the published list are not papers and are not ticked
        (catalog.reading.documents decides).
        """
        with self.db.session() as session:
            checked = repository.checked_keys(session=session, user_id=user_id, code=code)
        return [ChecklistEntry(key, name, key in checked) for key, name in papers]

    def set(self, user_id: int, code: str, key: str, *, have: bool) -> None:
        """Record that the citizen has (or no longer has) one document."""
        with self.db.session() as session:
            if have:
                repository.tick(session=session, user_id=user_id, code=code, key=key)
            else:
                repository.untick(session=session, user_id=user_id, code=code, key=key)

"""Who may do what: administrators (ADMIN_IDS) grant staff and manager roles."""

from __future__ import annotations

from enum import StrEnum

from foundation.database import Database
from users import repository


class Role(StrEnum):
    """Roles an administrator can grant."""

    STAFF = "staff"
    MANAGER = "manager"


class NotAdmin(PermissionError):
    """Only administrators (ADMIN_IDS) grant and revoke roles."""


class RoleService:
    """Role checks and changes; administrators implicitly hold every role."""

    def __init__(self, db: Database, admin_ids: frozenset[int]) -> None:
        self.db = db
        self.admin_ids = admin_ids

    def is_admin(self, user_id: int) -> bool:
        """Whether the user is listed in ADMIN_IDS."""
        return user_id in self.admin_ids

    def has(self, user_id: int, role: Role) -> bool:
        """Whether the user may act in `role`."""
        if self.is_admin(user_id):
            return True
        with self.db.session() as session:
            return repository.has_role(session=session, user_id=user_id, role=role.value)

    def grant(self, user_id: int, role: Role, *, by: int | None) -> bool:
        """Give a role; False when the user already had it."""
        self._check(by)
        with self.db.session() as session:
            return repository.add_role(
                session=session, user_id=user_id, role=role.value, granted_by=by
            )

    def revoke(self, user_id: int, role: Role, *, by: int | None) -> bool:
        """Take a role away; False when the user did not have it."""
        self._check(by)
        with self.db.session() as session:
            return repository.remove_role(session=session, user_id=user_id, role=role.value)

    def members(self, role: Role | None = None) -> list[tuple[int, str]]:
        """(user id, role) of every granted role."""
        with self.db.session() as session:
            return repository.role_members(session=session, role=role.value if role else None)

    def _check(self, by: int | None) -> None:
        # `by=None` is the command line, run by whoever operates the server.
        if by is not None and not self.is_admin(by):
            raise NotAdmin(by)

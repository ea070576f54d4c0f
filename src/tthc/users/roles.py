"""Who may do what: administrators (ADMIN_IDS) grant staff and manager roles."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from tthc.audit import repository as audit
from tthc.core.database import Database
from tthc.users import repository


class Role(StrEnum):
    """Roles an administrator can grant."""

    STAFF = "staff"
    MANAGER = "manager"


# Who may act in a role: its holders, and the holders of the roles above it.
INCLUDED = {Role.STAFF: (Role.STAFF, Role.MANAGER), Role.MANAGER: (Role.MANAGER,)}


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
        """Whether the user may act in `role` (managers may also do staff work)."""
        if self.is_admin(user_id):
            return True
        with self.db.session() as session:
            return any(
                repository.has_role(session=session, user_id=user_id, role=held.value)
                for held in INCLUDED[role]
            )

    def grant(self, user_id: int, role: Role, *, by: int | None, actor: str | None = None) -> bool:
        """Give a role; False when the user already had it."""
        self._check(by)
        with self.db.session() as session:
            done = repository.add_role(
                session=session, user_id=user_id, role=role.value, granted_by=by
            )
            if done:
                _audit(session, by, actor, "role_grant", user_id, role)
            return done

    def revoke(self, user_id: int, role: Role, *, by: int | None, actor: str | None = None) -> bool:
        """Take a role away; False when the user did not have it."""
        self._check(by)
        with self.db.session() as session:
            done = repository.remove_role(session=session, user_id=user_id, role=role.value)
            if done:
                _audit(session, by, actor, "role_revoke", user_id, role)
            return done

    def members(self, role: Role | None = None) -> list[tuple[int, str]]:
        """(user id, role) of every granted role."""
        with self.db.session() as session:
            return repository.role_members(session=session, role=role.value if role else None)

    def _check(self, by: int | None) -> None:
        # `by=None` is the command line, run by whoever operates the server.
        if by is not None and not self.is_admin(by):
            raise NotAdmin(by)


def _audit(
    session: Session, by: int | None, actor: str | None, action: str, user_id: int, role: Role
) -> None:
    who = actor or (f"telegram:{by}" if by is not None else "command line")
    audit.record(
        session=session, actor=who, action=action, details={"user": user_id, "role": role.value}
    )

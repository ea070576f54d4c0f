"""Persistence for the catalogue: keyword-only functions over a session, no business rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from tthc.audit import repository as audit_repository
from tthc.audit.models import AuditEntry
from tthc.catalog.models import (
    CatalogState,
    Procedure,
    ProcedureAlias,
    SearchSynonym,
    UnansweredAsk,
    UnansweredQuery,
)
from tthc.core.clock import utcnow
from tthc.core.database import changed_rows, table


def all_procedures(*, session: Session) -> list[Procedure]:
    """Every procedure, ordered by code."""
    return list(session.exec(select(Procedure).order_by(Procedure.code)))


def index_rows(*, session: Session) -> list[tuple[str, str, str, list[str], str | None]]:
    """(code, name, field, levels, agency) of every procedure: what the search index needs.

    Selecting five columns instead of whole rows keeps an index rebuild well under a second.
    """
    columns = (Procedure.code, Procedure.name, Procedure.field, Procedure.levels, Procedure.agency)
    query = select(*(col(c) for c in columns)).order_by(col(Procedure.code))
    return [
        (code, name, field, levels, agency)
        for code, name, field, levels, agency in session.execute(query)
    ]


def get_procedure(*, session: Session, code: str) -> Procedure | None:
    """One procedure by its national code."""
    return session.exec(select(Procedure).where(Procedure.code == code)).first()


def count_procedures(*, session: Session) -> int:
    """How many procedures the catalogue holds."""
    return session.exec(select(func.count()).select_from(Procedure)).one()


def aliases_by_code(*, session: Session) -> dict[str, list[str]]:
    """Staff-entered aliases grouped by procedure code."""
    out: dict[str, list[str]] = {}
    for alias in session.exec(select(ProcedureAlias).order_by(ProcedureAlias.alias)):
        out.setdefault(alias.procedure_code, []).append(alias.alias)
    return out


def replace_aliases(*, session: Session, code: str, aliases: Iterable[str], actor: str) -> None:
    """Make `aliases` the complete alias list of a procedure."""
    session.execute(delete(ProcedureAlias).where(col(ProcedureAlias.procedure_code) == code))
    for alias in aliases:
        session.add(ProcedureAlias(procedure_code=code, alias=alias, created_by=actor[:64]))


def synonym_overrides(*, session: Session) -> dict[str, str]:
    """Staff overrides of the bundled synonym table."""
    return {s.term: s.expansion for s in session.exec(select(SearchSynonym))}


def set_synonym(*, session: Session, term: str, expansion: str) -> None:
    """Add or replace one staff synonym rule."""
    row = session.get(SearchSynonym, term) or SearchSynonym(term=term)
    row.expansion = expansion
    row.updated_at = utcnow()
    session.add(row)


def delete_synonym(*, session: Session, term: str) -> bool:
    """Drop a staff rule (the bundled one, if any, applies again); False if there was none."""
    row = session.get(SearchSynonym, term)
    if row is None:
        return False
    session.delete(row)
    return True


def unanswered(*, session: Session, kind: str | None, limit: int) -> list[UnansweredQuery]:
    """Unanswered questions, most frequent first."""
    query = select(UnansweredQuery)
    if kind:
        query = query.where(UnansweredQuery.kind == kind)
    order = (UnansweredQuery.count.desc(), UnansweredQuery.last_seen.desc())  # type: ignore[attr-defined]
    return list(session.exec(query.order_by(*order).limit(limit)))


def get_state(*, session: Session) -> CatalogState:
    """The catalogue version row (created on first use)."""
    state = session.get(CatalogState, 1)
    if state is None:
        state = CatalogState(id=1, version=0)
        session.add(state)
        session.flush()
    return state


def current_version(*, session: Session) -> int:
    """The stored version as of now (read past the session's cached row)."""
    state = table(CatalogState)
    version = session.execute(select_columns(state.c.version).where(state.c.id == 1)).scalar()
    return int(version or 0)


def lock_catalog(*, session: Session) -> None:
    """Hold the catalogue's write lock until the transaction ends (every engine).

    A no-op update of the version row does it: PostgreSQL locks the row, SQLite takes its
    write lock. Readers are not blocked; other writers of the catalogue wait.
    """
    state = table(CatalogState)
    locked = update(state).where(state.c.id == 1).values(version=state.c.version)
    if not changed_rows(session, locked):  # a database from before migration 0006 created the row
        get_state(session=session)
        session.flush()


def bump_version(*, session: Session) -> CatalogState:
    """Mark the catalogue as changed so every bot instance reloads its search index."""
    state = get_state(session=session)
    state.version += 1
    state.updated_at = utcnow()
    session.add(state)
    return state


def add_audit(*, session: Session, actor: str, action: str, **fields: Any) -> AuditEntry:
    """Record who changed the catalogue and how (in the audit journal)."""
    return audit_repository.record(session=session, actor=actor, action=action, **fields)


def record_unanswered(*, session: Session, kind: str, normalized: str, query: str) -> None:
    """Count one more unanswered question of this normalised form."""
    now = utcnow()
    row = session.exec(
        select(UnansweredQuery).where(
            UnansweredQuery.kind == kind, UnansweredQuery.normalized == normalized
        )
    ).first()
    if row is None:
        session.add(UnansweredQuery(kind=kind, normalized=normalized, query=query))
        return
    row.count += 1
    row.query = query
    row.last_seen = now
    session.add(row)


def record_ask(*, session: Session, user_id: int, normalized: str, query: str) -> None:
    """Remember who asked an unanswered question, so staff's answer can reach them."""
    session.add(UnansweredAsk(user_id=user_id, normalized=normalized, query=query))


def open_unanswered(*, session: Session, normalized: str | None = None) -> list[UnansweredQuery]:
    """Unanswered rows staff have not dealt with yet (of one question, or all)."""
    query = select(UnansweredQuery).where(UnansweredQuery.status == "open")
    if normalized is not None:
        query = query.where(UnansweredQuery.normalized == normalized)
    rows = list(session.exec(query))
    for row in rows:
        session.expunge(row)
    return rows


def resolve_unanswered(
    *,
    session: Session,
    normalized: str,
    status: str,
    code: str | None,
    actor: str,
    at: datetime,
) -> int:
    """Close every open row of one question: mapped to `code`, or set aside."""
    rows = table(UnansweredQuery)
    statement = (
        update(rows)
        .where(rows.c.normalized == normalized, rows.c.status == "open")
        .values(status=status, resolved_code=code, resolved_by=actor[:100], resolved_at=at)
    )
    return changed_rows(session, statement)


def asks_since(*, session: Session, normalized: str, since: datetime) -> list[tuple[int, str]]:
    """(user id, their latest wording) of everyone who asked this question since `since`."""
    asks = session.exec(
        select(UnansweredAsk)
        .where(UnansweredAsk.normalized == normalized, col(UnansweredAsk.at) >= since)
        .order_by(col(UnansweredAsk.at))
    )
    latest = {ask.user_id: ask.query for ask in asks}
    return sorted(latest.items())

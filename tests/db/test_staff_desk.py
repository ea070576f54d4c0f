"""The staff desk's storage on SQLite and PostgreSQL: pending uploads, mapped questions,
follow-ups, the audit journal, and migrations that match the models."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import col, select

from tthc.app.models import metadata
from tthc.app.services import Services, build_services
from tthc.audit.models import AuditEntry
from tthc.catalog.models import ProcedureAlias, UnansweredAsk
from tthc.catalog.records import parse_json
from tthc.core.clock import utcnow
from tthc.core.database import Database
from tthc.core.models import OutboxMessage
from tthc.core.settings import Settings
from tthc.dossiers.status import LABELS, Status
from tthc.staff.models import PendingUpload
from tthc.staff.uploads import Decision, Kind, UploadRejected

PROCEDURES = [
    {"code": "1.000001", "name": "Đăng ký khai sinh", "levels": ["Cấp xã"]},
    {"code": "1.000002", "name": "Đăng ký kết hôn", "levels": ["Cấp xã"]},
]
QUESTION = "xin giấy phép bán rượu ở chợ quê ạ"


@pytest.fixture
def services(db: Database) -> Iterator[Services]:
    settings = Settings(_env_file=None, database_url=db.url, unanswered_followup_days=14)  # type: ignore[call-arg]
    built = build_services(settings, db=db)
    built.catalog.import_file(
        parse_json(json.dumps(PROCEDURES).encode()), actor="test", source="setup"
    )
    yield built
    # An index rebuild started by the import may still hold a connection: let it finish
    # before the db fixture disposes the engine (else the connection is collected open).
    built.catalog.close()


def catalogue(*extra: dict[str, object]) -> bytes:
    return json.dumps([*PROCEDURES, *extra], ensure_ascii=False).encode()


def test_migrations_create_exactly_the_tables_the_models_declare(db: Database) -> None:
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_an_upload_is_stored_whole_and_decided_once(services: Services) -> None:
    content = catalogue({"code": "1.000003", "name": "Cấp phép nuôi chim yến <&> ✓"})
    upload = services.uploads.receive(user_id=5_000_000_001, filename="dm.json", content=content)
    assert upload.kind is Kind.CATALOG
    assert (upload.preview["added"], upload.preview["changed"], upload.preview["unchanged"]) == (
        1,
        0,
        2,
    )
    with services.db.session() as session:
        stored = session.get(PendingUpload, upload.id)
        assert stored is not None and stored.content == content and stored.status == "pending"
    assert services.catalog.get("1.000003") is None  # a preview changes nothing
    other = services.uploads.apply(upload.id, user_id=7, actor="someone else")
    assert other.decision is Decision.GONE  # only the one who sent it applies it
    done = services.uploads.apply(upload.id, user_id=5_000_000_001, actor="telegram:1 Hoa")
    assert done.decision is Decision.APPLIED and done.summary["added"] == 1
    assert services.catalog.get("1.000003") is not None
    again = services.uploads.apply(upload.id, user_id=5_000_000_001, actor="telegram:1 Hoa")
    assert again.decision is Decision.GONE
    assert services.uploads.cancel(upload.id, user_id=5_000_000_001).decision is Decision.GONE
    with services.db.session() as session:
        stored = session.get(PendingUpload, upload.id)
        assert stored is not None and stored.status == "applied" and stored.content == b""
        entry = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == "import", AuditEntry.actor == "telegram:1 Hoa"
            )
        ).one()
    assert entry.source == "telegram: dm.json" and entry.added == 1


def test_the_second_of_two_previews_sees_that_the_catalogue_moved_on(services: Services) -> None:
    first = services.uploads.receive(
        user_id=1, filename="a.json", content=catalogue({"code": "1.000003", "name": "Thủ tục A"})
    )
    second = services.uploads.receive(
        user_id=2, filename="b.json", content=catalogue({"code": "1.000004", "name": "Thủ tục B"})
    )
    assert services.uploads.apply(first.id, user_id=1, actor="a").decision is Decision.APPLIED
    moved = services.uploads.apply(second.id, user_id=2, actor="b")
    assert moved.decision is Decision.MOVED and moved.upload is not None
    assert services.catalog.get("1.000004") is None  # not applied over a newer catalogue
    assert moved.upload.preview["added"] == 1 and moved.upload.preview["removable"] == 1
    assert services.uploads.apply(second.id, user_id=2, actor="b").decision is Decision.APPLIED
    assert services.catalog.get("1.000004") is not None
    assert services.catalog.get("1.000003") is not None  # no pruning unless asked


def test_an_expired_upload_is_not_applied(services: Services) -> None:
    start = utcnow()
    upload = services.uploads.receive(
        user_id=1,
        filename="a.json",
        content=catalogue({"code": "1.000003", "name": "A"}),
        now=start,
    )
    late = services.uploads.apply(
        upload.id, user_id=1, actor="a", now=start + timedelta(minutes=31)
    )
    assert late.decision is Decision.EXPIRED
    assert services.catalog.get("1.000003") is None


def test_a_file_with_problems_is_not_stored(services: Services) -> None:
    bad = json.dumps([{"code": "x", "name": ""}]).encode()
    with pytest.raises(UploadRejected) as rejected:
        services.uploads.receive(user_id=1, filename="bad.json", content=bad)
    assert rejected.value.reason == "problems" and rejected.value.count == 2
    with services.db.session() as session:
        assert session.exec(select(PendingUpload)).all() == []


def test_a_dossier_export_is_previewed_then_applied_with_its_audit_entry(
    services: Services,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mã hồ sơ", "Mã thủ tục", "Trạng thái", "Ngày tiếp nhận"])
    writer.writerow(
        ["000.00.20.H56-240527-0001", "1.000001", LABELS[Status.PROCESSING], "27/05/2024"]
    )
    upload = services.uploads.receive(
        user_id=1, filename="mot-cua.csv", content=buffer.getvalue().encode()
    )
    assert upload.kind is Kind.DOSSIERS and upload.preview["added"] == 1
    assert services.dossiers.view(1, "000.00.20.H56-240527-0001") is None
    done = services.uploads.apply(upload.id, user_id=1, actor="telegram:1 Hoa")
    assert done.decision is Decision.APPLIED and done.summary["added"] == 1
    with services.db.session() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "dossier_import")).one()
    assert entry.actor == "telegram:1 Hoa" and entry.added == 1
    journal = services.audit.page(0)
    assert journal.entries[0].action == "dossier_import"  # newest first


def test_mapping_a_question_adds_an_alias_and_tells_each_recent_asker_once(
    services: Services,
) -> None:
    catalog, inbox = services.catalog, services.inbox
    normalized = catalog.answer(QUESTION).result.normalized
    for user_id in (5_000_000_001, 5_000_000_002, 5_000_000_003, 5_000_000_004):
        catalog.record_unanswered(
            kind="none", query=QUESTION, normalized=normalized, user_id=user_id
        )
    catalog.record_unanswered(
        kind="abandoned", query=QUESTION, normalized=normalized, user_id=5_000_000_001
    )
    services.users.blocked_by(5_000_000_003)
    with services.db.session() as session:  # user 4 asked three weeks ago
        for ask in session.exec(
            select(UnansweredAsk).where(UnansweredAsk.user_id == 5_000_000_004)
        ):
            ask.at = utcnow() - timedelta(days=21)
            session.add(ask)
    page = inbox.page()
    assert page.total == 1
    question = page.questions[0]
    assert (question.none, question.abandoned, question.count) == (4, 1, 5)
    mapped = inbox.map("1.000001", actor="telegram:1 Hoa", question_id=question.id)
    assert mapped is not None and mapped.followups == 2
    assert inbox.page().total == 0
    assert inbox.map("1.000001", actor="b", question_id=question.id) is None  # already done
    again = inbox.map("1.000001", actor="b", text=QUESTION)
    assert again is not None and again.followups == 0  # once per citizen and question
    with services.db.session() as session:
        aliases = session.exec(
            select(ProcedureAlias.alias).where(ProcedureAlias.procedure_code == "1.000001")
        ).all()
        messages = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.user_id))).all()
    assert aliases == [QUESTION]
    assert [(m.user_id, m.kind, m.payload["code"]) for m in messages] == [
        (5_000_000_001, "answer", "1.000001"),
        (5_000_000_002, "answer", "1.000001"),
    ]
    catalog.wait_for_index()  # the new alias is indexed beside the chat
    answer = catalog.answer("xin giay phep ban ruou o cho que")
    assert answer.kind.value == "card" and answer.shown[0].code == "1.000001"


def test_setting_a_question_aside_takes_it_out_of_the_inbox(services: Services) -> None:
    services.catalog.record_unanswered(
        kind="none", query="kể chuyện ma đi", normalized="ke chuyen ma"
    )
    question = services.inbox.page().questions[0]
    assert services.inbox.set_aside(question.id, actor="a")
    assert not services.inbox.set_aside(question.id, actor="a")
    assert services.inbox.page().total == 0
    assert services.audit.page(0).entries[0].action == "out_of_scope"

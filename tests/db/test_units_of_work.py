"""Units of work on SQLite and PostgreSQL: one commit for a whole update, or nothing."""

from __future__ import annotations

import pytest

from tthc.core.claims import claim_once
from tthc.core.database import Database, current_unit_of_work
from tthc.users.conversation import AwaitingDossierCode
from tthc.users.service import UserService


def test_work_done_in_one_unit_is_stored_together(db: Database) -> None:
    users = UserService(db, "vi")
    with db.unit_of_work():
        users.touch(7)
        users.set_language(7, "en")
        users.remember(7, AwaitingDossierCode())
    stored = users.touch(7)
    assert (stored.language, stored.state) == ("en", "dossier")
    assert current_unit_of_work() is None


def test_a_failure_keeps_nothing_of_the_unit(db: Database) -> None:
    users = UserService(db, "vi")
    users.touch(8)
    with pytest.raises(RuntimeError), db.unit_of_work():
        users.set_language(8, "en")
        users.remember(8, AwaitingDossierCode())
        raise RuntimeError("the reply could not be built")
    stored = users.touch(8)
    assert (stored.language, stored.state) == ("vi", None)


def test_a_job_claim_is_its_own_transaction(db: Database) -> None:
    # Another instance must see the claim at once, even if this update then fails.
    with pytest.raises(RuntimeError), db.unit_of_work():
        assert claim_once(db, "digest", "2026-W48")
        raise RuntimeError("sending failed")
    assert not claim_once(db, "digest", "2026-W48")


def test_a_commit_midway_keeps_what_came_before(db: Database) -> None:
    # What a reply announced was committed before it was sent (bot.turns.stored).
    users = UserService(db, "vi")
    with pytest.raises(RuntimeError), db.unit_of_work() as work:
        users.set_language(9, "en")
        work.commit()
        users.remember(9, AwaitingDossierCode())
        raise RuntimeError("the second reply failed")
    stored = users.touch(9)
    assert (stored.language, stored.state) == ("en", None)

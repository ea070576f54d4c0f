"""One unit of work per update: what a message costs the database, and what a failure keeps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import _fresh_db
from tests.harness import BotHarness, FakeServer


@pytest.fixture
async def quiet_bot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    """The bot with its background jobs far in the future, so only updates touch the database."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, outbox_interval_seconds=3600)
    await harness.start()
    yield harness
    await harness.stop()


class Transactions:
    """Counts BEGIN and COMMIT on an engine's connections."""

    def __init__(self, engine: Any) -> None:
        self.begins = self.commits = self.rollbacks = 0
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _begin(self, _connection: Any) -> None:
        self.begins += 1

    def _commit(self, _connection: Any) -> None:
        self.commits += 1

    def _rollback(self, _connection: Any) -> None:
        self.rollbacks += 1

    def reset(self) -> None:
        self.begins = self.commits = self.rollbacks = 0


async def test_a_question_that_gets_a_card_costs_one_transaction(quiet_bot: BotHarness) -> None:
    citizen = quiet_bot.user(501)
    await citizen.send("/start")  # registers the citizen; not what is measured
    assert quiet_bot.services is not None
    await quiet_bot.indexed()  # the start-up index is built beside the chat, not counted here
    counted = Transactions(quiet_bot.services.db.engine)
    card = (await citizen.send("cấp đổi giấy phép lái xe"))[0]
    assert (
        card.plain.startswith("📋 Đổi giấy phép lái xe")
        and "📄 Hồ sơ cần chuẩn bị" in card.captions
    )
    # The user, the index version, the asked section, the state and the variants: one
    # session, one BEGIN, one COMMIT (it was 5 transactions before units of work).
    assert (counted.begins, counted.commits) == (1, 1)
    counted.reset()
    section = (await citizen.press(card.captions[0], card))[0]
    assert section.edited
    assert (counted.begins, counted.commits) == (1, 1)


async def test_a_rating_is_stored_with_its_state_change_or_not_at_all(
    quiet_bot: BotHarness,
) -> None:
    citizen = quiet_bot.user(502)
    await citizen.send("/danhgia")
    await citizen.press("😀 Rất hài lòng")
    assert quiet_bot.services is not None
    services = quiet_bot.services
    counted = Transactions(services.db.engine)
    thanks = (await citizen.press("✅ Gửi đánh giá"))[0]
    assert thanks.plain.startswith("🙏")
    assert (counted.begins, counted.commits) == (1, 1)
    assert services.users.touch(502).state is None

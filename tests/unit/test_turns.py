"""SQLite turns: one update at the database at a time, others free while it waits on the
network, and nothing left uncommitted when it lets go."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from tthc.bot.turns import Turns, outside_turn
from tthc.core.database import Database


async def test_an_update_waiting_on_the_network_lets_the_next_one_in() -> None:
    turns, log = Turns(exclusive=True), []
    sent = asyncio.Event()

    async def first() -> None:
        async with turns.turn():
            log.append("first works")
            async with outside_turn():
                log.append("first waits on Telegram")
                await sent.wait()
            log.append("first works again")

    async def second() -> None:
        async with turns.turn():
            log.append("second works")
            sent.set()
            await asyncio.sleep(0)
            log.append("second done")

    await asyncio.wait_for(asyncio.gather(first(), second()), 10)
    assert log == [
        "first works",
        "first waits on Telegram",
        "second works",
        "second done",  # first takes its turn back only when second's is over
        "first works again",
    ]


async def test_without_exclusive_turns_nothing_waits() -> None:
    turns, inside, release = Turns(exclusive=False), [], asyncio.Event()

    async def hold(name: str) -> None:
        async with turns.turn(), turns.turn(), outside_turn():  # nested, as handlers do
            inside.append(name)
            await release.wait()

    tasks = [asyncio.create_task(hold(name)) for name in ("a", "b")]
    for _ in range(5):
        await asyncio.sleep(0)
    assert sorted(inside) == ["a", "b"]  # PostgreSQL: both inside at once, no lock at all
    release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)


async def test_letting_go_commits_what_was_done(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'turns.db'}")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    turns = Turns(exclusive=True)
    seen: list[int] = []
    async with turns.turn():
        with db.unit_of_work().current() as work:
            with db.session() as session:
                session.execute(text("INSERT INTO t VALUES (1)"))
            async with outside_turn():
                with db.engine.connect() as other:  # another update's connection
                    seen.append(int(other.execute(text("SELECT count(*) FROM t")).scalar() or 0))
            work.finish()
    db.dispose()
    assert seen == [1]

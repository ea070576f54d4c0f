"""One citizen's flood holds up nobody else (bot/fairness.py, bot/ordering.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from tthc.bot.fairness import Budget, Verdict
from tthc.bot.ordering import ChatOrderedProcessor


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_a_flood_is_told_once_then_ignored() -> None:
    clock = Clock()
    budget = Budget({"messages": 20}, clock)
    verdicts = [budget.admit(1, "messages") for _ in range(25)]
    assert verdicts[:20] == [Verdict.ADMIT] * 20
    assert verdicts[20:] == [Verdict.WARN, Verdict.DROP, Verdict.DROP, Verdict.DROP, Verdict.DROP]
    assert budget.admit(2, "messages") is Verdict.ADMIT  # someone else is not affected
    clock.now += 3  # a minute's budget refills at 20 a minute: one message per 3 s
    assert budget.admit(1, "messages") is Verdict.ADMIT
    assert budget.admit(1, "messages") is Verdict.WARN  # told again after a pause


def test_kinds_have_their_own_budget_and_zero_means_none() -> None:
    budget = Budget({"messages": 1, "presses": 0}, Clock())
    assert budget.admit(1, "messages") is Verdict.ADMIT
    assert budget.admit(1, "messages") is Verdict.WARN
    assert all(budget.admit(1, "presses") is Verdict.ADMIT for _ in range(500))


def test_a_clock_stepping_back_neither_refills_nor_breaks() -> None:
    clock = Clock()
    budget = Budget({"messages": 2}, clock)
    assert [budget.admit(1, "messages") for _ in range(3)][-1] is Verdict.WARN
    clock.now -= 3600
    assert budget.admit(1, "messages") is Verdict.DROP
    clock.now += 60
    assert budget.admit(1, "messages") is Verdict.ADMIT


def update(chat: int, n: int) -> Update:
    person = {"id": chat, "is_bot": False, "first_name": "Lan"}
    data: dict[str, Any] = {
        "update_id": chat * 1000 + n,
        "message": {
            "message_id": n,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": person,
            "text": "x",
        },
    }
    return Update.de_json(data, None)


async def test_a_chats_queued_updates_do_not_hold_the_shared_slots() -> None:
    processor = ChatOrderedProcessor(2)
    release, done = asyncio.Event(), []

    async def slow(n: int) -> None:
        await release.wait()
        done.append(f"flood {n}")

    async def quick() -> None:
        done.append("other")

    flood = [
        asyncio.create_task(processor.process_update(update(1, n), slow(n))) for n in range(50)
    ]
    await asyncio.sleep(0)
    other = asyncio.create_task(processor.process_update(update(2, 1), quick()))
    await asyncio.wait_for(other, 5)  # answered while the flood's first update still works
    assert done == ["other"]
    release.set()
    await asyncio.wait_for(asyncio.gather(*flood), 5)
    assert done[1:] == [f"flood {n}" for n in range(50)]  # the flooder's own order kept


async def test_over_budget_updates_are_not_handled_and_told_once() -> None:
    told: list[int] = []

    async def over_budget(update: Update) -> None:
        told.append(update.update_id)

    processor = ChatOrderedProcessor(
        4, budget=Budget({"messages": 3}, Clock()), over_budget=over_budget
    )
    handled: list[int] = []

    async def handle(n: int) -> None:
        handled.append(n)

    for n in range(10):
        await processor.process_update(update(1, n), handle(n))
    assert handled == [0, 1, 2] and told == [1003] and processor.dropped == 7

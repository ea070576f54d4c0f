"""Updates run side by side, except two of one chat: the second waits for the first."""

from __future__ import annotations

import asyncio

from telegram import Update

from tthc.bot.ordering import ChatOrderedProcessor


def _update(update_id: int, chat_id: int) -> Update:
    update = Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "text": "x",
            },
        },
        None,  # type: ignore[arg-type]
    )
    assert update is not None
    return update


async def test_one_chat_waits_its_turn_and_other_chats_do_not() -> None:
    processor = ChatOrderedProcessor(8)
    log: list[str] = []
    release = asyncio.Event()

    async def work(name: str, wait: bool = False) -> None:
        log.append(f"{name} starts")
        if wait:
            await release.wait()
        log.append(f"{name} ends")

    first = asyncio.create_task(processor.process_update(_update(1, 10), work("A1", wait=True)))
    second = asyncio.create_task(processor.process_update(_update(2, 10), work("A2")))
    other = asyncio.create_task(processor.process_update(_update(3, 20), work("B1")))
    await asyncio.wait_for(other, 10)  # another chat is not held up by A1
    assert log == ["A1 starts", "B1 starts", "B1 ends"]
    release.set()
    await asyncio.wait_for(asyncio.gather(first, second), 10)
    assert log[3:] == ["A1 ends", "A2 starts", "A2 ends"]  # A2 only after A1
    assert processor._chats == {}  # nothing kept for chats with nothing pending

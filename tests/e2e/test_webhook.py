"""Two instances behind a round-robin proxy on one PostgreSQL, fed by webhook.

The fake Bot API delivers updates as Telegram does in webhook mode: it POSTs each one
with the secret token and sends it again until an instance acknowledges it. An instance
acknowledges an update only after handling it, so stopping one loses nothing.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession

from tests.conftest import _fresh_db
from tests.harness import FakeServer
from tests.webhooks import SECRET, Instance, Proxy, webhook_instance
from tthc.app.web import SECRET_HEADER

pytestmark = pytest.mark.postgres


_ids = itertools.count(1)


def _message(user_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan", "language_code": "vi"},
            "text": text,
        }
    }
    if text.startswith("/"):
        message["message"]["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        ]
    return message


def _press(api: Any, user_id: int, message: Any, caption: str) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"cq{next(_ids)}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            "chat_instance": "ci",
            "data": message.button(caption)["callback_data"],
            "message": api._message_dict(message),
        }
    }


async def test_a_conversation_continues_on_whichever_instance_gets_the_next_update(
    server: FakeServer, cluster: tuple[Proxy, list[Instance]]
) -> None:
    proxy, _ = cluster
    api, citizen = server.api, 6300

    def last() -> Any:
        return [m for m in api.sent if m.chat_id == citizen][-1]

    steps = [await api.post_update(_message(citizen, "/danhgia"))]
    assert last().plain.startswith("⭐ Bạn hài lòng thế nào với dịch vụ hành chính công?")
    steps.append(await api.post_update(_press(api, citizen, last(), "🙂 Hài lòng")))
    steps.append(await api.post_update(_press(api, citizen, last(), "✍️ Thêm nhận xét")))
    steps.append(await api.post_update(_message(citizen, "Cán bộ hướng dẫn tận tình")))
    assert "Nhận xét: Cán bộ hướng dẫn tận tình" in last().plain
    steps.append(await api.post_update(_press(api, citizen, last(), "✅ Gửi đánh giá")))
    assert last().plain.startswith("🙏 Cảm ơn bạn đã đánh giá")
    served = dict(proxy.served)
    backends = [served[step] for step in steps]
    assert all(a != b for a, b in itertools.pairwise(backends))  # every step switched instance


async def test_two_instances_answer_every_update_once_and_survive_losing_one(
    server: FakeServer, cluster: tuple[Proxy, list[Instance]]
) -> None:
    proxy, instances = cluster
    api = server.api
    assert api.webhook is not None and api.webhook["secret_token"] == SECRET
    citizens = range(6001, 6031)
    for user_id in citizens:
        search = await api.post_update(_message(user_id, "lam lai can cuoc"))
        card = [m for m in api.sent if m.chat_id == user_id]
        assert len(card) == 1 and card[0].plain.startswith("📋 Cấp lại thẻ căn cước")
        button = card[0].button("📄 Hồ sơ cần chuẩn bị")
        press = await api.post_update(
            {
                "callback_query": {
                    "id": f"cq{user_id}",
                    "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
                    "chat_instance": "ci",
                    "data": button["callback_data"],
                    "message": api._message_dict(card[0]),
                }
            }
        )
        served = dict(proxy.served)
        assert served[search] != served[press]  # the press went to the other instance
    for user_id in citizens:
        replies = [m for m in api.sent if m.chat_id == user_id]
        assert len(replies) == 2 and replies[1].edited  # the card, then its section in place
        assert "📄 Hồ sơ cần chuẩn bị" in replies[1].plain
    answered = [c["callback_query_id"] for c in api.answered_callbacks]
    assert sorted(answered) == sorted(f"cq{u}" for u in citizens)  # each press once
    assert {backend for _, backend in proxy.served} == {i.url for i in instances}

    await instances[0].stop()  # mid-traffic: the proxy still sends it every other update
    for user_id in range(6101, 6131):
        await api.post_update(_message(user_id, "đăng ký khai sinh"))
        replies = [m for m in api.sent if m.chat_id == user_id]
        assert len(replies) == 1, user_id
    assert any("502" in e for e in api.webhook_errors)  # Telegram's retries did the rest

    async with ClientSession() as session:
        for headers in ({}, {SECRET_HEADER: "wrong-secret-0123456789"}):
            async with session.post(
                instances[1].url,
                json={"update_id": 1, **_message(6200, "xin chào")},
                headers=headers,
            ) as response:
                assert response.status == 403
        async with session.get(instances[1].url.replace("/telegram", "/healthz")) as response:
            health = await response.json()
            assert response.status == 200 and health["ok"] and health["procedures"] == 2834
    assert not [m for m in api.sent if m.chat_id == 6200]


@pytest.mark.slow  # throughput
async def test_many_citizens_at_once_are_all_answered(
    server: FakeServer, cluster: tuple[Proxy, list[Instance]]
) -> None:
    """60 updates in flight together on two instances handling 32 each: every one gets
    its card (each update holds a connection and a worker thread; too few of either and
    they wait for each other until the pool gives up)."""
    api = server.api
    citizens = range(6400, 6460)
    await asyncio.gather(*(api.post_update(_message(u, "dang ky khai sinh")) for u in citizens))
    for user_id in citizens:
        replies = [m for m in api.sent if m.chat_id == user_id]
        assert len(replies) == 1 and replies[0].plain.startswith("📋 "), replies


async def test_on_sqlite_updates_take_turns_at_the_database_and_overlap_on_the_network(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> None:
    """One instance on SQLite, 60 updates in flight, 20 ms per call to Telegram: every
    update gets its card (no "busy" from a locked database), and replies overlap (several
    calls to Telegram were waiting at the same moment)."""
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    proxy = Proxy([])
    await proxy.start()
    instance = await webhook_instance(server, url, proxy.port)
    proxy.backends[:] = [instance.url]
    api = server.api
    api.latency = 0.02
    try:
        citizens = range(6500, 6560)
        await asyncio.gather(*(api.post_update(_message(u, "lam lai can cuoc")) for u in citizens))
    finally:
        api.latency = 0.0
        await instance.stop()
        await proxy.stop()
    for user_id in citizens:
        replies = [m for m in api.sent if m.chat_id == user_id]
        assert len(replies) == 1 and replies[0].plain.startswith("📋 Cấp lại thẻ căn cước")
    assert api.max_in_flight > 1

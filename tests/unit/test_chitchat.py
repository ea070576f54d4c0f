"""Small talk is answered, not searched, and personal numbers never reach the logs."""

from __future__ import annotations

import pytest

from tthc.catalog.chitchat import Chitchat, chitchat


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("xin chào", Chitchat.GREETING),
        ("Chào bạn ạ", Chitchat.GREETING),
        ("alo bot ơi", Chitchat.GREETING),
        ("cảm ơn nhiều nhé", Chitchat.THANKS),
        ("ok cảm ơn bạn", Chitchat.THANKS),
        ("thanks", Chitchat.THANKS),
        ("tạm biệt", Chitchat.BYE),
        ("👍", Chitchat.ACK),
        ("ok", Chitchat.ACK),
        ("vâng ạ", Chitchat.ACK),
        ("bạn là ai", Chitchat.WHO),
        ("bot ngu", Chitchat.INSULT),
        ("đm", Chitchat.INSULT),
        ("kể chuyện cười đi", Chitchat.OFF_TOPIC),
        ("0912345678", Chitchat.NUMBER),
        ("+84 912 345 678", Chitchat.NUMBER),
        ("1234", Chitchat.NUMBER),
    ],
)
def test_small_talk(text: str, kind: Chitchat) -> None:
    assert chitchat(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "làm lại căn cước",
        "đăng ký khai sinh cho con",
        "chào bạn, tôi muốn làm hộ chiếu",
        "cảm ơn, cho hỏi đổi bằng lái ở đâu",
        "ok giờ làm sổ đỏ thế nào",
        "1.001193",
        "000.00.20.H56-240527-0001",
    ],
)
def test_questions_are_not_small_talk(text: str) -> None:
    assert chitchat(text) is None

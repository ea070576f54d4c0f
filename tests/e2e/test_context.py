"""A conversation, not a search box: follow-ups about the card on screen, picks from a list,
stories with a need inside, questions no procedure answers, English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from tests.harness import BotHarness

BIRTH = "Thủ tục đăng ký khai sinh"


async def test_four_follow_ups_open_the_sections_of_the_card_on_screen(bot: BotHarness) -> None:
    citizen = bot.user(901)
    card = (await citizen.send("e muốn làm giấy khai sinh cho con mới đẻ thì cần những gì ạ"))[0]
    assert card.plain.splitlines()[0] == BIRTH
    assert card.plain.splitlines()[1].startswith("📄 Hồ sơ cần chuẩn bị")
    for follow_up, section in [
        ("còn lệ phí thì sao?", "💰 Lệ phí"),
        ("thế làm online được không", "🏢 Cách thức và nơi nộp"),
        ("mất bao lâu vậy", "⏱ Thời hạn giải quyết"),
        ("nộp ở đâu", "🏢 Cách thức và nơi nộp"),
    ]:
        reply = (await citizen.send(follow_up))[0]
        # A reminder of which procedure it is, the section, and the way back to the card.
        assert reply.plain.splitlines()[:2] == [BIRTH, section], follow_up
        assert "⬅️ Quay lại" in reply.captions and not reply.edited
    whole = (await citizen.press("⬅️ Quay lại"))[0]
    assert whole.plain.startswith(f"📋 {BIRTH}")
    assert bot.services is not None and bot.services.catalog.unanswered() == []


async def test_a_follow_up_half_an_hour_later_is_a_new_question(bot: BotHarness) -> None:
    citizen = bot.user(902)
    card = (await citizen.send("đăng ký khai sinh"))[0]
    assert card.plain.startswith(f"📋 {BIRTH}")
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31), tick=True):
        reply = (await citizen.send("còn lệ phí thì sao?"))[0]
    assert not reply.plain.startswith(BIRTH)  # not the fees of the card long gone
    # A new need within the half hour drops the card too.
    await citizen.send("đăng ký khai sinh")
    other = (await citizen.send("lệ phí cấp đổi giấy phép lái xe"))[0]
    assert other.plain.splitlines()[:2] == ["Đổi giấy phép lái xe", "💰 Lệ phí"]


async def test_a_pick_from_the_list_by_its_place_or_its_words(bot: BotHarness) -> None:
    citizen = bot.user(903)
    question = (await citizen.send("làm căn cước lần đầu"))[0]
    assert question.captions == ["Người dưới 14 tuổi", "Người từ đủ 14 tuổi trở lên"]
    card = (await citizen.send("cái cho người trên 14 tuổi"))[0]
    assert card.plain.startswith("📋 Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên")
    fees = (await citizen.send("còn lệ phí?"))[0]
    assert fees.plain.splitlines()[:2] == [
        "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên",
        "💰 Lệ phí",
    ]
    first = (await citizen.send("cái thứ 1"))[0]
    assert first.plain.startswith("📋 Cấp thẻ căn cước cho người dưới 14 tuổi")


async def test_a_death_in_the_family_offers_the_death_registration(bot: BotHarness) -> None:
    citizen = bot.user(904)
    reply = (await citizen.send("bố em mới mất, làm giấy chứng tử ở đâu ạ"))[0]
    assert reply.plain.splitlines()[0] in ("Thủ tục đăng ký khai tử", "📋 Thủ tục đăng ký khai tử")


async def test_weather_and_divorce_are_answered_honestly_and_not_logged(bot: BotHarness) -> None:
    citizen = bot.user(905)
    weather = (await citizen.send("thời tiết ngày mai thế nào"))[0]
    assert weather.plain.startswith("ℹ️ Bot chỉ hướng dẫn thủ tục hành chính")
    assert "ghi lại" not in weather.plain
    divorce = (await citizen.send("thủ tục ly hôn thuận tình"))[0]
    assert divorce.plain.startswith("⚖️ Việc này do Tòa án giải quyết")
    assert divorce.captions[0].startswith("1. Dịch vụ công trực tuyến gửi, nhận đơn khởi")
    assert divorce.captions[1] == "2. Thủ tục yêu cầu trợ giúp pháp lý"
    assert bot.services is not None and bot.services.catalog.unanswered() == []


async def test_an_english_question_gets_its_card_with_english_labels(bot: BotHarness) -> None:
    citizen = bot.user(906)
    card = (await citizen.send("how do I register my baby's birth"))[0]
    lines = card.plain.splitlines()
    assert lines[0] == f"📋 {BIRTH}"  # the published Vietnamese
    assert "📄 Documents to bring" in card.captions


async def test_a_birth_gets_its_journey_and_the_birth_card_offers_it(bot: BotHarness) -> None:
    citizen = bot.user(907)
    journey = (await citizen.send("vợ em vừa sinh em bé, cần làm những gì ạ"))[0]
    assert journey.plain.startswith("👶 Chúc mừng gia đình bạn!")
    captions = [c.split(". ", 1)[1] for c in journey.captions[:4]]
    assert captions[:3] == [
        "Thủ tục đăng ký khai sinh",
        "Đăng ký thường trú",
        "Cấp thẻ bảo hiểm y tế",
    ]
    assert captions[3].startswith("Liên thông thủ tục hành chính về đăng ký kh")
    card = (await citizen.press(journey.captions[0]))[0]
    assert card.plain.startswith(f"📋 {BIRTH}")
    again = (await citizen.press("🧭 Sinh con: các việc cần làm", card))[0]
    assert again.plain == journey.plain and again.captions == journey.captions
    assert bot.services is not None and bot.services.catalog.unanswered() == []

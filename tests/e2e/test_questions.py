"""Whole questions as citizens write them: the asked section, one question for variants."""

from __future__ import annotations

from tests.harness import BotHarness


async def test_a_question_about_papers_opens_the_documents_section(bot: BotHarness) -> None:
    citizen = bot.user(301)
    reply = (await citizen.send("Hồ sơ đăng ký kết hôn gồm những giấy tờ gì ạ?"))[0]
    lines = reply.plain.splitlines()
    assert lines[0] == "Thủ tục đăng ký kết hôn"
    assert lines[1].startswith("📄 Hồ sơ cần chuẩn bị")
    assert not reply.edited  # a new message, the answer to the question
    assert "☑️ Đánh dấu giấy tờ đã có" in reply.captions  # the checklist, one press away
    card = (await citizen.press("⬅️ Quay lại"))[0]  # the whole card is one press away too
    assert card.plain.startswith("📋 Thủ tục đăng ký kết hôn") and card.edited


async def test_questions_about_time_fees_and_place_open_their_sections(bot: BotHarness) -> None:
    citizen = bot.user(302)
    time = (await citizen.send("làm lại căn cước mất bao lâu"))[0]
    assert time.plain.splitlines()[:2] == ["Cấp lại thẻ căn cước", "⏱ Thời hạn giải quyết"]
    fees = (await citizen.send("Lệ phí làm hộ chiếu là bao nhiêu tiền vậy?"))[0]
    assert fees.plain.splitlines()[1] == "💰 Lệ phí"
    place = (await citizen.send("đăng ký tạm trú ở đâu"))[0]
    assert place.plain.splitlines()[:2] == ["Đăng ký tạm trú", "🏢 Cách thức và nơi nộp"]


async def test_id_card_for_whom_is_one_question_with_two_buttons(bot: BotHarness) -> None:
    citizen = bot.user(303)
    question = (await citizen.send("làm căn cước lần đầu"))[0]
    assert question.plain == ("Thủ tục Cấp thẻ căn cước có nhiều trường hợp. Bạn làm cho ai?")
    assert question.captions == ["Người dưới 14 tuổi", "Người từ đủ 14 tuổi trở lên"]
    card = (await citizen.press("Người từ đủ 14 tuổi trở lên"))[0]
    assert card.plain.splitlines()[0] == "📋 Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên"
    assert card.edited and card.message_id == question.message_id
    again = (await citizen.press("⬅️ Quay lại danh sách"))[0]
    assert again.captions == question.captions and again.message_id == question.message_id
    # An age in the question decides the case by itself.
    child = (await citizen.send("làm căn cước cho con 10 tuổi"))[0]
    assert child.plain.splitlines()[0] == "📋 Cấp thẻ căn cước cho người dưới 14 tuổi"


async def test_a_pick_from_a_list_keeps_the_section_asked_about(bot: BotHarness) -> None:
    citizen = bot.user(304)
    listing = (await citizen.send("cấp giấy phép xây dựng gồm những giấy tờ gì"))[0]
    assert listing.plain.startswith("Tôi tìm thấy một số thủ tục")
    section = (await citizen.press("1. "))[0]
    assert section.plain.splitlines()[1].startswith("📄 Hồ sơ cần chuẩn bị")
    assert section.edited and section.message_id == listing.message_id


async def test_result_lists_never_show_two_buttons_alike(bot: BotHarness) -> None:
    citizen = bot.user(305)
    for query in ("gia hạn giấy phép xây dựng", "thu tuc bang lai xe", "cap giay phep xay dung"):
        reply = (await citizen.send(query))[0]
        assert len(reply.buttons) >= 2, reply.plain
        assert len(set(reply.captions)) == len(reply.captions), reply.captions

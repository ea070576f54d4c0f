"""Citizen journeys through the fake Bot API, asserting the texts and buttons they see."""

from __future__ import annotations

from tests.fakeapi import SentMessage
from tests.harness import BotHarness, Citizen
from tthc.catalog.importer import apply_import
from tthc.catalog.records import ParsedFile

CARD_BUTTONS = [
    "📄 Hồ sơ cần chuẩn bị",
    "🪜 Trình tự thực hiện",
    "💰 Lệ phí",
    "⏱ Thời hạn",
    "🏢 Cách thức và nơi nộp",
    "⚖️ Căn cứ pháp lý",
    "📌 Kết quả",
]


async def test_1_id_card_without_diacritics_to_documents(bot: BotHarness) -> None:
    citizen = bot.user(101)
    card = (await citizen.send("lam lai can cuoc"))[0]
    lines = card.plain.splitlines()
    assert lines[:2] == ["📋 Cấp lại thẻ căn cước", "Mã: 1.014064 · Cấp xã"]
    # The amount first (a temporary 50% rate runs to 31/12/2026), then days, then where.
    assert lines[2].startswith("💰 Lệ phí: ") and "70.000 đồng" in lines[2]
    assert lines[3:5] == ["⏱ Thời hạn: 7 ngày làm việc", "🏛 Cơ quan thực hiện: Công an cấp Xã"]
    assert "📮 Cách nộp: trực tiếp, trực tuyến (toàn trình), qua bưu chính công ích" in lines
    # The published list has 4 lines, one of them a note about the online form.
    assert "📄 Giấy tờ: 3 loại — bấm Hồ sơ cần chuẩn bị." in lines
    assert "📌 Kết quả: Thẻ căn cước" in lines
    assert lines[-1].startswith("Cập nhật ") and lines[-1].endswith(
        "Nguồn: Cổng Dịch vụ công quốc gia"
    )
    assert card.captions == [
        *CARD_BUTTONS,
        "Xem tại Cấp bộ",
        "Xem tại Cấp tỉnh",
        "🔗 Xem trên Cổng Dịch vụ công",
        "📤 Chia sẻ thủ tục này",
        "🏠 Menu chính",
    ]
    # At most one "typing…", and only when the answer was slow (tests/unit/test_sender.py).
    assert len(bot.api.chat_actions) <= 1
    documents = (await citizen.press("📄 Hồ sơ cần chuẩn bị"))[0]
    assert documents.edited and documents.message_id == card.message_id
    doc_lines = documents.plain.splitlines()
    assert doc_lines[:2] == ["Cấp lại thẻ căn cước", "📄 Hồ sơ cần chuẩn bị"]
    assert doc_lines[2].startswith(
        "1. Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02 ban hành kèm theo Thông tư "
        "số 17/2024/TT-BCA của Bộ Công an) — 1 bản chính"
    )
    assert [line[:2] for line in doc_lines[2:5]] == ["1.", "2.", "3."]
    assert "Phiếu này là biểu mẫu điện tử" not in documents.plain  # a note, not a paper
    assert documents.captions == [
        "☑️ Đánh dấu giấy tờ đã có",
        "📝 Lưu ý (1)",
        "📜 Xem nguyên văn",
        "⬅️ Quay lại",
    ]
    notes = (await citizen.press("📝 Lưu ý (1)"))[0]
    assert "• Phiếu này là biểu mẫu điện tử" in notes.plain
    raw = (await citizen.press("⬅️ Quay lại"))[0]
    raw = (await citizen.press("📜 Xem nguyên văn"))[0]
    assert "1. Phiếu này là biểu mẫu điện tử" in raw.plain  # the published list, as is
    await citizen.press("⬅️ Quay lại")
    back = (await citizen.press("⬅️ Quay lại"))[0]
    assert back.plain.startswith("📋 Cấp lại thẻ căn cước") and back.edited


async def test_2_ambiguous_query_gives_a_list_and_a_press_opens_the_card(bot: BotHarness) -> None:
    citizen = bot.user(102)
    listing = (await citizen.send("thu tuc bang lai xe"))[0]
    assert listing.plain.splitlines()[0] == (
        "Tôi tìm thấy một số thủ tục gần với “thu tuc bang lai xe”. Bạn chọn đúng thủ tục cần làm:"
    )
    assert "1. Cấp giấy phép lái xe · Cấp bộ · Cục cảnh sát giao thông" in listing.plain
    assert listing.captions == [
        "1. Cấp giấy phép lái xe",
        "2. Thu hồi giấy phép lái xe",
        "3. Cấp lại giấy phép lái xe",
        "4. Đổi giấy phép lái xe",
        "5. Cấp giấy phép lái xe quốc tế",
    ]
    card = (await citizen.press("4. Đổi giấy phép lái xe"))[0]
    assert card.plain.splitlines()[:2] == ["📋 Đổi giấy phép lái xe", "Mã: 3.000347 · Cấp bộ"]
    assert card.edited and card.message_id == listing.message_id  # in place of the list…
    fees = (await citizen.press("💰 Lệ phí"))[0]
    card = (await citizen.press("⬅️ Quay lại"))[0]
    again = (await citizen.press("⬅️ Quay lại danh sách"))[0]  # …which stays one press away
    assert again.message_id == listing.message_id and again.captions == listing.captions
    assert fees.plain.startswith("Đổi giấy phép lái xe\n💰 Lệ phí")
    await citizen.send("dang ky khai tu")  # a pick is not an abandoned list
    assert bot.services is not None
    assert bot.services.catalog.unanswered(kind="abandoned") == []


async def test_3_nonsense_gets_the_no_match_reply_and_is_logged(bot: BotHarness) -> None:
    citizen = bot.user(103)
    reply = (await citizen.send("abc xyz qwerty"))[0]
    assert reply.plain == (
        "Xin lỗi, tôi chưa tìm thấy thủ tục nào khớp với “abc xyz qwerty”. Câu hỏi đã được ghi "
        "lại để cán bộ bổ sung.\n\nBạn thử gõ lại ngắn gọn tên việc cần làm, ví dụ cấp lại căn "
        "cước, đăng ký kết hôn, hoặc duyệt danh mục thủ tục theo lĩnh vực."
    )
    assert reply.captions == ["📚 Duyệt danh mục thủ tục"]
    await citizen.send("abc  XYZ qwerty")
    assert bot.services is not None
    logged = bot.services.catalog.unanswered(kind="none")
    # Grouped by the folded form, in which a final "y" reads as "i".
    assert [(r.normalized, r.count) for r in logged] == [("abc xyz qwerti", 2)]
    # A list the citizen leaves for a new question is logged as abandoned.
    await citizen.send("thu tuc bang lai xe")
    await citizen.send("dang ky khai tu")
    abandoned = bot.services.catalog.unanswered(kind="abandoned")
    assert [r.query for r in abandoned] == ["thu tuc bang lai xe"]


async def test_4_browse_field_procedure_section_back(bot: BotHarness) -> None:
    citizen = bot.user(104)
    await citizen.send("/start")
    menu = (await citizen.press("📚 Duyệt danh mục thủ tục"))[0]
    assert menu.captions == [
        "🗂 Theo lĩnh vực",
        "🏛 Theo cơ quan thực hiện",
        "🏢 Theo cấp thực hiện",
        "🏠 Menu chính",
    ]
    fields = (await citizen.press("🗂 Theo lĩnh vực"))[0]
    assert fields.plain == (
        "Chọn lĩnh vực (156 lĩnh vực, trang 1/16)\nSố trong ngoặc là số thủ tục."
    )
    assert fields.captions[0] == "Báo chí (3)"
    assert fields.captions[-2:] == ["Trang sau ▶️", "⬅️ Quay lại"]
    page = await _page_with(citizen, fields, "Hộ tịch (")
    assert page.message_id == menu.message_id  # every step edits the same message
    field = (await citizen.press("Hộ tịch ("))[0]
    assert field.plain.startswith("Lĩnh vực: Hộ tịch\n")
    await _page_with(citizen, field, "Thủ tục đăng ký khai tử")
    card = (await citizen.press("Thủ tục đăng ký khai tử"))[0]
    assert card.plain.startswith("📋 Thủ tục đăng ký khai tử\nMã: 1.000656 · Cấp xã")
    assert "⬅️ Quay lại danh sách" in card.captions
    fees = (await citizen.press("💰 Lệ phí"))[0]
    assert fees.plain.splitlines()[:2] == ["Thủ tục đăng ký khai tử", "💰 Lệ phí"]
    again = (await citizen.press("⬅️ Quay lại"))[0]
    assert again.plain.startswith("📋 Thủ tục đăng ký khai tử")
    back_to_list = (await citizen.press("⬅️ Quay lại danh sách"))[0]
    assert "Thủ tục đăng ký khai tử" in back_to_list.captions
    fields_again = (await citizen.press("⬅️ Quay lại"))[0]
    assert fields_again.plain == page.plain  # back to the page the field was on


async def _page_with(citizen: Citizen, listing: SentMessage, caption: str) -> SentMessage:
    """Press "next page" until a button with `caption` shows up."""
    page = listing
    while not any(c.startswith(caption) for c in page.captions):
        page = (await citizen.press("Trang sau ▶️", page))[0]
    return page


async def test_5_checklist_ticks_survive_a_restart(bot: BotHarness) -> None:
    citizen = bot.user(105)
    await citizen.send("lam lai can cuoc")
    await citizen.press("📄 Hồ sơ cần chuẩn bị")
    checklist = (await citizen.press("☑️ Đánh dấu giấy tờ đã có"))[0]
    assert checklist.plain.splitlines()[:2] == [
        "☑️ Giấy tờ đã có — Cấp lại thẻ căn cước",
        "Bạn đã có 0/3 giấy tờ.",
    ]
    assert checklist.captions == ["⬜ 1", "⬜ 2", "⬜ 3", "⬅️ Quay lại"]
    await citizen.press("⬜ 1")
    ticked = (await citizen.press("⬜ 3"))[0]
    assert "Bạn đã có 2/3 giấy tờ." in ticked.plain
    assert "Còn thiếu trên trang này: 2." in ticked.plain
    # A double press of the same (now stale) button sets the same state: still 2/3.
    await citizen.press_data(checklist.button("⬜ 3")["callback_data"], ticked)
    await bot.restart()
    citizen = bot.user(105)
    await citizen.send("lam lai can cuoc")
    await citizen.press("📄 Hồ sơ cần chuẩn bị")
    again = (await citizen.press("☑️ Đánh dấu giấy tờ đã có"))[0]
    assert again.captions == ["✅ 1", "⬜ 2", "✅ 3", "⬅️ Quay lại"]
    assert "Bạn đã có 2/3 giấy tờ." in again.plain
    unticked = (await citizen.press("✅ 1"))[0]
    assert "Bạn đã có 1/3 giấy tờ." in unticked.plain


async def test_6_deep_link_opens_a_card_and_the_card_shares_it(bot: BotHarness) -> None:
    citizen = bot.user(106)
    card = (await citizen.send("/start tt_1_000656"))[0]
    assert card.plain.startswith("📋 Thủ tục đăng ký khai tử\nMã: 1.000656 · Cấp xã")
    share = card.button("📤 Chia sẻ thủ tục này")["url"]
    assert share.startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2Ftthc_test_bot")
    assert "%3Fstart%3Dtt_1_000656" in share
    missing = (await citizen.send("/start tt_9_999999"))[0]
    assert missing.plain.startswith("Không tìm thấy thủ tục có mã 9.999999.")


async def test_7_stale_button_after_a_catalogue_import(bot: BotHarness) -> None:
    citizen = bot.user(107)
    listing = (await citizen.send("thu tuc bang lai xe"))[0]
    assert bot.services is not None
    with bot.services.db.session() as session:
        from tthc.catalog import repository

        records = {
            p.code: {"code": p.code, "name": p.name}
            for p in repository.all_procedures(session=session)
            if p.code != "3.000347"
        }
    apply_import(
        bot.services.db, ParsedFile(records=records), actor="staff", source="test", prune=True
    )
    reply = (await citizen.press("4. Đổi giấy phép lái xe", listing))[0]
    assert reply.plain == (
        "Danh sách này đã thay đổi sau khi danh mục thủ tục được cập nhật. Bạn hãy gõ lại việc "
        "cần làm để tra cứu mới nhé."
    )
    assert reply.captions[0] == "🔎 Tra cứu thủ tục"
    still_there = (await citizen.press("1. Cấp giấy phép lái xe", listing))[0]
    assert still_there.plain.startswith("📋 Cấp giấy phép lái xe")


async def test_8_english_ui(bot: BotHarness) -> None:
    citizen = bot.user(108, language_code="en")
    menu = (await citizen.send("/start"))[0]
    assert menu.plain.startswith("👋 Hello Lan!")
    card = (await citizen.send("lam lai can cuoc"))[0]
    lines = card.plain.splitlines()
    assert lines[:2] == ["📋 Cấp lại thẻ căn cước", "Code: 1.014064 · Cấp xã"]
    assert "⏱ Processing time: 7 working days" in lines
    assert "🏛 Handled by: Công an cấp Xã" in lines
    assert card.captions[:3] == ["📄 Documents to bring", "🪜 Steps", "💰 Fees"]
    documents = (await citizen.press("📄 Documents to bring"))[0]
    assert documents.captions == [
        "☑️ Tick the documents I have",
        "📝 Notes (1)",
        "📜 Original text",
        "⬅️ Back",
    ]
    checklist = (await citizen.press("☑️ Tick the documents I have"))[0]
    assert "You have 0/3 documents." in checklist.plain


async def test_markup_and_emoji_are_safe(bot: BotHarness) -> None:
    citizen = bot.user(109)
    reply = (await citizen.send("<b>sổ đỏ</b> & <script>"))[0]
    assert bot.api.errors == []
    assert "Giấy chứng nhận" in reply.plain or "<b>sổ đỏ</b>" in reply.plain
    emoji = (await citizen.send("😀😀😀"))[0]
    assert emoji.plain == "👍 Bạn cần gì thêm cứ gõ nhé."  # small talk, not a search


async def test_small_talk_is_answered_and_never_logged(bot: BotHarness) -> None:
    citizen = bot.user(110)
    hello = (await citizen.send("xin chào"))[0]
    assert hello.plain.startswith("👋 Chào bạn! Bạn cần làm thủ tục gì?")
    assert "🔎 Tra cứu thủ tục" in hello.captions
    thanks = (await citizen.send("cảm ơn nhiều nhé"))[0]
    assert thanks.plain.startswith("Không có gì ạ!")
    joke = (await citizen.send("kể chuyện cười đi"))[0]
    assert joke.plain.startswith("Tôi chỉ giúp được về thủ tục hành chính")
    phone = (await citizen.send("0912 345 678"))[0]
    assert phone.plain.startswith("Bạn vừa gửi một dãy số.")
    await citizen.send("abc xyz 0912345678 qwerty")  # a real miss, with a number in it
    assert bot.services is not None
    logged = bot.services.catalog.unanswered()
    assert [(r.query, r.normalized) for r in logged] == [
        ("abc xyz ••• qwerty", "abc xyz ••• qwerti")
    ]


MOST_ASKED = ["1.001193", "1.004873", "1.004859", "1.001612", "1.004884", "2.000720", "1.014064"]


async def test_every_section_of_the_most_asked_procedures_opens(bot: BotHarness) -> None:
    for lang, user_id in (("vi", 111), ("en", 112)):
        citizen = bot.user(user_id, language_code=lang)
        for code in MOST_ASKED:
            card = (await citizen.send(code))[0]
            assert card.plain.startswith("📋 ")
            icons = ("📄", "🪜", "💰", "⏱", "🏢", "⚖", "📌")
            sections = [c for c in card.captions if c.startswith(icons)]
            assert len(sections) >= 6
            for caption in sections:
                parts = await citizen.press(caption, card)  # a long section comes in parts
                assert parts[0].edited
                text = "\n".join(p.plain for p in parts)
                assert "Xin lỗi, đã có lỗi" not in text and "Sorry, something went" not in text
                card = (await citizen.press(parts[-1].captions[-1], parts[-1]))[-1]  # back
    assert bot.api.errors == []

"""Foundation journeys through the fake Bot API: menu, help, cancel, language, bad input."""

from __future__ import annotations

import pytest

from tests.harness import BotHarness


async def test_start_shows_vietnamese_menu(bot: BotHarness) -> None:
    replies = await bot.user(42).send("/start")
    assert len(replies) == 1
    menu = replies[0]
    assert menu.plain.startswith("👋 Xin chào Lan!")
    assert "Tôi là trợ lý thủ tục hành chính." in menu.plain
    assert "Dữ liệu: 2.834 thủ tục" in menu.plain
    assert menu.captions == [
        "🔎 Tra cứu thủ tục",
        "📚 Duyệt danh mục thủ tục",
        "📂 Tra cứu hồ sơ",
        "⭐ Đánh giá dịch vụ",
        "📣 Phản ánh, kiến nghị",
        "❓ Hướng dẫn",
        "🌐 English",
    ]
    assert menu.parse_mode == "HTML"


async def test_menu_button_help_and_search_prompt(bot: BotHarness) -> None:
    citizen = bot.user(42)
    await citizen.send("/start")
    menu = citizen.last
    replies = await citizen.press("❓ Hướng dẫn", menu)
    assert replies[0].plain.startswith("Cách dùng\n• Gõ tên thủ tục")
    replies = await citizen.press("🔎 Tra cứu thủ tục", menu)
    assert replies[0].plain == (
        "Bạn cần làm thủ tục gì? Gõ tên thủ tục hoặc việc cần làm, ví dụ đăng ký thường trú."
    )
    assert len(bot.api.answered_callbacks) == 2


async def test_help_cancel_and_unknown_command(bot: BotHarness) -> None:
    citizen = bot.user(7)
    help_reply = (await citizen.send("/help"))[0]
    assert "/lang — đổi ngôn ngữ (vi/en)" in help_reply.plain
    cancel = (await citizen.send("/cancel"))[0]
    assert cancel.plain == "Đã huỷ. Bạn cần tra cứu gì cứ gõ nhé."
    unknown = (await citizen.send("/xyz"))[0]
    assert unknown.plain == (
        "Tôi không có lệnh /xyz. Gõ /help để xem các lệnh, hoặc gõ việc bạn cần làm."
    )


async def test_empty_and_very_long_messages(bot: BotHarness) -> None:
    citizen = bot.user(8)
    empty = (await citizen.send("   "))[0]
    assert empty.plain == "Tin nhắn trống. Bạn hãy gõ việc cần làm, ví dụ làm lại căn cước."
    long = (await citizen.send("a" * 5000))[0]
    assert long.plain == (
        "Tin nhắn dài quá (5.000 ký tự). Bạn hãy gõ ngắn gọn việc cần làm, dưới 500 ký tự, "
        "ví dụ đăng ký kết hôn."
    )
    assert bot.api.errors == []


async def test_sticker_gets_a_text_only_reply(bot: BotHarness) -> None:
    replies = await bot.user(9).send_raw(
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "s1",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        }
    )
    assert replies[0].plain.startswith("Tôi chỉ đọc được tin nhắn chữ.")


async def test_language_switch_survives_restart(bot: BotHarness) -> None:
    citizen = bot.user(42)
    switched = (await citizen.send("/lang en"))[0]
    assert (
        switched.plain
        == "✅ Switched to English. Procedure content stays in Vietnamese, as published."
    )
    await bot.restart()
    menu = (await bot.user(42).send("/start"))[0]
    assert menu.plain.startswith("👋 Hello Lan!")
    assert menu.captions == [
        "🔎 Find a procedure",
        "📚 Browse the catalogue",
        "📂 Check a dossier",
        "⭐ Rate the service",
        "📣 Feedback and complaints",
        "❓ Help",
        "🌐 Tiếng Việt",
    ]


async def test_language_buttons(bot: BotHarness) -> None:
    citizen = bot.user(5)
    prompt = (await citizen.send("/lang"))[0]
    assert prompt.captions == ["🇻🇳 Tiếng Việt", "🇬🇧 English"]
    reply = (await citizen.press("🇬🇧 English"))[0]
    assert reply.plain.startswith("✅ Switched to English.")
    back = (await citizen.press("🌐 Tiếng Việt"))[0]
    assert back.plain.startswith("✅ Đã chuyển sang tiếng Việt.")


async def test_stale_button_is_answered_politely(bot: BotHarness) -> None:
    citizen = bot.user(6)
    await citizen.send("/start")
    reply = (await citizen.press_data("x:old-button", citizen.last))[0]  # type: ignore[arg-type]
    assert reply.plain.startswith("Danh sách này đã thay đổi")


@pytest.mark.postgres
async def test_language_survives_restart_on_postgres(pg_bot: BotHarness) -> None:
    await pg_bot.user(11).send("/lang en")
    await pg_bot.restart()
    menu = (await pg_bot.user(11).send("/start"))[0]
    assert menu.plain.startswith("👋 Hello Lan!")

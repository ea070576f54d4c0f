"""Ratings, complaints, roles and reports through the fake Bot API."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import _fresh_db
from tests.e2e.test_dossiers import code, load, row
from tests.fakeapi import SentMessage
from tests.harness import BotHarness, FakeServer, wait_until
from tthc.bot.reports.handlers import weekly_digest
from tthc.core.claims import claim_once
from tthc.core.clock import VIETNAM
from tthc.dossiers.status import Status
from tthc.ratings.models import Rating

ADMIN = 900


@pytest.fixture
async def fbot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url, admin_ids=frozenset({ADMIN}))
    await harness.start()
    yield harness
    await harness.stop()


def ratings(bot: BotHarness) -> list[Rating]:
    assert bot.services is not None
    with bot.services.db.session() as session:
        return list(session.exec(select(Rating).order_by(Rating.id)))  # type: ignore[arg-type]


async def test_rate_a_finished_dossier_with_criteria_and_comment(
    fbot: BotHarness, tmp_path: Path
) -> None:
    load(fbot, tmp_path, [row(1, Status.RETURNED), row(2, Status.PROCESSING)])
    citizen = fbot.user(301)
    status = (await citizen.send(code(1)))[0]
    assert status.captions[0] == "⭐ Đánh giá"
    prompt = (await citizen.press("⭐ Đánh giá"))[0]
    assert prompt.plain.startswith(f"⭐ Bạn hài lòng thế nào với việc giải quyết hồ sơ {code(1)}?")
    assert prompt.captions == ["😀 Rất hài lòng", "🙂 Hài lòng", "🙁 Không hài lòng", "✖️ Huỷ"]
    draft = (await citizen.press("🙂 Hài lòng"))[0]
    assert draft.plain.startswith(f"⭐ Đánh giá hồ sơ {code(1)}: Hài lòng")
    assert draft.captions[:3] == ["1 😀", "1 🙂", "1 🙁"]
    draft = (await citizen.press("2 🙁"))[0]  # thời gian giải quyết đúng hẹn: not satisfied
    assert "2. Thời gian giải quyết đúng hẹn — 🙁 Không hài lòng" in draft.plain
    await citizen.press("✍️ Thêm nhận xét")
    draft = (await citizen.send("Phải đi lại hai lần & chờ lâu <b>"))[0]
    assert "Nhận xét: Phải đi lại hai lần & chờ lâu <b>" in draft.plain
    thanks = (await citizen.press("✅ Gửi đánh giá", draft))[0]
    assert thanks.plain.startswith(f"🙏 Cảm ơn bạn đã đánh giá hồ sơ {code(1)}: Hài lòng.")
    stored = ratings(fbot)
    assert [(r.dossier_code, r.scale, r.criteria, r.comment, r.procedure_code) for r in stored] == [
        (
            code(1),
            1,
            {"Thời gian giải quyết đúng hẹn": 2},
            "Phải đi lại hai lần & chờ lâu <b>",
            "1.000656",
        )
    ]
    # A second rating replaces the first in the counts; both stay stored.
    await citizen.send(f"/danhgia {code(1)}")
    await citizen.press("😀 Rất hài lòng")
    again = (await citizen.press("✅ Gửi đánh giá"))[0]
    assert "Đánh giá mới thay cho đánh giá trước của bạn." in again.plain
    assert [r.scale for r in ratings(fbot)] == [1, 0]
    from tthc.reports.figures import satisfaction

    assert fbot.services is not None
    today = stored[0].created_at.astimezone(VIETNAM).date()  # reports count Vietnam days
    report = satisfaction(
        fbot.services.db, today, today, scale=fbot.services.settings.rating_scale, criteria=[]
    )
    assert report.overall.counts == [1, 0, 0] and report.stored == 2


async def test_unfinished_or_unknown_dossier_cannot_be_rated(
    fbot: BotHarness, tmp_path: Path
) -> None:
    load(fbot, tmp_path, [row(2, Status.PROCESSING)])
    citizen = fbot.user(302)
    unfinished = (await citizen.send(f"/danhgia {code(2)}"))[0]
    assert unfinished.plain == (
        f"Hồ sơ {code(2)} chưa có kết quả (tình trạng: Đang xử lý). Bạn có thể đánh giá sau "
        "khi hồ sơ đã xử lý xong."
    )
    unknown = (await citizen.send(f"/start dg_{code(3).replace('.', '_')}"))[0]
    assert unknown.plain.startswith("🔒 Để bảo vệ thông tin")  # unknown looks protected
    wrong = (await citizen.send("1234"))[0]
    assert wrong.plain.startswith(f"Mã hồ sơ {code(3)} hoặc 4 số kiểm tra chưa đúng.")
    assert ratings(fbot) == []
    general = (await citizen.send("/danhgia"))[0]
    assert general.plain.startswith("⭐ Bạn hài lòng thế nào với dịch vụ hành chính công?")


async def test_complaint_staff_reply_reaches_the_citizen(fbot: BotHarness) -> None:
    citizen = fbot.user(303)
    prompt = (await citizen.send("/phananh 1.000656"))[0]
    assert prompt.plain.startswith("📣 Bạn gõ nội dung phản ánh, kiến nghị về 1.000656.")
    draft = (
        await citizen.send_raw(
            {
                "photo": [{"file_id": "ph1", "file_unique_id": "u1", "width": 1, "height": 1}],
                "caption": "Cán bộ hẹn sai ngày",
            }
        )
    )[0]
    assert draft.plain.splitlines()[:4] == [
        "📣 Phản ánh, kiến nghị của bạn về 1.000656:",
        "",
        "Cán bộ hẹn sai ngày",
        "📎 Kèm 1 ảnh.",
    ]
    filed = (await citizen.press("✅ Gửi"))[0]
    assert filed.plain.startswith("✅ Đã gửi phản ánh của bạn. Mã số: PA-000001.")
    assert "trong vòng 10 ngày làm việc (dự kiến trước ngày" in filed.plain
    staff = fbot.user(304)
    refused = (await staff.send("/hopthu"))[0]
    assert refused.plain.startswith("Xin lỗi, lệnh này chỉ dành cho cán bộ.")
    admin = fbot.user(ADMIN)
    granted = (await admin.send("/quyen cap 304 staff"))[0]
    assert granted.plain == "✅ Đã cấp quyền cán bộ cho 304."
    inbox = (await staff.send("/hopthu"))[0]
    assert (
        "PA-000001" in inbox.plain and "Cán bộ hẹn sai ngày" in inbox.plain and "📎" in inbox.plain
    )
    before = len(fbot.api.sent)
    done = await staff.send(
        "/traloi PA-000001 Xin lỗi anh, bộ phận một cửa sẽ liên hệ lại hôm nay."
    )
    assert done[0].plain.startswith("✅ Đã lưu trả lời phản ánh PA-000001; bot gửi cho người dân")

    def to_citizen() -> list[SentMessage]:
        return [m for m in fbot.api.sent[before:] if m.chat_id == 303]

    await wait_until(lambda: to_citizen())  # delivered by the outbox, like every notification
    assert [m.plain for m in to_citizen()] == [
        "📬 Trả lời phản ánh PA-000001\nXin lỗi anh, bộ phận một cửa sẽ liên hệ lại hôm nay."
    ]
    assert (await staff.send("/dong pa-000001"))[0].plain == "✅ Đã đóng phản ánh PA-000001."
    assert (await staff.send("/hopthu"))[0].plain == "Không có phản ánh nào đang chờ trả lời."
    assert fbot.services is not None
    assert fbot.services.complaints.counts() == {"open": 0, "answered": 0, "closed": 1}


async def test_reports_for_managers_only(fbot: BotHarness, tmp_path: Path) -> None:
    load(fbot, tmp_path, [row(1, Status.RETURNED)])
    citizen = fbot.user(305)
    await citizen.send(code(1))
    await citizen.press("⭐ Đánh giá")
    await citizen.press("😀 Rất hài lòng")
    await citizen.press("✅ Gửi đánh giá")
    refused = (await citizen.send("/baocao"))[0]
    assert refused.plain.startswith("Xin lỗi, lệnh này chỉ dành cho lãnh đạo, quản lý.")
    await fbot.user(ADMIN).send("/quyen cap 306 manager")
    manager = fbot.user(306)
    pack = await manager.send("/baocao 7")
    kinds = [m.kind for m in pack]
    assert kinds == ["text", "text", "text", "photo", "photo", "document", "document", "document"]
    assert pack[0].plain.splitlines()[1] == (
        "Đánh giá hồ sơ: 1 lượt — Rất hài lòng 1 (100,00%); Hài lòng 0 (0,00%); Không hài lòng 0 (0,00%)"
    )
    # Finished yesterday: resolved in the period, one day before its due date.
    assert (
        "Cấp xã: kỳ trước chuyển sang 0, tiếp nhận 1; đã giải quyết 1 (trước hạn 1, đúng hạn 0, "
        "trễ hạn 0; trước và đúng hạn 100,00%); đang giải quyết 0 (quá hạn 0); nộp trực tuyến "
        "không có dữ liệu" in pack[1].plain
    )
    assert pack[2].plain.startswith("📣 Phản ánh, kiến nghị")
    assert all(
        fbot.api.files[f"photo/{m.raw['file_id']}"].startswith(b"\x89PNG") for m in pack[3:5]
    )
    workbook = load_workbook(io.BytesIO(fbot.api.files[f"document/{pack[5].raw['file_id']}"]))
    assert workbook.sheetnames[:3] == ["Tổng hợp", "Tiêu chí", "Theo nhóm"]
    summary = next(workbook["Tổng hợp"].iter_rows(min_row=3, max_row=3, values_only=True))
    assert summary[:5] == (
        "Đánh giá hồ sơ",
        1,
        1,
        0,
        0,
    )


async def test_weekly_digest_reaches_managers_and_admins(fbot: BotHarness) -> None:
    await fbot.user(ADMIN).send("/quyen cap 307 manager")
    jobs = [job.name for job in fbot.application.job_queue.jobs()]
    assert "weekly-digest" in jobs and fbot.application.bot_data["outbox"].running
    before = len(fbot.api.sent)
    fbot.application.job_queue.run_once(weekly_digest, 0)
    await wait_until(lambda: len(fbot.api.sent) - before >= 16)
    got = {(m.chat_id, m.kind) for m in fbot.api.sent[before:]}
    assert got == {(c, k) for c in (307, ADMIN) for k in ("text", "photo", "document")}
    first = next(m for m in fbot.api.sent[before:] if m.chat_id == 307)
    assert first.plain.startswith("📊 Mức độ hài lòng")
    # The run claimed this week: another bot instance's run would now stand down.
    year, week, _ = datetime.now(VIETNAM).isocalendar()
    assert fbot.services is not None
    assert not claim_once(fbot.services.db, "weekly-digest", f"{year}-W{week:02d}")


async def test_menu_complaint_button_asks_for_the_complaint(fbot: BotHarness) -> None:
    citizen = fbot.user(308)
    await citizen.send("/start")
    prompt = (await citizen.press("📣 Phản ánh, kiến nghị"))[0]
    assert prompt.plain.startswith("📣 Bạn gõ nội dung phản ánh, kiến nghị. Có thể gửi kèm")
    await citizen.send("Quầy số 3 đóng cửa sớm")
    filed = (await citizen.press("✅ Gửi"))[0]
    assert filed.plain.startswith("✅ Đã gửi phản ánh của bạn. Mã số: PA-000001.")


async def test_a_complaint_is_confirmed_before_it_is_filed(fbot: BotHarness) -> None:
    citizen = fbot.user(309)
    draft = (await citizen.send("/phananh ok"))[0]  # the words after the command are the text
    assert draft.plain.startswith("📣 Phản ánh, kiến nghị của bạn:\n\nok\n")
    assert draft.captions == ["✅ Gửi", "✏️ Sửa", "✖️ Huỷ"]
    assert fbot.services is not None
    assert fbot.services.complaints.counts()["open"] == 0  # nothing filed yet
    rewrite = (await citizen.press("✏️ Sửa"))[0]
    assert rewrite.plain.startswith("📣 Bạn gõ nội dung phản ánh, kiến nghị")
    draft = (await citizen.send("Cán bộ phường hẹn sai ngày trả kết quả"))[0]
    dropped = (await citizen.press("✖️ Huỷ", draft))[0]
    assert dropped.plain.startswith("Đã huỷ.")
    assert fbot.services.complaints.counts()["open"] == 0
    unknown = (await citizen.send("/phananh 9.999999"))[0]  # not a procedure the bot knows
    assert unknown.plain.startswith("Không tìm thấy thủ tục có mã 9.999999.")
    long = "x" * 4100
    too_long = (await citizen.send(f"/phananh {long}"))[0]
    assert too_long.plain.startswith("Nội dung dài quá (4.100 ký tự, tối đa 4.000)")
    assert fbot.services.complaints.counts()["open"] == 0


async def test_rating_by_code_with_check_digits_reaches_the_rating_buttons(
    fbot: BotHarness, tmp_path: Path
) -> None:
    load(fbot, tmp_path, [row(4, Status.RETURNED, phone="0987654321")])
    citizen = fbot.user(310)
    ask = (await citizen.send(f"/danhgia {code(4)}"))[0]
    assert ask.plain.startswith("🔒 Để bảo vệ thông tin")
    wrong = (await citizen.send("1111"))[0]
    assert "Bạn còn 4 lần thử" in wrong.plain
    prompt = (await citizen.send("4321"))[0]  # only the digits: the intent is kept
    assert prompt.plain.startswith(f"⭐ Bạn hài lòng thế nào với việc giải quyết hồ sơ {code(4)}?")
    assert prompt.captions[:3] == ["😀 Rất hài lòng", "🙂 Hài lòng", "🙁 Không hài lòng"]


async def test_complaint_about_a_protected_dossier_goes_through_the_digits(
    fbot: BotHarness, tmp_path: Path
) -> None:
    load(fbot, tmp_path, [row(5, Status.PROCESSING, phone="0987654321")])
    citizen = fbot.user(311)
    await citizen.send(f"/phananh {code(5)}")
    prompt = (await citizen.send("4321"))[0]
    assert prompt.plain.startswith(f"📣 Bạn gõ nội dung phản ánh, kiến nghị về {code(5)}.")
    await citizen.send("Quá hạn mà chưa có kết quả")
    filed = (await citizen.press("✅ Gửi"))[0]
    assert filed.plain.startswith("✅ Đã gửi phản ánh của bạn.")


async def test_english_reads_statuses_scale_criteria_roles_reports_and_commands_in_english(
    fbot: BotHarness, tmp_path: Path
) -> None:
    published = fbot.api.commands
    assert published[""][0] == {"command": "start", "description": "Menu chính"}
    assert {"command": "hoso", "description": "Check a dossier by its code"} in published["en"]
    assert [c["command"] for c in published["en"]] == [c["command"] for c in published[""]]
    load(fbot, tmp_path, [row(1, Status.RETURNED)])
    citizen = fbot.user(310)
    await citizen.send("/lang en")
    status = (await citizen.send(code(1)))[0]
    assert "Result handed over" in status.plain and "Đã trả kết quả" not in status.plain
    prompt = (await citizen.press("⭐ Rate"))[0]
    assert prompt.captions[:3] == ["😀 Very satisfied", "🙂 Satisfied", "🙁 Not satisfied"]
    draft = (await citizen.press("😀 Very satisfied"))[0]
    assert "Open, transparent information" in draft.plain
    assert "hài lòng" not in draft.plain.lower()
    thanks = (await citizen.press("✅ Send rating"))[0]
    assert "Very satisfied" in thanks.plain
    admin = fbot.user(ADMIN)
    await admin.send("/lang en")
    granted = (await admin.send("/quyen cap 311 manager"))[0]
    assert granted.plain == "✅ Granted manager for 311."
    listed = (await admin.send("/quyen"))[0]
    assert "311 — manager" in listed.plain
    manager = fbot.user(311)
    await manager.send("/lang en")
    pack = await manager.send("/baocao 7")
    assert "Dossier ratings: 1 — Very satisfied 1 (100.00%)" in pack[0].plain
    workbook = load_workbook(io.BytesIO(fbot.api.files[f"document/{pack[5].raw['file_id']}"]))
    assert workbook.sheetnames[:3] == ["Summary", "Criteria", "By group"]
    assert pack[5].raw["file_name"].startswith("satisfaction_")

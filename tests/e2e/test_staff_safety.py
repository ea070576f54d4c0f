"""A staff desk no one can hurt themselves with: removal takes two presses and a file large
enough, every applied file can be undone (aliases too), dossier files never lower a
dossier's protection, the catalogue comes out of the chat, aliases cannot hijack a question.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import _fresh_db
from tests.e2e.test_dossiers import code, load, row
from tests.fakeapi import SentMessage
from tests.harness import BotHarness, FakeServer
from tthc.dossiers.status import LABELS, Status
from tthc.users.roles import Role

STAFF = 920
ID_CARD = "1.014064"  # Cấp lại thẻ căn cước
CUSTOMS = "1.000005"


@pytest.fixture
async def sbot(
    server: FakeServer, sqlite_templates: dict[str, Path], tmp_path: Path
) -> AsyncIterator[BotHarness]:
    url = _fresh_db("sqlite", True, sqlite_templates, None, tmp_path)
    harness = BotHarness(server, url)
    await harness.start()
    assert harness.services is not None
    harness.services.roles.grant(STAFF, Role.STAFF, by=None)
    yield harness
    await harness.stop()


def _json(records: list[dict[str, object]]) -> bytes:
    return json.dumps(records, ensure_ascii=False, default=str).encode()


def _file(bot: BotHarness, message: SentMessage) -> bytes:
    return bot.api.files[f"document/{message.raw['file_id']}"]


async def test_removal_takes_a_confirmation_and_undo_brings_everything_back(
    sbot: BotHarness,
) -> None:
    assert sbot.services is not None
    catalog = sbot.services.catalog
    catalog.edit_aliases(ID_CARD, add=["làm lại thẻ cccd bị mất"], actor="test")
    records = catalog.export_records()
    gone = {ID_CARD, "1.000656", "1.001193"}
    staff = sbot.user(STAFF)
    preview = (
        await staff.send_document(
            "gan-du.json", _json([r for r in records if r["code"] not in gone])
        )
    )[-1]
    assert preview.captions == [
        "✅ Áp dụng",
        "🗑 Áp dụng và xoá 3 thủ tục không có trong tệp",
        "✖️ Huỷ",
    ]
    confirm = (await staff.press("🗑 Áp dụng và xoá 3 thủ tục", preview))[-1]
    assert confirm.edited and confirm.plain.startswith("🗑 Xác nhận xoá 3 thủ tục")
    assert f"− {ID_CARD} Cấp lại thẻ căn cước" in confirm.plain
    assert catalog.get(ID_CARD) is not None  # one press removed nothing
    back = (await staff.press("⬅️ Quay lại", confirm))[-1]
    assert back.captions == preview.captions
    confirm = (await staff.press("🗑 Áp dụng và xoá 3 thủ tục", back))[-1]
    done = (await staff.press("🗑 Xác nhận xoá 3 thủ tục", confirm))[-1]
    assert done.plain.startswith("✅ Đã cập nhật danh mục: thêm 0, thay đổi 0, xoá 3 thủ tục.")
    assert catalog.get(ID_CARD) is None and catalog.count() == len(records) - 3
    # /hoantac names the file, asks, and puts the procedures back with their aliases.
    ask = (await staff.send("/hoantac"))[-1]
    assert ask.plain.startswith("↩️ Hoàn tác lần cập nhật danh mục gần nhất?")
    assert "đưa 3 thủ tục tệp đã sửa hoặc xoá" in ask.plain
    undone = (await staff.press("↩️ Hoàn tác", ask))[-1]
    assert undone.plain.startswith("✅ Đã hoàn tác tệp telegram: gan-du.json")
    assert catalog.count() == len(records)
    assert catalog.aliases(ID_CARD) == ["làm lại thẻ cccd bị mất"]
    await sbot.indexed()
    card = (await sbot.user(921).send("làm lại thẻ cccd bị mất"))[-1]
    assert card.plain.startswith("📋 Cấp lại thẻ căn cước")
    # The same button again undoes nothing more: the file is no longer the latest.
    again = (await staff.press("↩️ Hoàn tác", ask))[-1]
    assert again.plain.startswith("Danh mục đã thay đổi từ lúc bạn hỏi")
    assert (await staff.send("/hoantac"))[-1].plain == (
        "Chưa có lần cập nhật danh mục nào để hoàn tác."
    )


async def test_a_small_file_cannot_remove_and_an_empty_one_is_refused(sbot: BotHarness) -> None:
    assert sbot.services is not None
    catalog = sbot.services.catalog
    total = catalog.count()
    staff = sbot.user(STAFF)
    one = [r for r in catalog.export_records() if r["code"] == ID_CARD]
    preview = (await staff.send_document("mot-xa.json", _json(one)))[-1]
    assert "Tệp không làm thay đổi gì." in preview.plain
    assert all("xoá" not in c.lower() for c in preview.captions)
    # A removal asked for by hand (an old client, a crafted press) removes nothing.
    upload_id = preview.buttons[-1][0]["callback_data"].rsplit(":", 1)[1]
    refused = (await staff.press_data(f"up:d:{upload_id}", preview))[-1]
    assert "quá ít thủ tục để thay cả danh mục" in refused.plain
    assert catalog.count() == total
    empty = (await staff.send_document("rong.json", b"[]"))[-1]
    assert empty.plain.startswith("⚠️ Tệp không có thủ tục nào, chưa có gì thay đổi.")
    assert catalog.count() == total


async def test_a_dossier_export_without_phones_keeps_the_check_digits(
    sbot: BotHarness, tmp_path: Path
) -> None:
    assert sbot.services is not None
    load(sbot, tmp_path, [row(5, Status.PROCESSING, phone="0912345678")])
    # Another one-stop report: no phone, agency or level columns, other header words.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["STT", "Số hồ sơ", "Thủ tục", "Chủ hồ sơ", "Ngày nhận", "Ngày hẹn trả",
                     "Tình trạng"])  # fmt: skip
    writer.writerow(["1", code(5), "Thủ tục đăng ký khai tử", "Lê Thanh Long",
                     "01/12/2026 08:00", "20/12/2026 17:00", LABELS[Status.DONE]])  # fmt: skip
    staff = sbot.user(STAFF)
    preview = (await staff.send_document("bao-cao.csv", buffer.getvalue().encode()))[-1]
    assert "• Hồ sơ thay đổi: 1 (đổi trạng thái: 1)" in preview.plain
    assert (
        "Tệp không có cột số điện thoại / số giấy tờ (số kiểm tra), cơ quan tiếp nhận, "
        "cấp thực hiện, mã thủ tục: hồ sơ đã lưu giữ nguyên các thông tin này." in preview.plain
    )
    applied = (await staff.press("✅ Áp dụng", preview))[-1]
    assert applied.plain.startswith("✅ Đã cập nhật hồ sơ")
    stranger = sbot.user(922)
    asked = (await stranger.send(f"/hoso {code(5)}"))[-1]
    assert asked.plain.startswith("🔒 Để bảo vệ thông tin")  # still protected
    shown = (await stranger.send("5678"))[-1]
    assert f"Tình trạng: {LABELS[Status.DONE]}" in shown.plain
    assert "Nơi tiếp nhận: Ủy ban nhân dân cấp xã · Cấp xã" in shown.plain  # agency, level kept


async def test_an_alias_that_would_hijack_a_question_asks_first(sbot: BotHarness) -> None:
    assert sbot.services is not None
    catalog = sbot.services.catalog
    staff, citizen = sbot.user(STAFF), sbot.user(923)
    ask = (await staff.send(f"/gan {CUSTOMS} lam lai can cuoc"))[-1]
    assert ask.plain.startswith("⚠️ Câu hỏi này hiện mở thẳng thẻ Cấp lại thẻ căn cước (1.014064)")
    assert ask.captions == [f"✅ Vẫn gán cho {CUSTOMS}", "✖️ Huỷ"]
    kept = (await staff.press("✖️ Huỷ", ask))[-1]
    assert kept.plain == "Đã huỷ, câu hỏi vẫn dẫn tới thủ tục như trước."
    assert catalog.aliases(CUSTOMS) == []
    # Confirmed, it redirects; mapping it back moves the alias (no CLI needed).
    ask = (await staff.send(f"/gan {CUSTOMS} lam lai can cuoc"))[-1]
    mapped = (await staff.press(f"✅ Vẫn gán cho {CUSTOMS}", ask))[-1]
    assert mapped.plain.startswith("✅ Từ nay «lam lai can cuoc» dẫn tới")
    await sbot.indexed()
    assert f"Mã: {CUSTOMS}" in (await citizen.send("lam lai can cuoc"))[-1].plain
    back = (await staff.send(f"/gan {ID_CARD} lam lai can cuoc"))[-1]
    assert back.plain.startswith("✅ Từ nay «lam lai can cuoc» dẫn tới")
    assert catalog.aliases(CUSTOMS) == [] and "lam lai can cuoc" in catalog.aliases(ID_CARD)
    removed = (await staff.send(f"/bo_gan {ID_CARD} lam lai can cuoc"))[-1]
    assert removed.plain.startswith("✅ Từ nay «lam lai can cuoc» không còn dẫn tới thủ tục")
    assert "lam lai can cuoc" not in catalog.aliases(ID_CARD)
    # The journal offers the same undo, one button per mapping.
    journal = (await staff.send("/nhatky"))[-1]
    assert "↩️ Bỏ gán «lam lai can cuoc»" in journal.captions


@pytest.mark.slow  # the whole catalogue written and read back as a workbook
async def test_the_exported_workbook_reimports_with_no_changes(sbot: BotHarness) -> None:
    staff = sbot.user(STAFF)
    sent = await staff.send("/xuat")
    note, document = sent[-2], sent[-1]
    assert note.plain.startswith("📤 Danh mục hiện tại: 2.834 thủ tục")
    assert document.kind == "document" and str(document.raw["file_name"]).endswith(".xlsx")
    content = _file(sbot, document)
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["Thủ tục hành chính", "Thành phần hồ sơ", "Hướng dẫn"]
    preview = (await staff.send_document(str(document.raw["file_name"]), content))[-1]
    assert "• Thêm mới: 0" in preview.plain and "• Thay đổi: 0" in preview.plain
    assert "Tệp không làm thay đổi gì." in preview.plain
    template = (await staff.send("/xuat hoso"))[-1]
    assert template.kind == "document"
    sheet = load_workbook(io.BytesIO(_file(sbot, template)), read_only=True)["Hồ sơ"]
    assert next(sheet.iter_rows(values_only=True))[:2] == ("Mã hồ sơ", "Mã thủ tục")

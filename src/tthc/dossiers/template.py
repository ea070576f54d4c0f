"""The dossier import template staff fill in (or match their one-stop export to)."""

from __future__ import annotations

import io

from tthc.core.spreadsheet import add_guide, append_row

# The one-stop layout the importer reads without configuration, in its order.
TEMPLATE_COLUMNS = [
    "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cơ quan tiếp nhận", "Cấp thực hiện",
    "Người nộp", "Số điện thoại", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
    "Ngày trả kết quả", "Trạng thái", "Hình thức nhận kết quả",
]  # fmt: skip


def example_row(code: str) -> list[str]:
    """One made-up dossier in the template's columns (`code`: the province's example)."""
    return [
        code, "1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", "Ủy ban nhân dân cấp xã",
        "Cấp xã", "Nguyễn Văn A", "0912345678", "27/05/2024 07:31", "30/05/2024 17:00", "", "",
        "Đang xử lý", "Trực tiếp tại bộ phận một cửa",
    ]  # fmt: skip


def dossier_template(example: list[str], guide: list[str]) -> bytes:
    """A workbook with the header, one example row and the guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ"
    append_row(sheet, TEMPLATE_COLUMNS)
    append_row(sheet, example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    add_guide(workbook, guide)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

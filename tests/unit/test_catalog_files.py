"""Catalogue files as staff make them: Excel's codes, Windows encodings, their own sheet names."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl import Workbook

from tthc.catalog.records import read_catalog_file

HEADER = "Mã số;Tên;Cấp thực hiện"


def test_a_code_excel_cut_is_named_with_its_likely_original(tmp_path: Path) -> None:
    path = tmp_path / "dm.csv"
    path.write_text(f"{HEADER}\n2.00201;Thủ tục A;Cấp xã\n1.000656;Thủ tục B;Cấp xã\n", "utf-8")
    parsed = read_catalog_file(path)
    assert [str(p) for p in parsed.problems] == [
        "row 2, code: '2.00201' lost its last zeros in Excel; probably 2.002010"
    ]


def windows_1258(text: str) -> bytes:
    """As Vietnamese Windows saves it: a precomposed letter where one exists, the tone apart."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in ["", *marks]:  # the letter cp1258 has (â, ơ, ư…), then the other mark
            head = unicodedata.normalize("NFC", base + mark)
            rest = "".join(m for m in marks if m != mark)
            try:
                out += head.encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise AssertionError(char)
    return out


def test_windows_1258_and_utf16_files_are_read(tmp_path: Path) -> None:
    text = f"{HEADER}\r\n1.000656;Thủ tục đăng ký khai tử;Cấp xã\r\n"
    for encoding, data in (("cp1258", windows_1258(text)), ("utf-16", text.encode("utf-16"))):
        path = tmp_path / f"dm-{encoding}.csv"
        path.write_bytes(data)
        parsed = read_catalog_file(path)
        assert parsed.problems == [], encoding
        assert parsed.records["1.000656"]["name"] == "Thủ tục đăng ký khai tử", encoding


def test_problems_name_the_sheet_not_the_file(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh mục xã"
    sheet.append(["Mã số", "Tên", "Cấp thực hiện"])
    sheet.append(["1.000656", "", "Cấp xã"])
    path = tmp_path / "danhmuc-sua-1.xlsx"
    book.save(path)
    parsed = read_catalog_file(path)
    assert [p.where for p in parsed.problems] == ["Danh mục xã, row 2"]

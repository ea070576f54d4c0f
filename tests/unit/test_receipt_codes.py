"""Receipt codes found where citizens put them: alone, in a sentence, spaced out, cut short."""

from __future__ import annotations

import pytest

from tthc.core.settings import Settings
from tthc.dossiers.codes import CodeInText, ReceiptCodes

SETTINGS = Settings(_env_file=None)
CODES = ReceiptCodes(SETTINGS.dossier_code_pattern, SETTINGS.dossier_code_example)
CODE = "000.25.31.H56-241223-0002"


@pytest.mark.parametrize(
    "text",
    [
        CODE,
        "000.25.31.h56-241223-0002",
        "ma ho so cua toi la 000.25.31.H56-241223-0002",
        "Mã hồ sơ: 000.25.31.H56-241223-0002, đã xong chưa ạ?",
        "hồ sơ 000.25.31.H56 - 241223 - 0002 của em tới đâu rồi",
        "(000.25.31.H56-241223-0002)",
    ],
)
def test_a_whole_code_is_found_wherever_it_is(text: str) -> None:
    assert CODES.find(text) == CodeInText(CODE, complete=True)


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("ma ho so 000.25.31.H56-241223-00 thieu so cuoi", "000.25.31.H56-241223-00"),
        ("000.25.31.H56-241223-", "000.25.31.H56-241223"),
        ("hồ sơ 000.25.31.H56-2412", "000.25.31.H56-2412"),
    ],
)
def test_a_code_cut_short_is_found_as_incomplete(text: str, cut: str) -> None:
    assert CODES.find(text) == CodeInText(cut, complete=False)


@pytest.mark.parametrize(
    "text",
    [
        "thủ tục 1.001193 cần giấy tờ gì",  # a procedure code
        "gọi 0905123456 giúp em",  # a phone number
        "hẹn trả ngày 24/12/2023",
        "000.25",  # too little to be a code
        "X000.25.31.H56-241223-0002",  # glued to other text: not a code
        "000.25.31.H56-241223-00021",  # one digit too many
        "",
    ],
)
def test_other_numbers_are_not_codes(text: str) -> None:
    assert CODES.find(text) is None

"""The one redaction rule (tthc.core.redaction)."""

from __future__ import annotations

import pytest

from tthc.core.redaction import readable_question, redact


@pytest.mark.parametrize(
    "personal",
    [
        "0912 345 678",
        "0912345678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "+84 (912) 345 678",
        "(+84) 912 345 678",
        "84912345678",
        "001203004567",  # căn cước, 12 digits
        "031 2345 67",  # CMND, 9 digits
        "1903 1234 5678 9012",  # a bank account
    ],
)
def test_phone_id_and_account_numbers_are_masked(personal: str) -> None:
    masked = redact(f"liên hệ {personal} nhé")
    assert masked.startswith("liên hệ ") and masked.endswith(" nhé")
    assert not any(c.isdigit() for c in masked), masked


def test_emails_are_masked() -> None:
    assert redact("mail a.b+c@gmail.com.vn ạ") == "mail •••@••• ạ"


@pytest.mark.parametrize(
    "kept",
    [
        "lam lai can cuoc 2 lan",
        "thủ tục 1.000656",
        "nộp 1.500.000 đồng",
        "phí 10.000.000 đồng",
        "hẹn ngày 01/07/2026 lúc 8 30",
        "con 14 tuổi, năm 2026",
    ],
)
def test_what_a_question_is_about_is_kept(kept: str) -> None:
    assert redact(kept) == kept


def test_the_old_mixed_example() -> None:
    assert redact("số tôi 0912 345 678, cccd 001203004567, mail a.b@gmail.com") == (
        "số tôi •••, cccd •••, mail •••@•••"
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("0912 345 678", None),  # masked: nothing left to map
        ("1.000656", None),  # a procedure code
        ("000.25.31.H56-241223-0002", None),  # a receipt code
        ("<b>lam lai can cuoc</b> 0912345678", "lam lai can cuoc •••"),
        ("xin giấy phép bán rượu", "xin giấy phép bán rượu"),
    ],
)
def test_a_question_staff_may_keep_has_words(text: str, kept: str | None) -> None:
    assert readable_question(text) == kept

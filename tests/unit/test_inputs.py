"""The input boundary (foundation.inputs)."""

from __future__ import annotations

from tthc.core.inputs import MAX_BIGINT, ascii_int, sanitize


def test_sanitize_drops_nul_controls_and_direction_marks() -> None:
    assert sanitize("Cán bộ\x00 hẹn\u202e sai\r\nngày\x07") == "Cán bộ hẹn sai\nngày"
    assert sanitize("de\u0301") == "dé"  # composed
    assert sanitize(None) == ""


def test_ascii_int_accepts_only_plain_digits_in_range() -> None:
    assert ascii_int("30") == 30
    assert ascii_int("²") is None and ascii_int("٣") is None and ascii_int("1.5") is None
    assert ascii_int("99999999999999999999") is None
    assert ascii_int(str(MAX_BIGINT)) == MAX_BIGINT
    assert ascii_int("0", low=1) is None and ascii_int("400", high=366) is None

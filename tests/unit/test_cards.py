"""Every card and every section of every bundled procedure renders, in both languages."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from tthc.bot.catalog.callbacks import RAW_SECTIONS
from tthc.bot.catalog.views import SECTIONS, CatalogViews
from tthc.bot.split import TELEGRAM_LIMIT, split_html, utf16_len
from tthc.catalog.bundled import bundled_catalog
from tthc.catalog.models import Procedure
from tthc.messages import Messages


@pytest.mark.slow  # every procedure, every section, both languages
def test_every_section_of_every_bundled_procedure_renders_in_both_languages() -> None:
    views = CatalogViews(Messages())
    updated = datetime(2026, 11, 28, tzinfo=UTC)
    rendered = split = 0
    for record in bundled_catalog().records.values():
        procedure = Procedure(**record, updated_at=updated)
        for lang in ("vi", "en"):
            replies = [views.procedure_card(lang, procedure, [])]
            replies += [views.procedure_section(lang, procedure, s) for s in (*SECTIONS, "notes")]
            replies += [views.procedure_section(lang, procedure, s, raw=True) for s in RAW_SECTIONS]
            for reply in replies:
                parts = split_html(reply.text)
                assert all(utf16_len(part) <= TELEGRAM_LIMIT for part in parts), procedure.code
                assert unicodedata.is_normalized("NFC", reply.text)
                rendered += 1
                split += len(parts) > 1
    assert rendered == len(bundled_catalog().records) * 2 * (
        1 + len(SECTIONS) + 1 + len(RAW_SECTIONS)
    )
    assert split < rendered * 0.05  # long sections are the exception, and they are split


def test_the_ways_section_of_a_procedure_without_an_agency_names_the_place() -> None:
    # The crash of the week: an in-person way with no place ('dict object' has no attribute
    # 'where') on đăng ký khai sinh and 220 other procedures.
    record = bundled_catalog().records["1.001193"]
    reply = CatalogViews(Messages()).procedure_section(
        "vi", Procedure(**record, updated_at=datetime.now(UTC)), "ways"
    )
    assert "Trực tiếp tại Trung tâm Phục vụ hành chính công có thẩm quyền" in reply.text

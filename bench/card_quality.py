"""What the procedure cards show: the published text as it was displayed before the card
reader, against what the card reader makes of it. Counts, over the bundled catalogue.

Run: make bench-cards   (or .venv/bin/python -m bench.card_quality)
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from tthc.app.console import html_to_text
from tthc.bot.views import Views
from tthc.catalog.bundled import bundled_catalog
from tthc.catalog.models import Procedure
from tthc.catalog.reading import read_card
from tthc.catalog.reading.documents import ItemKind, classify
from tthc.catalog.reading.fees import AMOUNT
from tthc.catalog.reading.place import PlaceSource
from tthc.core.clock import vietnam_today
from tthc.messages import Messages

_AMOUNT_OR_COUNCIL = re.compile(AMOUNT.pattern + r"|Hội đồng nhân dân|HĐND", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?:^|:\s*)\d+(?:[.,]\d+)?\s*(?:;|$|\()")


def main() -> None:
    """Print the before/after table."""
    started = time.perf_counter()
    today = vietnam_today()
    views = Views(Messages())
    now = datetime.now(UTC)
    rows: dict[str, list[int]] = {}

    def count(name: str, before: bool, after: bool) -> None:
        pair = rows.setdefault(name, [0, 0])
        pair[0] += before
        pair[1] += after

    procedures = list(bundled_catalog().records.values())
    for record in procedures:
        p = Procedure(**record, updated_at=now)
        facts = read_card(p, today)
        card = html_to_text(views.procedure_card("vi", p, []).text)
        fee_line = next(line for line in card.splitlines() if line.startswith("💰"))
        fees = p.fees or ""
        count(
            "“Miễn phí” shown while the text states an amount or HĐND",
            fees.startswith("Miễn phí") and bool(_AMOUNT_OR_COUNCIL.search(fees)),
            fee_line.startswith("💰 Lệ phí: Miễn phí")
            and any(
                _AMOUNT_OR_COUNCIL.search(c.text) for line in facts.fees.lines for c in line.current
            ),
        )
        count(
            "time shown as a bare number (no unit)",
            bool(_BARE_NUMBER.search(p.processing_time or "")),
            facts.times.unitless,
        )
        count(
            "no agency or place shown (“chưa công bố”)",
            not p.agency,
            facts.place.source is PlaceSource.NONE,
        )
        kinds = [classify(d) for d in p.documents]
        count(
            "notes/headings numbered and ticked as documents",
            any(k is not ItemKind.PAPER for k in kinds),
            False,  # the checklist and the numbering take papers only
        )
        count("empty result section", True, facts.result is None)
        count(
            "in-person way without a place (the ways section crashed)",
            any(w.get("kind") == "in_person" and "where" not in w for w in p.ways),
            False,
        )
        count("fees shown with an expired clause first", _expired_first(fees, today), False)
    print(
        f"{len(procedures)} procedures, read and rendered in {time.perf_counter() - started:.1f} s"
    )
    print(f"{'':62s} {'before':>7s} {'after':>7s}")
    for name, (before, after) in rows.items():
        print(f"{name:62s} {before:7d} {after:7d}")


def _expired_first(fees: str, today: object) -> bool:
    """Whether the first dated clause of the published text ended before today."""
    match = re.search(r"đến\s+(?:hết\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", fees)
    if not match:
        return False
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day).date() < today  # type: ignore[operator]
    except ValueError:
        return False


if __name__ == "__main__":
    main()

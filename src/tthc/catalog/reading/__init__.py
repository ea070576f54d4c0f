"""Reading the portal's published text the way a citizen needs it.

The catalogue stores each procedure as published (after light cleaning), so the original
wording is always available ("Xem nguyên văn"). These modules interpret that text at
display time: fee amounts per way of submission, processing times with their units, the
place to go, documents apart from notes and conditions, steps repaired, and the result
document. Interpretation depends on today's date (fee clauses expire), so it is done when
a card is shown, not when the catalogue is imported.
"""

from tthc.catalog.reading.card import CardFacts, read_card

__all__ = ["CardFacts", "read_card"]

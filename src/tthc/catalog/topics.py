"""Questions no procedure of the catalogue answers, recognised so they get an honest reply.

"Vợ chồng tôi muốn ly hôn", "bệnh viện bắt đóng tạm ứng", "vay ngân hàng được không":
a court, a hospital, a bank decides. Telling such a citizen "not found, logged for staff"
is a promise staff cannot keep, and searching on anyway shows an unrelated procedure.

Life events ("vừa sinh con", "bố mới mất", "mới chuyển nhà") are topics too: no single
procedure answers them, a short ordered journey of several does (`journeys.tsv`).
The rules are data, with the co-occurrence syntax of the intents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tthc.catalog.normalize import words
from tthc.catalog.question import Intent, closest, find_phrases, parse_intent

TOPIC_SPAN = 10  # words within which a rule's groups must occur


@dataclass(frozen=True)
class Topic:
    """What a message is about, and the procedures that help with it, if any."""

    name: str
    codes: tuple[str, ...] = ()
    strong: bool = False  # applies even when the search is sure (it is sure of the wrong thing)
    journey: bool = False  # a life event: `codes` are the procedures it takes, in order


class Topics:
    """Rules in file order; the first that fires names the topic."""

    def __init__(self, rules: Iterable[tuple[str, Topic]]) -> None:
        self.rules: list[tuple[Intent, Topic]] = [
            (parse_intent(when, ""), topic) for when, topic in rules
        ]

    def journey(self, name: str) -> Topic | None:
        """The life event called `name`."""
        return next((t for _, t in self.rules if t.journey and t.name == name), None)

    def journey_from(self, code: str) -> Topic | None:
        """The life event whose journey starts with this procedure (its card offers it)."""
        return next((t for _, t in self.rules if t.journey and t.codes[:1] == (code,)), None)

    def match(self, text: str) -> Topic | None:
        """The topic a message is about, or None."""
        typed = words(text)
        for rule, topic in self.rules:
            spans = [find_phrases(typed, group) for group in rule.groups]
            if any(not s for s in spans) or find_phrases(typed, rule.unless):
                continue
            if len(spans) == 1 or closest(spans, TOPIC_SPAN) is not None:
                return topic
        return None


def load_topics(text: str, *, journeys: bool = False) -> list[tuple[str, Topic]]:
    """`when<TAB>topic[!][<TAB>code,code]` lines (comments and blank lines skipped)."""
    rules: list[tuple[str, Topic]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        when, named, codes = (*line.split("\t"), "")[:3]
        name = named.strip()
        codes_of = tuple(c for c in codes.split(",") if c)
        topic = Topic(name.rstrip("!"), codes_of, strong=name.endswith("!"), journey=journeys)
        rules.append((when, topic))
    return rules

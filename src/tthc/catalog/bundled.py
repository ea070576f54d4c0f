"""The catalogue and synonym table shipped inside the package, for fresh installs and tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tthc.catalog.answering import Answerer
from tthc.catalog.english import English, load_english
from tthc.catalog.question import Intents, Phrasing, load_table
from tthc.catalog.records import ParsedFile, read_catalog_file
from tthc.catalog.search import Entry, SearchIndex, load_synonym_file
from tthc.catalog.topics import Topics, load_topics

DATA_DIR = Path(__file__).parent / "data"
CATALOG_FILE = DATA_DIR / "procedures.json.gz"
SYNONYM_FILE = DATA_DIR / "synonyms.tsv"
PHRASING_FILE = DATA_DIR / "phrasing.tsv"
INTENTS_FILE = DATA_DIR / "intents.tsv"
ENGLISH_FILE = DATA_DIR / "english.tsv"
TOPICS_FILE = DATA_DIR / "topics.tsv"
JOURNEYS_FILE = DATA_DIR / "journeys.tsv"


def bundled_synonyms() -> dict[str, str]:
    """The default synonym and abbreviation table."""
    return load_synonym_file(SYNONYM_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def bundled_phrasing() -> Phrasing:
    """How questions are framed (section cues and chat words), from the bundled table."""
    return Phrasing(load_table(PHRASING_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def bundled_intents() -> Intents:
    """Everyday ways of saying what one needs, from the bundled table."""
    return Intents(load_table(INTENTS_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def bundled_english() -> English:
    """The English vocabulary of the catalogue's services, from the bundled table."""
    return load_english(ENGLISH_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def bundled_topics() -> Topics:
    """What no procedure answers, then life events, from the bundled tables."""
    topics = load_topics(TOPICS_FILE.read_text(encoding="utf-8"))
    journeys = load_topics(JOURNEYS_FILE.read_text(encoding="utf-8"), journeys=True)
    return Topics(topics + journeys)


@lru_cache(maxsize=1)
def bundled_catalog() -> ParsedFile:
    """The cleaned national catalogue shipped with the package."""
    return read_catalog_file(CATALOG_FILE)


def bundled_index() -> SearchIndex:
    """A search index over the bundled catalogue (no database), for evaluation and benchmarks."""
    entries = [
        Entry(
            code=r["code"],
            name=r["name"],
            field=r["field"],
            levels=tuple(r["levels"]),
            agency=r["agency"],
            aliases=tuple(r.get("aliases", ())),
        )
        for r in bundled_catalog().records.values()
    ]
    return SearchIndex(
        entries,
        bundled_synonyms(),
        phrasing=bundled_phrasing(),
        intents=bundled_intents(),
        english=bundled_english(),
    )


def bundled_answerer() -> Answerer:
    """The chat's answering over the bundled catalogue, for evaluation and benchmarks."""
    return Answerer(bundled_index(), bundled_topics())

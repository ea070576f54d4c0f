"""Search ranking on the bundled catalogue and the evaluation set."""

from __future__ import annotations

import pytest

from bench.eval_search import OUT_OF_SCOPE, evaluate, load_cases
from tthc.catalog.bundled import bundled_answerer, bundled_index
from tthc.catalog.search import Confidence, Entry, SearchIndex


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return bundled_index()


def test_id_card_reissue_without_diacritics(index: SearchIndex) -> None:
    result = index.search("lam lai can cuoc")
    assert result.confidence is Confidence.CONFIDENT
    assert result.hits[0].code == "1.014064"
    assert result.hits[0].name == "Cấp lại thẻ căn cước"


def test_rare_words_outweigh_common_ones(index: SearchIndex) -> None:
    assert index.search("khai tu").hits[0].code == "1.000656"
    assert index.search("đăng ký khai tử").hits[0].code == "1.000656"


def test_diacritics_do_not_change_ranking(index: SearchIndex) -> None:
    for with_marks, without in [
        ("đăng ký kết hôn", "dang ky ket hon"),
        ("làm hộ chiếu", "lam ho chieu"),
    ]:
        assert [h.code for h in index.search(with_marks).hits] == [
            h.code for h in index.search(without).hits
        ]


@pytest.mark.parametrize("query", ["thời tiết hôm nay", "xin chào", "", "😀😀", "asdfgh"])
def test_out_of_scope_is_none(index: SearchIndex, query: str) -> None:
    assert index.search(query).confidence is Confidence.NONE


def test_code_lookup(index: SearchIndex) -> None:
    result = index.search("thủ tục 1.000656")
    assert result.confidence is Confidence.CONFIDENT and result.hits[0].code == "1.000656"


def test_aliases_are_searchable() -> None:
    idx = SearchIndex(
        [
            Entry("9.000001", "Cấp phép abc", aliases=("giấy xanh lá",)),
            Entry("9.000002", "Cấp phép xyz"),
        ]
    )
    assert idx.search("giay xanh la").hits[0].code == "9.000001"


def test_evaluation_set_is_labelled_with_catalogue_codes(index: SearchIndex) -> None:
    cases = load_cases()
    assert len(cases) >= 800
    assert sum(1 for c in cases if c.origin in ("outside", "citizen")) >= len(cases) / 2
    assert {c.split for c in cases} == {"dev", "held-out"}
    unknown = [(c.query, code) for c in cases for code in c.codes if code not in index.by_code]
    assert unknown == []
    assert len({c.query.lower() for c in cases}) == len(cases)


@pytest.mark.slow  # the whole development part of the evaluation
def test_development_part_answers(index: SearchIndex) -> None:
    """The part the search is tuned on keeps its numbers (make bench reports both parts)."""
    answerer = bundled_answerer()
    report = evaluate(
        answerer.answer, answerer.accepted, [c for c in load_cases() if c.split == "dev"]
    )
    for kind, answered, direct in [("short", 0.95, 0.54), ("question", 0.89, 0.40)]:
        tally = report[("dev", kind)]
        assert tally.answered / tally.total >= answered, tally.misses
        assert tally.direct / tally.total >= direct, tally.misses
        assert tally.confident_wrong / tally.total <= 0.015, tally.misses
    assert report[("dev", OUT_OF_SCOPE)].confident_wrong == 0, report[("dev", OUT_OF_SCOPE)].misses


def test_browse_merges_spellings_of_one_field() -> None:
    from tthc.catalog.browse import FacetKind, facets, members

    entries = [
        Entry("1", "A", "Thi đua – Khen thưởng"),
        Entry("2", "B", "Thi đua khen thưởng"),
        Entry("3", "C", "Thi đua – Khen thưởng"),
        Entry("4", "D", "Khoa học và Công nghệ"),
        Entry("5", "E", "Khoa học công nghệ"),
    ]
    found = facets(entries, FacetKind.FIELD)
    assert [(f.name, f.count) for f in found] == [
        ("Khoa học và Công nghệ", 2),  # a tie: the first spelling met
        ("Thi đua – Khen thưởng", 3),
    ]
    name, listed = members(entries, FacetKind.FIELD, found[1].id)  # type: ignore[misc]
    assert name == "Thi đua – Khen thưởng" and [e.code for e in listed] == ["1", "2", "3"]

"""What the answerer makes of whole messages: needs inside stories, picks, follow-ups."""

from __future__ import annotations

from functools import cache

import pytest

from tthc.catalog.answering import Answerer, AnswerKind, pick
from tthc.catalog.bundled import bundled_answerer, bundled_topics
from tthc.catalog.question import Aspect, follow_up


@cache
def answerer() -> Answerer:
    return bundled_answerer()


def shown(text: str) -> list[str]:
    return [h.code for h in answerer().answer(text).shown]


@pytest.mark.parametrize(
    "text",
    [
        "bố em mới mất, làm giấy chứng tử ở đâu ạ",
        "bo em moi mat lam giay chung tu o dau",
        "mẹ tôi vừa mất, xin giấy chứng tử thế nào",
    ],
)
def test_a_death_in_the_family_is_registered_not_a_lost_paper(text: str) -> None:
    answer = answerer().answer(text)
    assert answer.kind is AnswerKind.CARD and shown(text)[0] == "1.000656"


def test_a_lost_death_certificate_is_still_a_copy() -> None:
    assert shown("xin cấp lại giấy chứng tử bị mất")[0] == "2.000635"


@pytest.mark.parametrize(
    ("text", "options", "chosen"),
    [
        ("cái thứ 2", ["a", "b", "c"], 1),
        ("số 3", ["a", "b", "c"], 2),
        ("thứ hai", ["a", "b", "c"], 1),
        ("cái cuối", ["a", "b", "c"], 2),
        ("cái thứ 5", ["a", "b", "c"], None),
        (
            "cái cho người trên 14 tuổi",
            ["Cấp thẻ căn cước cho người dưới 14 tuổi", "Cấp thẻ căn cước cho người từ đủ 14 tuổi"],
            1,
        ),
        ("đăng ký kết hôn", ["Cấp đổi", "Cấp lại"], None),
    ],
)
def test_a_pick_names_an_option_by_place_or_by_what_it_says(
    text: str, options: list[str], chosen: int | None
) -> None:
    assert pick(text, options) == chosen


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("còn lệ phí thì sao?", Aspect.FEES),
        ("thế làm online được không", Aspect.WAYS),
        ("mất mấy ngày", Aspect.TIME),
        ("nộp ở đâu", Aspect.WAYS),
        ("cần mang gì", Aspect.DOCUMENTS),
        ("lệ phí trước bạ", None),  # names a service: a question of its own
        ("đăng ký kết hôn", None),
    ],
)
def test_a_follow_up_names_only_a_section(text: str, aspect: Aspect | None) -> None:
    assert follow_up(answerer().index.phrasing, text) == aspect


def test_every_journey_and_topic_names_procedures_of_the_catalogue() -> None:
    topics = bundled_topics()
    assert {t.name for _, t in topics.rules if t.journey} == {
        "birth", "death", "move", "business", "foreign_marriage"
    }  # fmt: skip
    for _, topic in topics.rules:
        assert all(answerer().index.has(code) for code in topic.codes), topic
    assert topics.journey_from("1.001193") == topics.journey("birth")
    assert topics.journey_from("1.000656") == topics.journey("death")


@pytest.mark.parametrize(
    ("text", "event", "first"),
    [
        ("vừa sinh con cần làm gì", "birth", "1.001193"),
        ("bố mới mất cần làm những gì", "death", "1.000656"),
        ("mới chuyển nhà thì phải làm gì", "move", "1.004222"),
        ("my father died, what should I do", "death", "1.000656"),
    ],
)
def test_a_life_event_gets_its_journey_in_order(text: str, event: str, first: str) -> None:
    answer = answerer().answer(text)
    assert answer.topic is not None and answer.topic.name == event
    assert shown(text)[: len(answer.topic.codes)] == list(answer.topic.codes)
    assert shown(text)[0] == first


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("e muốn làm giấy khai sinh cho con mới đẻ thì cần những gì ạ", "1.001193"),
        ("bố em mới mất, làm giấy chứng tử ở đâu ạ", "1.000656"),
    ],
)
def test_a_life_event_that_names_its_paper_gets_that_card(text: str, code: str) -> None:
    answer = answerer().answer(text)
    assert answer.kind is AnswerKind.CARD and answer.topic is None and shown(text) == [code]


def test_a_list_shows_each_procedure_once_and_the_other_cases_of_a_service() -> None:
    answer = answerer().answer("căn cước")
    assert answer.kind is AnswerKind.LIST
    codes = shown("căn cước")
    groups = [answerer().index.docs[answerer().index.by_code[c]].group for c in codes]
    assert len(set(groups)) == len(groups)  # no procedure twice at two levels
    assert {"1.014063", "1.014064", "1.014062", "1.014061"} <= set(codes)  # 14+ is there


def test_one_procedure_at_several_levels_opens_its_card() -> None:
    answer = answerer().answer("làm passport")
    assert answer.kind is AnswerKind.CARD
    assert answer.shown[0].name.startswith("Cấp hộ chiếu phổ thông ở trong nước")

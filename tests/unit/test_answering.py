"""What the answerer makes of whole messages: needs inside stories, picks, follow-ups."""

from __future__ import annotations

from functools import cache

import pytest

from tthc.catalog.answering import Answerer, AnswerKind, pick
from tthc.catalog.bundled import bundled_answerer
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

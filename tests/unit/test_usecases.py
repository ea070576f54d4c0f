"""Use cases against in-memory fakes: what is stored, logged and remembered, in milliseconds.

The fakes have the container's shape and the few methods each use case calls (the
protocols in catalog.usecases, ...), the way the cosmicpython book tests its service
layer: no database, no Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from tthc.catalog.answering import Answer, Answerer, AnswerKind, picked
from tthc.catalog.bundled import bundled_answerer, bundled_catalog, bundled_topics
from tthc.catalog.models import Procedure
from tthc.catalog.question import Aspect, follow_up
from tthc.catalog.search import Entry
from tthc.catalog.usecases import Answered, answer_question, open_card
from tthc.complaints.usecases import file_complaint
from tthc.ratings.usecases import scored, submit_rating
from tthc.users.conversation import ComplaintDraft, Conversation, RatingDraft, Results, Viewing

USER = 7
CRITERIA = ["Công khai, minh bạch", "Đúng hẹn", "Thái độ cán bộ"]


@cache
def answerer() -> Answerer:
    return bundled_answerer()


@dataclass
class FakeUsers:
    remembered: list[Conversation | None] = field(default_factory=list)

    def remember(self, user_id: int, conversation: Conversation | None) -> None:
        assert user_id == USER
        self.remembered.append(conversation)


@dataclass
class FakeCatalog:
    """The bundled catalogue; the unanswered log as a list."""

    unanswered: list[tuple[str, str]] = field(default_factory=list)

    def answer(self, text: str) -> Answer:
        return answerer().answer(text)

    def get(self, code: str) -> Procedure | None:
        record = bundled_catalog().records.get(code)
        return Procedure(**record, updated_at=datetime(2026, 11, 1, tzinfo=UTC)) if record else None

    def level_variants(self, code: str) -> list[Entry]:
        return answerer().index.level_variants(code)

    def record_unanswered(
        self, *, kind: str, query: str, normalized: str, user_id: int | None = None
    ) -> None:
        self.unanswered.append((kind, query))

    def journey_from(self, code: str) -> str | None:
        journey = bundled_topics().journey_from(code)
        return journey.name if journey is not None else None

    def follow_up(self, text: str) -> Aspect | None:
        return follow_up(answerer().index.phrasing, text)

    def pick(self, query: str, text: str) -> str | None:
        return picked(answerer().answer(query), text)


@dataclass
class FakeDossiers:
    published: bool = True
    codes: set[str] = field(default_factory=set)

    def available(self) -> bool:
        return self.published

    def looks_like_code(self, text: str) -> bool:
        return text in self.codes


@dataclass
class FakeRatings:
    rated_before: set[str] = field(default_factory=set)
    stored: list[dict[str, Any]] = field(default_factory=list)

    def has_rated(self, user_id: int, code: str) -> bool:
        return code in self.rated_before

    def rate(
        self,
        user_id: int,
        code: str | None,
        *,
        scale: int,
        criteria: dict[str, Any],
        comment: str | None,
    ) -> None:
        self.stored.append({"code": code, "scale": scale, "criteria": criteria, "comment": comment})


@dataclass
class FakeComplaints:
    filed: list[dict[str, Any]] = field(default_factory=list)

    def file(
        self,
        user_id: int,
        text: str,
        *,
        attachment: tuple[str, str] | None,
        dossier_code: str | None,
        procedure_code: str | None,
    ) -> str:
        self.filed.append({"text": text, "dossier": dossier_code, "procedure": procedure_code})
        return f"PA-{len(self.filed):06d}"


@dataclass
class FakeOnce:
    seen: set[str] = field(default_factory=set)

    def first_time(self, key: str) -> bool:
        first = key not in self.seen
        self.seen.add(key)
        return first


@dataclass
class FakeServices:
    """The container's shape, with in-memory services."""

    catalog: FakeCatalog = field(default_factory=FakeCatalog)
    dossiers: FakeDossiers = field(default_factory=FakeDossiers)
    users: FakeUsers = field(default_factory=FakeUsers)
    ratings: FakeRatings = field(default_factory=FakeRatings)
    complaints: FakeComplaints = field(default_factory=FakeComplaints)
    once: FakeOnce = field(default_factory=FakeOnce)


NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
CONTEXT = timedelta(minutes=30)


def ask(
    work: FakeServices, text: str, previous: Conversation | None = None, at: datetime = NOW
) -> Answered:
    return answer_question(work, USER, text, previous, now=at, context=CONTEXT)


def test_a_clear_question_opens_its_card_and_remembers_it_on_screen() -> None:
    work = FakeServices()
    answered = ask(work, "cấp đổi giấy phép lái xe")
    assert answered.card is not None and answered.card.procedure.name == "Đổi giấy phép lái xe"
    assert answered.card.dossiers
    assert answered.next == Viewing(answered.card.procedure.code, NOW.isoformat())
    assert work.users.remembered == [answered.next] and work.catalog.unanswered == []


def test_a_question_about_fees_opens_the_fees_section_only() -> None:
    work = FakeServices()
    answered = ask(work, "đổi giấy phép lái xe hết bao nhiêu tiền")
    assert answered.card is not None and answered.card.aspect is Aspect.FEES
    assert answered.card.variants == [] and not answered.card.dossiers


@pytest.mark.parametrize(
    ("follow_up", "aspect"),
    [
        ("còn lệ phí thì sao?", Aspect.FEES),
        ("thế làm online được không", Aspect.WAYS),
        ("mất bao lâu vậy", Aspect.TIME),
        ("nộp ở đâu", Aspect.WAYS),
        ("cần mang gì", Aspect.DOCUMENTS),
        ("còn giấy tờ?", Aspect.DOCUMENTS),
    ],
)
def test_a_follow_up_opens_that_section_of_the_card_on_screen(
    follow_up: str, aspect: Aspect
) -> None:
    work = FakeServices()
    first = ask(work, "đăng ký khai sinh")
    assert first.card is not None
    answered = ask(work, follow_up, first.next, NOW + timedelta(minutes=29))
    assert answered.answer is None and answered.card is not None
    assert (answered.card.procedure.code, answered.card.aspect) == (
        first.card.procedure.code,
        aspect,
    )
    assert answered.next == Viewing(
        first.card.procedure.code, (NOW + timedelta(minutes=29)).isoformat()
    )
    assert work.catalog.unanswered == []


@pytest.mark.parametrize("later", [timedelta(minutes=31), timedelta(minutes=-5)])
def test_an_old_card_or_a_clock_gone_back_is_not_the_subject(later: timedelta) -> None:
    work = FakeServices()
    first = ask(work, "đăng ký khai sinh")
    answered = ask(work, "còn lệ phí thì sao?", first.next, NOW + later)
    assert answered.answer is not None  # searched as a question of its own
    assert answered.card is None or answered.card.procedure.code != "1.001193"


def test_a_new_need_drops_the_card_on_screen() -> None:
    work = FakeServices()
    first = ask(work, "đăng ký khai sinh")
    answered = ask(work, "lệ phí cấp đổi giấy phép lái xe", first.next)
    assert answered.card is not None and answered.card.procedure.name == "Đổi giấy phép lái xe"
    assert answered.card.aspect is Aspect.FEES


def test_a_pick_from_the_list_opens_that_card_and_keeps_the_list() -> None:
    work = FakeServices()
    listed = ask(work, "cấp căn cước")
    assert listed.answer is not None and isinstance(listed.next, Results)
    chosen = ask(work, "cái thứ 2", listed.next)
    assert chosen.card is not None and chosen.card.procedure.code == listed.answer.shown[1].code
    assert isinstance(chosen.next, Results) and chosen.next.picked == chosen.card.procedure.code
    fees = ask(work, "còn lệ phí thì sao", chosen.next)
    assert fees.card is not None and fees.card.aspect is Aspect.FEES
    assert fees.card.procedure.code == chosen.card.procedure.code


def test_a_court_matter_is_told_so_and_not_logged_as_a_gap() -> None:
    work = FakeServices()
    answered = ask(work, "thủ tục ly hôn thuận tình")
    assert answered.answer is not None and answered.answer.topic is not None
    assert answered.card is None and work.catalog.unanswered == []


def test_nothing_found_is_logged_for_staff() -> None:
    work = FakeServices()
    answered = ask(work, "đặt pizza")
    assert answered.answer is not None and answered.answer.kind is AnswerKind.NONE
    assert answered.card is None and work.catalog.unanswered == [("none", "đặt pizza")]


def test_a_list_is_remembered_and_an_unused_list_is_logged_as_abandoned() -> None:
    work = FakeServices()
    answered = ask(work, "thu tuc bang lai xe")
    assert answered.answer is not None
    assert answered.answer.kind in (AnswerKind.LIST, AnswerKind.CHOICE)
    assert isinstance(answered.next, Results) and work.users.remembered == [answered.next]
    ask(work, "cấp đổi giấy phép lái xe", answered.next)
    assert work.catalog.unanswered[0] == ("abandoned", answered.next.query)


def test_a_list_the_citizen_used_is_not_logged() -> None:
    work = FakeServices()
    used = Results("thu tuc bang lai xe", "thu tuc bang lai xe", picked="1.002804")
    ask(work, "cấp đổi giấy phép lái xe", used)
    assert work.catalog.unanswered == []


def test_a_lost_code_has_no_card() -> None:
    assert open_card(FakeServices(), "9.999999") is None


def test_a_rating_stores_named_criteria_and_clears_the_draft() -> None:
    work = FakeServices()
    draft = RatingDraft("H56-1", level=1, criteria={"0": 0, "2": 2, "7": 1}, comment="Nhanh")
    rated = submit_rating(work, USER, draft, CRITERIA)
    assert rated is not None and (rated.code, rated.level, rated.replaced) == ("H56-1", 1, False)
    assert work.ratings.stored == [
        {"code": "H56-1", "scale": 1, "criteria": {CRITERIA[0]: 0, CRITERIA[2]: 2},
         "comment": "Nhanh"}
    ]  # fmt: skip
    assert work.users.remembered == [None]


def test_rating_a_dossier_again_replaces_the_first_rating() -> None:
    work = FakeServices(ratings=FakeRatings(rated_before={"H56-1"}))
    rated = submit_rating(work, USER, RatingDraft("H56-1", level=0), CRITERIA)
    assert rated is not None and rated.replaced


def test_a_draft_without_a_level_is_not_stored() -> None:
    work = FakeServices()
    with pytest.raises(ValueError):
        submit_rating(work, USER, RatingDraft(None), CRITERIA)
    assert work.ratings.stored == [] and work.users.remembered == []


def test_a_complaint_about_a_dossier_is_filed_with_its_due_date() -> None:
    work = FakeServices(dossiers=FakeDossiers(codes={"H56-1"}))
    friday = date(2026, 11, 27)
    filed = file_complaint(work, USER, ComplaintDraft("H56-1", "Hẹn sai ngày"), friday, 10)
    assert filed is not None and filed.ticket == "PA-000001" and filed.due == date(2026, 12, 11)
    assert work.complaints.filed == [
        {"text": "Hẹn sai ngày", "dossier": "H56-1", "procedure": None}
    ]
    assert work.users.remembered == [None]


def test_a_complaint_about_a_procedure_names_the_procedure() -> None:
    work = FakeServices()
    file_complaint(
        work, USER, ComplaintDraft("1.000656", "Thiếu hướng dẫn"), date(2026, 11, 30), 10
    )
    assert (
        work.complaints.filed[0]["procedure"] == "1.000656"
        and work.complaints.filed[0]["dossier"] is None
    )


def test_scoring_a_draft_keeps_to_the_configured_scale() -> None:
    fresh = RatingDraft("H56-1")
    chosen = scored(fresh, 1, scale=3, criteria=2)
    assert chosen == RatingDraft("H56-1", level=1)
    assert scored(chosen, 2, 1, scale=3, criteria=2) == RatingDraft(
        "H56-1", level=1, criteria={"1": 2}
    )
    assert scored(chosen, 3, scale=3, criteria=2) is None  # off the scale (a forged button)
    assert scored(chosen, 0, 2, scale=3, criteria=2) is None  # no such criterion
    assert scored(fresh, 0, 0, scale=3, criteria=2) is None  # criteria after the level
    assert scored(None, 0, scale=3, criteria=2) is None  # the draft is gone


def test_a_draft_sent_twice_is_stored_once() -> None:
    work = FakeServices()
    draft = ComplaintDraft(None, "Quầy đóng cửa sớm")
    assert file_complaint(work, USER, draft, date(2026, 11, 30), 10) is not None
    assert file_complaint(work, USER, draft, date(2026, 11, 30), 10) is None  # a double tap
    rating = RatingDraft("H56-1", level=0)
    assert submit_rating(work, USER, rating, CRITERIA) is not None
    assert submit_rating(work, USER, rating, CRITERIA) is None
    assert len(work.complaints.filed) == 1 and len(work.ratings.stored) == 1

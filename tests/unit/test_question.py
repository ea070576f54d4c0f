"""Reading questions: framing and aspects, everyday wording, diacritics, calibration, variants."""

from __future__ import annotations

import pytest

from bench.eval_search import load_cases
from tthc.bot.catalog.views import CatalogViews, distinct_captions
from tthc.catalog.answering import Answerer, AnswerKind, family
from tthc.catalog.bundled import bundled_answerer, bundled_intents, bundled_phrasing
from tthc.catalog.calibration import Calibration, fit, load_calibration
from tthc.catalog.normalize import accent_key, words
from tthc.catalog.question import Aspect, Intents, Phrasing
from tthc.messages import Messages


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return bundled_answerer()


def folded(typed: tuple | list) -> list[str]:
    return [w for w, _ in typed]


def test_accent_keys_tell_words_apart_but_not_spellings() -> None:
    assert accent_key("hoà") == accent_key("hòa") and accent_key("thuỷ") == accent_key("thủy")
    assert accent_key("ký") == accent_key("kí")
    assert accent_key("căn") != accent_key("cần") and accent_key("sổ") != accent_key("sở")
    # A message typed without any diacritic says nothing about them.
    assert words("can cuoc") == [("can", None), ("cuoc", None)]


def test_framing_goes_and_the_aspect_stays() -> None:
    phrasing = bundled_phrasing()
    reading = phrasing.read(words("Cho em hỏi hồ sơ đăng ký kết hôn gồm những giấy tờ gì ạ?"))
    assert folded(reading.words) == ["dang", "ki", "ket", "hon"]
    assert reading.aspect is Aspect.DOCUMENTS and reading.framed
    assert phrasing.read(words("làm hộ chiếu mất bao lâu")).aspect is Aspect.TIME
    assert phrasing.read(words("đăng ký tạm trú ở đâu")).aspect is Aspect.WAYS
    # Two aspects at once: the whole card answers both.
    assert phrasing.read(words("khai tử mất bao lâu, lệ phí bao nhiêu")).aspect is None
    # Nothing but framing leaves nothing to search.
    assert phrasing.read(words("xin chào")).words == ()


def test_framing_words_stay_inside_phrases_the_catalogue_uses() -> None:
    phrasing = Phrasing([("fees", "lệ phí"), ("frame", "cần")])
    pairs = {("phi", "truoc"), ("can", "cuoc")}

    def protected(a: str, b: str) -> bool:
        return (a, b) in pairs

    assert folded(phrasing.read(words("lệ phí trước bạ"), protected).words) == [
        "le", "phi", "truoc", "ba",
    ]  # fmt: skip
    # Typed with diacritics, "căn" is not "cần"; typed without, only the pair tells.
    assert folded(phrasing.read(words("căn cước")).words) == ["can", "cuoc"]
    assert folded(phrasing.read(words("can cuoc"), protected).words) == ["can", "cuoc"]
    assert folded(phrasing.read(words("cần làm gì")).words) == ["lam", "gi"]


def test_intents_replace_everyday_wording_with_the_official_one() -> None:
    intents = bundled_intents()
    out, fired = intents.apply(words("ông nội tôi mới mất thì làm gì"))
    assert fired and " ".join(folded(out)).endswith("dang ki khai tu")
    # "mất" next to a paper is a loss, not a death.
    out, _ = intents.apply(words("mẹ tôi mất giấy khai sinh"))
    assert "khai tu" not in " ".join(folded(out))
    # Without diacritics, "so" inside "chủ sở hữu" is not "sổ".
    rules = Intents([("sổ + mất", "cấp lại sổ")])
    _, fired = rules.apply(words("mat so huu"), lambda a, b: (a, b) == ("so", "huu"))
    assert not fired
    _, fired = rules.apply(words("mat so"))
    assert fired


def test_calibration_round_trips_and_learns_a_separable_signal() -> None:
    calibration = load_calibration()
    assert Calibration.from_json(calibration.to_json()) == calibration
    vectors = [[x / 10, 1.0] for x in range(10)]
    model = fit(vectors, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    assert model.probability([0.9, 1.0]) > 0.8 > 0.2 > model.probability([0.0, 1.0])


def test_variant_names_split_into_service_and_case() -> None:
    assert family("Cấp thẻ căn cước cho người dưới 14 tuổi") == (
        "cap the can cuoc",
        "Người dưới 14 tuổi",
    )
    assert family("Đăng ký khai sinh") is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("làm căn cước cho bé 6 tuổi", "1.014062"),
        ("lam can cuoc cho tre em duoi 14 tuoi", "1.014062"),
        ("làm căn cước lần đầu cho con 15 tuổi", "1.014061"),
    ],
)
def test_an_age_picks_the_case(answerer: Answerer, query: str, code: str) -> None:
    answer = answerer.answer(query)
    assert answer.kind is AnswerKind.CARD and answer.shown[0].code == code


@pytest.mark.slow  # every evaluation question
def test_no_reply_to_any_evaluation_question_has_two_buttons_alike(answerer: Answerer) -> None:
    views = CatalogViews(Messages())
    for case in load_cases():
        answer = answerer.answer(case.query)
        if answer.kind is AnswerKind.CHOICE:
            labels = [b.text for row in views.search_choice("vi", answer).buttons for b in row]
        elif answer.kind in (AnswerKind.LIST, AnswerKind.NONE):
            labels = distinct_captions(list(answer.shown))
        else:
            continue
        assert len(set(labels)) == len(labels), (case.query, labels)

"""The card reader: the portal's published text as a citizen needs it (catalog.reading)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from tthc.catalog.bundled import bundled_catalog
from tthc.catalog.reading import read_card
from tthc.catalog.reading.documents import ItemKind, classify, read_documents
from tthc.catalog.reading.fees import FeeKind, read_fees
from tthc.catalog.reading.place import PlaceSource, read_place
from tthc.catalog.reading.result import read_result
from tthc.catalog.reading.steps import read_steps
from tthc.catalog.reading.times import read_times

TODAY = date(2026, 11, 29)


def test_free_only_when_nothing_else_is_said() -> None:
    assert read_fees("Miễn phí", TODAY).free
    assert read_fees("Miễn phí (Không có)", TODAY).free
    assert read_fees("Miễn phí (Không quy định.)", TODAY).free
    assert read_fees("Miễn phí (Miễn lệ phí (Thông tư số 47/2019/TT-BTC).)", TODAY).free


def test_an_amount_in_the_description_is_the_fee_and_expired_clauses_come_last() -> None:
    text = (
        "Miễn phí (- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần. - Trường hợp tổ chức, cá "
        "nhân nộp hồ sơ theo hình thức trực tuyến: Kể từ ngày 01/12/2023 đến hết ngày "
        "31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng/lần cấp.)"
    )
    fees = read_fees(text, TODAY)
    (line,) = fees.lines
    assert line.kind is FeeKind.DESCRIBED and not fees.free
    assert line.amounts == ("135.000 đồng/lần",)
    assert [c.expired for c in line.clauses] == [False, True]
    assert line.expired[0].until == date(2025, 12, 31)
    # The same text read in 2024 has both clauses in force.
    assert not any(c.expired for c in read_fees(text, date(2024, 6, 1)).lines[0].clauses)


def test_council_set_fees_and_per_way_amounts() -> None:
    council = read_fees(
        "Miễn phí (Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung "
        "ương quyết định. Miễn lệ phí cho người thuộc hộ nghèo.)",
        TODAY,
    )
    assert council.lines[0].kind is FeeKind.PROVINCE and council.lines[0].conditional
    ways = read_fees("Trực tiếp: 2,000 Việt Nam Đồng(/trang); Trực tiếp: 10 USD(/bản)", TODAY)
    assert [(line.way, line.amounts) for line in ways.lines] == [
        ("in_person", ("2.000 đồng/trang",)),
        ("in_person", ("10 USD/bản",)),
    ]


def test_a_temporary_percentage_in_force_today_is_the_fee() -> None:
    text = (
        "Trực tiếp: 70.000 đồng (- Cấp lại thẻ căn cước: 70.000 đồng/thẻ căn cước. - Kể từ "
        "ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu lệ phí cấp đổi, cấp lại thẻ căn cước "
        "bằng 50% mức thu nêu trên.)"
    )
    line = read_fees(text, TODAY).lines[0]
    assert (line.reduced, line.reduced_until) == ("35.000 đồng", date(2026, 12, 31))
    assert read_fees(text, date(2027, 1, 1)).lines[0].reduced is None


def test_a_bare_number_gets_its_unit_from_the_steps_and_fees_are_not_a_time() -> None:
    times = read_times("1", ["Trong thời hạn 01 ngày làm việc kể từ ngày nhận hồ sơ, …"])
    assert (times.lines[0].value, times.lines[0].unit, times.lines[0].inferred) == (
        "1",
        "ngày làm việc",
        True,
    )
    assert read_times("1", ["Nộp hồ sơ."]).unitless
    misplaced = read_times("Trực tiếp: Tại Ủy ban nhân dân cấp xã: 2.000 đồng/trang.", [])
    assert not misplaced.lines and misplaced.misplaced_fees
    split = read_times("Trực tuyến: 15 Ngày; Trực tiếp: 3 Ngày làm việc", [])
    assert [(x.way, x.value, x.unit) for x in split.lines] == [
        ("online", "15", "ngày"),
        ("in_person", "3", "ngày làm việc"),
    ]


def test_place_comes_from_the_agency_the_steps_or_the_level() -> None:
    steps = ["- Người yêu cầu nộp hồ sơ tại Ủy ban nhân dân cấp xã nơi cư trú thì được hẹn."]
    assert read_place(None, steps, ["Cấp xã"]).name == "Ủy ban nhân dân cấp xã nơi cư trú"
    assert read_place(None, [], ["Cấp xã"]).source is PlaceSource.LEVEL
    assert read_place("Công an huyện", [], []).district
    assert not read_place("Công an cấp Xã", [], []).district


def test_notes_and_headings_are_not_papers() -> None:
    assert (
        classify({"name": "Phiếu này là biểu mẫu điện tử, công dân kê khai.", "originals": 1})
        is ItemKind.NOTE
    )
    assert classify({"name": "Giấy chứng sinh", "case": "Lưu ý"}) is ItemKind.NOTE
    assert classify({"name": "Người có yêu cầu nộp các giấy tờ sau:"}) is ItemKind.HEADING
    assert classify({"name": "hoặc", "copies_count": 1}) is ItemKind.HEADING
    assert classify({"name": "Tờ khai đăng ký khai sinh", "originals": 1}) is ItemKind.PAPER
    docs = read_documents(
        [
            {"key": "a", "name": "Giấy chứng sinh", "originals": 1, "case": "Giấy tờ phải nộp"},
            {"key": "b", "name": "Tờ khai theo mẫu", "originals": 1},
            {"key": "c", "name": "Trường hợp trẻ bị bỏ rơi thì phải có biên bản.", "originals": 1},
            {"key": "d", "name": "Người tiếp nhận có trách nhiệm kiểm tra.", "case": "Lưu ý"},
        ]
    )
    assert [p.key for p in docs.papers] == ["b", "c", "a"]  # ungrouped first
    assert docs.required == 2 and [n.key for n in docs.notes] == ["d"]


def test_birth_registration_lists_its_papers_not_its_33_lines() -> None:
    record = bundled_catalog().records["1.001193"]
    docs = read_documents(record["documents"])
    assert len(record["documents"]) == 33
    assert len(docs.papers) == 8 and docs.papers[0].name.startswith("Tờ khai đăng ký khai sinh")


def test_steps_are_repaired() -> None:
    steps = read_steps(
        [
            "- Bước 1:",
            "+ Công dân nộp hồ sơ tại Công an cấp xã và",
            "nhận giấy hẹn.",
            "- Bước 2: Cán bộ kiểm tra.",
            "- Bước 2: Cán bộ kiểm tra.",
            "- Bước 3: Thu lệ phí.",
            "- Bước 3: Trả kết quả.",
        ]
    )
    assert [(s.title, s.text) for s in steps.lines] == [
        ("Bước 1", "Công dân nộp hồ sơ tại Công an cấp xã và nhận giấy hẹn."),
        ("Bước 2", "Cán bộ kiểm tra."),
        ("Bước 3", "Thu lệ phí."),
        ("Bước 4", "Trả kết quả."),
    ]


def test_corrupted_birth_registration_step_is_corrected_from_the_errata() -> None:
    record = bundled_catalog().records["1.001193"]
    facts = read_card(SimpleNamespace(**record), TODAY)
    text = " ".join(s.text for s in facts.steps.lines)
    assert "khai tâm Phục vụ" not in text
    assert "nộp hồ sơ đăng ký khai sinh tại Trung tâm Phục vụ hành chính công" in text
    assert "hoàn tất việc nộp hồ sơ." in text
    assert facts.place.name == "Trung tâm Phục vụ hành chính công có thẩm quyền"


def test_result_documents() -> None:
    assert read_result("Cấp lại giấy phép lái xe").text == "Giấy phép lái xe"  # type: ignore[union-attr]
    assert read_result("Thủ tục đăng ký khai sinh").text.startswith("Giấy khai sinh")  # type: ignore[union-attr]
    assert read_result("Công nhận làng nghề").text == "Quyết định công nhận làng nghề"  # type: ignore[union-attr]
    assert read_result("Thủ tục tái nhập hàng hóa tạm quản") is None
    assert (
        read_result("Thủ tục tái nhập", stored="Tờ khai đã thông quan").text
        == "Tờ khai đã thông quan"
    )  # type: ignore[union-attr]

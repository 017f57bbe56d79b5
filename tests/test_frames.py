"""The frame classifier: what a figure counts, what it has, and which indicators fit.

Every sentence here is written for these tests (none is taken from an article)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xhs_extract.catalogue import load_catalogue
from xhs_extract.frames import ANY, NONE, Frame, clause_bounds, frame_of, indicators_for
from xhs_extract.language import populations_data, properties_data
from xhs_extract.normalise import normalise
from xhs_extract.numbers import find_figures


def frames(sentence: str) -> list[tuple[str, Frame, tuple[str, ...]]]:
    text = normalise(sentence).text
    figures = find_figures(text)
    out = []
    for figure in figures:
        frame = frame_of(text, (0, len(text)), figure, figures)
        out.append((text[figure.start : figure.end], frame, indicators_for(frame, figure.unit)))
    return out


def codes(sentence: str) -> list[tuple[str, ...]]:
    return [found for _, _, found in frames(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the head noun after the number
        ("Đến cuối năm, 81,5% hộ gia đình trong huyện có Internet cáp quang.",
         [("household_fiber_broadband_rate",)]),
        ("Huyện ghi nhận 64% hộ dân đã có kết nối Internet.", [("household_internet_rate",)]),
        # the subject of a rate before its linking verb
        ("Tỷ lệ người dân trưởng thành có điện thoại thông minh ước đạt 77,4%.",
         [("adult_smartphone_rate",)]),
        ("Tỷ lệ phủ sóng 5G trên toàn tỉnh đạt 48%.", [("population_5g_coverage_rate",)]),
        # a list switching population: each item its own
        ("Mạng cáp quang đã phủ tới 91% hộ gia đình, 100% xã.",
         [("household_fiber_broadband_rate",), ("commune_fiber_coverage_rate",)]),
        # a share following the count it is a share of
        ("Có 31.200 hộ gia đình dùng Internet cáp quang, đạt 88%.",
         [("household_fiber_broadband_rate",), ("household_fiber_broadband_rate",)]),
        # a bracket read with its host clause
        ("Đã có 4.150 người trưởng thành sử dụng dịch vụ khám bệnh từ xa (chiếm 3,1%).",
         [("telehealth_use_rate",), ("telehealth_use_rate",)]),
        # coordinated populations: one record each
        ("Toàn bộ 100% trường học, bệnh viện công lập thu phí không dùng tiền mặt.",
         [("school_cashless_rate", "health_facility_cashless_rate")]),
        # base stations, however the station is named
        ("Mạng 2G có 1.240 trạm, còn 4G có 2.310 vị trí trạm.",
         [("mobile_base_stations",), ("mobile_base_stations",)]),
        # coverage by fibre is no mobile coverage; a share of all phone users
        ("Độ phủ cáp quang đến từng hộ gia đình đạt 79%.", [("household_fiber_broadband_rate",)]),
        ("Tỷ lệ người dùng smartphone trên tổng số người dùng điện thoại di động là 86%.",
         [("mobile_subscriber_smartphone_share",)]),
        # a label line with the unit in the label
        ("Tỷ lệ hộ gia đình có cáp quang (%): 72,5", [("household_fiber_broadband_rate",)]),
        # a label names its subject first, whatever it names after
        ("Trạm y tế xã thanh toán không dùng tiền mặt: 86%.",
         [("health_facility_cashless_rate",)]),
        # welfare paid through e-wallets does not make its receivers e-wallet users
        ("Lương hưu được chi qua ví điện tử cho 2.150 người.", [("social_welfare_cashless",)]),
        # a request is for what it lacks: requests for cards not yet issued are card requests
        ("Công an huyện nhận 1.930 hồ sơ của người chưa được cấp căn cước.",
         [("chip_id_card_issued",)]),
        # a property tied ("gắn với") to the act named before it goes with that act
        ("Huyện đăng ký tài khoản định danh điện tử gắn với làm căn cước cho 12.400 người.",
         [("eid_account_rate",)]),
        # what follows "trong đó" names the parts, not what the whole has
        ("Có 48.000 hồ sơ, trong đó hồ sơ nộp trực tuyến là 30.100.",
         [(), ("online_application_rate",)]),
        # a part names its own property after it
        ("Tỷ lệ người lớn có tài khoản ngân hàng là 80%, trong đó 64% có dùng ví điện tử.",
         [("account_ownership_rate",), ("ewallet_users",)]),
        # coverage with no generation is that of the stations giving it, named before
        ("Doanh nghiệp xây 95 trạm 5G, phủ sóng 30% dân số thành phố.",
         [("mobile_base_stations",), ("population_5g_coverage_rate",)]),
        # mobile broadband is mobile coverage, not internet use
        ("Tỷ lệ dân số được phủ sóng mạng di động băng rộng đạt 99,1%.",
         [("population_4g_coverage_rate",)]),
        # an item going on from the figure before has what that figure's segment says, not
        # what the clause said earlier
        ("Tỉnh kéo cáp quang tới 100% xã, sóng 4G đạt 98% ở thị trấn và 91% ở bản.",
         [("commune_fiber_coverage_rate",), ("commune_mobile_coverage_rate",),
          ("village_mobile_broadband_coverage_rate",)]),
        # a commune named by its name is the place, not what is counted
        ("Tỷ lệ hộ gia đình có Internet cáp quang đạt 80%, xã Nà Hẩu đạt 62%.",
         [("household_fiber_broadband_rate",), ("household_fiber_broadband_rate",)]),
        # a bare number after a place's name is part of the name
        ("Tỷ lệ hộ gia đình có Internet cáp quang: xã Chiềng 2 đạt 71%, xã Chiềng 3 đạt 65%.",
         [("household_fiber_broadband_rate",), ("household_fiber_broadband_rate",)]),
        # what a property replaces is no lack: "không dùng giấy" after "dùng bệnh án điện tử"
        ("Có 7 bệnh viện dùng bệnh án điện tử, không dùng bệnh án giấy.",
         [("hospital_emr_rate",)]),
    ],
)
def test_frames_name_the_indicator(sentence: str, expected: list[tuple[str, ...]]) -> None:
    assert codes(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # staff are no population of the catalogue
        "Có 100% cán bộ, công chức cấp xã được tập huấn về mạng 4G.",
        # procedures offered online are not applications filed online
        "Tỉnh đã có 1.820 thủ tục hành chính được cung cấp trực tuyến toàn trình.",
        # postal points are not internet users
        "Toàn tỉnh có 210 điểm bưu điện văn hóa xã có Internet.",
        # villages still without a signal are not covered villages
        "Trong huyện vẫn còn 23 thôn chưa có sóng di động.",
        # a survey's answer is not a property of internet users
        "Khảo sát cho thấy 61% người dùng Internet cho rằng mình từng gặp tin giả.",
        # a change is not a level
        "Số thuê bao cáp quang tăng 12% so với năm trước.",
        # an organisation's leased capacity is not broadband speed
        "Kênh thuê riêng của các sở, ngành có dung lượng 100 Mbps.",
        # health-insurance cards in the app are not e-ID accounts
        "Đã tích hợp 540.000 thẻ bảo hiểm y tế vào VNeID.",
        # nor are the insured who use it
        "Có 96.300 người tham gia bảo hiểm xã hội đã dùng VNeID để tra cứu.",
        # an upload speed, an organisation's line
        "Tốc độ tải lên trung bình đạt 38 Mbps.",
        "Đường truyền cho cơ quan nhà nước đạt 300 Mbps.",
        # a count of villages having a team is no count of teams
        "Có 41 bản đã có tổ công nghệ số cộng đồng.",
        # what the counted people take one thing for, or suffer, is a survey's answer
        "Gần 41% người truy cập Internet nhầm tưởng thư giả là thư của ngân hàng.",
        "Khoảng 7% người dùng Internet đã trở thành nạn nhân của tin nhắn giả.",
        # broadcast coverage is no mobile coverage
        "Đã có 88% xã được phủ sóng truyền hình số.",
    ],
)
def test_frames_refuse_look_alikes(sentence: str) -> None:
    assert all(found == () for found in codes(sentence)), frames(sentence)


def test_frame_spans_point_at_their_words() -> None:
    text = normalise("Đến nay 92% thôn, bản được phủ sóng 4G.").text
    figure = find_figures(text)[0]
    frame = frame_of(text, (0, len(text)), figure, [figure])
    assert frame.population == "villages" and frame.how == "noun"
    assert frame.population_span is not None
    assert text[slice(*frame.population_span)] == "thôn, bản"
    assert frame.main_property == "mobile_4g"
    assert frame.main_property_span is not None
    assert text[slice(*frame.main_property_span)] == "4G"
    assert text[slice(*frame.subject_span)] == "thôn, bản được phủ sóng 4G"


def test_clause_bounds_stop_at_semicolons() -> None:
    text = "a 1%; b 2%; c"
    assert clause_bounds(text, 0, len(text), 7) == (5, 10)


def test_every_frame_class_exists_in_the_lexicons() -> None:
    populations = {c.name for c in populations_data().classes} | {NONE, ANY}
    properties = {c.name for c in properties_data().classes} | {NONE, ANY}
    for code, indicator in load_catalogue().indicators.items():
        assert indicator.frame, f"{code} has no frame"
        for alternative in indicator.frame:
            assert set(alternative) <= {"populations", "properties", "not", "with", "units"}, code
            assert set(alternative["populations"]) <= populations, code
            assert set(alternative["properties"]) <= properties, code
            assert set(alternative.get("with", ())) <= properties, code
            assert set(alternative.get("not", ())) <= populations | properties, code


def test_every_lexicon_class_is_reachable_or_refused_on_purpose() -> None:
    """A property's `subsumes` names properties; `implies` names a property."""
    properties = {c.name for c in properties_data().classes}
    for cls in properties_data().classes:
        assert set(cls.subsumes) <= properties, cls.name
    for pop in populations_data().classes:
        assert pop.implies is None or pop.implies in properties, pop.name


_WORDS = st.sampled_from(
    ["hộ gia đình", "người dân", "thôn", "xã", "có", "được phủ sóng", "4G", "cáp quang",
     "tỷ lệ", "đạt", "trạm", "cán bộ", ",", ";", "(", ")", ":", "và", "chưa có sóng",
     "điện thoại thông minh", "tăng", "so với", "thuê bao", "tổ công nghệ số"]
)
_NUMBERS = st.sampled_from(["12%", "3.400", "98,5%", "7", "150 Mbps", "45/50", "1,2 triệu"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_WORDS, _NUMBERS), min_size=1, max_size=18))
def test_subject_span_lies_in_the_text_and_holds_the_noun(parts: list[str]) -> None:
    text = " ".join(parts)
    figures = find_figures(text)
    for figure in figures:
        frame = frame_of(text, (0, len(text)), figure, figures)
        start, end = frame.subject_span
        assert 0 <= start <= end <= len(text)
        if figure.noun_start is not None and figure.noun_end is not None:
            assert start <= figure.noun_start and figure.noun_end <= end
        for span in (frame.population_span, *frame.property_spans):
            if span is not None:
                assert 0 <= span[0] <= span[1] <= len(text)
        indicators_for(frame, figure.unit)  # never fails

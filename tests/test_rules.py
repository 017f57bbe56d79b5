"""The rule extractor on short sentences written for the project, one phenomenon each.

Each case states what a careful annotator would record: (indicator, value, unit,
qualifier), in text order. Negative cases expect nothing.
"""

import pytest

from xhs_extract import extract_text


def found(text):
    return [(r.indicator, r.value, r.unit, r.qualifier) for r in extract_text(text)]


CASES = {
    "subject before figure, linked by đạt": (
        "Tỷ lệ hộ gia đình có kết nối Internet cáp quang trên địa bàn huyện đạt 87,4%.",
        [("household_fiber_broadband_rate", 87.4, "percent", "exact")],
    ),
    "figure before subject": (
        "Hiện nay, 64,2% hộ gia đình đã có thuê bao Internet băng rộng cố định.",
        [("household_fiber_broadband_rate", 64.2, "percent", "exact")],
    ),
    "plain internet is not fibre": (
        "Toàn tỉnh có 71% hộ gia đình có kết nối Internet.",
        [("household_internet_rate", 71, "percent", "exact")],
    ),
    "count before its noun, then its share": (
        "Huyện có 12.430 hộ sử dụng điện thoại thông minh, đạt gần 88% tổng số hộ.",
        [
            ("household_smartphone_rate", 12430, "count", "exact"),
            ("household_smartphone_rate", 88, "percent", "nearly"),
        ],
    ),
    "chiếm shares the subject of the count before it": (
        "Có hơn 5.200 người có công và đối tượng bảo trợ xã hội nhận trợ cấp qua tài khoản, chiếm 76% tổng số đối tượng.",
        [
            ("social_welfare_cashless", 5200, "count", "over"),
            ("social_welfare_cashless", 76, "percent", "exact"),
        ],
    ),
    "list separated by semicolons and commas": (
        "Đến nay, tỷ lệ thôn được phủ sóng di động 4G đạt 96,2%, tỷ lệ dân số được phủ sóng 4G đạt 99%; "
        "khoảng 70% số thuê bao di động sử dụng điện thoại thông minh.",
        [
            ("village_mobile_broadband_coverage_rate", 96.2, "percent", "exact"),
            ("population_4g_coverage_rate", 99, "percent", "exact"),
            ("mobile_subscriber_smartphone_share", 70, "percent", "approx"),
        ],
    ),
    "one figure, two subjects": (
        "100% bệnh viện, trường học trên địa bàn đã áp dụng thanh toán không dùng tiền mặt.",
        [
            ("health_facility_cashless_rate", 100, "percent", "exact"),
            ("school_cashless_rate", 100, "percent", "exact"),
        ],
    ),
    "adult smartphone is not subscriber share": (
        "Tỷ lệ người trưởng thành có điện thoại thông minh đạt 81,5%.",
        [("adult_smartphone_rate", 81.5, "percent", "exact")],
    ),
    "bracketed baseline shares the subject": (
        "Tỷ lệ dân số có hồ sơ sức khỏe điện tử đạt 85% (cuối năm 2022 là 60%).",
        [
            ("ehr_population_rate", 85, "percent", "exact"),
            ("ehr_population_rate", 60, "percent", "exact"),
        ],
    ),
    "teams and members": (
        "Toàn huyện đã thành lập 118/118 tổ công nghệ số cộng đồng với hơn 700 thành viên.",
        [
            ("community_digital_teams", 118, "count", "exact"),
            ("community_digital_team_members", 700, "count", "over"),
        ],
    ),
    "other groups are not digital teams": (
        "Xã có 12 tổ tự quản và 3 tổ hòa giải ở cơ sở.",
        [],
    ),
    "eid activated vs registered": (
        "Công an tỉnh đã thu nhận 450.000 hồ sơ định danh điện tử, trong đó 300.000 tài khoản đã được kích hoạt.",
        [
            ("eid_account_rate", 450000, "count", "exact"),
            ("eid_account_activated", 300000, "count", "exact"),
        ],
    ),
    "chip id cards": ("Toàn tỉnh đã cấp 1,2 triệu thẻ căn cước công dân gắn chip.", [("chip_id_card_issued", 1200000, "count", "exact")]),
    "bank accounts of adults": (
        "Tỷ lệ người dân từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng đạt xấp xỉ 80%.",
        [("account_ownership_rate", 80, "percent", "approx")],
    ),
    "e-wallets": ("Đã có 35.000 người cài đặt và sử dụng Viettel Money.", [("ewallet_users", 35000, "count", "exact")]),
    "base stations": ("Toàn tỉnh hiện có 1.350 trạm BTS.", [("mobile_base_stations", 1350, "count", "exact")]),
    "per 100 people": (
        "Số thuê bao băng rộng di động đạt 87,07 thuê bao/100 dân.",
        [("mobile_broadband_subscriptions_per_100", 87.07, "per_100_people", "exact")],
    ),
    "speed": ("Tốc độ truy cập Internet băng rộng cố định trung bình đạt 95 Mbps.", [("broadband_speed", 95, "mbps", "exact")]),
    "online applications": (
        "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến đạt 62%.",
        [("online_application_rate", 62, "percent", "exact")],
    ),
    "people using online public services": (
        "Khoảng 45% người dân trưởng thành đã sử dụng dịch vụ công trực tuyến.",
        [("online_public_service_use_rate", 45, "percent", "approx")],
    ),
    "digital skills": (
        "Đã có 58% người trong độ tuổi lao động được phổ cập kỹ năng số cơ bản.",
        [("basic_digital_skills_rate", 58, "percent", "exact")],
    ),
    "cashless markets": ("Thành phố đã xây dựng 12 chợ 4.0.", [("cashless_markets", 12, "count", "exact")]),
    "students paying without cash": (
        "Có 91% học sinh đóng học phí không dùng tiền mặt.",
        [("student_cashless_rate", 91, "percent", "exact")],
    ),
    "hospitals with electronic records": (
        "Đã có 6/12 bệnh viện triển khai bệnh án điện tử.",
        [("hospital_emr_rate", 6, "count", "exact")],
    ),
    "population after the figure": (
        "Tỷ lệ phủ sóng di động 4G đạt 99,8% dân số.",
        [("population_4g_coverage_rate", 99.8, "percent", "exact")],
    ),
    "commune centres reached by fibre": (
        "Mạng cáp quang đã được kéo đến 100% trung tâm xã.",
        [("commune_fiber_coverage_rate", 100, "percent", "exact")],
    ),
    "count and share of internet users": (
        "Số người sử dụng Internet trên địa bàn tỉnh ước đạt 1,1 triệu người, chiếm 72% dân số.",
        [("internet_user_rate", 1100000, "count", "approx"), ("internet_user_rate", 72, "percent", "exact")],
    ),
    "abbreviated team name": (
        "Toàn tỉnh có 1.245 Tổ CNSCĐ với 6.800 thành viên.",
        [("community_digital_teams", 1245, "count", "exact"), ("community_digital_team_members", 6800, "count", "exact")],
    ),
    "a count with no noun after it": (
        "Tổng số thuê bao di động là 1.250.000 thuê bao, trong đó thuê bao 2G only còn 85.000.",
        [("subscribers_2g_only", 85000, "count", "exact")],
    ),
    "villages still without signal are no level": ("Toàn huyện vẫn còn 14 bản chưa có sóng di động.", []),
    "merchants are not markets": ("Đã có 2.500 cơ sở kinh doanh chấp nhận thanh toán qua mã QR.", []),
    # Look-alikes seen in general news (the bench corpus), each written anew here.
    "an interest rate level is no e-ID level": ("Ngân hàng trung ương giữ lãi suất cơ bản ở mức 2%.", []),
    "the world's internet users": ("Số người dùng Internet trên toàn thế giới đã đạt 875 triệu người.", []),
    "another country's internet users": ("Hiện Trung Quốc có 87 triệu người sử dụng Internet.", []),
    "a device's data rate is no broadband speed": ("Máy có khả năng xử lý dữ liệu đến 2,4 Mbps.", []),
    "a cable's capacity is no access speed": ("Tuyến cáp quang quốc tế có dung lượng 10 Gbps.", []),
    "megabytes per second are no Mbps": ("Ổ cứng đạt tốc độ truyền dữ liệu 150MB/s.", []),
    "deputy heads of a checkpoint are no base stations": ("Công an tỉnh kỷ luật 2 trạm phó của trạm kiểm soát.", []),
    "public utility workers are no online public service users": (
        "Nhóm nghiên cứu khảo sát hơn 4.000 người làm nghề dịch vụ công cộng.",
        [],
    ),
    "a fraction of people is no count": ("Gần 1/3 người dùng Internet không phân biệt được thư giả.", []),
    "online shopping habits are no internet connection": (
        "Đến năm 2010 sẽ có 15% hộ gia đình có thói quen mua sắm qua Internet.",
        [],
    ),
    "a change is no level": ("Số người sử dụng Internet tăng 4,28 triệu người so với năm trước.", []),
    "speed of access is": (
        "Tốc độ truy cập Internet di động bình quân đạt 45 Mbps.",
        [("broadband_speed", 45, "mbps", "exact")],
    ),
    # Figures that are no statistic of the catalogue.
    "tourists and revenue": ("Dịp lễ, tỉnh đón trên 290.000 lượt du khách, doanh thu đạt 850 triệu đồng.", []),
    "achievement against a plan": ("Thu ngân sách đạt 164% kế hoạch, tăng 12% so với cùng kỳ.", []),
    "civil servants' signatures are digital government": (
        "Ngành giáo dục đã cấp 100% chữ ký số cho cán bộ, giáo viên.",
        [],
    ),
    "decision numbers, dates and technologies": (
        "Theo Quyết định số 411/QĐ-TTg ngày 31/03/2022, tỉnh phát triển mạng 4G/5G và chợ 4.0.",
        [],
    ),
    "ages only define a population": ("Người dân từ 15 tuổi trở lên được hướng dẫn mở tài khoản.", []),
    "a count for each unit is not a total": (
        "Nhà mạng có khoảng 300 trạm BTS trên cả nước, tức là mỗi tỉnh có chưa tới mười trạm.",
        [("mobile_base_stations", 300, "count", "approx")],
    ),
    "a share each unit must reach is still a figure": (
        "Phấn đấu mỗi xã đạt tối thiểu 90% hộ gia đình có Internet cáp quang.",
        [("household_fiber_broadband_rate", 90, "percent", "at_least")],
    ),
    "a market share is not a share of users": (
        "Toàn tỉnh có 420 nghìn khách hàng dùng ví điện tử, trong đó Viettel Money chiếm hơn 60% thị phần.",
        [("ewallet_users", 420000, "count", "exact")],
    ),
    "Nhật Bản is no village": (
        "Hãng di động Nhật Bản thông báo số người dùng dịch vụ 3G đã đạt dấu mốc 2 triệu.",
        [],
    ),
    "broadcast coverage is not mobile coverage": (
        "Vệ tinh sẽ giúp 100% thôn, xã trong cả nước được phủ sóng phát thanh, truyền hình.",
        [],
    ),
    "figurative coverage in quotes is not coverage": (
        "Mỗi ngày một con phố mới, bà đã “phủ sóng” hết 25 phường thuộc quận.",
        [],
    ),
    "an inline list's items take the subject before its first colon": (
        "Tỷ lệ hộ gia đình dùng cáp quang ở một số xã như sau: xã An Lạc: 95%; xã Bình Minh: 88%; "
        "thị trấn Tân Phú: 79,4%.",
        [
            ("household_fiber_broadband_rate", 95, "percent", "exact"),
            ("household_fiber_broadband_rate", 88, "percent", "exact"),
            ("household_fiber_broadband_rate", 79.4, "percent", "exact"),
        ],
    ),
    "an item with a subject of its own keeps it": (
        "Số thuê bao băng rộng cố định: 28,4 thuê bao/100 dân; băng rộng di động: 89,1 thuê bao/100 dân.",
        [
            ("fixed_broadband_subscriptions_per_100", 28.4, "per_100_people", "exact"),
            ("mobile_broadband_subscriptions_per_100", 89.1, "per_100_people", "exact"),
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule_case(name):
    text, expected = CASES[name]
    assert found(text) == expected


def test_target_frame_covers_its_list():
    text = (
        "Các chỉ tiêu tỉnh được giao thực hiện năm 2024 là: tỷ lệ dân số trưởng thành có "
        "chữ ký số cá nhân trên 40%; tỷ lệ dân số có hồ sơ sức khỏe điện tử đạt 90%."
    )
    records = extract_text(text)
    assert [(r.indicator, r.status, r.period) for r in records] == [
        ("adult_digital_signature_rate", "target", "2024"),
        ("ehr_population_rate", "target", "2024"),
    ]


def test_breakdown_after_trong_do_inherits_the_total():
    text = (
        "Từ đầu năm, Công an huyện đã thu nhận 8.500 hồ sơ cấp căn cước. "
        "Trong đó, 2.100 hồ sơ công dân dưới 14 tuổi; 6.400 hồ sơ công dân từ 14 tuổi trở lên."
    )
    got = [(r.indicator, r.value) for r in extract_text(text)]
    assert got == [
        ("chip_id_card_issued", 8500),
        ("chip_id_card_issued", 2100),
        ("chip_id_card_issued", 6400),
    ]


def test_offsets_point_at_the_figure_and_its_sentence():
    text = "Mở đầu.\nĐến nay, gần 60% số thuê bao di động có điện thoại thông minh. Hết."
    (record,) = extract_text(text)
    assert text[record.value_span[0] : record.value_span[1]] == "60%"
    assert record.evidence.text == text[record.evidence.start : record.evidence.end]
    assert record.evidence.text.startswith("Đến nay")


def test_a_list_of_lines_under_a_target_frame():
    text = (
        "Theo kế hoạch, đến hết năm 2026, huyện phấn đấu đạt các chỉ tiêu sau:\n"
        "- Tỷ lệ hộ gia đình có Internet cáp quang: 95%;\n"
        "- Tỷ lệ dân số trưởng thành có điện thoại thông minh: tối thiểu 92%.\n"
        "Kết quả năm 2025, tỷ lệ hộ gia đình có Internet cáp quang ở mức 88%."
    )
    got = [(r.indicator, r.value, r.qualifier, r.status, r.period) for r in extract_text(text)]
    assert got == [
        ("household_fiber_broadband_rate", 95, "exact", "target", "2026"),
        ("adult_smartphone_rate", 92, "at_least", "target", "2026"),
        ("household_fiber_broadband_rate", 88, "exact", "achieved", "2025"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A label before a colon names the figure's subject.
        ("Số thuê bao băng rộng cố định: 28,4 thuê bao/100 dân; băng rộng di động: 89,1 thuê bao/100 dân.",
         [("fixed_broadband_subscriptions_per_100", 28.4), ("mobile_broadband_subscriptions_per_100", 89.1)]),
        # Items of a list take the subject of the frame before the colon.
        ("Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến phân hóa rõ: huyện A Lưới 72%, huyện Phong Điền 64%.",
         [("online_application_rate", 72), ("online_application_rate", 64)]),
        # A figure in brackets takes the subject before its bracket.
        ("Sóng di động đã phủ kín khu vực dân cư (99,6%).", [("population_4g_coverage_rate", 99.6)]),
        # An aside in brackets does not cut the subject short.
        ("100% cơ sở khám, chữa bệnh trên địa bàn (163 cơ sở) đã tiếp đón người bệnh bằng CCCD gắn chip.",
         [("health_facility_chip_id_rate", 100), ("health_facility_chip_id_rate", 163)]),
        # "tỷ lệ này" refers to the sentence before.
        ("Toàn xã có 62% người trưởng thành có điện thoại thông minh. Năm nay, xã nâng tỷ lệ này lên 70%.",
         [("adult_smartphone_rate", 62), ("adult_smartphone_rate", 70)]),
        # A clause after a semicolon continues the one before when it says so.
        ("Số hồ sơ cấp tài khoản định danh điện tử được thu nhận là 541.277; con số tài khoản đã kích hoạt tăng lên 486.600, tỷ lệ kích hoạt ở mức 89,9%.",
         [("eid_account_rate", 541277), ("eid_account_activated", 486600), ("eid_account_activated", 89.9)]),
        # An interest rate is no level of anything.
        ("Nhà mạng hỗ trợ 500 hộ nghèo mua điện thoại thông minh trả góp với lãi suất 0%.", []),
    ],
)
def test_figures_that_lean_on_other_words(text, expected):
    assert [(r.indicator, r.value) for r in extract_text(text)] == expected


def test_a_flattened_table_takes_its_subjects_from_its_header():
    text = (
        "Kết quả của các địa phương đến ngày 30/6/2025 như sau:\n"
        "TT | Đơn vị | Tỷ lệ hồ sơ TTHC nộp trực tuyến | Tỷ lệ người trưởng thành có điện thoại thông minh\n"
        "1 | Huyện Cái Bè | 64.3% | 84.2%\n"
        "2 | Huyện Chợ Gạo | 59.6% | 82.1%\n"
        "Tỉnh sẽ tiếp tục theo dõi."
    )
    got = [(r.indicator, r.value, r.period) for r in extract_text(text)]
    assert got == [
        ("online_application_rate", 64.3, "2025-06-30"),
        ("adult_smartphone_rate", 84.2, "2025-06-30"),
        ("online_application_rate", 59.6, "2025-06-30"),
        ("adult_smartphone_rate", 82.1, "2025-06-30"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A specific noun takes its subject from the sentence before, figures or not.
        ("Đó là các Tổ công nghệ số cộng đồng. Hiện toàn huyện có 212 tổ với 1.030 thành viên.",
         [("community_digital_teams", 212), ("community_digital_team_members", 1030)]),
        ("Toàn tỉnh có 1.214 trạm BTS. Từ năm 2021, các doanh nghiệp đã xây mới 398 trạm.",
         [("mobile_base_stations", 1214), ("mobile_base_stations", 398)]),
        # A generic noun does not: these people are not smartphone owners.
        ("Toàn tỉnh có 85% người trưởng thành có điện thoại thông minh. Tỉnh mở 120 lớp cho 5.000 người.",
         [("adult_smartphone_rate", 85)]),
        # A threshold and a ratio are no levels.
        ("Chỉ có 3/11 đơn vị có tỷ lệ hồ sơ nộp trực tuyến trên 70%.", []),
        ("Cứ 10 người trưởng thành thì có gần 9 người dùng điện thoại thông minh.", []),
    ],
)
def test_subjects_from_the_sentence_before_and_non_levels(text, expected):
    assert [(r.indicator, r.value) for r in extract_text(text)] == expected


def test_a_year_in_brackets_after_a_figure_dates_it():
    text = "Tỷ lệ hộ gia đình có Internet cáp quang tăng từ 68% (năm 2023) lên 77,5% (năm 2024)."
    assert [(r.value, r.period) for r in extract_text(text)] == [(68, "2023"), (77.5, "2024")]


def test_a_tab_table_with_years_as_columns():
    text = (
        "Các chỉ số chính như sau:\n"
        "Chỉ số\tNăm 2023\tNăm 2024\n"
        "Số trạm phát sóng di động\t1.486\t1.652\n"
        "Tốc độ tải xuống trung bình 4G\t46,8 Mbps\t58,3 Mbps\n"
    )
    got = [(r.indicator, r.value, r.period) for r in extract_text(text)]
    assert got == [
        ("mobile_base_stations", 1486, "2023"),
        ("mobile_base_stations", 1652, "2024"),
        ("broadband_speed", 46.8, "2023"),
        ("broadband_speed", 58.3, "2024"),
    ]


def test_lines_under_a_frame_take_its_subject():
    text = (
        "Tỷ lệ tài khoản định danh điện tử đã kích hoạt, theo từng đơn vị:\n"
        "– Huyện Kim Sơn: 88,3%\n"
        "– Huyện Gia Viễn: 85,0%\n"
    )
    got = [(r.indicator, r.value, r.geo.name) for r in extract_text(text)]
    assert got == [("eid_account_activated", 88.3, "Kim Sơn"), ("eid_account_activated", 85.0, "Gia Viễn")]


def test_each_bracketed_share_takes_the_subject_before_its_bracket():
    text = (
        "Quý III, tỷ lệ hộ dùng cáp quang (87,5%), tỷ lệ khu phố được phủ sóng 4G (100%) "
        "đều vượt mục tiêu."
    )
    got = [(r.indicator, r.value) for r in extract_text(text)]
    assert got == [
        ("household_fiber_broadband_rate", 87.5),
        ("village_mobile_broadband_coverage_rate", 100),
    ]


def test_the_start_of_a_rise_is_achieved_even_in_a_target_frame():
    text = "Huyện phấn đấu nâng tỷ lệ hộ có Internet cáp quang từ mức 58% của năm 2024 lên 80% vào năm 2026."
    got = [(r.value, r.status, r.period) for r in extract_text(text)]
    assert got == [(58, "achieved", "2024"), (80, "target", "2026")]


def test_label_lines_under_a_frame_without_markers():
    text = (
        "Tỷ lệ người dân có tài khoản định danh điện tử, theo từng địa phương:\n"
        "Huyện Bố Trạch: 66,9%\n"
        "Huyện Minh Hóa: 52,8%\n"
        "\n"
        "Tỷ lệ dân số trưởng thành có chữ ký số cá nhân, cùng kỳ:\n"
        "Bố Trạch: 18,6%; Minh Hóa: 9,7%.\n"
    )
    got = [(r.indicator, r.value) for r in extract_text(text)]
    assert got == [
        ("eid_account_rate", 66.9),
        ("eid_account_rate", 52.8),
        ("adult_digital_signature_rate", 18.6),
        ("adult_digital_signature_rate", 9.7),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # Welfare paid through an e-wallet is welfare paid without cash.
        ("Trợ cấp cho người có công được chi qua Viettel Money cho 3.845 người, với tổng số tiền hơn 5,2 tỷ đồng.",
         [("social_welfare_cashless", 3845), ("social_welfare_cashless", 5200000000)]),
        # The rest of the sentence says what a counted thing is …
        ("Viettel đã đưa vào vận hành 27 trạm mới, nâng số trạm BTS trên địa bàn lên 96 trạm.",
         [("mobile_base_stations", 27), ("mobile_base_stations", 96)]),
        # … but not what follows "trong đó": the total is not all online.
        ("Cổng dịch vụ công đã tiếp nhận 412.600 hồ sơ, trong đó 319.300 hồ sơ nộp trực tuyến.",
         [("online_application_rate", 319300)]),
    ],
)
def test_counts_completed_by_their_sentence(text, expected):
    assert [(r.indicator, r.value) for r in extract_text(text)] == expected


def test_a_bracket_that_only_dates_dates_what_follows():
    text = "Trong giai đoạn 2 (năm 2025), doanh nghiệp đặt mục tiêu phủ sóng 5G tại 100% khu vực dân cư."
    assert [(r.indicator, r.status, r.period) for r in extract_text(text)] == [
        ("population_5g_coverage_rate", "target", "2025")
    ]


def test_a_reference_opening_a_paragraph_reaches_the_paragraph_before():
    text = (
        "Toàn huyện có 52.400 người dân từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng.\n"
        "Con số này chiếm tỷ trọng 78,3% dân số từ 15 tuổi trở lên.\n"
    )
    assert [(r.indicator, r.value) for r in extract_text(text)] == [
        ("account_ownership_rate", 52400),
        ("account_ownership_rate", 78.3),
    ]


def test_a_summary_box_is_dated_by_its_caption():
    text = (
        "Một số kết quả nổi bật năm 2024:\n"
        "- Tỷ lệ dân số có hồ sơ sức khỏe điện tử: 89,6%\n"
        "- 100% trạm y tế thanh toán không dùng tiền mặt\n"
    )
    assert [(r.indicator, r.value, r.period) for r in extract_text(text)] == [
        ("ehr_population_rate", 89.6, "2024"),
        ("health_facility_cashless_rate", 100, "2024"),
    ]


def test_the_subject_strategies_keep_their_order_and_only_a_share_overrides():
    from xhs_extract import rules

    names = [strategy.__name__ for strategy, _ in rules._STRATEGIES]
    assert names == [
        "_by_frame", "_by_ranked_place", "_by_quota", "_by_own_words", "_by_column", "_shared_with", "_by_bracket",
        "_by_bracket_clause", "_by_colon_frame", "_by_list_head", "_by_list_frame", "_continued",
        "_by_earlier_figure", "_by_sentence_rest", "_by_topic", "_by_previous_paragraph",
        "_by_paragraph_before",
    ]
    overriding = [s.__name__ for s, overrides in rules._STRATEGIES if overrides]
    assert overriding == ["_shared_with"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a ranking after the total, in the next sentence and across semicolons
            "Toàn tỉnh có 41.200 người dân có hồ sơ sức khỏe điện tử, đạt 88,4% dân số. "
            "Thành phố Cao Lãnh đạt 93,1%; huyện Lấp Vò 90,2%; huyện Tháp Mười thấp nhất "
            "với 79,5%.",
            {93.1: "Cao Lãnh", 90.2: "Lấp Vò", 79.5: "Tháp Mười"},
        ),
        (  # other provinces compared in brackets
            "Tỷ lệ tài khoản định danh điện tử được kích hoạt của tỉnh đạt 82,3%, xếp sau "
            "Bình Dương (85,7%) và Đồng Nai (84,1%).",
            {85.7: "Bình Dương", 84.1: "Đồng Nai"},
        ),
        (  # a time opener before the place
            "Tỷ lệ hộ gia đình có Internet cáp quang của tỉnh đạt 77,6%. Cùng thời điểm, "
            "huyện Ba Bể chỉ đạt 61,2%, huyện Chợ Đồn đạt 65,4%.",
            {61.2: "Ba Bể", 65.4: "Chợ Đồn"},
        ),
    ],
)
def test_a_share_only_a_place_stands_before_measures_the_share_before(text, expected):
    found = {r.value: r for r in extract_text(text)}
    head = {r.indicator for r in extract_text(text) if r.value not in expected}
    for value, place in expected.items():
        assert value in found, value
        assert found[value].indicator in head
        assert found[value].geo is not None and found[value].geo.name == place


def test_a_place_name_is_no_population():
    # "Xuân Trường" is a district, not schools ("trường")
    text = (
        "Toàn tỉnh có 58.420 người hưởng trợ cấp xã hội nhận tiền qua tài khoản, đạt 71,3%. "
        "Thấp nhất là huyện Xuân Trường với 59,7%."
    )
    found = {(r.value, r.indicator) for r in extract_text(text)}
    assert (59.7, "social_welfare_cashless") in found
    assert not any(i.startswith("school") for _, i in found)


def test_a_share_linked_to_the_count_before_wins_over_its_own_words():
    text = "Toàn tỉnh có 68.000 công dân kích hoạt tài khoản định danh điện tử, đạt tỷ lệ 83,36%."
    found = {(r.value, r.extractor.rsplit("/", 1)[1]) for r in extract_text(text)}
    assert (83.36, "shared") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a list of provinces after "lần lượt là", and a comparison after two openers
            "Theo báo cáo, tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến bình quân "
            "cả nước đạt 51,6%; năm địa phương dẫn đầu lần lượt là Bình Dương (88,4%), Lạng Sơn "
            "(79,6%). Trong khu vực, cùng tháng, Quảng Nam đứng sau Đà Nẵng (71,5%) nhưng cao "
            "hơn Quảng Ngãi (55,3%).",
            {88.4: "Bình Dương", 79.6: "Lạng Sơn", 71.5: "Đà Nẵng", 55.3: "Quảng Ngãi"},
        ),
        (  # a ranking opening the paragraph after its total
            "Toàn tỉnh có 1.096.350 tài khoản định danh điện tử đã được kích hoạt, đạt 92,5%.\n\n"
            "Thành phố Sa Đéc và thành phố Cao Lãnh tiếp tục dẫn đầu với tỷ lệ kích hoạt lần "
            "lượt là 97,1% và 96,4%; thấp nhất là huyện Tam Nông với 86,8%.",
            {86.8: "Tam Nông"},
        ),
        (  # the topic named earlier in the sentence, with no figure of its own
            "So với các tỉnh lân cận, Bắc Ninh đứng đầu về hộ dùng cáp quang; Bắc Giang đạt "
            "84,5%, Hải Dương 82,9%.",
            {84.5: "Bắc Giang", 82.9: "Hải Dương"},
        ),
    ],
)
def test_rankings_and_comparisons_by_place(text, expected):
    found = {r.value: r for r in extract_text(text)}
    indicators = {r.indicator for r in found.values()}
    assert len(indicators) == 1, indicators
    for value, place in expected.items():
        assert value in found, value
        assert found[value].geo is not None and found[value].geo.name == place, value


def test_documents_put_on_vneid_are_no_accounts():
    text = (
        "Sau khi kích hoạt tài khoản định danh điện tử mức độ 2, người dân đã dùng VNeID thay "
        "nhiều loại giấy tờ: 54.300 người tích hợp thẻ bảo hiểm y tế, 21.600 người tích hợp "
        "giấy phép lái xe."
    )
    assert not [r for r in extract_text(text) if r.value in (54300, 21600)]

"""Status and period of a figure, from the words before it (written for the project)."""

import pytest

from xhs_extract.context import period_of, status_of


@pytest.mark.parametrize(
    "before, expected",
    [
        ("Tỷ lệ hộ gia đình có Internet cáp quang đạt ", "achieved"),
        ("Phấn đấu đến năm 2025, tỷ lệ dân số trưởng thành có điện thoại thông minh đạt ", "target"),
        ("Các chỉ tiêu được Bộ giao cho tỉnh thực hiện năm 2024 là: tỷ lệ người dân có hồ sơ sức khỏe điện tử trên ", "target"),
        ("Mục tiêu của huyện là ", "target"),
        ("Kế hoạch đặt ra đến năm 2026 có ", "target"),
        ("Theo kế hoạch, năm nay dự kiến ", "target"),
        ("Thực hiện kế hoạch số 12/KH-UBND, đến nay toàn tỉnh đã có ", "achieved"),
        ("Mục tiêu đề ra từ đầu năm, hiện nay tỷ lệ đã đạt ", "achieved"),
        ("Đến năm 2025, toàn tỉnh phải đạt ", "target"),
        ("Tính đến năm 2023, toàn tỉnh có ", "achieved"),
        # "sẽ" with a verb of building or raising announces a plan; "sẽ" alone does not.
        ("Từ nay đến Tết, các doanh nghiệp sẽ được lắp mới thêm khoảng ", "target"),
        ("Trong năm nay, nhà mạng sẽ tiếp tục lắp đặt ", "target"),
        ("Theo ông Minh, người dân sẽ thấy rõ lợi ích khi ", "achieved"),
        ("Huyện sẽ nâng cấp hạ tầng, hiện đã có ", "achieved"),
    ],
)
def test_status(before, expected):
    assert status_of(before) == expected


@pytest.mark.parametrize(
    "before, status, expected",
    [
        ("cuối năm 2021 là ", "achieved", "2021-12"),
        ("Tính đến ngày 04/9/2023, toàn tỉnh có ", "achieved", "2023-09-04"),
        ("tính đến 30/6/2024, tỷ lệ đạt ", "achieved", "2024-06-30"),
        ("Năm học 2023-2024, có ", "achieved", "2023/2024"),
        ("Năm học 2022 – 2023 toàn huyện có ", "achieved", "2022/2023"),
        ("6 tháng đầu năm 2024, tỷ lệ hồ sơ trực tuyến đạt ", "achieved", "2024-H1"),
        ("Trong quý III/2023, tỉnh có ", "achieved", "2023-Q3"),
        ("Quý 2 năm 2024 có ", "achieved", "2024-Q2"),
        ("Đến hết tháng 6/2024, toàn tỉnh có ", "achieved", "2024-06"),
        ("các chỉ tiêu thực hiện năm 2023 là: tỷ lệ trên ", "target", "2023"),
        ("phấn đấu đến năm 2025 đạt ", "target", "2025"),
        ("Năm 2023, tỷ lệ dân số có hồ sơ sức khỏe điện tử đạt ", "achieved", "2023"),
        # A year inside a name does not date the figure.
        ("Triển khai Luật Căn cước năm 2023, Thành phố đã thu nhận ", "achieved", None),
        ("từ tháng 7 đến nay, triển khai Luật Căn cước năm 2023, đã thu nhận ", "achieved", None),
        # "Up to now" after a date: the article's date applies.
        ("Từ đầu năm 2024 đến nay, toàn tỉnh có ", "achieved", None),
        ("Hiện nay, tỷ lệ đạt ", "achieved", None),
        ("Đến nay, ", "achieved", None),
        # A bare year in an achieved sentence's middle is not tied to the figure.
        ("Sau khi triển khai Đề án 06 từ năm 2022, toàn tỉnh có ", "achieved", None),
    ],
)
def test_period(before, status, expected):
    assert period_of(before, status) == expected


def test_invalid_month_is_no_period():
    assert period_of("tính đến hết tháng 13/2024 có ", "achieved") is None


@pytest.mark.parametrize(
    "before, status, expected",
    [
        ("10 tháng năm 2024, Cổng dịch vụ công đã tiếp nhận ", "achieved", "2024-10"),
        ("(năm 2023: ", "achieved", "2023"),
        ("năm 2023 tỷ lệ này mới đạt 9,8%, sang năm 2024 con số này là ", "achieved", "2024"),
        ("đến cuối năm 2025 có ít nhất ", "target", "2025-12"),
        ("đến hết năm 2025 đạt ", "target", "2025"),
        ("Từ ngày 01/7/2024, thành phố đã cấp căn cước cho ", "achieved", None),
    ],
)
def test_more_period_forms(before, status, expected):
    assert period_of(before, status) == expected


def test_a_results_frame_is_not_a_target_frame():
    assert status_of("Kết quả năm 2024 là nền tảng để tỉnh đặt mức phấn đấu cao hơn: tỷ lệ hộ đạt ") == "achieved"
    assert status_of("Theo kế hoạch, tỉnh phấn đấu đạt các chỉ tiêu: tỷ lệ hộ đạt ") == "target"


def test_a_list_item_keeps_the_status_of_the_item_before():
    assert status_of("tỷ lệ B đạt ", previous="target") == "target"
    assert status_of("đến nay tỷ lệ B đạt ", previous="target") == "achieved"


def test_achievement_against_a_plan_makes_no_target():
    assert status_of("Năm 2023, tỉnh đạt 164% kế hoạch năm, nâng tỷ lệ người dân có kỹ năng số lên ") == "achieved"


def test_end_of_quarter_is_its_last_month():
    assert period_of("tối đa còn 10.000 thuê bao vào cuối quý II/2025 ", "target") == "2025-06"
    assert period_of("đến hết quý I/2025, ", "achieved") == "2025-Q1"


@pytest.mark.parametrize(
    "before, status, expected",
    [
        # An event's date is not the figure's period; a date opening the clause is.
        ("Theo thỏa thuận ký ngày 15/01/2024, hai bên thống nhất phủ sóng 4G tới ", "target", None),
        ("Ngày 31/10/2024, toàn tỉnh có ", "achieved", "2024-10-31"),
        # "đến hết năm" is the year; "cuối năm" its last month.
        ("đến hết năm 2024 con số này tăng lên ", "achieved", "2024"),
        ("Cuối năm 2023, thành phố có ", "achieved", "2023-12"),
        # A year in quotes opening a sentence.
        ('"Năm 2024, chúng tôi hướng dẫn hơn ', "achieved", "2024"),
    ],
)
def test_event_dates_and_year_ends(before, status, expected):
    assert period_of(before, status) == expected


def test_a_school_year_ending_the_figures_clause_dates_it():
    from xhs_extract.context import period_after

    after = " trường mầm non, tiểu học và trung học cơ sở trong năm học 2024 – 2025."
    assert period_after(after, "achieved") == "2024/2025"
    # not across another figure or the end of the clause
    assert period_after(" trường, 80% trường khác trong năm học 2024-2025", "achieved") is None
    assert period_after(" trường mầm non; năm học 2024-2025 có thêm", "achieved") is None

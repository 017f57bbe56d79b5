"""Context from the whole article: frames that reach their items, dates without a year,
a figure's place by its scope. Invented sentences in the style of provincial bulletins."""

from __future__ import annotations

from xhs_extract.context import opening_frame, period_of
from xhs_extract.documents import ArticleMeta
from xhs_extract.pipeline import process_text


def _records(text: str, published: str | None = "2025-06-10"):
    meta = ArticleMeta("x", published=published) if published else None
    return {r.value: r for r in process_text(text, "x", meta=meta).records}


def test_a_date_without_a_year_takes_the_publication_year_never_its_future():
    assert period_of("Đến ngày 8/6, các nhà mạng đã phát sóng ", "achieved", "2025-06-10") == (
        "2025-06-08"
    )
    # A date after the publication date belongs to the year before …
    assert period_of("Tính đến ngày 22-12, có ", "achieved", "2025-06-10") == "2024-12-22"
    # … unless it is a target's.
    assert period_of("Đến ngày 30/6, tỉnh phấn đấu có ", "target", "2025-06-10") == "2025-06-30"
    assert period_of("Đến tháng 5, tỷ lệ đạt ", "achieved", "2025-06-10") == "2025-05"
    assert period_of("Đến ngày 8/6, các nhà mạng đã phát sóng ", "achieved", None) is None


def test_a_window_is_dated_by_its_end_and_a_start_dates_nothing():
    assert period_of("Trong đợt từ ngày 1.7 - 10.9, các tổ đã hỗ trợ ", "achieved",
                     "2025-09-20") == "2025-09-10"
    assert period_of("Từ tháng 7/2024, tỉnh đã thu nhận được ", "achieved") is None


def test_an_inferred_year_is_noted():
    records = _records("Đến ngày 8/6, toàn tỉnh có 1.236 trạm BTS 5G.")
    record = records[1236]
    assert record.period == "2025-06-08"
    assert any(note.startswith("year-inferred") for note in record.notes)


def test_a_target_frame_reaches_the_sentences_after_it():
    frame = opening_frame("Giai đoạn 2026–2030, tỉnh phấn đấu: 100% thôn có sóng 5G.",
                          None, True)
    assert frame is not None and frame.target and frame.period is not None
    assert frame.period.value == "2030"
    text = (
        "Năm 2025, tỉnh đặt mục tiêu cơ bản hoàn thiện hạ tầng số với 99% thôn có sóng di "
        "động băng rộng. Tốc độ truy cập Internet băng rộng cố định đạt tối thiểu 150 Mbps."
    )
    record = _records(text)[150]
    assert (record.status, record.period) == ("target", "2025")


def test_a_figure_of_its_own_time_ends_the_target_frame():
    text = (
        "Đến năm 2030, tỉnh phấn đấu 100% thôn có sóng 5G. Hiện tỷ lệ người dân có "
        "điện thoại thông minh mới khoảng 72%."
    )
    record = _records(text)[72]
    assert (record.status, record.period) == ("achieved", None)


def test_a_sentence_that_dates_the_data_dates_the_figures_after_it():
    text = (
        "Số liệu do Công an tỉnh tổng hợp đến hết ngày 31/5/2025. Toàn tỉnh đã cấp "
        "1.147.800 thẻ căn cước."
    )
    assert _records(text)[1147800].period == "2025-05-31"


def test_an_office_name_is_no_plan():
    text = (
        "Theo Phòng Kế hoạch – Tài chính huyện, năm 2024 toàn huyện có 158 trạm BTS."
    )
    record = _records(text)[158]
    assert (record.status, record.period) == ("achieved", "2024")


def test_works_under_way_are_a_plan():
    text = "Các doanh nghiệp viễn thông đang triển khai lắp đặt khoảng 600 trạm BTS 5G."
    assert _records(text)[600].status == "target"


def test_a_figure_about_a_list_of_provinces_takes_none_of_them_but_the_nation():
    text = (
        "Tỉnh Quảng Bình đẩy mạnh hạ tầng số. Ba tỉnh Quảng Bình, Quảng Trị và Thừa Thiên "
        "Huế hiện có tổng cộng khoảng 17.900 trạm BTS. Riêng tỉnh Quảng Bình có 3.100 "
        "trạm BTS."
    )
    records = _records(text)
    assert records[17900].geo is not None and records[17900].geo.province is None
    assert records[3100].geo is not None and records[3100].geo.province == "Quảng Bình"


def test_a_national_total_is_the_nations():
    text = (
        "Tại Quảng Bình, nhà mạng đã phát sóng 5G. VNPT hiện có hơn 8.200 trạm 5G trên "
        "toàn quốc. Tỉnh Quảng Bình có 3.100 trạm BTS."
    )
    records = _records(text)
    assert records[8200].geo is not None and records[8200].geo.level == "nation"


def test_a_target_frame_holds_when_its_own_figures_are_not_read():
    text = (
        "Đến hết năm 2025, tỉnh đặt mục tiêu 100% khu công nghiệp có dịch vụ 5G. Cùng với "
        "đó, tỉnh phấn đấu mỗi người dân có 1 định danh số; tỷ lệ dân số trưởng thành có "
        "chữ ký số đạt trên 50%."
    )
    record = _records(text)[50]
    assert (record.status, record.period) == ("target", "2025")


def test_a_quarter_without_a_year_takes_the_publication_year():
    assert period_of("Trong quý III, các doanh nghiệp đã phát sóng mới ", "achieved",
                     "2024-10-15") == "2024-Q3"
    assert period_of("Đến cuối quý III, ", "achieved", "2024-10-15") == "2024-09"
    # a quarter not yet begun at publication is last year's for an achieved figure …
    assert period_of("Trong quý IV, toàn tỉnh có ", "achieved", "2024-08-01") == "2023-Q4"
    # … and this year's for a target
    assert period_of("Trong quý IV, Sở đặt mục tiêu phát sóng thêm ", "target",
                     "2024-08-01") == "2024-Q4"


def test_a_figure_dated_after_the_publication_is_a_target():
    records = _records("Đến ngày 31/12/2025 các doanh nghiệp phát sóng thêm 250 trạm 5G.",
                       published="2025-07-14")
    assert records[250].status == "target"
    assert records[250].period == "2025-12-31"
    done = _records("Đến ngày 30/6/2025 các doanh nghiệp đã phát sóng 250 trạm 5G.",
                    published="2025-07-14")
    assert done[250].status == "achieved"


def test_a_requirement_with_a_date_is_a_target():
    records = _records("Ban Chỉ đạo yêu cầu đến ngày 30/6, 100% xã, phường có Tổ công nghệ số "
                       "cộng đồng hoạt động hiệu quả.", published="2026-04-20")
    assert records[100].status == "target"
    assert records[100].period == "2026-06-30"


def test_paragraphs_opening_a_field_are_items_of_the_target_list_above():
    text = (
        "Đến năm 2030, tỉnh phấn đấu:\n"
        "1. Tỷ lệ hộ gia đình sử dụng cáp quang đạt trên 95%.\n"
        "Về công dân số, 100% người trưởng thành có điện thoại thông minh.\n"
    )
    records = _records(text, published="2026-01-10")
    assert (records[95].status, records[95].period) == ("target", "2030")
    assert (records[100].status, records[100].period) == ("target", "2030")


def test_after_the_merger_a_place_is_named_by_its_merged_province():
    text = (
        "Ninh Bình: bản tin công dân số\n"
        "Ngày đăng: 20-04-2026\n"
        "Tỷ lệ hộ gia đình có Internet cáp quang của tỉnh Ninh Bình đạt 92%. Trên địa bàn tỉnh "
        "Nam Định cũ, tỷ lệ hộ gia đình có Internet cáp quang là 94,3%. Riêng phường Hoa Lư, tỷ "
        "lệ hộ gia đình có Internet cáp quang đạt 99%.\n"
    )
    records = _records(text, published=None)
    assert records[94.3].geo.province == "Ninh Bình"
    assert records[99].geo.model_dump() == {
        "name": "Hoa Lư", "level": "commune", "province": "Ninh Bình", "province_2025": "Ninh Bình"
    }


def test_hue_is_named_hue_from_2025():
    text = (
        "Tin\nNgày đăng: 18-06-2025\n"
        "Tỷ lệ hộ gia đình có Internet cáp quang của tỉnh Thừa Thiên Huế đạt 88%.\n"
    )
    assert _records(text, published=None)[88].geo.province == "Huế"
    older = text.replace("18-06-2025", "18-06-2024")
    assert _records(older, published=None)[88].geo.province == "Thừa Thiên Huế"


def test_a_regional_total_is_the_nations():
    records = _records("Tính chung 11 tỉnh, thành phố vùng đồng bằng sông Hồng, tỷ lệ hộ gia "
                       "đình có Internet cáp quang là 86%.")
    assert records[86].geo.level == "nation"
    ranked = _records("Tỉnh Thái Bình đang dẫn đầu vùng đồng bằng sông Hồng về tỷ lệ người dân "
                      "có hồ sơ sức khỏe điện tử, đạt 86,4%.")
    assert ranked[86.4].geo.province == "Thái Bình"


def test_an_update_stamp_with_the_day_word_dates_the_article():
    from xhs_extract.documents import Article

    assert Article("Tin\nCập nhật lúc 15:30 ngày 02/03/2026\n\nNội dung.").published == "2026-03-02"


def test_a_table_aligned_with_spaces_under_its_caption():
    text = (
        "Bảng 1. Tỷ lệ người sử dụng Internet phân theo thành thị, nông thôn\n"
        "Đơn vị tính: %\n"
        "                 Tổng số     Thành thị     Nông thôn\n"
        "2023             75,9%       83,1%         68,3%\n"
        "Sơ bộ 2024       79,6%       85,7%         72,9%\n"
    )
    records = process_text(text, "x").records
    found = [(r.indicator, r.value, r.period) for r in records]
    assert found == [
        ("internet_user_rate", 75.9, "2023"), ("internet_user_rate", 83.1, "2023"),
        ("internet_user_rate", 68.3, "2023"), ("internet_user_rate", 79.6, "2024"),
        ("internet_user_rate", 85.7, "2024"), ("internet_user_rate", 72.9, "2024"),
    ]
    for r in records:
        assert text[r.value_span[0] : r.value_span[1]].rstrip("%").replace(",", ".") == str(r.value)


def test_a_table_header_naming_indicators_opens_no_target():
    text = (
        "Một số chỉ tiêu hạ tầng chính được thống kê như sau:\n"
        "Chỉ tiêu                                   Năm 2024     Năm 2025\n"
        "Số vị trí trạm BTS (vị trí)                1.012        1.168\n"
    )
    records = process_text(text, "x", meta=ArticleMeta("x", published="2026-03-02")).records
    assert [(r.value, r.status, r.period) for r in records] == [
        (1012, "achieved", "2024"), (1168, "achieved", "2025")
    ]


def test_prose_with_double_spaces_is_no_table():
    from xhs_extract.layout import table_line

    assert table_line("Tỷ lệ hộ  có cáp quang đạt 80%.", None) == (None, None)


def test_dates_without_a_year_more_forms():
    # the end of the year: this year's for a target, last year's for an achieved figure
    assert period_of("Đến cuối năm, tỉnh phấn đấu ", "target", "2026-03-10") == "2026-12"
    assert period_of("Đến cuối năm, toàn tỉnh đã có ", "achieved", "2026-01-10") == "2025-12"
    assert period_of("Tốc độ tải xuống trung bình trong tháng 9 đạt ", "achieved",
                     "2025-10-20") == "2025-09"
    assert period_of("hoàn thành phủ sóng ở ", "achieved") is None
    assert period_of("hoàn thành trước ngày 31/12/2025 ", "target") == "2025-12-31"


def test_raising_to_a_level_for_a_purpose_is_a_plan():
    plan = _records("Nhà mạng nâng số trạm BTS lên 2.000 trạm nhằm bảo đảm chất lượng dịch vụ.")
    assert plan[2000].status == "target"
    done = _records("Năm 2024, nhà mạng đã nâng số trạm BTS lên 2.000 trạm để bảo đảm chất lượng.")
    assert done[2000].status == "achieved"


def test_a_time_later_in_the_clause_dates_the_figure():
    records = _records("Tỷ lệ người trưởng thành có tài khoản thanh toán ước đạt 83%, vượt "
                       "mục tiêu 80% mà tỉnh đề ra cho năm 2025.", published="2025-11-02")
    assert records[80].period == "2025"
    plan = _records("Tỉnh sẽ phối hợp với doanh nghiệp xây mới khoảng 2.500 trạm 5G đến năm 2030.")
    assert (plan[2500].status, plan[2500].period) == ("target", "2030")


def test_a_count_in_brackets_after_its_share_is_dated_like_it():
    records = _records("Tính đến cuối tháng 2, 100% cơ sở khám, chữa bệnh công lập trên địa bàn (187 "
                       "cơ sở) đã liên thông đơn thuốc điện tử.", published="2026-03-10")
    assert records[100].period == records[187].period == "2026-02"
    baseline = _records("Tỷ lệ hộ gia đình có Internet cáp quang đạt 86% (cuối năm 2021 là 71%).")
    assert baseline[71].period == "2021-12"


def test_a_baseline_in_brackets_inside_a_target_is_achieved():
    records = _records("Đến năm 2025, tỉnh phấn đấu tỷ lệ hộ gia đình có Internet cáp quang đạt từ "
                       "86% trở lên (năm 2024 là 81,4%).", published="2025-03-01")
    assert records[86].status == "target"
    assert (records[81.4].status, records[81.4].period) == ("achieved", "2024")


def test_a_list_without_a_year_takes_the_year_the_paragraph_before_gives():
    text = (
        "UBND huyện xác định đến hết năm 2025 phải hoàn thành các chỉ tiêu tỉnh giao.\n"
        "Một số chỉ tiêu chính như sau:\n"
        "- Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng đạt 80% trở lên;\n"
    )
    records = _records(text, published="2025-07-10")
    assert (records[80].status, records[80].period) == ("target", "2025")


def test_same_time_is_the_time_of_the_sentence_before():
    text = ("Tính đến ngày 15/5, toàn tỉnh có 512.300 tài khoản định danh điện tử được kích hoạt. "
            "Cùng thời điểm, toàn tỉnh đã cấp 601.240 thẻ căn cước gắn chip.")
    records = _records(text, published="2025-05-20")
    assert records[601240].period == "2025-05-15"


def test_a_deadline_after_the_figure_completed_from_the_publication():
    records = _records("Sở phấn đấu hoàn thành kéo cáp quang đến 100% thôn còn lại trước ngày 30/9.",
                       published="2025-07-10")
    assert (records[100].status, records[100].period) == ("target", "2025-09-30")


def test_more_times_without_a_year():
    assert period_of("Đến cuối tháng trước, ", "achieved", "2025-05-20") == "2025-04"
    assert period_of("Cuối tháng trước, ", "achieved", "2026-01-08") == "2025-12"
    assert period_of("phấn đấu hoàn thành các chỉ tiêu đến hết năm. ", "target",
                     "2025-04-25") == "2025"


def test_a_current_level_in_brackets_is_achieved_and_undated():
    records = _records("Đến năm 2025, phấn đấu nâng số thành viên Tổ công nghệ số cộng đồng lên "
                       "khoảng 9.500 người (hiện có 8.420 người).")
    assert (records[9500].status, records[9500].period) == ("target", "2025")
    assert (records[8420].status, records[8420].period) == ("achieved", None)


def test_a_regional_average_after_the_figure_is_the_nations():
    records = _records("Tỷ lệ hộ gia đình có Internet cáp quang của tỉnh Lai Châu đạt 58,6%, "
                       "thấp hơn mức khoảng 71% của vùng trung du và miền núi phía Bắc.")
    assert records[58.6].geo.level == "province"
    assert records[71].geo.level == "nation"


def test_a_plans_year_dates_its_targets_and_a_laws_year_nothing():
    text = ("Kế hoạch chuyển đổi số năm 2025 đã được UBND tỉnh ban hành ngày 20/12. Một số chỉ "
            "tiêu chính như sau: tỷ lệ hộ gia đình có cáp quang đạt 90%; tỷ lệ dân số trưởng "
            "thành có chữ ký số đạt 50% (hiện mới đạt 23,8%); tỷ lệ người dân có hồ sơ sức khỏe "
            "điện tử đạt 95%.")
    records = _records(text, published="2024-12-28")
    assert (records[90].status, records[90].period) == ("target", "2025")
    assert (records[23.8].status, records[23.8].period) == ("achieved", None)
    assert (records[95].status, records[95].period) == ("target", "2025")
    law = _records("Theo Luật Căn cước năm 2023, tỉnh đã cấp 44.000 thẻ căn cước gắn chip.")
    assert law[44000].period is None


def test_the_second_half_of_a_year():
    assert period_of("Trong 6 tháng cuối năm 2025, VNPT đặt mục tiêu ", "target") == "2025-H2"


def test_requests_and_raises_with_a_deadline_are_targets():
    text = ("Đoàn công tác đề nghị tỉnh tập trung thực hiện các nhiệm vụ: nâng số trạm 5G trên địa "
            "bàn lên ít nhất 250 trạm trong quý III.")
    records = _records(text, published="2025-05-12")
    assert (records[250].status, records[250].period) == ("target", "2025-Q3")


def test_a_month_just_past_and_the_start_of_a_month():
    assert period_of("Tại kỳ tuyển sinh đầu cấp tháng 7 vừa qua, ", "achieved",
                     "2024-09-05") == "2024-07"
    assert period_of("tính đến đầu tháng 5, cả nước có ", "achieved", "2025-05-20") == "2025-05"


def test_a_targets_date_without_a_year_lies_ahead_of_the_publication():
    assert period_of("phấn đấu kéo cáp quang đến các thôn còn lại trước ngày 30/6 ", "target",
                     "2024-10-15") == "2025-06-30"
    assert period_of("Trong quý III, hỗ trợ mở tài khoản cho ", "target", "2024-08-20") == (
        "2024-Q3"
    )
    assert period_of("Trong quý III, đã hỗ trợ mở tài khoản cho ", "achieved",
                     "2024-08-20") == "2024-Q3"


def test_halves_quarters_and_middles_without_a_year():
    assert period_of("lắp đặt thêm khoảng 120 trạm 5G trong 6 tháng đầu năm ", "target",
                     "2025-01-15") == "2025-H1"
    assert period_of("đến hết quý II như sau: ", "target", "2026-04-02") == "2026-Q2"
    assert period_of("đến cuối quý III, ", "achieved", "2024-10-15") == "2024-09"
    assert period_of("đến giữa tháng 6, mạng lưới đã có ", "achieved", "2025-06-28") == "2025-06"


def test_a_part_opened_by_rieng_is_not_dated_by_the_sentence_before():
    text = ("Tính đến ngày 31/3, toàn tỉnh có 78% người hưởng trợ cấp nhận tiền qua tài khoản. "
            "Riêng xã Long Đức, tỷ lệ người hưởng trợ cấp nhận tiền qua tài khoản đạt 92%.")
    records = _records(text, published="2025-04-10")
    assert records[78].period == "2025-03-31"
    assert records[92].period is None


def test_halves_of_a_year_and_more_baselines():
    assert period_of("Trong 6 tháng cuối năm, huyện phấn đấu ", "target", "2024-07-20") == "2024-H2"
    assert period_of("Trong 6 tháng đầu năm, huyện đã có ", "achieved", "2024-07-20") == "2024-H1"
    records = _records("Phấn đấu tỷ lệ tài khoản định danh điện tử được kích hoạt đạt 85% trước ngày "
                       "30/9 (6 tháng đầu năm đạt 78,4%).", published="2024-07-20")
    assert (records[85].status, records[85].period) == ("target", "2024-09-30")
    assert records[78.4].status == "achieved"


def test_years_named_from_the_publication_date():
    assert period_of("Năm nay, huyện phấn đấu nâng tỷ lệ lên ", "target", "2025-03-21") == "2025"
    assert period_of("Cuối năm nay, phải bảo đảm ", "target", "2026-01-16") == "2026-12"
    assert period_of("trong quý IV năm nay kích hoạt thêm ", "target", "2024-10-11") == (
        "2024-Q4"
    )
    # a review in January looks back on the year before; in the autumn on the year ending
    assert period_of("năm qua đơn vị đã phát sóng mới ", "achieved", "2026-01-16") == "2025"
    assert period_of("Trong năm qua, toàn tỉnh có ", "achieved", "2025-11-20") == "2025"
    assert period_of("Năm ngoái, tỷ lệ này là ", "achieved", "2025-05-02") == "2024"
    # years, not a year
    assert period_of("Ba năm qua, các doanh nghiệp đã đầu tư thêm ", "achieved", "2024-09-19") is None
    assert period_of("Trong những năm qua, tỉnh đã có ", "achieved", "2024-09-19") is None


def test_a_notice_list_numbered_in_brackets_under_a_plan_is_targets():
    text = (
        "FPT Đắk Lắk tổng kết năm 2024\nThứ Sáu, 17/01/2025\n"
        "Phòng Kế hoạch – Kinh doanh đã hoàn tất phân bổ chỉ tiêu cho từng văn phòng. "
        "Kế hoạch năm 2025 được chi nhánh xác định như sau:\n"
        "(1) Phủ cáp quang đến 100% thôn, buôn trên địa bàn tỉnh trước ngày 30/6;\n"
        "(2) Tốc độ tải xuống trung bình tối thiểu 300 Mbps trong quý IV.\n"
    )
    found = _records(text, None)
    assert (found[100].status, found[100].period) == ("target", "2025-06-30")
    assert (found[300].status, found[300].period) == ("target", "2025-Q4")


def test_groups_under_a_target_list_keep_its_frame():
    text = (
        "Nghị quyết đề ra mục tiêu đến năm 2025, phấn đấu đạt các chỉ tiêu chủ yếu sau:\n\n"
        "Về hạ tầng số:\n- Tỷ lệ hộ gia đình có Internet cáp quang băng rộng: 80%;\n\n"
        "Về công dân số:\n"
        "- Tỷ lệ người dân có hồ sơ sức khỏe điện tử: 90% (năm 2023: 62,4%);\n"
        "- Tỷ lệ dân số trưởng thành sử dụng dịch vụ công trực tuyến: 55%.\n"
    )
    found = _records(text, "2024-04-08")
    for value in (80, 90, 55):
        assert (found[value].status, found[value].period) == ("target", "2025"), value
    assert (found[62.4].status, found[62.4].period) == ("achieved", "2023")


def test_a_dating_paragraph_dates_the_paragraphs_after_it_until_one_names_its_own_time():
    text = (
        "Số liệu tổng hợp từ Sở Y tế các tỉnh trong vùng, tính đến ngày 30/9, cho thấy điều đó.\n\n"
        "Tại Cà Mau, 88% người dân đã có hồ sơ sức khỏe điện tử.\n\n"
        "Bạc Liêu chậm hơn: tỷ lệ người dân có hồ sơ sức khỏe điện tử mới đạt 71,5%.\n\n"
        "Năm 2023, tỷ lệ người dân có hồ sơ sức khỏe điện tử của vùng là 55%.\n\n"
        "Tại Sóc Trăng, 64% người dân đã có hồ sơ sức khỏe điện tử.\n"
    )
    found = _records(text, "2024-10-14")
    assert found[88].period == found[71.5].period == "2024-09-30"
    assert found[55].period == "2023"
    assert found[64].period is None


def test_a_paragraph_opening_with_a_place_is_that_places():
    text = (
        "Tại Cà Mau, 9/22 bệnh viện công lập đã triển khai bệnh án điện tử; khoảng 75% "
        "người dân đã có hồ sơ sức khỏe điện tử.\n\n"
        "Bạc Liêu chậm hơn: mới có 2 bệnh viện triển khai bệnh án điện tử. Tỷ lệ người dân "
        "có hồ sơ sức khỏe điện tử của tỉnh đạt 61,3%.\n"
    )
    found = _records(text, "2024-10-14")
    assert found[75].geo.province == "Cà Mau"
    assert found[61.3].geo.province == "Bạc Liêu"


def test_a_comparisons_time_and_an_items_deadline_date_only_their_own_figure():
    assert period_of(
        "tỷ lệ hộ có cáp quang đạt 76,4%, cùng kỳ năm ngoái là 70,2%; tỷ lệ dân số được "
        "phủ sóng 5G đạt ", "achieved", "2025-04-10",
    ) is None
    assert period_of(
        "Năm 2026, tỉnh phấn đấu 100% xã có tổ công nghệ số trước ngày 30/9; tỷ lệ dân số "
        "có hồ sơ sức khỏe điện tử đạt ", "target", "2026-02-10",
    ) == "2026"
    assert period_of("tỉnh phấn đấu trước ngày 30/9 có ", "target", "2026-02-10") == "2026-09-30"


def test_more_times_of_their_own():
    # a year's end said in December is that year's (an estimate), not the last
    assert period_of("ước đến cuối năm đạt ", "achieved", "2024-12-05") == "2024-12"
    assert period_of("Đến cuối năm, tỷ lệ đạt ", "achieved", "2025-03-05") == "2024-12"
    assert period_of("Cũng trong năm 2025, ví điện tử có thêm ", "achieved", "2026-01-13") == "2025"


def test_a_bracket_at_the_same_time_is_dated_like_its_host_and_a_bracket_now_is_no_target():
    text = (
        "Tính đến ngày 31/3, tỷ lệ người hưởng chính sách nhận tiền qua tài khoản của tỉnh "
        "đạt 74,2% (tỉnh Đồng Nai cùng thời điểm là 81,5%). Tỉnh phấn đấu chuyển toàn bộ "
        "thuê bao 2G sang 4G trước ngày 30/6 (hiện còn khoảng 7.400 thuê bao 2G).\n"
    )
    found = _records(text, "2025-04-12")
    assert found[81.5].period == "2025-03-31"
    assert found[81.5].geo.province == "Đồng Nai"
    assert (found[7400].status, found[7400].period) == ("achieved", None)


def test_a_comparison_a_year_before_is_dated_a_year_before_its_host():
    text = (
        "Tính đến ngày 31/3, tỷ lệ hộ gia đình có Internet cáp quang băng rộng của tỉnh đạt "
        "76,4%, cùng kỳ năm ngoái là 70,2%; tỷ lệ dân số được phủ sóng 5G đạt 41,5%. Năm "
        "2025, tỷ lệ hộ gia đình có Internet cáp quang của thành phố đạt 89,2% (năm trước "
        "là 84,6%).\n"
    )
    found = _records(text, "2025-04-10")
    assert found[70.2].period == "2024-03-31"
    assert found[41.5].period == "2025-03-31"
    assert found[84.6].period == "2024"


def test_same_time_opening_a_paragraph_is_the_time_of_the_paragraph_before():
    text = (
        "Tính đến ngày 15/5, tỷ lệ kích hoạt tài khoản định danh điện tử của tỉnh đạt 85,7%.\n\n"
        "Cùng thời điểm, tỷ lệ kích hoạt tài khoản định danh điện tử của huyện Tân Hồng đạt "
        "81,2%.\n\n"
        "Trong khu vực, cùng tháng, tỷ lệ kích hoạt tài khoản định danh điện tử của tỉnh Long "
        "An đạt 83,1%.\n"
    )
    found = _records(text, "2025-05-21")
    assert found[81.2].period == "2025-05-15"


def test_same_time_skips_a_sentence_of_now_to_the_paragraph_s_last_time():
    text = (
        "Tính đến ngày 31/5, 100% thôn, bản của huyện Mường Tè đã có sóng di động. Huyện "
        "hiện có 96 trạm BTS. Cùng thời điểm, tỷ lệ hộ gia đình có Internet cáp quang băng "
        "rộng đạt 61,8%.\n"
    )
    found = _records(text, "2025-06-12")
    assert found[96].period is None
    assert found[61.8].period == "2025-05-31"


def test_a_paragraph_opening_with_a_breakdown_is_dated_like_the_paragraph_before():
    text = (
        "Đến hết ngày 15/10, toàn tỉnh có 72,4% người hưởng trợ cấp nhận tiền qua tài "
        "khoản.\n\n"
        "Trong đó, thị xã Ngã Năm đạt 80,6% và huyện Thạnh Trị đạt 66,3%.\n\n"
        "Huyện Mỹ Tú đạt 70,1%.\n"
    )
    found = _records(text, "2024-10-22")
    assert found[80.6].period == found[66.3].period == "2024-10-15"
    assert found[70.1].period is None  # no breakdown: its own time, which it does not say


def test_a_union_s_members_are_people():
    found = _records(
        "Tính đến ngày 30/9, 86,5% hội viên có tài khoản thanh toán tại ngân hàng.\n",
        "2025-10-23",
    )
    assert found[86.5].indicator == "account_ownership_rate"


def test_school_years_named_from_the_publication_date():
    assert period_of("Tỷ lệ học sinh nộp tiền trong học kỳ I đạt ", "achieved", "2026-01-21") == (
        "2025/2026"
    )
    assert period_of("tăng so với năm học trước (", "achieved", "2026-01-21") is None
    assert period_of("năm học trước là ", "achieved", "2026-01-21") == "2024/2025"
    assert period_of("Trong năm học này, ", "achieved", "2025-10-02") == "2025/2026"
    # a target's first term said in May is the coming school year's
    assert period_of("Dự kiến trong học kỳ I, toàn bộ ", "target", "2025-05-29") == "2025/2026"


def test_a_time_right_after_a_figure_is_that_figures():
    before = (
        "Tỷ lệ hộ có Internet cáp quang ước đạt 74,6%, cao hơn mức 70,1% của cuối năm 2023, "
        "song vẫn thấp hơn Đà Nẵng ("
    )
    assert period_of(before, "achieved", "2024-11-18") is None
    assert period_of("mới đạt 9,8%, sang năm 2024 con số này là ", "achieved", "2025-01-10") == (
        "2024"
    )
    assert period_of("tăng 14% so với năm học trước; ", "achieved", "2024-06-01") is None


def test_a_bracket_holding_only_its_figure_is_dated_like_its_host():
    text = (
        "Tính đến hết tháng 5, tỷ lệ người trưởng thành sử dụng dịch vụ công trực tuyến của "
        "huyện đạt 44,8%, thấp hơn bình quân của thành phố (khoảng 52%).\n"
    )
    assert _records(text, "2025-06-12")[52].period == "2025-05"


def test_a_byline_ending_with_the_date_dates_the_article():
    from xhs_extract.documents import find_published

    text = "Cùng thời điểm, toàn tỉnh đã thu nhận 1.184.600 hồ sơ.\n\nNgọc Trâm | Đài PT&TH | 23/05/2025\n"
    assert find_published(text) == "2025-05-23"


def test_the_quota_a_result_beats_is_a_target_of_the_same_indicator():
    text = (
        "Tính đến ngày 30/9, toàn tỉnh có 312.450 người hưởng lương hưu, trợ cấp nhận tiền qua "
        "tài khoản, chiếm 71,8% tổng số người hưởng (cùng kỳ năm 2024 là 63,5%). Kết quả này "
        "đã vượt chỉ tiêu 70% mà BHXH Việt Nam giao cho tỉnh trong năm 2025. Tỷ lệ người dân "
        "có tài khoản giao dịch tại ngân hàng đạt 81,2%, vượt chỉ tiêu 80% của năm; tỷ lệ người "
        "dân có hồ sơ sức khỏe điện tử đạt 76%. Chỉ tiêu Bộ Y tế giao cho tỉnh năm 2025 là 90%.\n"
    )
    found = _records(text, "2025-10-14")
    assert found[63.5].period == "2024-09-30"
    assert (found[70].indicator, found[70].status, found[70].period) == (
        "social_welfare_cashless", "target", "2025",
    )
    assert (found[80].indicator, found[80].status) == ("account_ownership_rate", "target")
    assert found[76].status == "achieved"  # the quota before it starts no list of targets
    assert (found[90].indicator, found[90].status, found[90].period) == (
        "ehr_population_rate", "target", "2025",
    )


def test_a_moment_and_a_floor():
    assert period_of("Thời điểm 30/6, tỷ lệ này mới ở mức ", "achieved", "2025-10-17") == (
        "2025-06-30"
    )
    # a survey's moment with its year, and a comparison's moment that dates nothing
    assert period_of(
        "Tại thời điểm 1/4/2025, tỷ lệ hộ có máy tính là 31,2%, tăng 1,4 điểm phần trăm so "
        "với cùng thời điểm năm 2024; khu vực nông thôn đạt ", "achieved", "2025-12-02",
    ) == "2025-04-01"
    from xhs_extract import extract_text

    found = {r.value: r for r in extract_text(
        "Năm 2025, tỉnh phấn đấu nâng tỷ lệ người hưởng nhận tiền qua tài khoản lên 75%, trong "
        "đó không xã, phường nào dưới 60%."
    )}
    assert found[60].qualifier == "at_least"


def test_a_plan_named_in_the_headline_dates_its_targets_and_its_fields():
    text = (
        "Nam Định ban hành Kế hoạch phát triển xã hội số năm 2024\nNgày đăng: 22/02/2024\n\n"
        "Về hạ tầng số, kế hoạch đặt ra các chỉ tiêu cụ thể đến hết năm 2024 là: tỷ lệ hộ gia "
        "đình có Internet cáp quang đạt 80%.\n\n"
        "Về công dân số, tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 90% trở lên; "
        "tỷ lệ dân số trưởng thành có chữ ký số đạt 30% (năm 2023 là 22,7%).\n\n"
        "Kế hoạch cũng giao các doanh nghiệp viễn thông xây mới 350 trạm 5G.\n"
    )
    found = _records(text, None)
    for value in (80, 90, 30, 350):
        assert (found[value].status, found[value].period) == ("target", "2024"), value
    assert (found[22.7].status, found[22.7].period) == ("achieved", "2023")


def test_a_headline_of_results_against_a_plan_names_no_plan():
    from xhs_extract.context import plan_period

    assert plan_period("Xã hội số hoàn thành 9/10 chỉ tiêu năm 2024", "2024-12-10") is None
    assert plan_period("Thái Bình đặt 12 chỉ tiêu phát triển xã hội số năm 2025", None).value == (
        "2025"
    )


def test_the_year_under_review():
    assert period_of("Cũng trong năm, chi nhánh kéo mới cáp quang cho hơn ", "achieved",
                     "2025-01-17") == "2024"


def test_after_the_reform_a_commune_named_like_a_former_district_is_at_its_seat():
    text = (
        "Định Hóa: Đưa dịch vụ số đến từng xóm\n08:40, 12/03/2026\n\n"
        "Sau 8 tháng vận hành chính quyền địa phương hai cấp, xã Định Hóa đã đưa nhiều dịch vụ "
        "số về tận xóm. Tính đến ngày 28/2, toàn xã có 7.315 hộ sử dụng Internet cáp quang, "
        "đạt 84,6%.\n"
    )
    found = _records(text, "2026-03-12")
    assert (found[84.6].geo.name, found[84.6].geo.province) == ("Định Hóa", "Thái Nguyên")


def test_a_caption_naming_indicators_is_no_plan():
    text = (
        "Kết quả một số chỉ tiêu chủ yếu như sau:\n\n"
        "Bảng: Một số chỉ tiêu công nghệ thông tin và truyền thông tỉnh giai đoạn 2023 – 2024\n"
        "| Chỉ tiêu | Năm 2023 | Sơ bộ 2024 |\n"
        "| Tỷ lệ hộ gia đình có kết nối Internet (%) | 83,1% | 86,2% |\n"
    )
    found = _records(text, "2025-05-22")
    assert found[83.1].status == found[86.2].status == "achieved"
    assert (found[83.1].period, found[86.2].period) == ("2023", "2024")


def test_a_provisional_year_heads_its_column_but_before_a_year_is_none():
    assert period_of("Sơ bộ 2024 | ", "achieved", "2025-05-22") == "2024"
    # "Trước năm 2022" holds the letters of "ước năm 2022"
    assert period_of("Trước năm 2022, cả xã chỉ có ", "achieved", "2024-05-22") is None


def test_section_headings_keep_the_frame_of_the_report_until_its_tasks():
    text = (
        "Nội dung chính như sau (số liệu tổng hợp đến ngày 15/6/2025):\n\n"
        "I. KẾT QUẢ ĐẠT ĐƯỢC\n\n1. Hạ tầng số\n"
        "- Tỷ lệ dân số được phủ sóng 5G đạt 46,8%.\n\n"
        "II. NHIỆM VỤ 6 THÁNG CUỐI NĂM\n"
        "- Tỷ lệ hộ gia đình có Internet cáp quang đạt 85%.\n"
    )
    found = _records(text, "2025-06-23")
    assert found[46.8].period == "2025-06-15"
    assert found[85].period != "2025-06-15"

"""Tests for the gazetteer, the place of a figure and the place of an article (geo.py)."""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xhs_extract.geo import (
    NATION,
    Place,
    document_place,
    domain_province,
    find_mentions,
    fold,
    gazetteer,
    place_in_context,
    province_place,
)
from xhs_extract.models import Geo

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"

SON_LA = Place("Sơn La", "province", "Sơn La", "Sơn La")
SON_LA_CITY = Place("Sơn La", "city", "Sơn La", "Sơn La")
BAC_GIANG = Place("Bắc Giang", "province", "Bắc Giang", "Bắc Ninh")
LONG_AN = Place("Long An", "province", "Long An", "Tây Ninh")


# --- gazetteer -------------------------------------------------------------------------


def test_gazetteer_has_all_units_before_the_merger():
    gaz = gazetteer()
    assert len(gaz.provinces) == 63
    assert len({p.province_2025 for p in gaz.provinces.values()}) == 34
    assert gaz.provinces["Bến Tre"].province_2025 == "Vĩnh Long"
    assert gaz.provinces["Bình Thuận"].province_2025 == "Lâm Đồng"
    assert gaz.provinces["Hà Nội"].type == "thành phố"
    assert sum(len(v) for v in gaz.districts_of.values()) > 650


def test_gazetteer_units_carry_type_and_province():
    gaz = gazetteer()
    (city,) = gaz.lookup("Sơn La", ["city"])
    assert (city.type, city.province) == ("thành phố", "Sơn La")
    wards = gaz.lookup("Chiềng Cơi", ["commune"])
    assert [(w.type, w.district, w.province) for w in wards] == [("phường", "Sơn La", "Sơn La")]
    assert {u.province for u in gaz.lookup("Châu Thành", ["district"])} >= {"Long An", "Bến Tre"}


def test_gazetteer_file_is_compact():
    size = (REPO / "patterns" / "gazetteer.json").stat().st_size
    assert size < 400_000


def _load_build_script():
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", REPO / "scripts" / "build_gazetteer.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_distils_a_mapping():
    build = _load_build_script()
    mapping = {
        "metadata": {"source": "test", "version": "0"},
        "province_names": {"tinhmoi": {"name": "Tỉnh Mới", "short": "Mới", "code": "01"}},
        "old_province_names": {"tinhcu": {"name": "Tỉnh Cũ", "short": "Cũ", "code": "02"}},
        "province_mapping": {"tinhcu": "tinhmoi"},
        "ward_mapping": [
            {"old_province_key": "tinhcu", "old_district": "Thị Xã Đồi", "old_ward": "Phường Một"},
            {"old_province_key": "tinhcu", "old_district": "Thị xã Đồi", "old_ward": "Xã Hai"},
            {"old_province_key": "tinhcu", "old_district": "Huyện Đảo", "old_ward": ""},
        ],
    }
    result = build.build(mapping)
    assert result["provinces"] == [
        {"name": "Cũ", "type": "tỉnh", "code": "02", "province_2025": "Mới"}
    ]
    districts = {d["name"]: d for d in result["districts"]}
    assert districts["Đồi"]["type"] == "thị xã"  # the source's "Thị Xã" capitalisation folds
    assert districts["Đồi"]["communes"] == {"phường": ["Một"], "xã": ["Hai"]}
    assert districts["Đảo"]["communes"] == {}
    assert json.loads(build.dump(result)) == result


def test_build_script_reproduces_the_committed_file():
    pytest.importorskip("underthesea")
    build = _load_build_script()
    mapping = json.loads(build.default_source().read_text(encoding="utf-8"))
    committed = (REPO / "patterns" / "gazetteer.json").read_text(encoding="utf-8")
    assert build.dump(build.build(mapping)) == committed


# --- folding and places ----------------------------------------------------------------


def test_fold_unifies_tone_mark_placement_and_normal_form():
    assert fold("Hoà Bình") == "Hòa Bình"
    assert fold("Thanh Hoá") == "Thanh Hóa"
    assert fold("Thuỷ") == "Thủy"
    assert fold("quý") == "quý"  # "qu" is a consonant: the mark stays on y
    assert fold("hoàng") == "hoàng"  # not at a syllable's end
    assert fold(unicodedata.normalize("NFD", "Sơn La")) == "Sơn La"


@given(st.text(max_size=60))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_place_to_geo():
    geo = BAC_GIANG.to_geo()
    assert isinstance(geo, Geo)
    assert geo.model_dump() == {
        "name": "Bắc Giang",
        "level": "province",
        "province": "Bắc Giang",
        "province_2025": "Bắc Ninh",
    }
    assert NATION.to_geo().level == "nation"


def test_province_place_accepts_aliases():
    assert province_place("Hoà Bình") == Place("Hòa Bình", "province", "Hòa Bình", "Phú Thọ")
    assert province_place("TP.HCM").province == "Hồ Chí Minh"
    hue = Place("Thừa Thiên Huế", "province", "Thừa Thiên Huế", "Huế")
    assert province_place("Thừa Thiên Huế") == hue
    assert province_place("Atlantis") is None


# --- place_in_context ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "doc", "expected"),
    [
        # a named unit is the subject
        (
            "Năm nay, huyện Quỳnh Nhai có",
            SON_LA,
            Place("Quỳnh Nhai", "district", "Sơn La", "Sơn La"),
        ),
        ("Riêng thị xã Buôn Hồ đạt", None, Place("Buôn Hồ", "district", "Đắk Lắk", "Đắk Lắk")),
        (
            "Trong đó, phường Quyết Thắng đạt",
            SON_LA_CITY,
            Place("Quyết Thắng", "commune", "Sơn La", "Sơn La"),
        ),
        ("TP. Sơn La hiện có", SON_LA, SON_LA_CITY),
        ("Tại Bắc Giang, khoảng", SON_LA, BAC_GIANG),
        ("ở tỉnh Hoà Bình, có", None, Place("Hòa Bình", "province", "Hòa Bình", "Phú Thọ")),
        ("tại Quỳnh Nhai,", SON_LA, Place("Quỳnh Nhai", "district", "Sơn La", "Sơn La")),
        # the nation
        ("Tính chung cả nước,", SON_LA, NATION),
        ("trên toàn quốc có", BAC_GIANG, NATION),
        ("Ở Việt Nam, tỷ lệ", SON_LA, NATION),
        # a ranking's field is not the place: the province ranked is
        ("Bắc Giang dẫn đầu cả nước với", SON_LA, BAC_GIANG),
        ("Tỉnh Bắc Giang xếp thứ 5 toàn quốc, đạt", SON_LA, BAC_GIANG),
        ("Năm 2024, cả nước đạt", SON_LA, NATION),
        # the article's own province or city
        ("Tính đến nay, toàn tỉnh có", BAC_GIANG, BAC_GIANG),
        ("tỷ lệ hộ có cáp quang của tỉnh đạt", SON_LA_CITY, SON_LA),
        ("Tỉnh đã cấp", BAC_GIANG, BAC_GIANG),
        ("Đến cuối năm, Thành phố có", SON_LA_CITY, SON_LA_CITY),
        ("toàn thành phố có", Place("Hà Nội", "province", "Hà Nội", "Hà Nội"),
         Place("Hà Nội", "province", "Hà Nội", "Hà Nội")),
    ],
)
def test_place_in_context_finds_the_subject(clause, doc, expected):
    assert place_in_context(clause, doc) == expected


@pytest.mark.parametrize(
    ("clause", "doc"),
    [
        ("tỷ lệ người dân có tài khoản thanh toán đạt", SON_LA),  # nothing named
        ("Giám đốc Bệnh viện đa khoa huyện Quỳnh Nhai cho biết, tỷ lệ", SON_LA),  # org name
        ("Theo Sở Thông tin và Truyền thông Lạng Sơn, tỷ lệ", SON_LA),  # org name
        ("Ngân hàng TMCP Công Thương - Chi nhánh tỉnh Lạng Sơn đã mở", SON_LA),  # org name
        ("Đoàn viên Viettel Lạng Sơn đã hướng dẫn", SON_LA),  # a company branch
        ("Ủy ban MTTQ Việt Nam tỉnh vận động", SON_LA),  # "Việt Nam" in a name
        ("Toàn xã hội có", SON_LA),  # "xã hội" is society, not a commune
        ("Tỉnh ủy đã ban hành", SON_LA),  # the party committee, not "the province"
        ("Thành phố có", SON_LA),  # a bare "Thành phố" in a province article is unclear
        ("huyện Châu Thành có", SON_LA),  # many provinces have one; none is Sơn La
        ("toàn tỉnh có", None),  # no article province to refer to
        ("huyện Quỳnh Nhai đã triển khai nhiều giải pháp; tỷ lệ hộ gia đình đạt", SON_LA),
        ("Huyện Quỳnh Nhai có nhiều bản. Tỷ lệ hộ gia đình đạt", SON_LA),
        ("Chủ tịch Hồ Chí Minh dạy, tỷ lệ", SON_LA),
        ("", SON_LA),
    ],
)
def test_place_in_context_gives_none_without_an_explicit_subject(clause, doc):
    assert place_in_context(clause, doc) is None


def test_district_figure_is_not_given_to_the_province():
    place = place_in_context("Riêng huyện Quỳnh Nhai có", SON_LA)
    assert place is not None and place.level == "district" and place.name == "Quỳnh Nhai"


def test_same_named_units_resolve_toward_the_article_province():
    assert place_in_context("huyện Châu Thành đạt", LONG_AN) == Place(
        "Châu Thành", "district", "Long An", "Tây Ninh"
    )
    ben_tre = Place("Bến Tre", "province", "Bến Tre", "Vĩnh Long")
    assert place_in_context("huyện Châu Thành đạt", ben_tre).province == "Bến Tre"


def test_nearest_reference_to_the_figure_wins():
    clause = "Theo báo cáo của tỉnh Sơn La, tại huyện Quỳnh Nhai có"
    assert place_in_context(clause, SON_LA).name == "Quỳnh Nhai"


def test_a_list_after_a_colon_inherits_its_frame():
    clause = (
        "Huyện Quỳnh Nhai đạt các chỉ tiêu: tỷ lệ hộ có cáp quang 90%; "
        "tỷ lệ người dùng Internet"
    )
    assert place_in_context(clause, SON_LA).name == "Quỳnh Nhai"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạAĐHSTXỉệố ,.;:()-\n", max_size=80))
def test_place_in_context_never_fails(clause):
    result = place_in_context(clause, SON_LA)
    assert result is None or isinstance(result, Place)


# --- document_place --------------------------------------------------------------------

BODY = (
    "Thời gian qua, các cấp chính quyền đã đẩy mạnh chuyển đổi số. "
    "Đến nay, toàn tỉnh có 85% hộ gia đình có cáp quang.\n"
)


def test_source_address_decides_when_the_body_names_no_place():
    tien_giang = Place("Tiền Giang", "province", "Tiền Giang", "Đồng Tháp")
    assert document_place(BODY + "Nguồn: baoapbac.vn\n") == tien_giang
    assert document_place(BODY, source="stttt.quangtri.gov.vn") == Place(
        "Quảng Trị", "province", "Quảng Trị", "Quảng Trị"
    )
    assert document_place(BODY + "(Trích nguồn laichau.gov.vn)").name == "Lai Châu"


def test_domain_province():
    assert domain_province("baodongkhoi.vn") == "Bến Tre"
    assert domain_province("https://www.baolangson.vn/") == "Lạng Sơn"
    assert domain_province("dulichso.ninhbinh.gov.vn") == "Ninh Bình"
    assert domain_province("vnexpress.net") == "nation"
    assert domain_province("example.com") is None


def test_newspaper_and_branch_names_decide():
    assert document_place(BODY + "Theo Minh Hà (Báo Lạng Sơn)").name == "Lạng Sơn"
    text = "Nhân viên VNPT Cao Bằng hướng dẫn người dân cài ứng dụng.\n" + BODY
    assert document_place(text).name == "Cao Bằng"
    text = BODY + "Tỉnh đã ra mắt ứng dụng Công dân số Ninh Thuận cho người dân."
    assert document_place(text).name == "Ninh Thuận"
    assert document_place(BODY + "BDK - Tin từ cơ sở.") is not None


def test_a_district_or_commune_with_its_prefix_implies_its_province():
    text = BODY + "Anh Nguyễn Văn A, xã Phìn Hồ, huyện Hoàng Su Phì cho biết đã dùng ví điện tử."
    assert document_place(text) == Place("Hà Giang", "province", "Hà Giang", "Tuyên Quang")


def test_title_counts_more_than_a_passing_mention():
    text = "Hà Nội là nơi tổ chức hội nghị.\n" + BODY
    assert document_place(text, title="Lạng Sơn đẩy mạnh xã hội số").name == "Lạng Sơn"


def test_related_news_list_does_not_decide():
    text = (
        BODY
        + "Nguồn: Báo Điện Biên Phủ\n"
        + "Tin liên quan\n"
        + "  • Tỉnh Lào Cai phát triển du lịch\n  • Tỉnh Lào Cai đón khách\n"
        + "  • tỉnh Lào Cai mở hội chợ\n"
    )
    assert document_place(text).name == "Điện Biên"
    assert document_place(BODY + "Tin mới\n  • Tỉnh Lào Cai phát triển du lịch\n") is None


def test_city_article_is_placed_at_city_level():
    text = (
        "Phát triển xã hội số ở đô thị\n"
        "Thành phố đã lắp đặt Wifi miễn phí tại các điểm công cộng. "
        "Đến nay, Thành phố có 20 tổ công nghệ số cộng đồng. "
        "Tại phường Quyết Thắng, người dân đã quen thanh toán số. "
        "Thành phố tiếp tục hỗ trợ người dân.\n"
        "Theo Minh Hà (Báo Sơn La)\n"
    )
    assert document_place(text) == SON_LA_CITY


def test_province_article_with_a_city_mention_stays_province():
    text = (
        "Toàn tỉnh có 90% hộ có cáp quang. Tỉnh ta đang đẩy mạnh chuyển đổi số, "
        "trong đó thành phố Sơn La dẫn đầu. Thành phố có nhiều mô hình hay. "
        "Trên địa bàn tỉnh có 2.000 tổ công nghệ số cộng đồng."
    )
    assert document_place(text) == SON_LA


def test_district_article_is_placed_at_district_level():
    text = (
        "Huyện đã thành lập 120 tổ công nghệ số cộng đồng. Toàn huyện có 80% hộ dùng điện thoại "
        "thông minh. Huyện tiếp tục hướng dẫn người dân tại xã Chiềng Khay, xã Mường Giôn.\n"
        "Báo Sơn La\n"
    )
    assert document_place(text) == Place("Quỳnh Nhai", "district", "Sơn La", "Sơn La")


def test_same_named_commune_follows_the_other_evidence():
    text = "Tại phường Tô Hiệu, người dân dùng ví điện tử.\nNguồn: baosonla.vn\n"
    assert document_place(text) == SON_LA


def test_national_article_without_province_is_the_nation():
    text = (
        "Tính chung cả nước, 75% người trưởng thành có điện thoại thông minh. "
        "Trên toàn quốc có 80% hộ."
    )
    assert document_place(text) == NATION


def test_article_with_no_clue_has_no_place():
    assert document_place("Người dân ngày càng quen với thanh toán không dùng tiền mặt.") is None
    assert document_place("") is None


def test_person_named_after_a_city_is_not_a_place():
    text = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n" + BODY
    assert document_place(text) is None


def test_mentions_report_organisation_names():
    text = fold("Bệnh viện đa khoa huyện Quỳnh Nhai và huyện Mường La")
    mentions = find_mentions(text)
    assert [(text[m.start:m.end], bool(m.org)) for m in mentions] == [
        ("huyện Quỳnh Nhai", True),
        ("huyện Mường La", False),
    ]


# --- the seed articles -----------------------------------------------------------------


def _seed_cases():
    gold_path = SHARED / "corpus" / "seeds-gold.jsonl"
    if not gold_path.is_file():
        return []
    cases = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        geos = [s["geo"] for s in doc["statistics"] if s.get("geo")]
        cases.append((doc["doc_id"], geos[0] if geos else None))
    return cases


@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(),
                    reason="the shared seed corpus (../shared/corpus/seeds) is not present")
@pytest.mark.parametrize(("doc_id", "gold"), _seed_cases() or [("none", None)])
def test_seed_articles_get_their_gold_place(doc_id, gold):
    from xhs_extract.documents import document_metadata

    path = SHARED / "corpus" / "seeds" / f"{doc_id}.txt"
    if gold is None or not path.is_file():
        pytest.skip(f"no gold place for {doc_id}")
    meta = document_metadata(path.read_text(encoding="utf-8"))
    assert meta.place is not None
    assert meta.place.to_geo().model_dump() == gold


def test_headline_opening_with_a_district_name():
    text = "Huyện đã thành lập 120 tổ công nghệ số. Huyện có 80% hộ dùng điện thoại thông minh.\n"
    assert document_place(text, title="Quỳnh Nhai: Đẩy mạnh chuyển đổi số") == Place(
        "Quỳnh Nhai", "district", "Sơn La", "Sơn La"
    )


def test_provincial_cues_keep_an_unplaced_article_off_the_nation():
    text = "Toàn tỉnh có 90% hộ có cáp quang, trong khi cả nước là 80%. Tỉnh ta tiếp tục phấn đấu."
    assert document_place(text) is None


def test_ner_is_not_run_unless_asked(monkeypatch):
    import xhs_extract.geo as geo

    def refuse(text):  # pragma: no cover - must not be called
        raise AssertionError("NER ran without ner_fallback")

    monkeypatch.setattr(geo, "_ner_places", refuse)
    assert document_place("Người dân dùng ví điện tử nhiều hơn.") is None
    calls = []
    monkeypatch.setattr(geo, "_ner_places", lambda text: calls.append(text) or geo.Counter())
    document_place("Người dân dùng ví điện tử nhiều hơn.", ner_fallback=True)
    assert calls


def test_commune_article_is_placed_at_commune_level():
    text = (
        "Từ trung tâm huyện Quỳnh Nhai đi 20 km là tới xã Chiềng Khay. Toàn xã có 900 hộ, "
        "trong đó 700 hộ có điện thoại thông minh. Năm nay, xã đã thành lập 10 tổ công nghệ số. "
        "Xã cũng kiến nghị huyện hỗ trợ thêm thiết bị.\nBáo Sơn La\n"
    )
    assert document_place(text, title="Chiềng Khay - xã vùng cao làm quen với ví điện tử") == Place(
        "Chiềng Khay", "commune", "Sơn La", "Sơn La"
    )


def test_lower_case_unit_word_as_subject():
    city = Place("Thủ Dầu Một", "city", "Bình Dương", "Hồ Chí Minh")
    assert place_in_context("Từ tháng 7, thành phố đã cấp", city) == city
    assert place_in_context("Công an thành phố đã cấp", city) is None  # an organisation
    moc_chau = Place("Mộc Châu", "district", "Sơn La", "Sơn La")
    assert place_in_context("các huyện đã cấp", moc_chau) is None


def test_city_article_named_by_its_headline_among_several_cities():
    text = (
        "Năm học này, 100% trường học trên địa bàn thành phố tuyển sinh trực tuyến. "
        "Thành phố đã chọn 20 trường làm thí điểm; "
        "thành phố tiếp tục đầu tư phòng học thông minh.\n"
        "(QNO) - Tin từ Sở Giáo dục tỉnh Quảng Nam.\n"
    )
    assert document_place(text, title="Hội An: Chuyển đổi số trong trường học") == Place(
        "Hội An", "city", "Quảng Nam", "Đà Nẵng"
    )
    # without a name for the city, a province with several cities stays at province level
    assert document_place(text).level == "province"


REPO_GOLD = REPO / "gold" / "corpus-gold.jsonl"


@pytest.mark.skipif(not REPO_GOLD.is_file(), reason="the project's annotated corpus is not present")
def test_annotated_corpus_provinces():
    from collections import Counter

    from xhs_extract.documents import document_metadata

    total = right = 0
    for line in REPO_GOLD.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        path = REPO / "corpus" / f"{doc['doc_id']}.txt"
        provinces = Counter(s["geo"]["province"] for s in doc["statistics"] if s.get("geo"))
        provinces.pop(None, None)
        if not path.is_file() or not provinces:
            continue
        place = document_metadata(path.read_text(encoding="utf-8")).place
        total += 1
        right += place is not None and place.province == provinces.most_common(1)[0][0]
    if total == 0:
        pytest.skip("no annotated documents with places")
    assert right / total >= 0.9


# `fold` finds the old-placement pairs with the standard library; this is the rule it
# implements, written as one `regex` pattern: a pair in either case at the end of a word (no
# letter, letter-like number such as "²" or combining mark after it), not after "q" nor
# after another vowel ("uoà").
def _fold_by_regex(text: str) -> str:
    import regex

    from xhs_extract.normalise import _NOT_BEFORE_TONE, _TONE_REPLACE

    before = "".join(sorted(_NOT_BEFORE_TONE))
    pattern = regex.compile(
        rf"(?<![{before}])(?:" + "|".join(sorted(_TONE_REPLACE)) + r")(?![\p{L}\p{M}\p{Nl}\p{No}])"
    )
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return pattern.sub(lambda m: _TONE_REPLACE[m.group(0)], text)


_FOLD_ALPHABET = st.sampled_from(
    list("oauyeqQ hHtT.,\u00a0\u0300\u0301\u0309\u0303\u0323²")
    + ["oà", "oá", "uý", "oẻ", "uỵ", "Hoà", "quý", "x", "OÀ", "UỶ", "Oà", "uoà"]
)


@given(st.lists(_FOLD_ALPHABET, max_size=30).map("".join))
@settings(max_examples=400, deadline=None)
def test_fold_matches_its_rule(text):
    assert fold(text) == _fold_by_regex(text)


def test_fold_moves_tone_marks_only_at_word_end():
    assert fold("Thanh Hoà") == "Thanh Hòa"
    assert fold("hoàn thành") == "hoàn thành"  # "oà" inside a word stays
    assert fold("Quý") == "Quý"
    assert fold("thuý.") == "thúy."
    marked = "hoa\u0300\u0302"
    assert fold(marked) == unicodedata.normalize("NFC", marked)  # a mark follows


def test_fold_gives_one_key_for_both_cases_and_placements():
    # Upper-case headlines and old-style placement fold to what the normalise stage gives.
    from xhs_extract.normalise import place_tone_marks

    assert fold("HOÀ BÌNH").lower() == fold("Hòa Bình").lower() == "hòa bình"
    assert fold("THANH HOÁ") == "THANH HÓA"
    assert fold("khuoà") == "khuoà"  # "uoà" is one vowel: its mark stays
    for text in ("Hoà Bình", "HOÀ BÌNH", "Thuỷ", "quý", "hoa\u0300\u0302"):
        nfc = unicodedata.normalize("NFC", text)
        assert fold(text) == place_tone_marks(nfc)


def test_a_missing_or_broken_gazetteer_says_how_to_regenerate_it(tmp_path, monkeypatch):
    from xhs_extract import language, resources

    monkeypatch.setattr(resources, "patterns_dir", lambda: tmp_path)
    language.gazetteer_data.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="build_gazetteer.py"):
            language.gazetteer_data()
        (tmp_path / "gazetteer.json").write_text("{", encoding="utf-8")
        with pytest.raises(ValueError, match="not valid JSON.*build_gazetteer.py"):
            language.gazetteer_data()
        (tmp_path / "gazetteer.json").write_text('{"provinces": []}', encoding="utf-8")
        with pytest.raises(ValueError, match="lacks its provinces or districts"):
            language.gazetteer_data()
    finally:
        language.gazetteer_data.cache_clear()


def test_a_total_of_communes_only_one_province_has_names_it_when_nothing_else_does():
    from collections import Counter

    from xhs_extract.geo import document_place, gazetteer

    counts = Counter(gazetteer().commune_count.values())
    province, total = next(
        (p, n) for p, n in sorted(gazetteer().commune_count.items()) if counts[n] == 1 and n >= 50
    )
    text = f"Trên địa bàn tỉnh, {total}/{total} xã, phường, thị trấn đã có cáp quang đến trung tâm."
    place = document_place(text)
    assert place is not None and place.province == gazetteer().provinces[province].display
    # a district's total names no province, and other evidence wins over a total
    assert document_place("Huyện có 23/23 xã đã có cáp quang đến trung tâm.") is None
    named = document_place(f"Tỉnh Sơn La có {total}/{total} xã đã có cáp quang đến trung tâm.")
    assert named is not None and named.province == "Sơn La"

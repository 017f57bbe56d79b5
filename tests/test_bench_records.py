"""General news stays clean: every record the extractor yields on the bench corpus.

The bench corpus (../shared/bench-corpus/articles, 18,000 articles of general Vietnamese
news from the mid-2000s) is read whole, and each record it yields is listed here by
doc_id, indicator and value span, after reading its evidence. Any change of behaviour on
general news shows as a difference to this list: a new record is to be read and judged
before it is added; a record gone from RIGHT is a lost true one, from WRONG a fixed error.
Records land only on articles about telecommunications and the internet; WRONG holds those
that a reader judges to be no catalogue statistic, each with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench-corpus" / "articles"

# (doc_id, indicator, value span): records a reader accepts (the figure as written after #)
RIGHT: list[tuple[str, str, int, int]] = [
    ("vntc_002034", "mobile_base_stations", 1754, 1759),  # '1.200'
    ("vntc_002034", "mobile_base_stations", 1866, 1870),  # '2000'
    ("vntc_002255", "mobile_base_stations", 3117, 3120),  # '300'
    ("vntc_002255", "mobile_base_stations", 3273, 3276),  # '300'
    ("vntc_002255", "mobile_base_stations", 3299, 3302),  # '300'
    ("vntc_002255", "mobile_base_stations", 3378, 3381),  # '100'
    ("vntc_002848", "broadband_speed", 701, 709),  # '100 Mb/s'
    ("vntc_007629", "broadband_speed", 3158, 3165),  # '50 kbps'
    ("vntc_007892", "internet_user_rate", 425, 433),  # '12 triệu'
    ("vntc_008362", "mobile_base_stations", 915, 918),  # '730'
    ("vntc_008362", "mobile_base_stations", 998, 1001),  # '150'
    ("vntc_008362", "mobile_base_stations", 1024, 1029),  # '60-70'
    ("vntc_008763", "mobile_base_stations", 350, 355),  # '1.700'
    ("vntc_011292", "mobile_base_stations", 440, 445),  # '1.300'
    ("vntc_011562", "mobile_base_stations", 695, 700),  # '1.000'
    ("vntc_011562", "mobile_base_stations", 1221, 1226),  # '1.000'
    ("vntc_011562", "mobile_base_stations", 1630, 1633),  # '136'
    ("vntc_012806", "broadband_speed", 709, 714),  # '2Mbps'
    ("vntc_013102", "mobile_base_stations", 320, 325),  # '1.200'
    ("vntc_013102", "mobile_base_stations", 384, 389),  # '1.800'
    ("vntc_014069", "mobile_base_stations", 362, 365),  # '104'
    ("vntc_014677", "mobile_base_stations", 146, 151),  # '2.000'
    ("vntc_014714", "mobile_base_stations", 1607, 1612),  # '1.900'
    ("vntc_015345", "internet_user_rate", 1641, 1652),  # '10,62 triệu'
    ("vntc_016643", "internet_user_rate", 4, 11),  # '3 triệu'
    ("vntc_017018", "internet_user_rate", 667, 677),  # '2,21 triệu'
]

# Records a reader rejects: known errors, kept listed so that a fix shows.
WRONG: list[tuple[str, str, int, int]] = [
    # people of the Philippines (abroad; the name is misspelt in the article)
    ("vntc_008281", "internet_user_rate", 0, 7),
]


@pytest.mark.slow
@pytest.mark.skipif(not BENCH.is_dir(), reason="../shared/bench-corpus is not beside this checkout")
def test_the_bench_corpus_yields_exactly_the_reviewed_records():
    from xhs_extract.pipeline import extract_folder

    found = sorted((r.doc_id, r.indicator, *r.value_span) for r in extract_folder(BENCH, jobs=2))
    assert found == sorted(RIGHT + WRONG)


def test_general_news_records_are_rare():
    assert len(RIGHT) + len(WRONG) < 18_000 / 200

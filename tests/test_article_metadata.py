"""A crawl's side file of article metadata (`extract --metadata`)."""

from __future__ import annotations

import json

from xhs_extract.documents import Article, ArticleMeta, read_metadata
from xhs_extract.geo import document_place
from xhs_extract.pipeline import process_text

_TEXT = "Đến nay, toàn tỉnh có 1.350 trạm BTS, tăng 40 trạm so với cùng kỳ."


def test_metadata_reads_csv_and_jsonl(tmp_path):
    csv_file = tmp_path / "meta.csv"
    csv_file.write_text(
        "doc_id,url,published,source,province\n"
        "a/1,https://sonla.gov.vn/tin/x.html,2024-05-01,,\n",
        encoding="utf-8",
    )
    jsonl_file = tmp_path / "meta.jsonl"
    row = {"doc_id": "b", "province": "Sơn La", "source": "Báo Sơn La"}
    jsonl_file.write_text(json.dumps(row, ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert read_metadata(csv_file) == {
        "a/1": ArticleMeta("a/1", "https://sonla.gov.vn/tin/x.html", "2024-05-01", None, None)
    }
    assert read_metadata(jsonl_file)["b"].province == "Sơn La"


def test_address_names_the_province():
    url = "http://example.gov.vn/tin-tuc/tinh-dien-bien-phat-trien-ha-tang-so-12.html"
    place = document_place(_TEXT, url=url)
    assert place is not None and place.province == "Điện Biên"
    place = document_place(_TEXT, url="https://backan.gov.vn:443/Pages/tin.aspx")
    assert place is not None and place.province == "Bắc Kạn"


def test_side_file_supplies_what_the_text_lacks():
    meta = ArticleMeta("x", published="2024-06-10", source="Báo Lai Châu", province="Lai Châu")
    article = Article(_TEXT, meta)
    assert article.published == "2024-06-10"
    assert article.source == "Báo Lai Châu"
    result = process_text(_TEXT, "x", meta=meta)
    assert result.place is not None and result.place.province == "Lai Châu"
    assert result.records[0].geo is not None and result.records[0].geo.province == "Lai Châu"
    assert process_text(_TEXT, "x").place is None


def test_an_address_may_carry_the_publication_date():
    from xhs_extract.documents import url_date

    assert url_date("https://example.vn/tin/to-cong-nghe-so-20220615221843937.htm") == (
        "2022-06-15"
    )
    assert url_date("https://example.vn/tin/chuyen-doi-so-5857.html") is None
    assert url_date("https://example.vn/tin/a-196251113140601912.htm") is None
    meta = ArticleMeta("x", url="https://example.vn/tin/a-20220615221843937.htm")
    assert Article(_TEXT, meta).published == "2022-06-15"

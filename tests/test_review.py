"""Review pages: the article character for character, one mark per span of records."""

import unicodedata
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tests.reviewkit import record
from xhs_extract import extract_text
from xhs_extract.cli import app
from xhs_extract.review import marks, render_html, segments, write_site
from xhs_extract.validate import Rejection

ROOT = Path(__file__).resolve().parents[1]


def article_text(page: str) -> str:
    return LexborHTMLParser(page).css_first("article").text(deep=True)


def test_the_article_is_shown_character_for_character():
    text = (
        "Tiêu đề <b>&amp;\r\n\r\n  Ngày 08/07/2024 | 07:45,  749/QĐ-TTg: "
        "gần 60% số thuê bao di động có điện thoại thông minh;\t"
        + unicodedata.normalize("NFD", "toàn tỉnh có 225 trạm BTS.")
        + "\n"
    )
    records = extract_text(text)
    assert len(records) == 2
    page = render_html(text, records, title="t")
    assert article_text(page) == text
    tree = LexborHTMLParser(page)
    found = [m.text(deep=True) for m in tree.css("article mark")]
    assert found == [text[slice(*r.value_span)] for r in records]


def test_records_on_one_span_share_one_mark_that_lists_them_all():
    a = record(indicator="adult_smartphone_rate", start=5)
    b = record(indicator="smartphone_user_rate", start=5)
    c = record(indicator="eid_account_rate", start=6)  # overlaps: joins the mark
    d = record(indicator="eid_account_rate", start=20)
    spans = marks([d, c, b, a])
    assert [(m.start, m.end, len(m.records)) for m in spans] == [(5, 9, 3), (20, 23, 1)]
    text = "x" * 30
    assert "".join(piece.text for piece in segments(text, spans)) == text
    page = LexborHTMLParser(render_html(text, [a, b, c, d]))
    first, second = page.css("article mark")
    assert set(first.attributes["data-indicator"].split()) == {
        "adult_smartphone_rate",
        "smartphone_user_rate",
        "eid_account_rate",
    }
    assert set(first.attributes["data-records"].split()) == {a.id, b.id, c.id}
    assert second.attributes["data-records"] == d.id
    tip = first.attributes["title"]
    for word in ("80", "percent", "qualifier exact", "status achieved", "period 2024", "Hà Giang"):
        assert word in tip
    assert "subject" in tip


def test_page_has_a_legend_the_records_and_the_rejected_figures_with_reasons():
    text = "Tỷ lệ hộ gia đình có Internet cáp quang đạt 92%. Có 120 tổ công nghệ số cộng đồng."
    records = extract_text(text)
    rejected = [
        Rejection("doc", "household_internet_rate", (0, 3), "Tỷ ", "unit 'vnd' is not one of …")
    ]
    page = render_html(text, records, title="bài <thử>", rejected=rejected)
    assert "bài &lt;thử&gt;" in page
    tree = LexborHTMLParser(page)
    legend = {li.attributes["data-code"] for li in tree.css("ul.legend li")}
    assert legend == {r.indicator for r in records}
    assert len(tree.css("table.records tbody tr")) == len(records)
    (item,) = tree.css("ul.rejected li")
    assert "unit 'vnd' is not one of" in item.text()


def test_a_folder_gives_one_page_per_article_and_an_index(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(
        "Tỷ lệ hộ gia đình có Internet cáp quang đạt 92%.", encoding="utf-8"
    )
    (corpus / "sub" / "b.txt").write_text("Không có số liệu.", encoding="utf-8")
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["review", str(corpus), "-o", str(site)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.iterdir()) == ["a.html", "index.html", "sub__b.html"]
    index = LexborHTMLParser((site / "index.html").read_text(encoding="utf-8"))
    rows = {row.attributes["data-doc"]: row for row in index.css("tr[data-doc]")}
    assert set(rows) == {"a", "sub/b"}
    assert rows["a"].css_first("a").attributes["href"] == "a.html"


def test_review_command_writes_one_page(tmp_path):
    article = ROOT / "corpus" / "01-laocai-ha-tang-so.txt"
    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["review", str(article), "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert article_text(html) == article.read_text(encoding="utf-8")


def test_write_site_reports_what_it_wrote(tmp_path):
    assert write_site([], tmp_path / "empty") == []
    assert (tmp_path / "empty" / "index.html").exists()


def test_review_of_a_missing_file_says_so(tmp_path):
    result = CliRunner().invoke(app, ["review", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output

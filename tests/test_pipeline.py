"""End to end over real text: offsets hold, output is deterministic, the seeds score well."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from xhs_extract import extract_text
from xhs_extract.pipeline import process_text, run_folder
from xhs_extract.read import read_document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
CORPUS = REPO / "corpus"


def _folders():
    folders = [pytest.param(CORPUS, id="corpus")]
    folders.append(
        pytest.param(
            SEEDS,
            id="seeds",
            marks=pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not beside this checkout"),
        )
    )
    return folders


def assert_offsets_hold(raw: str, records) -> None:
    for record in records:
        start, end = record.value_span
        figure = raw[start:end]
        assert figure and figure == figure.strip(), (record.id, figure)
        assert any(ch.isdigit() for ch in figure) or record.extractor.startswith("rule:"), figure
        assert record.evidence.text == raw[record.evidence.start : record.evidence.end]
        assert record.evidence.start <= start and end <= record.evidence.end


@pytest.mark.slow
@pytest.mark.parametrize("folder", _folders())
def test_offsets_point_into_the_original_text(folder):
    results = list(run_folder(folder))
    assert results, f"no input files in {folder}"
    total = 0
    for result in results:
        assert result.status == "ok", result.reason
        raw = read_document(folder / result.path, folder).text
        assert_offsets_hold(raw, result.records)
        total += len(result.records)
    assert total > 0


def test_offsets_hold_through_normalisation():
    # Decomposed tone marks, an old-style tone placement, NBSP and curly quotes before the
    # figure: the normalised text differs in length from the raw one.
    raw = (
        unicodedata.normalize("NFD", "Tỷ lệ hộ gia đình hoà mạng Internet cáp quang ")
        + "“của huyện” đạt\u00a0"
        + unicodedata.normalize("NFD", "gần ")
        + "91,5%."
    )
    records = extract_text(raw)
    assert [(r.indicator, r.value, r.qualifier) for r in records] == [
        ("household_fiber_broadband_rate", 91.5, "nearly")
    ]
    assert_offsets_hold(raw, records)
    assert raw[records[0].value_span[0] : records[0].value_span[1]] == "91,5%"


def test_same_text_same_ids():
    text = "Toàn tỉnh có 225 trạm BTS và 92% hộ gia đình có Internet cáp quang."
    first = [r.to_json_dict() for r in extract_text(text, "a/b")]
    second = [r.to_json_dict() for r in extract_text(text, "a/b")]
    assert first == second and len({r["id"] for r in first}) == len(first) == 2


_PIECES = st.one_of(
    st.sampled_from(list("0123456789.,;:%/()-–  \n\u00a0\u0301\u0323")),
    st.sampled_from(
        ["đạt ", "tỷ lệ ", "hộ gia đình ", "cáp quang ", "gần ", "năm 2023 ", "Tổ công nghệ số ", "người ", "thuê bao ", "(cuối năm 2021 là "]
    ),
    st.characters(codec="utf-8"),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_arbitrary_text_never_breaks_the_pipeline(raw):
    result = process_text(raw, "fuzz")
    assert_offsets_hold(raw, result.records)


@pytest.mark.slow
@pytest.mark.parametrize("folder", _folders())
def test_document_records_are_valid_and_described_only_with_records(folder):
    # Document records round-trip through their schema, and an article's date, source,
    # place and sentence count are read only if it has records.
    from xhs_extract.models import DocumentRecord

    results = list(run_folder(folder))
    for result in results:
        document = result.document
        assert DocumentRecord.model_validate(document.model_dump()) == document
        if document.n_records == 0:
            assert document.published is None and document.source is None and document.place is None
            assert document.n_sentences is None and any(w.startswith("M004") for w in document.warnings)
        else:
            assert document.n_sentences > 0 and not any(w.startswith("M004") for w in document.warnings)
    assert any(r.document.n_records for r in results) and any(r.document.published for r in results)


def test_an_article_that_passes_the_gate_without_records_is_read_no_further():
    text = "Tin tức\nNgày đăng: 02-01-2024\nTỷ lệ hộ gia đình có Internet cáp quang sẽ được công bố vào ngày 5.\n"
    from xhs_extract.prefilter import gate

    assert gate(text)  # the extractors do read it
    result = process_text(text)
    assert not result.records and result.published is None and result.n_sentences is None
    assert any(w.startswith("M004") for w in result.warnings)


def test_a_paragraph_opening_with_trong_do_breaks_down_the_one_before():
    text = (
        "Huyện đẩy mạnh chuyển đổi số\n\n"
        "Đến nay, huyện đã thành lập Tổ công nghệ số cộng đồng ở mọi xã; ở thôn, khối phố có "
        "104 tổ với tổng cộng 1.126 thành viên.\n\n"
        "Trong đó, thị trấn Đông Phú có 9 tổ với 112 thành viên; xã Hương An có 8 tổ.\n"
    )
    found = [(r.indicator, r.value) for r in extract_text(text)]
    assert ("community_digital_teams", 9) in found and ("community_digital_teams", 8) in found
    assert ("community_digital_team_members", 112) in found
    # without a breakdown opening, a paragraph of bare counts takes no subject from above
    plain = text.replace("Trong đó, thị trấn", "Thị trấn")
    assert ("community_digital_teams", 9) not in [(r.indicator, r.value) for r in extract_text(plain)]

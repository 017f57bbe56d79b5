"""Loading gold and predictions, and `gold check`: every problem named with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from xhs_extract.cli import app
from xhs_extract.errors import AnnotationInputError
from xhs_extract.gold import (
    check_gold,
    indicator_units,
    load_gold,
    load_predictions,
    looks_like_figure,
    parse_span,
    read_corpus,
)
from xhs_extract.read import doc_id_for

DATA = Path(__file__).resolve().parent / "data" / "eval"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS_GOLD = SHARED / "corpus" / "seeds-gold.jsonl"
SEEDS = SHARED / "corpus" / "seeds"


def _gold_lines() -> list[dict]:
    return [json.loads(x) for x in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines()]


def _write(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False))
                            + "\n" for x in lines), encoding="utf-8")
    return path


def test_load_gold_and_predictions():
    gold = load_gold(DATA / "gold.jsonl", codes=indicator_units())
    assert list(gold.documents) == ["a", "sub/b", "c"]
    assert gold.n_records == 6 and gold.documents["c"] == []
    first = gold.documents["a"][0]
    assert (first.indicator, first.value, first.unit, first.span) == (
        "eid_account_activated", 706105.0, "count", (13, 20))
    assert first.text.startswith("706.105")
    preds = load_predictions(DATA / "pred.jsonl", codes=indicator_units())
    assert len(preds) == 6 and preds[1].province == "TỈNH SƠN LA"
    assert preds[0].text is not None  # evidence text kept for reports


def test_read_corpus_gives_doc_ids_and_texts():
    texts = read_corpus(DATA / "corpus")
    assert set(texts) == {"a", "sub/b", "c"}
    assert texts["sub/b"].startswith("🎉🎉")
    assert doc_id_for(Path("/x/sonla/2024-05-01.txt"), Path("/x")) == "sonla/2024-05-01"
    with pytest.raises(AnnotationInputError, match="does not exist"):
        read_corpus(DATA / "no-such-folder")


def test_gold_spans_point_at_figures():
    texts = read_corpus(DATA / "corpus")
    gold = load_gold(DATA / "gold.jsonl")
    shown = [texts[d][x.span[0]:x.span[1]] for d, xs in gold.documents.items() for x in xs]
    assert shown == ["706.105", "79,5%", "92%", "71%", "100%", "94,8%"]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda g: g[0]["statistics"][0].update(indicator="nope"), "unknown indicator code 'nope'"),
        (lambda g: g[0]["statistics"][0].update(unit="mbps"), "not allowed for eid_account_activated"),
        (lambda g: g[0]["statistics"][0].update(unit="people"), "unknown unit 'people'"),
        (lambda g: g[0]["statistics"][0].update(value="706.105"), "is not a number"),
        (lambda g: g[0]["statistics"][0].update(qualifier="about"), "unknown qualifier"),
        (lambda g: g[0]["statistics"][0].update(period="cuối 2021"), "the period 'cuối 2021'"),
        (lambda g: g[0]["statistics"][0].update(value_span=[13, 9999]), "outside the text"),
        (lambda g: g[0]["statistics"][0].update(value_span=[20, 13]), "is not [start, end]"),
        (lambda g: g[0]["statistics"][0].update(value_span=[0, 4]), "which is not a figure"),
        (lambda g: g[0]["statistics"][0].update(value_span=[63, 68]), "not in the record's text"),
        (lambda g: g[0]["statistics"].append(dict(g[0]["statistics"][1])), "repeats statistic 2"),
        (lambda g: g[0]["statistics"][0].update(geo={"name": "Sơn La", "level": "region"}),
         "unknown geo level"),
        (lambda g: g.append(dict(g[0])), 'repeats the document "a"'),
        (lambda g: g.pop(2), 'the corpus document "c" has no gold line'),
        (lambda g: g.append({"doc_id": "zz", "statistics": []}), '"zz" is not in the corpus'),
    ],
)
def test_check_gold_finds_each_problem(tmp_path, mutate, message):
    gold = _gold_lines()
    mutate(gold)
    path = _write(tmp_path / "gold.jsonl", gold)
    problems = check_gold(path, read_corpus(DATA / "corpus"))
    assert any(message in str(p) for p in problems), [str(p) for p in problems]
    assert all(str(path) in str(p) for p in problems)


def test_check_gold_clean_file_and_line_numbers(tmp_path):
    assert check_gold(DATA / "gold.jsonl", read_corpus(DATA / "corpus")) == []
    gold = _gold_lines()
    path = _write(tmp_path / "g.jsonl", [gold[0], "{broken", gold[1], gold[2]])
    problems = check_gold(path, read_corpus(DATA / "corpus"))
    assert [(p.line, "not valid JSON" in p.message) for p in problems] == [(2, True)]


def test_one_span_may_hold_a_figure_for_two_places(tmp_path):
    # "xã A và xã B đều đạt 100%": one statistic for each place, on the same span
    gold = _gold_lines()
    twin = json.loads(json.dumps(gold[0]["statistics"][1]))
    twin["geo"] = {"name": "Mộc Châu", "level": "district", "province": "Sơn La",
                   "province_2025": "Sơn La"}
    gold[0]["statistics"].append(twin)
    assert check_gold(_write(tmp_path / "g.jsonl", gold), read_corpus(DATA / "corpus")) == []


def test_check_gold_without_corpus_checks_the_records_only(tmp_path):
    gold = _gold_lines()[:1]
    gold[0]["statistics"][0]["value_span"] = [13, 99999]
    assert check_gold(_write(tmp_path / "g.jsonl", gold), None) == []


def test_check_gold_relaxed_accepts_records_without_spans(tmp_path):
    gold = _gold_lines()
    del gold[0]["statistics"][0]["value_span"]
    path = _write(tmp_path / "g.jsonl", gold)
    texts = read_corpus(DATA / "corpus")
    assert [p.line for p in check_gold(path, texts)] == [1]
    assert check_gold(path, texts, require_spans=False) == []
    result = CliRunner().invoke(app, ["gold", "check", str(path), "--corpus", str(DATA / "corpus"),
                                      "--match", "relaxed"])
    assert result.exit_code == 0, result.output


def test_load_errors_name_file_and_line(tmp_path):
    gold = _gold_lines()
    with pytest.raises(AnnotationInputError, match=r"g\.jsonl, line 2: repeats the document \"a\""):
        load_gold(_write(tmp_path / "g.jsonl", [gold[0], gold[0]]))
    with pytest.raises(AnnotationInputError, match="looks like a prediction record"):
        load_gold(DATA / "pred.jsonl")
    with pytest.raises(AnnotationInputError, match=r"line 1: the record: has no numeric \"value\""):
        load_predictions(_write(tmp_path / "p.jsonl", [{"doc_id": "a", "indicator": "x",
                                                        "unit": "count", "value": None}]))
    with pytest.raises(AnnotationInputError, match="not valid UTF-8"):
        bad = tmp_path / "latin.jsonl"
        bad.write_bytes('{"doc_id": "é"}\n'.encode("latin-1"))
        load_gold(bad)


def test_looks_like_figure():
    assert looks_like_figure("98,5%")
    assert looks_like_figure("hai triệu")
    assert looks_like_figure("Một nửa") or looks_like_figure("một")
    assert not looks_like_figure("Toàn")
    assert not looks_like_figure("tỉnh")


@given(st.integers(-5, 50), st.integers(-5, 50))
def test_parse_span_accepts_only_ordered_ranges(start, end):
    span = parse_span([start, end])
    assert (span is not None) == (0 <= start < end)
    assert parse_span([True, 3]) is None and parse_span([1, 2, 3]) is None


def test_cli_gold_check_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["gold", "check", str(DATA / "gold.jsonl"),
                             "--corpus", str(DATA / "corpus")])
    assert ok.exit_code == 0, ok.output
    gold = _gold_lines()
    gold[0]["statistics"][0]["indicator"] = "nope"
    bad = _write(tmp_path / "g.jsonl", gold)
    found = runner.invoke(app, ["gold", "check", str(bad), "--corpus", str(DATA / "corpus")])
    assert found.exit_code == 1
    assert "line 1" in found.output and "nope" in found.output
    absent = runner.invoke(app, ["gold", "check", str(tmp_path / "none.jsonl")])
    assert absent.exit_code == 2 and "does not exist" in absent.output
    no_corpus = runner.invoke(app, ["gold", "check", str(bad), "--corpus", str(tmp_path / "x")])
    assert no_corpus.exit_code == 2 and "Traceback" not in no_corpus.output


def test_seed_gold_passes_check():
    if not SEEDS_GOLD.is_file() or not SEEDS.is_dir():
        pytest.skip(f"the shared seeds are absent ({SHARED}, next to the repository)")
    assert [str(p) for p in check_gold(SEEDS_GOLD, read_corpus(SEEDS))] == []

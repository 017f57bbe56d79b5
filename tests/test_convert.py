"""Annotation-tool converters: round trips, and UTF-16 offsets for Label Studio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from xhs_extract.cli import app
from xhs_extract.convert import (
    Document,
    attach_texts,
    convert,
    format_geo,
    from_utf16,
    labelstudio_config,
    parse_geo,
    parse_number,
    read_brat,
    read_doccano,
    read_labelstudio,
    read_xhs,
    utf16_table,
)
from xhs_extract.errors import AnnotationInputError
from xhs_extract.gold import indicator_units, read_corpus

DATA = Path(__file__).resolve().parent / "data" / "eval"
CORPUS = DATA / "corpus"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS_GOLD = SHARED / "corpus" / "seeds-gold.jsonl"
SEEDS = SHARED / "corpus" / "seeds"
TOOLS = ("labelstudio", "doccano", "brat")


def _by_doc(path: Path) -> dict[str, list[str]]:
    """doc_id -> its records as canonical JSON, order-insensitive."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            out[doc["doc_id"]] = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False)
                                        for r in doc["statistics"])
    return out


# --------------------------------------------------------------------------- offsets


@given(st.text(alphabet=st.sampled_from("aăâ đ1%,🎉😀𝔸\n"), max_size=30))
def test_utf16_offsets_round_trip(text):
    table = utf16_table(text)
    for cp in range(len(text) + 1):
        unit = table[cp]
        assert unit == len(text[:cp].encode("utf-16-le")) // 2
        assert from_utf16(text, unit, table) == cp


def test_offset_inside_a_surrogate_pair_is_rejected():
    text = "a🎉b"
    assert utf16_table(text)[2] == 3
    assert from_utf16(text, 2) is None
    assert from_utf16(text, 99) is None


@given(st.one_of(st.integers(-10**12, 10**12),
                 st.floats(allow_nan=False, allow_infinity=False, width=64)))
def test_parse_number_reads_what_format_writes(value):
    from xhs_extract.convert import format_number

    assert parse_number(format_number(value)) == value


def test_parse_number_and_geo_fields():
    assert parse_number("98,5") == 98.5 and parse_number("92") == 92
    assert parse_number("") is None and parse_number("abc") is None
    geo = {"name": "Sơn La", "level": "province", "province": "Sơn La", "province_2025": "Sơn La"}
    assert parse_geo(format_geo(geo), source="x", line=1) == geo
    assert parse_geo("Việt Nam | nation", source="x", line=1) == {
        "name": "Việt Nam", "level": "nation", "province": None, "province_2025": None}
    assert parse_geo('{"name": "Huế", "level": "city"}', source="x", line=1)["name"] == "Huế"
    with pytest.raises(AnnotationInputError, match="more than four parts"):
        parse_geo("a|b|c|d|e", source="x", line=1)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("tool", TOOLS)
def test_round_trip_through_each_tool(tmp_path, tool):
    middle = tmp_path / f"out.{tool}"
    back = tmp_path / "back.jsonl"
    assert convert(DATA / "gold.jsonl", middle, "xhs", tool, corpus=CORPUS) == 3
    assert convert(middle, back, tool, "xhs") == 3
    assert _by_doc(back) == _by_doc(DATA / "gold.jsonl")
    # and back again with the corpus check of the tool's texts
    assert convert(middle, tmp_path / "again.jsonl", tool, "xhs", corpus=CORPUS) == 3
    assert _by_doc(tmp_path / "again.jsonl") == _by_doc(DATA / "gold.jsonl")


@pytest.mark.parametrize("tool", TOOLS)
def test_prediction_records_round_trip_with_their_extra_fields(tmp_path, tool):
    convert(DATA / "pred.jsonl", tmp_path / "mid", "xhs", tool, corpus=CORPUS)
    convert(tmp_path / "mid", tmp_path / "back.jsonl", tool, "xhs")
    expected = {}
    for doc in read_xhs(DATA / "pred.jsonl"):
        expected[doc.doc_id] = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False)
                                      for r in doc.statistics)
    assert _by_doc(tmp_path / "back.jsonl") == expected
    record = json.loads((tmp_path / "back.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["statistics"][0]["extractor"] == "rule:test"


def test_label_studio_counts_utf16_units_before_a_figure(tmp_path):
    out = tmp_path / "ls.json"
    convert(DATA / "gold.jsonl", out, "xhs", "labelstudio", corpus=CORPUS)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    task = next(t for t in tasks if t["data"]["doc_id"] == "sub/b")
    text = task["data"]["text"]
    labels = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    first, second = labels[0]["value"], labels[1]["value"]
    # Two emoji before "100%": each is one code point but two UTF-16 units.
    assert first["text"] == "100%" and first["start"] == text.index("100%") + 2
    # A third emoji before "94,8%".
    assert second["text"] == "94,8%" and second["start"] == text.index("94,8%") + 3
    # What JavaScript would slice with those offsets:
    encoded = text.encode("utf-16-le")
    assert encoded[2 * first["start"]:2 * first["end"]].decode("utf-16-le") == "100%"


def test_label_studio_code_point_offsets_are_detected(tmp_path):
    out = tmp_path / "ls.json"
    convert(DATA / "gold.jsonl", out, "xhs", "labelstudio", corpus=CORPUS, ls_offsets="codepoints")
    back = tmp_path / "back.jsonl"
    convert(out, back, "labelstudio", "xhs")  # reader assumes UTF-16, region text decides
    assert _by_doc(back) == _by_doc(DATA / "gold.jsonl")


def test_label_studio_annotations_win_over_predictions(tmp_path):
    text = "😀 Có 2.447 tài khoản, đạt 92%."
    start = text.index("92%")
    region = {"id": "new1", "from_name": "indicator", "to_name": "text", "type": "labels",
              "value": {"start": start + 1, "end": start + 4, "text": "92%",
                        "labels": ["eid_account_rate"]}}
    status = {"id": "new1", "from_name": "status", "to_name": "text", "type": "choices",
              "value": {"start": start + 1, "end": start + 4, "choices": ["target"]}}
    task = {"data": {"text": text, "doc_id": "x"},
            "annotations": [{"result": [], "was_cancelled": True},
                            {"result": [region, status], "was_cancelled": False}],
            "predictions": [{"result": []}]}
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    [doc] = read_labelstudio(path)
    [record] = doc.statistics
    # value and unit read from the span, status from the choice, defaults elsewhere
    assert record["value"] == 92 and record["unit"] == "percent"
    assert record["status"] == "target" and record["qualifier"] == "exact"
    assert record["value_span"] == [start, start + 3]


def test_label_studio_bad_region_is_a_clear_error(tmp_path):
    task = {"id": 7, "data": {"text": "đạt 92%", "doc_id": "x"},
            "annotations": [{"result": [{"id": "r", "type": "labels", "from_name": "indicator",
                                         "value": {"start": 0, "end": 3, "text": "92%",
                                                   "labels": ["eid_account_rate"]}}]}]}
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(AnnotationInputError, match=r"ls\.json: task 7: region r \[0, 3\] does not cover"):
        read_labelstudio(path)
    task["annotations"][0]["result"][0]["value"].update(start=4, end=6, text="92")
    path.write_text(json.dumps([task]), encoding="utf-8")
    [doc] = read_labelstudio(path)
    assert doc.statistics[0]["value"] == 92 and doc.statistics[0]["unit"] == "count"
    task["annotations"][0]["result"][0]["value"].update(start=0, end=3, text="đạt")
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(AnnotationInputError, match="has no value; fill in its value field"):
        read_labelstudio(path)


def test_label_studio_config_lists_every_code():
    config = labelstudio_config()
    for code in indicator_units():
        assert f'<Label value="{code}"/>' in config
    assert 'name="unit"' in config and 'perRegion="true"' in config


def test_doccano_reads_entities_and_plain_labels(tmp_path):
    text = "Có 706.105 người, đạt 79,5%."
    a, b = text.index("706.105"), text.index("79,5%")
    lines = [
        {"text": text, "doc_id": "d1", "label": [[a, a + 7, "eid_account_activated"]]},
        {"text": text, "meta": {"doc_id": "d2"},
         "entities": [{"id": 1, "start_offset": b, "end_offset": b + 5, "label": "eid_account_rate"}]},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    first, second = read_doccano(path)
    assert (first.doc_id, first.statistics[0]["value"], first.statistics[0]["unit"]) == (
        "d1", 706105, "count")
    assert (second.doc_id, second.statistics[0]["value"]) == ("d2", 79.5)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "ab", "label": [[0, 9, "x"]]}), encoding="utf-8")
    with pytest.raises(AnnotationInputError, match=r"bad\.jsonl, line 1: the label \[0, 9"):
        read_doccano(bad)


def test_brat_layout_and_edits(tmp_path):
    folder = tmp_path / "brat"
    convert(DATA / "gold.jsonl", folder, "xhs", "brat", corpus=CORPUS)
    assert (folder / "annotation.conf").is_file()
    ann = folder / "sub" / "b.ann"
    assert (folder / "sub" / "b.txt").read_text(encoding="utf-8") == (CORPUS / "sub" / "b.txt").read_text(encoding="utf-8")
    lines = ann.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("T1\tcommune_fiber_coverage_rate ") and lines[0].endswith("\t100%")
    # A researcher adds a figure in brat without notes: value and unit come from the span.
    text = (folder / "sub" / "b.txt").read_text(encoding="utf-8")
    start = text.index("94,8%")
    ann.write_text("\n".join(lines[:5]) + f"\nT9\tpopulation_4g_coverage_rate {start} {start + 5}\t94,8%\n",
                   encoding="utf-8")
    docs = {d.doc_id: d for d in read_brat(folder)}
    added = docs["sub/b"].statistics[-1]
    assert (added["value"], added["unit"], added["value_span"]) == (94.8, "percent", [start, start + 5])
    ann.write_text(lines[0] + "\n#1\tAnnotatorNotes T1\tvalue=100\n", encoding="utf-8")
    with pytest.raises(AnnotationInputError, match=r"b\.ann, line 2: the annotator note"):
        read_brat(folder)


def test_conversion_needs_texts_and_checks_them(tmp_path):
    with pytest.raises(AnnotationInputError, match="needs the document texts"):
        convert(DATA / "gold.jsonl", tmp_path / "x.json", "xhs", "labelstudio")
    docs = [Document("a", "another text", [])]
    with pytest.raises(AnnotationInputError, match='text of "a" in the tool differs'):
        attach_texts(docs, read_corpus(CORPUS), CORPUS)
    unnamed = [Document("", read_corpus(CORPUS)["c"], [])]
    assert attach_texts(unnamed, read_corpus(CORPUS), CORPUS)[0].doc_id == "c"


def test_cli_convert(tmp_path):
    runner = CliRunner()
    out = tmp_path / "ls.json"
    done = runner.invoke(app, ["gold", "convert", str(DATA / "gold.jsonl"), str(out),
                               "--from", "xhs", "--to", "labelstudio", "--corpus", str(CORPUS),
                               "--ls-as", "annotations"])
    assert done.exit_code == 0, done.output
    assert "annotations" in json.loads(out.read_text(encoding="utf-8"))[0]
    back = tmp_path / "back.jsonl"
    again = runner.invoke(app, ["gold", "convert", str(out), str(back), "--from", "labelstudio",
                                "--to", "xhs"])
    assert again.exit_code == 0, again.output
    assert _by_doc(back) == _by_doc(DATA / "gold.jsonl")
    failed = runner.invoke(app, ["gold", "convert", str(DATA / "gold.jsonl"), str(out),
                                 "--from", "xhs", "--to", "brat"])
    assert failed.exit_code == 2 and "--corpus" in failed.output
    config = runner.invoke(app, ["gold", "labelstudio-config"])
    assert config.exit_code == 0 and "<Labels" in config.output


@pytest.mark.parametrize("tool", TOOLS)
def test_seed_gold_round_trip(tmp_path, tool):
    if not SEEDS_GOLD.is_file() or not SEEDS.is_dir():
        pytest.skip(f"the shared seeds are absent ({SHARED}, next to the repository)")
    convert(SEEDS_GOLD, tmp_path / "mid", "xhs", tool, corpus=SEEDS)
    convert(tmp_path / "mid", tmp_path / "back.jsonl", tool, "xhs", corpus=SEEDS)
    assert _by_doc(tmp_path / "back.jsonl") == _by_doc(SEEDS_GOLD)

"""CSV and Parquet export of the output JSONL, and the `schema` command."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xhs_extract import export
from xhs_extract.models import DocumentRecord, Evidence, Geo, Statistic, statistic_id

SON_LA = Geo(name="Sơn La", level="province", province="Sơn La", province_2025="Sơn La")
HOSTILE = 'it\'s "quoted"; DROP TABLE x; --\x00 NUL, 😀, comma, new\nline, \\ back'


def make_stat(
    doc_id: str, n: int, text: str = "tỷ lệ hộ gia đình đạt 98,5%", **changes: Any
) -> Statistic:
    start = 1000 * n
    span = (start, start + 3)
    fields: dict[str, Any] = dict(
        id=statistic_id(doc_id, "household_fiber_broadband_rate", span),
        doc_id=doc_id,
        indicator="household_fiber_broadband_rate",
        value=98.5,
        unit="percent",
        geo=SON_LA,
        value_span=span,
        evidence=Evidence(start=start, end=start + len(text), text=text),
        extractor="rule:test",
    )
    fields.update(changes)
    return Statistic(**fields)


RECORDS = [
    make_stat("sonla/a", 0),
    make_stat("sonla/a", 1, text=HOSTILE, value=706105, unit="count", notes=["a; b", "c"]),
    make_stat("sonla/a", 2, value=27, value_max=34, denominator=None, geo=None, period="2023/2024"),
    make_stat("sonla/a", 3, value=209, unit="count", denominator=209, qualifier="over"),
]


def write_jsonl(path: Path, records: list[Statistic]) -> Path:
    path.write_text(
        "".join(json.dumps(r.to_json_dict(), ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def test_columns_are_the_table_layout() -> None:
    assert export.COLUMNS[:3] == ("id", "doc_id", "indicator")
    assert {"geo_province", "evidence_text", "value_start", "notes"} <= set(export.COLUMNS)


def test_csv_export(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    target = tmp_path / "out.csv"
    assert export.export_file(source, "csv", target) == len(RECORDS)
    rows = read_csv(target)
    assert list(rows[0]) == list(export.COLUMNS)
    assert [r["id"] for r in rows] == [r.id for r in RECORDS]
    assert rows[0]["value"] == "98.5" and rows[1]["value"] == "706105"  # not 706105.0
    assert rows[1]["evidence_text"] == HOSTILE
    assert json.loads(rows[1]["notes"]) == ["a; b", "c"] and rows[0]["notes"] == ""
    assert rows[2]["geo_province"] == "" and rows[2]["value_max"] == "34"
    assert rows[3]["denominator"] == "209" and rows[3]["qualifier"] == "over"
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_bom_for_excel(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    export.write_csv(RECORDS[:1], target, bom=True)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_csv(target, encoding="utf-8-sig")[0]["geo_name"] == "Sơn La"


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=3, max_size=50))
def test_csv_round_trips_any_evidence(tmp_path: Path, text: str) -> None:
    target = tmp_path / "any.csv"
    export.write_csv([make_stat("d/x", 0, text=text)], target)
    assert read_csv(target)[0]["evidence_text"] == text


def test_parquet_export(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    target = tmp_path / "out.parquet"
    assert export.export_file(source, "parquet", target) == len(RECORDS)
    connection = duckdb.connect()
    relation = connection.read_parquet(str(target))
    assert relation.columns == list(export.COLUMNS)
    types = dict(zip(relation.columns, (str(t) for t in relation.types), strict=True))
    assert types["value"] == "DOUBLE" and types["value_start"] == "INTEGER"
    assert types["notes"] == "VARCHAR[]" and types["evidence_text"] == "VARCHAR"
    rows = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    connection.close()
    assert [r["id"] for r in rows] == [r.id for r in RECORDS]
    assert rows[1]["evidence_text"] == HOSTILE and rows[1]["notes"] == ["a; b", "c"]
    assert rows[1]["value"] == 706105.0 and rows[2]["value_max"] == 34.0
    assert rows[0]["notes"] == [] and rows[2]["geo_name"] is None


def test_empty_input_gives_header_and_typed_empty_parquet(tmp_path: Path) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text("", encoding="utf-8")
    assert export.export_file(source, "csv", tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8").strip() == ",".join(export.COLUMNS)
    duckdb = pytest.importorskip("duckdb")
    assert export.export_file(source, "parquet", tmp_path / "e.parquet") == 0
    relation = duckdb.connect().read_parquet(str(tmp_path / "e.parquet"))
    assert relation.columns == list(export.COLUMNS) and relation.fetchall() == []


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    with source.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "broken"\n')
    target = tmp_path / "out.csv"
    target.write_text("previous export\n", encoding="utf-8")
    with pytest.raises(export.ExportError) as caught:
        export.export_file(source, "csv", target)
    assert f"{source}, line {len(RECORDS) + 1}: not valid JSON" in str(caught.value)
    assert "nothing was written" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.jsonl"]  # no temp left


def test_unknown_format_and_missing_folder(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    with pytest.raises(export.ExportError, match="unknown export format 'xlsx'"):
        export.export_file(source, "xlsx", tmp_path / "x.xlsx")
    with pytest.raises(export.ExportError, match="folder .*missing.* does not exist"):
        export.export_file(source, "csv", tmp_path / "missing" / "x.csv")


def test_parquet_without_duckdb_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # makes `import duckdb` fail
    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    with pytest.raises(export.ExportError, match="needs the duckdb package"):
        export.export_file(source, "parquet", tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


def test_cli_export_and_schema(tmp_path: Path) -> None:
    from xhs_extract.cli import app

    runner = CliRunner()
    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    result = runner.invoke(
        app, ["export", str(source), "--format", "csv", "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {len(RECORDS)} record(s)" in result.output
    result = runner.invoke(
        app, ["export", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1 and "cannot read the statistics file" in result.output

    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert set(schema["properties"]) == set(Statistic.model_fields)
    assert {"id", "doc_id", "indicator", "value", "unit", "value_span", "evidence"} <= set(
        schema["required"]
    )
    assert schema["properties"]["unit"]["enum"] == [
        "percent",
        "count",
        "per_100_people",
        "vnd",
        "mbps",
    ]
    result = runner.invoke(app, ["schema", "--model", "document"])
    assert set(json.loads(result.output)["properties"]) == set(DocumentRecord.model_fields)
    result = runner.invoke(app, ["schema", "--model", "nope"])
    assert result.exit_code == 1 and "unknown model" in result.output


def test_exported_files_get_ordinary_permissions_not_the_temporary_files_0600(
    tmp_path: Path,
) -> None:
    # An export used to keep the 0600 mode of its temporary file, so that nobody but its
    # writer could read the CSV; it now gets the permissions the umask gives any file.
    import os

    source = write_jsonl(tmp_path / "out.jsonl", RECORDS)
    target = tmp_path / "out.csv"
    export.export_file(source, "csv", target)
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

"""The database loader: idempotent, atomic per load, faithful to every string, on three backends.

SQLite and DuckDB run in-process on temporary files. PostgreSQL tests need a server named by
XHS_TEST_POSTGRES_URL (``source .ci/postgres.sh`` starts one); each test works in its own
schema, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xhs_extract import db
from xhs_extract.catalogue import load_catalogue, parse_catalogue
from xhs_extract.models import DocumentRecord, Evidence, Geo, Statistic, Subject, statistic_id

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"


def changed(report: db.LoadReport) -> bool:
    """Whether a load wrote anything."""
    return bool(report.inserted or report.updated or report.deleted or report.documents_written)


PG_URL = os.environ.get("XHS_TEST_POSTGRES_URL")

SON_LA = Geo(name="Sơn La", level="province", province="Sơn La", province_2025="Sơn La")
BEN_TRE = Geo(name="Bến Tre", level="province", province="Bến Tre", province_2025="Vĩnh Long")

HOSTILE = [
    'it\'s "quoted"; DROP TABLE statistics; --',
    "Robert'); DELETE FROM documents WHERE ('1'='1",
    "NUL here:\x00and\x00\x00twice",
    "emoji 😀👨‍👩‍👧 and flags 🇻🇳",
    "back\\slash \\0 not a NUL, \\\\ two",
    "line\nbreak\r\nand\ttab, U+2028:\u2028 U+0085:\u0085",
    "tổ “Chuyển đổi số cộng đồng’’ đạt 98,5%",
    "combining: Vie\u0302\u0323t",  # decomposed Việt
    "%_ LIKE wildcards % _",
]


def make_stat(
    doc_id: str,
    n: int,
    *,
    indicator: str = "household_fiber_broadband_rate",
    value: float = 92.0,
    unit: str = "percent",
    evidence_text: str = "tỷ lệ hộ gia đình có cáp quang đạt 92%",
    **changes: Any,
) -> Statistic:
    """A valid record: the figure sits at the start of its evidence, spans consistent."""
    start = 1000 * n
    span = (start, start + 3)
    fields: dict[str, Any] = dict(
        id=statistic_id(doc_id, indicator, span),
        doc_id=doc_id,
        indicator=indicator,
        value=value,
        unit=unit,
        geo=SON_LA,
        value_span=span,
        evidence=Evidence(start=start, end=start + len(evidence_text), text=evidence_text),
        extractor="rule:test",
    )
    fields.update(changes)
    return Statistic(**fields)


def run_v1() -> list[Statistic]:
    """Two documents, a mix of every optional field."""
    return [
        make_stat("sonla/a", 0, subject=Subject(start=12, end=40, text="hộ gia đình có cáp quang")),
        make_stat("sonla/a", 1, indicator="internet_user_rate", value=46.3, qualifier="approx"),
        make_stat(
            "sonla/a",
            2,
            indicator="community_digital_teams",
            value=697,
            unit="count",
            denominator=691,
            period="2021-12",
            notes=["thousands separator"],
        ),
        make_stat("bentre/b", 0, geo=BEN_TRE, value=27, value_max=34, status="target"),
        make_stat("bentre/b", 1, geo=None, indicator="ehr_population_rate", value=82),
    ]


def by_id(records: list[Statistic]) -> list[Statistic]:
    return sorted(records, key=lambda r: r.id)


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: equal snapshots mean no change."""
    out = {}
    with engine.connect() as conn:
        for table in db.METADATA.sorted_tables:
            if not sa.inspect(conn).has_table(table.name):
                continue
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
    return out


def count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


# --------------------------------------------------------------------------- backends


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    engine = db.connect(f"sqlite:///{tmp_path / 'xhs.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def duckdb_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    engine = db.connect(f"duckdb:///{tmp_path / 'xhs.duckdb'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[sa.Engine]:
    if not PG_URL:
        pytest.skip(
            "XHS_TEST_POSTGRES_URL is not set (run `source .ci/postgres.sh` to start a server)"
        )
    schema = f"xhs_test_{uuid.uuid4().hex[:12]}"
    url = db.normalise_url(PG_URL)
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True))
        admin.dispose()


BACKENDS = [
    pytest.param("sqlite_engine", id="sqlite"),
    pytest.param("duckdb_engine", id="duckdb"),
    pytest.param("postgres_engine", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> sa.Engine:
    return request.getfixturevalue(request.param)


# --------------------------------------------------------------------------- pure parts


@given(st.text())
def test_escape_round_trips_and_removes_nul(text: str) -> None:
    escaped = db.escape_text(text)
    assert "\x00" not in escaped
    assert db.unescape_text(escaped) == text


@given(st.text(alphabet=st.characters(blacklist_characters="\\\x00")))
def test_escape_leaves_ordinary_text_alone(text: str) -> None:
    assert db.escape_text(text) == text


def test_escape_is_unambiguous_for_backslash_zero() -> None:
    # A literal backslash followed by "0" must not come back as NUL.
    assert db.unescape_text(db.escape_text("\\0")) == "\\0"
    assert db.escape_text("a\x00b\\") == "a\\0b\\\\"


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgres://u:p@h:5433/d", "postgresql+psycopg://u:p@h:5433/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("duckdb:///x.duckdb", "duckdb:///x.duckdb"),
        ("out/x.db", "sqlite:///out/x.db"),
        ("out/x.duckdb", "duckdb:///out/x.duckdb"),
    ],
)
def test_normalise_url(given_url: str, expected: str) -> None:
    assert db.normalise_url(given_url) == expected


def test_display_url_hides_password() -> None:
    shown = db.display_url("postgresql://user:secret@host/db")
    assert "secret" not in shown and "user" in shown
    assert "p@ss" not in db.display_url("postgresql://user:p@ss@host:notaport/db")


evidence_text = st.text(min_size=3, max_size=60)


@given(evidence_text, st.lists(st.text(max_size=20), max_size=3))
def test_row_round_trip(text: str, notes: list[str]) -> None:
    record = make_stat("d/x", 1, evidence_text=text, notes=notes)
    assert db.row_to_statistic(db.statistic_to_row(record)) == record


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(evidence_text)
def test_jsonl_reader_round_trips_any_text(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "out.jsonl"
    record = make_stat("d/x", 1, evidence_text=text)
    path.write_text(json.dumps(record.to_json_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    [item] = db.read_statistics_file(path)
    assert item.record == record


def test_catalogue_rows_cover_the_catalogue() -> None:
    catalogue = load_catalogue()
    indicators, targets = db.catalogue_rows(catalogue)
    codes = set(catalogue.indicators)
    assert {row["code"] for row in indicators} == codes
    assert {"indicator": "household_fiber_broadband_rate", "year": 2025, "value": 80.0} in targets


# --------------------------------------------------------------------------- loading


def test_load_and_read_back(engine: sa.Engine) -> None:
    records = run_v1()
    report = db.load_records(engine, records)
    assert (report.inserted, report.updated, report.deleted, report.unchanged) == (5, 0, 0, 0)
    assert report.documents == 2
    assert by_id(db.read_statistics(engine)) == by_id(records)
    assert by_id(db.read_statistics(engine, doc_id="bentre/b")) == by_id(records[3:])
    catalogue_size = len(db.catalogue_rows(load_catalogue())[0])
    assert count(engine, db.INDICATORS) == catalogue_size


def test_a_database_of_the_first_layout_gains_the_subject_columns(engine: sa.Engine) -> None:
    """Rows loaded before records had a subject keep NULL there; new loads fill it."""
    first = sa.MetaData()
    for table in db.METADATA.sorted_tables:
        columns = [c._copy() for c in table.columns if not c.name.startswith("subject_")]
        sa.Table(table.name, first, *columns)
    first.create_all(engine)
    with engine.begin() as conn:
        conn.execute(db.META.insert().values(key="schema_version", value="1"))
    db.create_schema(engine)
    with engine.connect() as conn:
        version = conn.execute(sa.select(db.META.c.value).where(db.META.c.key == "schema_version"))
        assert version.scalar_one() == str(db.SCHEMA_VERSION)
    records = run_v1()
    db.load_records(engine, records)
    assert by_id(db.read_statistics(engine)) == by_id(records)


def test_records_written_before_the_subject_still_load(tmp_path: Path) -> None:
    record = make_stat("sonla/a", 0).to_json_dict()
    assert "subject" not in record
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (loaded,) = db.read_statistics_file(path)
    assert loaded.record.subject is None


def test_reload_is_a_no_op(engine: sa.Engine) -> None:
    db.load_records(engine, run_v1())
    before = snapshot(engine)
    report = db.load_records(engine, run_v1())
    assert not changed(report)
    assert (report.inserted, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 5)
    assert snapshot(engine) == before
    assert count(engine, db.STATISTICS) == 5


def test_new_run_replaces_only_its_documents(engine: sa.Engine) -> None:
    v1 = run_v1()
    db.load_records(engine, v1)
    # Re-extraction of sonla/a after a pattern fix: one record gone, one changed, one new.
    v2 = [
        v1[0].model_copy(update={"qualifier": "over", "notes": ["fixed"]}),
        v1[2],
        make_stat("sonla/a", 7, indicator="adult_smartphone_rate", value=90.1),
    ]
    report = db.load_records(engine, v2)
    assert (report.inserted, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 1)
    assert report.documents == 1
    assert by_id(db.read_statistics(engine, doc_id="sonla/a")) == by_id(v2)
    assert by_id(db.read_statistics(engine, doc_id="bentre/b")) == by_id(v1[3:])


def test_failure_in_the_middle_leaves_the_old_rows(engine: sa.Engine) -> None:
    v1 = run_v1()
    db.load_records(engine, v1)
    before = snapshot(engine)
    v2 = [
        v1[0].model_copy(update={"value": 93.0}),
        make_stat("sonla/a", 8, indicator="adult_smartphone_rate", value=90.1),
    ]
    executed: list[str] = []

    def fail_on_statistics_insert(conn, cursor, statement, parameters, context, executemany):
        executed.append(statement.split()[0].upper())
        if statement.lstrip().upper().startswith("INSERT INTO STATISTICS"):
            raise RuntimeError("injected failure")

    sa.event.listen(engine, "before_cursor_execute", fail_on_statistics_insert)
    try:
        with pytest.raises(RuntimeError, match="injected failure"):
            db.load_records(engine, v2)
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail_on_statistics_insert)
    # The failure came at an insert, after old rows had been deleted (and, except on DuckDB,
    # where changed rows are replaced by delete and insert, one updated) inside the load.
    assert executed[-1] == "INSERT" and "DELETE" in executed[:-1]
    assert engine.dialect.name == "duckdb" or "UPDATE" in executed
    assert snapshot(engine) == before
    assert by_id(db.read_statistics(engine)) == by_id(v1)


def test_database_error_mid_load_is_reported_and_rolled_back(engine: sa.Engine) -> None:
    v1 = run_v1()
    db.load_records(engine, v1)
    before = snapshot(engine)

    def fail(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO STATISTICS"):
            raise sa.exc.OperationalError(statement, parameters, Exception("disk full"))

    sa.event.listen(engine, "before_cursor_execute", fail)
    try:
        with pytest.raises(db.LoadError, match="disk full.*nothing was loaded"):
            db.load_records(engine, [make_stat("sonla/a", 9)])
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail)
    assert snapshot(engine) == before


def test_hostile_strings_round_trip(engine: sa.Engine) -> None:
    records = [
        make_stat(
            "hostile/doc",
            i,
            evidence_text=text,
            notes=[text],
            period=text,
            extractor=f"rule:{text}",
            geo=Geo(name=text, level="commune", province=text, province_2025=text),
        )
        for i, text in enumerate(HOSTILE)
    ]
    db.load_records(engine, records)
    assert by_id(db.read_statistics(engine)) == by_id(records)
    # Loading them again finds them unchanged: stored and compared exactly.
    assert not changed(db.load_records(engine, records))
    with engine.connect() as conn:  # the tables are all still there
        assert sa.inspect(conn).has_table("documents")


@pytest.mark.postgres
def test_postgres_stores_nul_escaped(postgres_engine: sa.Engine) -> None:
    record = make_stat("nul/doc", 0, evidence_text="a\x00b\\c")
    db.load_records(postgres_engine, [record])
    with postgres_engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT evidence_text FROM statistics").scalar_one()
    assert raw == "a\\0b\\\\c"
    assert db.unescape_text(raw) == record.evidence.text


@pytest.mark.postgres
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=3, max_size=40))
def test_postgres_round_trips_any_text(postgres_engine: sa.Engine, text: str) -> None:
    record = make_stat("any/doc", 0, evidence_text=text)
    db.load_records(postgres_engine, [record])
    assert db.read_statistics(postgres_engine, doc_id="any/doc") == [record]


def test_documents_load_and_empty_document_loses_its_rows(engine: sa.Engine) -> None:
    v1 = run_v1()
    docs = [
        DocumentRecord(
            doc_id="sonla/a",
            path="sonla/a.txt",
            sha256="0" * 64,
            place=SON_LA,
            title='Chuyển đổi số; "quoted" \x00',
            n_records=3,
            warnings=["w"],
        ),
        DocumentRecord(doc_id="bentre/b", path="bentre/b.txt", sha256="1" * 64, n_records=2),
    ]
    report = db.load_records(engine, v1, docs)
    assert report.documents_written == 2
    assert db.read_documents(engine) == sorted(docs, key=lambda d: d.doc_id)
    # The next run finds nothing in bentre/b: its document line alone clears its statistics.
    docs2 = [docs[1].model_copy(update={"n_records": 0, "sha256": "2" * 64})]
    report = db.load_records(engine, [], docs2)
    assert report.deleted == 2 and report.documents_written == 1
    assert db.read_statistics(engine, doc_id="bentre/b") == []
    assert len(db.read_statistics(engine, doc_id="sonla/a")) == 3


def test_foreign_key_to_indicator(engine: sa.Engine) -> None:
    db.load_records(engine, run_v1())
    # The database itself enforces it (SQLite only with the pragma that connect() sets).
    row = db.statistic_to_row(make_stat("fk/doc", 0)) | {
        "indicator": "no_such_indicator",
        "id": "x",
    }
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as conn:
            conn.execute(db.STATISTICS.insert(), [row])


def test_catalogue_changes_are_synchronised(engine: sa.Engine) -> None:
    catalogue = {"s": {"a_rate": {"name_vi": "A", "units": ["percent"], "targets": {2025: 80}}}}
    record = make_stat("c/doc", 0, indicator="a_rate")
    db.load_records(engine, [record], catalogue=parse_catalogue(catalogue))
    catalogue["s"]["a_rate"] = {"name_vi": "A mới", "units": ["percent"], "targets": {2030: 95}}
    db.load_records(engine, [record], catalogue=parse_catalogue(catalogue))
    with engine.connect() as conn:
        assert conn.execute(sa.select(db.INDICATORS.c.name_vi)).scalar_one() == "A mới"
        targets = conn.execute(
            sa.select(db.INDICATOR_TARGETS.c.year, db.INDICATOR_TARGETS.c.value)
        ).all()
    assert [tuple(t) for t in targets] == [(2030, 95.0)]


# --------------------------------------------------------------------------- bad input


def write_jsonl(
    path: Path, records: list[Statistic], extra_lines: dict[int, str] | None = None
) -> Path:
    lines = [json.dumps(r.to_json_dict(), ensure_ascii=False) for r in records]
    for index, text in (extra_lines or {}).items():
        lines.insert(index, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_broken_json_line_names_file_and_line_and_loads_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    db.load_records(url, run_v1())
    engine = db.connect(url)
    before = snapshot(engine)
    bad = write_jsonl(
        tmp_path / "out.jsonl",
        [make_stat("sonla/a", 5), make_stat("sonla/a", 6)],
        {1: '{"id": "x", "doc_id": '},
    )
    with pytest.raises(db.LoadError) as caught:
        db.load_files(url, bad)
    message = str(caught.value)
    assert f"{bad}, line 2: not valid JSON" in message and "nothing was loaded" in message
    assert snapshot(engine) == before
    engine.dispose()


def test_invalid_records_are_all_listed(tmp_path: Path) -> None:
    good = make_stat("v/doc", 0).to_json_dict()
    lines = [
        json.dumps(good),
        json.dumps(good | {"unit": "percentage"}),
        json.dumps(good | {"indicator": "no_such_indicator"}),
        json.dumps(good | {"evidence": {"start": 0, "end": 2, "text": "too long"}}),
        "[1, 2]",
        json.dumps(good | {"id": good["id"], "value": 93}),
        "",
    ]
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(db.LoadError) as caught:
        db.load_files(url, path)
    message = str(caught.value)
    assert f"{path}, line 2: not a valid Statistic record: unit:" in message
    assert f"{path}, line 5: expected a JSON object" in message
    assert message.startswith("2 problem(s)")  # lines 3, 4 and 6 parse; their checks come later
    engine = db.connect(url)
    assert snapshot(engine) == {}  # not even the tables were created
    engine.dispose()


def test_checks_after_parsing_name_the_line(tmp_path: Path) -> None:
    good = make_stat("v/doc", 0).to_json_dict()
    lines = [
        json.dumps(good),
        json.dumps(good | {"indicator": "no_such_indicator"}),
        json.dumps(good | {"id": "e1", "evidence": {"start": 0, "end": 2, "text": "too long"}}),
        json.dumps(good | {"id": "e2", "unit": "vnd"}),
        json.dumps(good | {"value": 93}),
    ]
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(db.LoadError) as caught:
        db.load_files(f"sqlite:///{tmp_path / 'x.db'}", path)
    message = str(caught.value)
    assert message.startswith("5 problem(s)")  # line 3 breaks two rules
    assert (
        f"{path}, line 2: indicator 'no_such_indicator' is not in the indicator catalogue"
        in message
    )
    assert (
        f"{path}, line 3: evidence text has 8 characters but its offsets [0, 2) span 2" in message
    )
    assert f"{path}, line 3: value_span [0, 3) lies outside the evidence [0, 2)" in message
    assert f"{path}, line 4: unit 'vnd' is not one of the units of" in message
    assert (
        f"{path}, line 5: id {good['id']} was already given to a different record at {path}, line 1"
        in message
    )


def test_exact_duplicate_lines_are_loaded_once(tmp_path: Path) -> None:
    record = make_stat("dup/doc", 0)
    path = write_jsonl(tmp_path / "out.jsonl", [record, record])
    report = db.load_files(f"sqlite:///{tmp_path / 'x.db'}", path)
    assert report.statistics == 1 and report.inserted == 1


def test_reader_accepts_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    records = [make_stat("r/doc", 0, evidence_text="a\u2028b\u0085c"), make_stat("r/doc", 1)]
    body = "\r\n\r\n".join(json.dumps(r.to_json_dict(), ensure_ascii=False) for r in records)
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8") + b"\r\n")
    assert [item.record for item in db.read_statistics_file(path)] == records


def test_missing_file_and_bad_url_are_clear(tmp_path: Path) -> None:
    with pytest.raises(db.LoadError, match=r"cannot read the statistics file .*nope\.jsonl"):
        db.load_files(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "nope.jsonl")
    with pytest.raises(db.LoadError, match="folder .* does not exist"):
        db.load_records(f"sqlite:///{tmp_path / 'no' / 'x.db'}", run_v1())
    with pytest.raises(db.LoadError, match="loads into sqlite, duckdb, postgresql databases"):
        db.load_records("mysql://x@y/z", run_v1())
    with pytest.raises(db.LoadError, match="is not a database URL"):
        db.load_records("sqlite://:bad:port", run_v1())


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(db.LoadError, match="could not be reached.*nothing was loaded") as caught:
        db.load_records("postgresql://u:secret@127.0.0.1:1/none?connect_timeout=2", run_v1())
    assert "secret" not in str(caught.value)


# --------------------------------------------------------------------------- documentation


def documented_queries() -> list[str]:
    text = (REPO / "docs" / "database.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


def test_documented_query_runs_and_answers(engine: sa.Engine) -> None:
    queries = documented_queries()
    assert queries, "docs/database.md has no ```sql example"
    older = make_stat("sonla/old", 0, value=39.0, period="2022")
    newer = make_stat("sonla/new", 0, value=61.5, period="2024-06")
    target = make_stat("sonla/new", 1, value=80.0, period="2025", status="target")
    other = make_stat("bentre/x", 0, value=73.1, geo=BEN_TRE)
    db.load_records(engine, [older, newer, target, other])
    with engine.connect() as conn:
        rows = conn.execute(sa.text(queries[0])).all()
    assert [(r[0], r[1]) for r in rows] == [("Bến Tre", 73.1), ("Sơn La", 61.5)]


# --------------------------------------------------------------------------- real seeds


def seed_records() -> list[Statistic]:
    """Records built from the seed gold: evidence is the line of the article holding the figure."""
    gold = SHARED / "corpus" / "seeds-gold.jsonl"
    if not gold.exists():
        pytest.skip(f"seed corpus not found at {gold}")
    records = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = (SHARED / "corpus" / "seeds" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
        for item in doc["statistics"]:
            start, end = item["value_span"]
            ev_start = text.rfind("\n", 0, start) + 1
            ev_end = text.find("\n", end)
            ev_end = len(text) if ev_end < 0 else ev_end
            fields = {k: v for k, v in item.items() if k != "text"}
            records.append(
                Statistic(
                    **fields,
                    id=statistic_id(doc["doc_id"], item["indicator"], (start, end)),
                    doc_id=doc["doc_id"],
                    evidence=Evidence(start=ev_start, end=ev_end, text=text[ev_start:ev_end]),
                    extractor="gold",
                )
            )
    return records


def test_seed_gold_loads_and_reloads(tmp_path: Path) -> None:
    records = seed_records()
    path = write_jsonl(tmp_path / "out.jsonl", records)
    url = f"duckdb:///{tmp_path / 'seeds.duckdb'}"
    report = db.load_files(url, path)
    assert report.inserted == len({r.id for r in records}) and report.documents == 5
    assert not changed(db.load_files(url, path))
    assert by_id(db.read_statistics(url)) == by_id(list({r.id: r for r in records}.values()))


# --------------------------------------------------------------------------- command line


def test_cli_load_and_errors(tmp_path: Path) -> None:
    from xhs_extract.cli import app
    from xhs_extract.cli import database as cli_database

    assert cli_database.DEFAULT_DB_URL == db.DEFAULT_DB_URL

    runner = CliRunner()
    path = write_jsonl(tmp_path / "out.jsonl", run_v1())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["load", str(path), "--db", url])
    assert result.exit_code == 0, result.output
    assert "5 inserted" in result.output
    result = runner.invoke(app, ["load", str(path), "--db", url])
    assert "0 inserted, 0 updated, 0 deleted, 5 unchanged" in result.output

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1\n', encoding="utf-8")
    result = runner.invoke(app, ["load", str(broken), "--db", url])
    assert result.exit_code == 1
    assert f"{broken}, line 1: not valid JSON" in result.output
    assert "Traceback" not in result.output


@pytest.mark.postgres
def test_postgres_concurrent_loads_do_not_mix(postgres_engine: sa.Engine) -> None:
    import threading
    import time

    db.load_records(postgres_engine, run_v1())
    version_a = [make_stat("sonla/a", i, value=10.0 + i) for i in range(0, 6)]
    version_b = [make_stat("sonla/a", i, value=20.0 + i) for i in range(3, 9)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def load(records: list[Statistic]) -> None:
        start.wait()
        try:
            db.load_records(postgres_engine, records)
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)

    def linger_after_reading(conn, cursor, statement, parameters, context, executemany):
        # Widen the window between reading a document's rows and replacing them, so that
        # without serialisation both loads would read the same old rows and then collide.
        if statement.lstrip().upper().startswith("SELECT") and "FROM statistics" in statement:
            time.sleep(0.3)

    sa.event.listen(postgres_engine, "after_cursor_execute", linger_after_reading)
    threads = [threading.Thread(target=load, args=(v,)) for v in (version_a, version_b)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sa.event.remove(postgres_engine, "after_cursor_execute", linger_after_reading)
    assert errors == []
    stored = by_id(db.read_statistics(postgres_engine, doc_id="sonla/a"))
    assert stored in (by_id(version_a), by_id(version_b))

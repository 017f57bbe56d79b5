"""Loading statistic records into SQL databases that dashboards and researchers query.

One loader for three backends, all through SQLAlchemy Core with bound parameters:
``sqlite:///path.db`` (embedded, the default), ``duckdb:///path.duckdb`` and
``postgresql://user:pass@host/db`` (run through psycopg 3).

Tables (created on first load; see docs/database.md):

- ``indicators`` / ``indicator_targets``: the catalogue (``patterns/indicators.yaml``);
- ``documents``: one row per input document (``DocumentRecord``), when a documents file is given;
- ``statistics``: one row per record, JSON fields flattened into columns, primary key the stable
  record id, foreign key to ``indicators``.

Loading is safe to repeat. Every document that appears in a load (in the statistics or the
documents input) is *replaced*: afterwards its rows in ``statistics`` are exactly the records of
this load — stale rows deleted, changed rows updated, new rows inserted — and rows that already
match are not touched, so loading the same file twice writes nothing. The whole load is one
transaction: an error anywhere leaves the database as it was.

PostgreSQL cannot store the NUL character in text. On PostgreSQL only, text values are stored
escaped: a backslash becomes two backslashes and NUL becomes backslash + ``0``; every other
string (no backslash, no NUL: nearly all of them) is stored unchanged. Reading through this module
(``read_statistics``) undoes the escape, so values round-trip exactly; raw SQL readers can undo it
with ``unescape_text``. SQLite and DuckDB store text as is.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection, Engine

from xhs_extract.catalogue import Catalogue, load_catalogue
from xhs_extract.errors import LoadError
from xhs_extract.jsonl import read_lines
from xhs_extract.models import (
    DocumentRecord,
    Evidence,
    Geo,
    Statistic,
    Subject,
    place_columns,
)

SCHEMA_VERSION = 2  # 2: the statistics' subject columns
DEFAULT_DB_URL = "sqlite:///xhs-extract.db"
SUPPORTED_BACKENDS: tuple[str, ...] = ("sqlite", "duckdb", "postgresql")

# Rows fetched or deleted per statement: well under SQLite's bound-parameter limit.
_CHUNK = 500
# Problems listed in one error message before the rest are summarised as a count.
_MAX_REPORTED_PROBLEMS = 20
# Key of the PostgreSQL advisory lock that serialises concurrent loads into one database.
_PG_LOCK_KEY = 0x78687365  # "xhse"


# --------------------------------------------------------------------------- text escaping


def escape_text(text: str) -> str:
    """Make text storable in PostgreSQL, which rejects NUL: ``\\`` -> ``\\\\``, NUL -> ``\\0``.

    Strings without a backslash or a NUL come back unchanged, so ordinary text stays readable
    and searchable in SQL; the backslash is escaped too so that the mapping can be undone.
    """
    if "\\" not in text and "\x00" not in text:
        return text
    return text.replace("\\", "\\\\").replace("\x00", "\\0")


def unescape_text(text: str) -> str:
    """Undo ``escape_text``: ``\\\\`` -> ``\\``, ``\\0`` -> NUL; any other character is kept."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "\\0":
            out.append("\\" if text[i + 1] == "\\" else "\x00")
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


class SafeText(sa.types.TypeDecorator):
    """Text column: escaped on PostgreSQL (see the module docstring), stored as is elsewhere."""

    impl: type[sa.types.TypeEngine[Any]] = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None or dialect.name != "postgresql":
            return value
        return escape_text(value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None or dialect.name != "postgresql":
            return value
        return unescape_text(value)


class SafeString(SafeText):
    """Key and code columns: VARCHAR (indexable everywhere), same escaping as ``SafeText``."""

    impl = sa.String
    cache_ok = True


# --------------------------------------------------------------------------- tables

METADATA = sa.MetaData()

META = sa.Table(
    "xhs_meta",
    METADATA,
    sa.Column("key", SafeString(), primary_key=True),
    sa.Column("value", SafeText(), nullable=False),
    comment="Facts about this database's layout (schema_version).",
)

INDICATORS = sa.Table(
    "indicators",
    METADATA,
    sa.Column("code", SafeString(), primary_key=True),
    sa.Column("section", SafeString(), nullable=False),
    sa.Column("name_vi", SafeText(), nullable=False),
    sa.Column("units", SafeText(), nullable=False, comment="JSON list of unit codes"),
    sa.Column("what_counts", SafeText()),
    sa.Column("excludes", SafeText(), comment="the catalogue's `not`: look-alikes filed elsewhere"),
    comment="The indicator catalogue (patterns/indicators.yaml).",
)

INDICATOR_TARGETS = sa.Table(
    "indicator_targets",
    METADATA,
    sa.Column("indicator", SafeString(), sa.ForeignKey("indicators.code"), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("value", sa.Double, nullable=False),
    comment="National targets named in the catalogue, per indicator and year.",
)

DOCUMENTS = sa.Table(
    "documents",
    METADATA,
    sa.Column("doc_id", SafeString(), primary_key=True),
    sa.Column("path", SafeText(), nullable=False),
    sa.Column("sha256", SafeString(), nullable=False),
    sa.Column("encoding", SafeString()),
    sa.Column("title", SafeText()),
    sa.Column("published", SafeString()),
    sa.Column("source", SafeText()),
    sa.Column("place_name", SafeText()),
    sa.Column("place_level", SafeString()),
    sa.Column("place_province", SafeText()),
    sa.Column("place_province_2025", SafeText()),
    sa.Column("n_chars", sa.Integer, nullable=False),
    sa.Column("n_sentences", sa.Integer, nullable=True),
    sa.Column("n_records", sa.Integer, nullable=False),
    sa.Column("n_rejected", sa.Integer, nullable=False),
    sa.Column("warnings", SafeText(), comment="JSON list; NULL when there are none"),
    comment="One row per input document (DocumentRecord).",
)

STATISTICS = sa.Table(
    "statistics",
    METADATA,
    sa.Column("id", SafeString(), primary_key=True),
    sa.Column("doc_id", SafeString(), nullable=False),
    sa.Column("indicator", SafeString(), sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("unit", SafeString(), nullable=False),
    sa.Column("qualifier", SafeString(), nullable=False),
    sa.Column("status", SafeString(), nullable=False),
    sa.Column("period", SafeString()),
    sa.Column("geo_name", SafeText()),
    sa.Column("geo_level", SafeString()),
    sa.Column("geo_province", SafeText()),
    sa.Column("geo_province_2025", SafeText()),
    sa.Column("value_start", sa.Integer, nullable=False),
    sa.Column("value_end", sa.Integer, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    sa.Column("evidence_text", SafeText(), nullable=False),
    sa.Column("denominator", sa.Double),
    sa.Column("extractor", SafeString(), nullable=False),
    sa.Column("value_max", sa.Double),
    sa.Column("notes", SafeText(), comment="JSON list; NULL when there are none"),
    sa.Column("subject_start", sa.Integer, comment="NULL for records written before it"),
    sa.Column("subject_end", sa.Integer),
    sa.Column("subject_text", SafeText()),
    sa.Index("ix_statistics_doc_id", "doc_id"),
    sa.Index("ix_statistics_indicator_province", "indicator", "geo_province"),
    comment="One row per statistic record (the output JSONL), offsets in code points.",
)

_STAT_KEY = "id"
_DOC_KEY = "doc_id"


# --------------------------------------------------------------------------- rows <-> records


def _json_list(items: Sequence[str]) -> str | None:
    """A list as compact JSON text, or NULL when empty (the JSONL omits empty lists too)."""
    return json.dumps(list(items), ensure_ascii=False, separators=(",", ":")) if items else None


def from_json_list(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


def statistic_to_row(stat: Statistic) -> dict[str, Any]:
    """The flat ``statistics`` row of a record: geo, spans and evidence become columns."""
    geo = stat.geo
    return {
        "id": stat.id,
        "doc_id": stat.doc_id,
        "indicator": stat.indicator,
        "value": float(stat.value),
        "unit": stat.unit,
        "qualifier": stat.qualifier,
        "status": stat.status,
        "period": stat.period,
        **place_columns("geo", geo),
        "value_start": stat.value_span[0],
        "value_end": stat.value_span[1],
        "evidence_start": stat.evidence.start,
        "evidence_end": stat.evidence.end,
        "evidence_text": stat.evidence.text,
        "denominator": None if stat.denominator is None else float(stat.denominator),
        "extractor": stat.extractor,
        "value_max": None if stat.value_max is None else float(stat.value_max),
        "notes": _json_list(stat.notes),
        "subject_start": stat.subject.start if stat.subject else None,
        "subject_end": stat.subject.end if stat.subject else None,
        "subject_text": stat.subject.text if stat.subject else None,
    }


def row_to_statistic(row: Mapping[Any, Any]) -> Statistic:
    """The record back from a ``statistics`` row (inverse of ``statistic_to_row``)."""
    geo = None
    if row["geo_name"] is not None:
        geo = Geo(
            name=row["geo_name"],
            level=row["geo_level"],
            province=row["geo_province"],
            province_2025=row["geo_province_2025"],
        )
    return Statistic(
        id=row["id"],
        doc_id=row["doc_id"],
        indicator=row["indicator"],
        value=row["value"],
        unit=row["unit"],
        qualifier=row["qualifier"],
        status=row["status"],
        period=row["period"],
        geo=geo,
        value_span=(row["value_start"], row["value_end"]),
        evidence=Evidence(
            start=row["evidence_start"], end=row["evidence_end"], text=row["evidence_text"]
        ),
        denominator=row["denominator"],
        extractor=row["extractor"],
        value_max=row["value_max"],
        notes=from_json_list(row["notes"]),
        subject=_row_subject(row),
    )


def _row_subject(row: Mapping[str, Any]) -> Subject | None:
    """The subject of a row; None for a row without one (or from a table made before it)."""
    start = row.get("subject_start")
    if start is None:
        return None
    return Subject(start=start, end=row["subject_end"], text=row["subject_text"] or "")


def document_to_row(doc: DocumentRecord) -> dict[str, Any]:
    """The flat ``documents`` row of a document record."""
    place = doc.place
    return {
        "doc_id": doc.doc_id,
        "path": doc.path,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "title": doc.title,
        "published": doc.published,
        "source": doc.source,
        **place_columns("place", place),
        "n_chars": doc.n_chars,
        "n_sentences": doc.n_sentences,
        "n_records": doc.n_records,
        "n_rejected": doc.n_rejected,
        "warnings": _json_list(doc.warnings),
    }


def row_to_document(row: Mapping[Any, Any]) -> DocumentRecord:
    """The document record back from a ``documents`` row."""
    place = None
    if row["place_name"] is not None:
        place = Geo(
            name=row["place_name"],
            level=row["place_level"],
            province=row["place_province"],
            province_2025=row["place_province_2025"],
        )
    data = {key: row[key] for key in DOCUMENTS.c.keys() if not key.startswith("place_")}
    data["warnings"] = from_json_list(row["warnings"])
    return DocumentRecord(**data, place=place)


def catalogue_rows(catalogue: Catalogue) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``indicators`` and ``indicator_targets`` rows of the indicator catalogue."""
    indicators: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    for code, entry in catalogue.indicators.items():
        indicators.append(
            {
                "code": code,
                "section": entry.section,
                "name_vi": entry.name_vi,
                "units": json.dumps(list(entry.units), separators=(",", ":")),
                "what_counts": entry.what_counts,
                "excludes": entry.not_,
            }
        )
        for year, value in entry.targets.items():
            targets.append({"indicator": code, "year": int(year), "value": float(value)})
    return indicators, targets


# --------------------------------------------------------------------------- reading input

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Located:
    """A record and where it came from ("out.jsonl, line 3"), for error messages."""

    where: str
    record: Any


def _describe_validation_error(error: ValidationError) -> str:
    """pydantic's report as one line: ``field.path: message``, ``; ``-separated."""
    parts = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"]) or "record"
        parts.append(f"{loc}: {item['msg']}")
    return "; ".join(parts)


def _raise_problems(problems: list[str], what: str) -> None:
    if not problems:
        return
    shown = problems[:_MAX_REPORTED_PROBLEMS]
    more = len(problems) - len(shown)
    lines = "\n".join(f"  {p}" for p in shown)
    tail = f"\n  … and {more} more" if more else ""
    raise LoadError(f"{len(problems)} problem(s) in {what}; nothing was loaded:\n{lines}{tail}")


def read_jsonl(path: str | Path, model: type[M], label: str = "") -> list[Located]:
    """Every line of a JSONL file validated as ``model``; raise ``LoadError`` listing the problems.

    Lines are read by `xhs_extract.jsonl` (split on ``\\n`` only, blank lines skipped, a
    UTF-8 BOM accepted); every bad line is listed, not only the first.
    """
    path = Path(path)
    label = label or "records"
    problems: list[str] = []
    located = [
        Located(f"{path}, line {number}", record)
        for number, record in iter_jsonl(path, model, label, problems)
    ]
    _raise_problems(problems, f"the {label} file {path}")
    return located


def iter_jsonl(
    path: Path, model: type[M], label: str, problems: list[str]
) -> Iterator[tuple[int, M]]:
    """(line number, record) for each line of `path` valid as `model`, one at a time; the
    problems of the others are appended to `problems` in line order."""

    def bad(number: int, exc: UnicodeDecodeError | json.JSONDecodeError) -> None:
        where = f"{path}, line {number}"
        if isinstance(exc, UnicodeDecodeError):
            problems.append(f"{where}: not UTF-8 text (byte {exc.start + 1} of the line)")
        else:
            problems.append(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")

    try:
        for number, obj in read_lines(path, bad):  # problems are listed in line order
            if not isinstance(obj, dict):
                where = f"{path}, line {number}"
                problems.append(f"{where}: expected a JSON object, found {type(obj).__name__}")
                continue
            try:
                record = model.model_validate(obj)
            except ValidationError as exc:
                detail = _describe_validation_error(exc)
                where = f"{path}, line {number}"
                problems.append(f"{where}: not a valid {model.__name__} record: {detail}")
                continue
            yield number, record
    except OSError as exc:
        raise LoadError(f"cannot read the {label} file {path}: {exc.strerror or exc}") from None


def read_statistics_file(path: str | Path) -> list[Located]:
    """The statistic records of an output JSONL, each with its file and line."""
    return read_jsonl(path, Statistic, "statistics")


def read_documents_file(path: str | Path) -> list[Located]:
    """The document records of a documents JSONL, each with its file and line."""
    return read_jsonl(path, DocumentRecord, "documents")


def _locate(records: Iterable[Any], kind: str) -> list[Located]:
    """Label in-memory records by position so that error messages can point at them."""
    out = []
    for index, record in enumerate(records, start=1):
        if isinstance(record, Located):
            out.append(record)
        else:
            key = getattr(record, "id", None) or getattr(record, "doc_id", "?")
            out.append(Located(f"{kind} #{index} ({key})", record))
    return out


def check_statistics(
    stats: Sequence[Located], catalogue: Catalogue
) -> dict[str, dict[str, Any]]:
    """Rows keyed by id after checks a database cannot do for us; ``LoadError`` lists failures.

    Checks: the indicator is in the catalogue and allows the unit; the numbers are finite;
    evidence text is as long as its offsets say; the figure lies inside its evidence; one id
    is not given two different records (an exact repeat is harmless and kept once).
    """
    problems: list[str] = []
    rows: dict[str, dict[str, Any]] = {}
    first_seen: dict[str, str] = {}
    for item in stats:
        stat: Statistic = item.record
        where = item.where
        local = _statistic_problems(stat, catalogue)
        if local:
            problems.extend(f"{where}: {p}" for p in local)
            continue
        row = statistic_to_row(stat)
        previous = rows.get(stat.id)
        if previous is not None and previous != row:
            problems.append(
                f"{where}: id {stat.id} was already given to a different record at "
                f"{first_seen[stat.id]}"
            )
            continue
        if previous is None:
            rows[stat.id] = row
            first_seen[stat.id] = where
    _raise_problems(problems, "the statistics")
    return rows


def _statistic_problems(stat: Statistic, catalogue: Catalogue) -> list[str]:
    """What is wrong with one record that a database cannot check for us."""
    local: list[str] = []
    if stat.indicator not in catalogue:
        local.append(f"indicator {stat.indicator!r} is not in the indicator catalogue")
    elif not catalogue.allows(stat.indicator, stat.unit):
        allowed = ", ".join(sorted(catalogue[stat.indicator].units))
        local.append(
            f"unit {stat.unit!r} is not one of the units of {stat.indicator} ({allowed})"
        )
    for name in ("value", "denominator", "value_max"):
        number = getattr(stat, name)
        if number is not None and not math.isfinite(number):
            local.append(f"{name} is {number}, not a finite number")
    ev = stat.evidence
    if len(ev.text) != ev.end - ev.start:
        local.append(
            f"evidence text has {len(ev.text)} characters but its offsets "
            f"[{ev.start}, {ev.end}) span {ev.end - ev.start}"
        )
    start, end = stat.value_span
    if not (ev.start <= start and end <= ev.end):
        local.append(
            f"value_span [{start}, {end}) lies outside the evidence [{ev.start}, {ev.end})"
        )
    return local


def check_documents(docs: Sequence[Located]) -> dict[str, dict[str, Any]]:
    """Rows keyed by doc_id; two different records for one doc_id are an error."""
    problems: list[str] = []
    rows: dict[str, dict[str, Any]] = {}
    first_seen: dict[str, str] = {}
    for item in docs:
        row = document_to_row(item.record)
        key = row["doc_id"]
        if key in rows and rows[key] != row:
            problems.append(
                f"{item.where}: doc_id {key} was already given to a different document at "
                f"{first_seen[key]}"
            )
        elif key not in rows:
            rows[key] = row
            first_seen[key] = item.where
    _raise_problems(problems, "the documents")
    return rows


# --------------------------------------------------------------------------- connecting


def normalise_url(url: str) -> str:
    """A SQLAlchemy URL from what a user types.

    ``postgresql://`` and ``postgres://`` use psycopg 3 (the installed driver); a bare path
    ending in ``.duckdb`` means DuckDB, any other bare path SQLite.
    """
    url = url.strip()
    if "://" not in url:
        scheme = "duckdb" if url.endswith(".duckdb") else "sqlite"
        return f"{scheme}:///{url}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def display_url(url: str | Engine) -> str:
    """The URL with any password hidden, for messages."""
    if isinstance(url, Engine):
        return url.url.render_as_string(hide_password=True)
    try:
        return sa.make_url(url if "://" in url else normalise_url(url)).render_as_string(
            hide_password=True
        )
    except (sa.exc.ArgumentError, ValueError):  # connect() reports a bad URL; only mask here
        return re.sub(r"(//[^:/@]*):.*@", r"\1:***@", url)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def connect(url: str) -> Engine:
    """An engine for a database URL, with a clear ``LoadError`` for bad URLs or missing drivers."""
    full = normalise_url(url)
    shown = display_url(url)
    try:
        parsed = sa.make_url(full)
    except (sa.exc.ArgumentError, ValueError):
        raise LoadError(
            f"{url!r} is not a database URL; use sqlite:///path.db, duckdb:///path.duckdb "
            "or postgresql://user:password@host/dbname"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise LoadError(
            f"cannot open {shown}: xhs-extract loads into {', '.join(SUPPORTED_BACKENDS)} "
            "databases (sqlite:///path.db, duckdb:///path.duckdb, postgresql://…)"
        )
    if backend in ("sqlite", "duckdb") and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise LoadError(f"cannot create the database {shown}: folder {folder} does not exist")
    try:
        engine = sa.create_engine(parsed)
    except (sa.exc.NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        hint = {
            "duckdb": "duckdb and duckdb-engine",
            "postgresql": "psycopg[binary]",
        }.get(backend, "its driver")
        raise LoadError(
            f"cannot open {shown}: the {backend} backend needs {hint} "
            f"(pip install 'xhs-extract[db]'); {exc}"
        ) from None
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _database_error(exc: sa.exc.SQLAlchemyError, shown: str) -> LoadError:
    """A database failure as one readable sentence (no SQL dump, no traceback)."""
    original = getattr(exc, "orig", None) or exc
    message = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    if isinstance(exc, sa.exc.OperationalError):
        return LoadError(
            f"database {shown} failed or could not be reached: {message}; nothing was loaded"
        )
    return LoadError(f"database {shown} refused the load: {message}; nothing was loaded")


# --------------------------------------------------------------------------- schema


def create_schema(engine: Engine) -> None:
    """Create the tables that are missing and record the schema version; safe to repeat.

    A database written by a newer layout than this code knows is refused rather than mixed.
    """
    METADATA.create_all(engine, checkfirst=True)
    with engine.begin() as conn:
        stored = conn.execute(
            sa.select(META.c.value).where(META.c.key == "schema_version")
        ).scalar_one_or_none()
        if stored is None:
            conn.execute(META.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        elif int(stored) > SCHEMA_VERSION:
            raise LoadError(
                f"database {display_url(engine)} has schema version {stored}, newer than this "
                f"xhs-extract understands ({SCHEMA_VERSION}); upgrade xhs-extract"
            )
        elif int(stored) < SCHEMA_VERSION:
            _upgrade(conn)
            conn.execute(
                META.update().where(META.c.key == "schema_version").values(
                    value=str(SCHEMA_VERSION)
                )
            )


_ADDED_IN_2 = ("subject_start", "subject_end", "subject_text")


def _upgrade(conn: sa.Connection) -> None:
    """Version 1 -> 2: the statistics table gains its subject columns (NULL in old rows)."""
    # The columns a query returns (portable where the inspectors of some dialects are not).
    present = set(conn.execute(sa.text(f"SELECT * FROM {STATISTICS.name} LIMIT 0")).keys())
    for name in _ADDED_IN_2:
        if name not in present:
            column = STATISTICS.c[name]
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE {STATISTICS.name} ADD COLUMN {name} {kind}"))


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class LoadReport:
    """What a load did; all zero but ``unchanged`` when the data was already there."""

    documents: int  # documents whose statistics were replaced
    statistics: int  # records in the load
    inserted: int
    updated: int
    deleted: int
    unchanged: int
    documents_written: int  # rows of `documents` inserted or updated

    def summary(self) -> str:
        return (
            f"{self.statistics} statistic(s) from {self.documents} document(s): "
            f"{self.inserted} inserted, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged; {self.documents_written} document row(s) written"
        )


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _same(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Row equality as stored: floats compared exactly (doubles round-trip exactly)."""
    return all(old[key] == value for key, value in new.items())


def _sync_rows(
    conn: Connection,
    table: sa.Table,
    key_columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    existing: Mapping[tuple, Mapping[str, Any]],
    *,
    unreferenced: bool = False,
) -> tuple[int, int, int]:
    """Insert new rows and update changed ones; return (inserted, updated, unchanged).

    ``unreferenced`` (no foreign key points at the table) lets DuckDB, whose executemany
    runs row by row, replace changed rows by a chunked delete and a bulk insert instead.
    """
    inserts: list[Mapping[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed: list[Mapping[str, Any]] = []
    unchanged = 0
    for row in rows:
        key = tuple(row[c] for c in key_columns)
        old = existing.get(key)
        if old is None:
            inserts.append(row)
        elif _same(old, row):
            unchanged += 1
        else:
            changed.append(row)
            params = {k: v for k, v in row.items() if k not in key_columns}
            updates.append(params | {f"k_{c}": row[c] for c in key_columns})
    if changed and unreferenced and len(key_columns) == 1 and conn.dialect.name == "duckdb":
        column = key_columns[0]
        for chunk in _chunks([row[column] for row in changed]):
            conn.execute(table.delete().where(table.c[column].in_(list(chunk))))
        _insert_rows(conn, table, changed)
    elif updates:
        # SET columns come from the parameter keys; the key goes in through k_<column>.
        where = sa.and_(*(table.c[c] == sa.bindparam(f"k_{c}") for c in key_columns))
        conn.execute(table.update().where(where), updates)
    if inserts:
        _insert_rows(conn, table, inserts)
    return len(inserts), len(updates), unchanged


def _insert_rows(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Batched inserts through bound parameters."""
    if conn.dialect.name == "duckdb":
        _insert_rows_duckdb(conn, table, rows)
        return
    for chunk in _chunks(rows):
        conn.execute(table.insert(), list(chunk))


def _insert_rows_duckdb(
    conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """DuckDB runs an executemany row by row; passing each column as one list parameter and
    unnesting them side by side inserts a whole chunk in one statement, several times faster.
    Column names come from our own table definition; every value is still a bound parameter."""
    names = [c.name for c in table.columns]
    for chunk in _chunks(rows, 5000):
        select = sa.select(
            *(
                sa.func.unnest(
                    sa.bindparam(f"p{i}", [row[name] for row in chunk], type_=sa.ARRAY(column.type))
                ).label(name)
                for i, (name, column) in enumerate((c.name, c) for c in table.columns)
            )
        )
        conn.execute(table.insert().from_select(names, select))


def _existing_rows(
    conn: Connection, table: sa.Table, column: str, values: Sequence[Any]
) -> list[dict[str, Any]]:
    """Rows whose ``column`` is one of ``values``, fetched in chunks."""
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(values)):
        result = conn.execute(sa.select(table).where(table.c[column].in_(list(chunk))))
        rows.extend(dict(r._mapping) for r in result)
    return rows


def _all_rows(conn: Connection, table: sa.Table) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(sa.select(table))]


def _sync_catalogue(conn: Connection, catalogue: Catalogue) -> None:
    """Bring the catalogue tables up to date; indicators are never deleted (rows refer to them)."""
    indicators, targets = catalogue_rows(catalogue)
    existing = {(r["code"],): r for r in _all_rows(conn, INDICATORS)}
    _sync_rows(conn, INDICATORS, ["code"], indicators, existing)
    existing_targets = {(r["indicator"], r["year"]): r for r in _all_rows(conn, INDICATOR_TARGETS)}
    codes = {row["code"] for row in indicators}
    wanted = {(t["indicator"], t["year"]) for t in targets}
    stale = [k for k in existing_targets if k[0] in codes and k not in wanted]
    for indicator, year in stale:
        conn.execute(
            INDICATOR_TARGETS.delete().where(
                INDICATOR_TARGETS.c.indicator == indicator, INDICATOR_TARGETS.c.year == year
            )
        )
    _sync_rows(conn, INDICATOR_TARGETS, ["indicator", "year"], targets, existing_targets)


def _apply(
    conn: Connection,
    stat_rows: Mapping[str, dict[str, Any]],
    doc_rows: Mapping[str, dict[str, Any]],
    catalogue: Catalogue,
) -> LoadReport:
    """The whole load inside one open transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
    _sync_catalogue(conn, catalogue)

    existing_docs = {
        (r["doc_id"],): r for r in _existing_rows(conn, DOCUMENTS, "doc_id", list(doc_rows))
    }
    doc_inserted, doc_updated, _ = _sync_rows(
        conn, DOCUMENTS, ["doc_id"], list(doc_rows.values()), existing_docs, unreferenced=True
    )

    doc_ids = sorted({row["doc_id"] for row in stat_rows.values()} | set(doc_rows))
    existing = {(r["id"],): r for r in _existing_rows(conn, STATISTICS, "doc_id", doc_ids)}
    stale = sorted(key[0] for key in existing if key[0] not in stat_rows)
    for chunk in _chunks(stale):
        conn.execute(STATISTICS.delete().where(STATISTICS.c.id.in_(list(chunk))))
    # An id present under another document would collide: ids hash the doc_id, so this only
    # happens with hand-made ids; the primary key then rejects the load as a whole.
    inserted, updated, unchanged = _sync_rows(
        conn, STATISTICS, ["id"], list(stat_rows.values()), existing, unreferenced=True
    )
    return LoadReport(
        documents=len(doc_ids),
        statistics=len(stat_rows),
        inserted=inserted,
        updated=updated,
        deleted=len(stale),
        unchanged=unchanged,
        documents_written=doc_inserted + doc_updated,
    )


def load_records(
    db: str | Engine,
    statistics: Iterable[Statistic | Located],
    documents: Iterable[DocumentRecord | Located] = (),
    *,
    catalogue: Catalogue | None = None,
) -> LoadReport:
    """Load records into a database, replacing the statistics of every document they cover.

    ``db`` is a URL (``sqlite:///x.db``, ``duckdb:///x.duckdb``, ``postgresql://…``) or an
    Engine. The documents covered are those of ``statistics`` plus those of ``documents``
    (pass the run's document records so that a document now yielding no statistics loses its
    old ones). Input is checked before the database is touched, and the writes are one
    transaction: on any error (``LoadError``) the database is left exactly as it was.
    This is the function ``extract --db URL`` calls with the run's records.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    stat_rows = check_statistics(_locate(statistics, "statistic"), catalogue)
    doc_rows = check_documents(_locate(documents, "document"))

    engine = connect(db) if isinstance(db, str) else db
    shown = display_url(engine)
    try:
        create_schema(engine)
        with engine.begin() as conn:
            return _apply(conn, stat_rows, doc_rows, catalogue)
    except sa.exc.SQLAlchemyError as exc:
        raise _database_error(exc, shown) from exc
    finally:
        if isinstance(db, str):
            engine.dispose()


def load_files(
    db: str | Engine,
    statistics_path: str | Path,
    documents_path: str | Path | None = None,
    *,
    catalogue: Catalogue | None = None,
) -> LoadReport:
    """``load_records`` over an output JSONL (and optionally a documents JSONL), streamed.

    Errors name the file and line; nothing is loaded unless every line is valid. The files
    are read twice, never held: once to check every line (keeping only each id's digest and
    line), then, in one transaction, in batches of documents. Memory stays flat whatever
    the files' size.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    statistics_path = Path(statistics_path)
    documents_path = Path(documents_path) if documents_path is not None else None
    scan = _scan_files(statistics_path, documents_path, catalogue)
    engine = connect(db) if isinstance(db, str) else db
    shown = display_url(engine)
    try:
        create_schema(engine)
        with engine.begin() as conn:
            return _apply_streamed(conn, statistics_path, documents_path, scan, catalogue)
    except sa.exc.SQLAlchemyError as exc:
        raise _database_error(exc, shown) from exc
    finally:
        if isinstance(db, str):
            engine.dispose()


@dataclass
class _Scan:
    """What the first reading of a load keeps: per id (statistics) and doc_id (documents)
    a digest of its row and the line it was first given on."""

    statistics: dict[str, tuple[int, int]]
    documents: dict[str, tuple[int, int]]
    stat_docs: set[str]


def _digest(row: Mapping[str, Any]) -> int:
    return hash(tuple(row.values()))


def _scan_files(stats_path: Path, docs_path: Path | None, catalogue: Catalogue) -> _Scan:
    """Check every line of both files as load_records would; LoadError lists the problems
    (those of reading first, file by file, then those of the checks)."""
    read_problems: list[str] = []
    checks: list[str] = []
    ids: dict[str, tuple[int, int]] = {}
    stat_docs: set[str] = set()
    for number, stat in iter_jsonl(stats_path, Statistic, "statistics", read_problems):
        where = f"{stats_path}, line {number}"
        local = _statistic_problems(stat, catalogue)
        if local:
            checks.extend(f"{where}: {p}" for p in local)
            continue
        digest = _digest(statistic_to_row(stat))
        previous = ids.get(stat.id)
        if previous is None:
            ids[stat.id] = (digest, number)
            stat_docs.add(stat.doc_id)
        elif previous[0] != digest:
            checks.append(
                f"{where}: id {stat.id} was already given to a different record at "
                f"{stats_path}, line {previous[1]}"
            )
    _raise_problems(read_problems, f"the statistics file {stats_path}")
    docs: dict[str, tuple[int, int]] = {}
    doc_checks: list[str] = []
    if docs_path is not None:
        for number, doc in iter_jsonl(docs_path, DocumentRecord, "documents", read_problems):
            digest = _digest(document_to_row(doc))
            previous = docs.get(doc.doc_id)
            if previous is None:
                docs[doc.doc_id] = (digest, number)
            elif previous[0] != digest:
                doc_checks.append(
                    f"{docs_path}, line {number}: doc_id {doc.doc_id} was already given to a "
                    f"different document at {docs_path}, line {previous[1]}"
                )
        _raise_problems(read_problems, f"the documents file {docs_path}")
    _raise_problems(checks, "the statistics")
    _raise_problems(doc_checks, "the documents")
    return _Scan(ids, docs, stat_docs)


#: Rows applied at a time by a streamed load.
_BATCH = 5000


def _first_rows(
    path: Path, model: type[M], first: Mapping[str, tuple[int, int]], key: str
) -> Iterator[list[dict[str, Any]]]:
    """The rows of a checked file in batches, each record once (at the line it was first
    given on: an exact repeat is skipped)."""
    to_row = statistic_to_row if model is Statistic else document_to_row
    batch: list[dict[str, Any]] = []
    for number, record in iter_jsonl(path, model, "", []):
        if first[getattr(record, key)][1] != number:
            continue
        batch.append(to_row(record))  # type: ignore[arg-type]
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _apply_streamed(
    conn: Connection, stats_path: Path, docs_path: Path | None, scan: _Scan, catalogue: Catalogue
) -> LoadReport:
    """A checked load inside one open transaction, batch by batch: documents first, then
    statistics (each batch replacing the rows of its documents that the load does not
    hold), then the documents of the load that now have no statistics."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
    _sync_catalogue(conn, catalogue)
    written = 0
    if docs_path is not None:
        for rows in _first_rows(docs_path, DocumentRecord, scan.documents, "doc_id"):
            keys = [row["doc_id"] for row in rows]
            existing = {(r["doc_id"],): r for r in _existing_rows(conn, DOCUMENTS, "doc_id", keys)}
            inserted, updated, _ = _sync_rows(
                conn, DOCUMENTS, ["doc_id"], rows, existing, unreferenced=True
            )
            written += inserted + updated
    totals = [0, 0, 0, 0]  # inserted, updated, unchanged, deleted
    for rows in _first_rows(stats_path, Statistic, scan.statistics, "id"):
        doc_ids = sorted({row["doc_id"] for row in rows})
        found = _existing_rows(conn, STATISTICS, "doc_id", doc_ids)
        found += _existing_rows(conn, STATISTICS, "id", [row["id"] for row in rows])
        existing = {(r["id"],): r for r in found}
        totals[3] += _delete_stale(conn, existing, scan)
        for index, count in enumerate(
            _sync_rows(conn, STATISTICS, ["id"], rows, existing, unreferenced=True)
        ):
            totals[index] += count
    without = sorted(set(scan.documents) - scan.stat_docs)
    for chunk in _chunks(without):
        found = _existing_rows(conn, STATISTICS, "doc_id", chunk)
        totals[3] += _delete_stale(conn, {(r["id"],): r for r in found}, scan)
    return LoadReport(
        documents=len(scan.stat_docs | set(scan.documents)),
        statistics=len(scan.statistics),
        inserted=totals[0],
        updated=totals[1],
        deleted=totals[3],
        unchanged=totals[2],
        documents_written=written,
    )


def _delete_stale(conn: Connection, existing: Mapping[tuple, Any], scan: _Scan) -> int:
    """Delete the rows of `existing` that the load does not hold; their count."""
    stale = sorted(key[0] for key in existing if key[0] not in scan.statistics)
    for chunk in _chunks(stale):
        conn.execute(STATISTICS.delete().where(STATISTICS.c.id.in_(list(chunk))))
    return len(stale)


# --------------------------------------------------------------------------- reading back


def read_statistics(db: str | Engine, doc_id: str | None = None) -> list[Statistic]:
    """Records stored in the database (all, or one document's), ordered by id."""
    engine = connect(db) if isinstance(db, str) else db
    try:
        query = sa.select(STATISTICS).order_by(STATISTICS.c.id)
        if doc_id is not None:
            query = query.where(STATISTICS.c.doc_id == doc_id)
        with engine.connect() as conn:
            return [row_to_statistic(r._mapping) for r in conn.execute(query)]
    finally:
        if isinstance(db, str):
            engine.dispose()


def read_documents(db: str | Engine) -> list[DocumentRecord]:
    """Document records stored in the database, ordered by doc_id."""
    engine = connect(db) if isinstance(db, str) else db
    try:
        with engine.connect() as conn:
            query = sa.select(DOCUMENTS).order_by(DOCUMENTS.c.doc_id)
            return [row_to_document(r._mapping) for r in conn.execute(query)]
    finally:
        if isinstance(db, str):
            engine.dispose()


__all__ = [
    "DEFAULT_DB_URL",
    "DOCUMENTS",
    "INDICATORS",
    "INDICATOR_TARGETS",
    "LoadError",
    "LoadReport",
    "Located",
    "METADATA",
    "SCHEMA_VERSION",
    "STATISTICS",
    "catalogue_rows",
    "check_documents",
    "check_statistics",
    "connect",
    "create_schema",
    "display_url",
    "document_to_row",
    "escape_text",
    "load_files",
    "load_records",
    "normalise_url",
    "read_documents",
    "read_documents_file",
    "read_jsonl",
    "read_statistics",
    "read_statistics_file",
    "row_to_document",
    "row_to_statistic",
    "statistic_to_row",
    "unescape_text",
]

"""Flat files from the output JSONL: CSV for spreadsheets, Parquet for analysis tools.

Both formats use the column layout of the ``statistics`` table (``xhs_extract.db``): one row per
record, geo, spans and evidence flattened into columns, so a file and a database table can be
swapped in a query. Numbers keep full precision; text is written as is (NUL included).
Parquet is written with DuckDB (already a dependency of the database extra) rather than pyarrow.
A file is written next to its destination and renamed into place, so a failed export never
leaves a half-written file behind.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from xhs_extract.db import STATISTICS, from_json_list, read_statistics_file, statistic_to_row
from xhs_extract.errors import ExportError, LoadError, OutputError
from xhs_extract.jsonl import atomic_path
from xhs_extract.models import Statistic, compact_number

FORMATS: tuple[str, ...] = ("csv", "parquet")

#: Column order of both formats: the ``statistics`` table's.
COLUMNS: tuple[str, ...] = tuple(column.name for column in STATISTICS.columns)

# DuckDB types of the Parquet columns; `notes` becomes a real list column there.
_PARQUET_TYPES: dict[str, str] = {
    "value": "DOUBLE",
    "denominator": "DOUBLE",
    "value_max": "DOUBLE",
    "value_start": "INTEGER",
    "value_end": "INTEGER",
    "evidence_start": "INTEGER",
    "evidence_end": "INTEGER",
    "notes": "VARCHAR[]",
    "subject_start": "INTEGER",
    "subject_end": "INTEGER",
}


@contextmanager
def _export_path(path: Path) -> Iterator[Path]:
    """`jsonl.atomic_path` into an existing folder, its failures worded as ExportError."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    try:
        with atomic_path(path) as tmp:
            yield tmp
    except OSError as exc:  # a full disk, a read-only folder: the output's problem (E400)
        raise OutputError("E400", path=path, detail=exc.strerror or str(exc)) from None


def _csv_cell(value: Any) -> Any:
    """Empty for NULL, 92 rather than 92.0: numbers as people write them."""
    if value is None:
        return ""
    if isinstance(value, float):
        return compact_number(value)
    return value


def write_csv(records: Iterable[Statistic], path: str | Path, *, bom: bool = False) -> int:
    """Write records as CSV (UTF-8, header row, RFC 4180 quoting); return the row count.

    ``notes`` is a JSON list ("" when empty). ``bom`` adds a UTF-8 byte order mark, which makes
    Excel read Vietnamese text correctly.
    """
    path = Path(path)
    count = 0
    with _export_path(path) as tmp:
        with tmp.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for record in records:
                row = statistic_to_row(record)
                writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
                count += 1
    return count


def _import_duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise ExportError(
            "Parquet export needs the duckdb package, which is not installed; "
            "install it with: pip install 'xhs-extract[db]' (or pip install duckdb), "
            "or export --format csv"
        ) from None
    return duckdb


def write_parquet(records: Iterable[Statistic], path: str | Path) -> int:
    """Write records as Parquet through DuckDB; return the row count.

    The rows go in as one parameterised statement (parallel UNNEST of column lists), so no
    value is ever spliced into SQL and large exports avoid a round trip per row.
    """
    duckdb = _import_duckdb()
    path = Path(path)
    rows = [statistic_to_row(record) for record in records]
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for row in rows:
        for c in COLUMNS:
            columns[c].append(row[c])
    columns["notes"] = [from_json_list(value) for value in columns["notes"]]
    select = ", ".join(f"UNNEST(?::{_PARQUET_TYPES.get(c, 'VARCHAR')}[]) AS {c}" for c in COLUMNS)
    with _export_path(path) as tmp:
        connection = duckdb.connect(":memory:")
        try:
            if rows:
                relation = connection.sql(
                    f"SELECT * FROM (SELECT {select})", params=[columns[c] for c in COLUMNS]
                )
            else:  # UNNEST of empty lists gives no rows but also loses no types: be explicit
                empty = ", ".join(
                    f"CAST(NULL AS {_PARQUET_TYPES.get(c, 'VARCHAR')}) AS {c}" for c in COLUMNS
                )
                relation = connection.sql(f"SELECT {empty} LIMIT 0")
            relation.write_parquet(str(tmp))
        except duckdb.Error as exc:
            raise ExportError(f"DuckDB could not write {path}: {exc}") from None
        finally:
            connection.close()
    return len(rows)


_WRITERS: dict[str, Callable[[Sequence[Statistic], Path], int]] = {
    "csv": write_csv,
    "parquet": write_parquet,
}


def export_file(
    jsonl_path: str | Path, fmt: str, out_path: str | Path, *, bom: bool = False
) -> int:
    """Convert an output JSONL to CSV or Parquet; return the number of records written.

    Every line is validated first (errors name file and line) and nothing is written unless
    all are valid.
    """
    fmt = fmt.lower()
    if fmt not in _WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "parquet":
        _import_duckdb()  # fail before reading a large input
    try:
        records = [item.record for item in read_statistics_file(jsonl_path)]
    except LoadError as exc:
        raise ExportError(str(exc).replace("nothing was loaded", "nothing was written")) from None
    if fmt == "csv":
        return write_csv(records, out_path, bom=bom)
    return write_parquet(records, out_path)


__all__ = ["COLUMNS", "FORMATS", "ExportError", "export_file", "write_csv", "write_parquet"]

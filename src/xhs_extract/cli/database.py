"""Commands: load, schema, export (registered on the shared app).

Thin shells over ``xhs_extract.db`` and ``xhs_extract.export``: they parse options, print a
one-line summary, and turn the library's errors into a message on stderr and exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from xhs_extract.cli.app import app, make_parent

_SCHEMA_MODELS = ("statistic", "document")
# Same as xhs_extract.db.DEFAULT_DB_URL (kept literal so `--help` does not import SQLAlchemy).
DEFAULT_DB_URL = "sqlite:///xhs-extract.db"


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


@app.command()
def load(
    records: Path = typer.Argument(..., help="Output JSONL of statistic records (one per line)."),
    db: str = typer.Option(
        DEFAULT_DB_URL,
        "--db", metavar="URL",
        help="Database URL: sqlite:///path.db, duckdb:///path.duckdb or "
        "postgresql://user:password@host/dbname (a bare path means SQLite, or DuckDB for .duckdb).",
    ),
    documents: Path | None = typer.Option(
        None,
        "--documents", metavar="FILE",
        help="Documents JSONL of the same run; with it, a document that now has no statistics "
        "loses its old ones.",
    ),
) -> None:
    """Load statistic records into a database; safe to repeat.

    Each document in the input replaces its earlier statistics in one transaction; loading the
    same file again changes nothing. Invalid input loads nothing.
    """
    from xhs_extract.db import display_url, load_files
    from xhs_extract.errors import LoadError

    try:
        report = load_files(db, records, documents)
    except LoadError as exc:
        _fail(str(exc))
        return
    typer.echo(f"{display_url(db)}: {report.summary()}")


@app.command()
def schema(
    model: str = typer.Option(
        "statistic",
        "--model", metavar="[statistic|document]",
        help="Which record: 'statistic' (a line of the output JSONL) or 'document'.",
    ),
) -> None:
    """Print the JSON Schema of the output record, for consumers that validate on their side."""
    from pydantic import BaseModel

    from xhs_extract.models import DocumentRecord, Statistic

    models: dict[str, type[BaseModel]] = {"statistic": Statistic, "document": DocumentRecord}
    if model not in models:
        _fail(f"unknown model {model!r}; choose one of: {', '.join(_SCHEMA_MODELS)}")
        return
    schema_dict = models[model].model_json_schema()
    schema_dict.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    typer.echo(json.dumps(schema_dict, ensure_ascii=False, indent=2))


@app.command()
def export(
    records: Path = typer.Argument(..., help="Output JSONL of statistic records."),
    fmt: str = typer.Option(
        "csv", "--format", "-f", metavar="[csv|parquet]",
        help="csv or parquet."
    ),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="File to write."),
    bom: bool = typer.Option(
        False, "--bom/--no-bom", help="CSV only: start with a UTF-8 byte order mark (for Excel)."
    ),
) -> None:
    """Convert the output JSONL to CSV or Parquet, one row per record (the database layout)."""
    from xhs_extract.errors import ExportError
    from xhs_extract.export import export_file

    try:
        count = export_file(records, fmt, make_parent(output), bom=bom)
    except ExportError as exc:
        _fail(str(exc))
        return
    typer.echo(f"wrote {count} record(s) to {output}")

"""The README's SQL examples give the same rows on SQLite, DuckDB and PostgreSQL.

Each ```sql block of the README runs over the records of `corpus/` loaded into every
backend available (PostgreSQL when XHS_TEST_POSTGRES_URL is set); ties are broken in the
queries themselves, so the rows and their order must agree.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from xhs_extract import db
from xhs_extract.pipeline import run_folder

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("XHS_TEST_POSTGRES_URL")
_SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.DOTALL)


def readme_queries() -> list[str]:
    return _SQL_BLOCK.findall((REPO / "README.md").read_text(encoding="utf-8"))


def _rows(engine: sa.Engine, query: str) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(query)).fetchall()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]


@pytest.fixture(scope="module")
def corpus_results():
    return [r for r in run_folder(REPO / "corpus") if r.status == "ok"]


def _load(url_or_engine, results) -> None:
    records = [record for result in results for record in result.records]
    documents = [result.document for result in results if result.document is not None]
    db.load_records(url_or_engine, records, documents)


def test_the_readme_has_sql_examples():
    assert readme_queries()


@pytest.mark.slow
def test_readme_sql_gives_the_same_rows_on_every_backend(tmp_path: Path, corpus_results):
    engines = {
        "sqlite": db.connect(f"sqlite:///{tmp_path / 'x.db'}"),
        "duckdb": db.connect(f"duckdb:///{tmp_path / 'x.duckdb'}"),
    }
    admin = schema = None
    if PG_URL:
        schema = f"xhs_readme_{uuid.uuid4().hex[:12]}"
        url = db.normalise_url(PG_URL)
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.schema.CreateSchema(schema))
        engines["postgresql"] = sa.create_engine(
            url, connect_args={"options": f"-csearch_path={schema}"}
        )
    try:
        for engine in engines.values():
            _load(engine, corpus_results)
        for query in readme_queries():
            answers = {name: _rows(engine, query) for name, engine in engines.items()}
            first = answers["sqlite"]
            assert first, f"no rows for:\n{query}"
            for name, rows in answers.items():
                assert rows == first, f"{name} differs from sqlite for:\n{query}"
    finally:
        for engine in engines.values():
            engine.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(sa.schema.DropSchema(schema, cascade=True))
            admin.dispose()

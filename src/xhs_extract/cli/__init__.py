"""Command-line shell over the library; each module registers its commands on `app`."""

from xhs_extract.cli import database as _database  # noqa: F401
from xhs_extract.cli import evaluate as _evaluate  # noqa: F401
from xhs_extract.cli import extract as _extract  # noqa: F401  (registers commands)
from xhs_extract.cli import report as _report  # noqa: F401
from xhs_extract.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]

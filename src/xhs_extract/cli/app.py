"""The `xhs-extract` command: one typer app that each command module adds itself to."""

import typer

app = typer.Typer(
    name="xhs-extract",
    help="Extract digital-society statistics from Vietnamese news into validated records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # paragraphs of docstrings are re-flowed, as in Markdown
)

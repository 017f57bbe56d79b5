"""Commands: evaluate, gold check, gold convert (registered on the shared app).

Input problems print one sentence naming the file and line and exit with code 2; `gold check`
exits 1 when it finds problems in an otherwise readable gold file.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xhs_extract.cli.app import Typer, app, make_parent

gold_app = Typer(
    help="Check gold annotations and convert them to and from annotation tools.",
    no_args_is_help=True,
)
app.add_typer(gold_app, name="gold")

EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2


class MatchChoice(str, Enum):
    strict = "strict"
    relaxed = "relaxed"


class FormatChoice(str, Enum):
    xhs = "xhs"
    labelstudio = "labelstudio"
    doccano = "doccano"
    brat = "brat"


class OffsetChoice(str, Enum):
    utf16 = "utf16"
    codepoints = "codepoints"


class TargetChoice(str, Enum):
    predictions = "predictions"
    annotations = "annotations"


def _fail(message: str) -> NoReturn:
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False
    )
    raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def evaluate(
    gold: Path = typer.Option(
        ..., "--gold", metavar="FILE",
        help="Gold JSONL: one document per line."
    ),
    pred: Optional[Path] = typer.Option(
        None, "--pred", metavar="FILE", help="Predictions: our output JSONL, or gold layout."
    ),
    corpus: Optional[Path] = typer.Option(
        None, "--corpus", metavar="DIR",
        help="Corpus folder. Without --pred the extractor is run over it; with --pred it "
        "supplies the texts for checking spans and showing context.",
    ),
    match: MatchChoice = typer.Option(
        MatchChoice.strict, "--match",
        help="strict: spans must overlap (docs/evaluation.md); relaxed: spans ignored.",
    ),
    json_out: Optional[Path] = typer.Option(
        None, "--json", metavar="FILE",
        help="Write the result as JSON."
    ),
    markdown_out: Optional[Path] = typer.Option(
        None, "--markdown", metavar="FILE", help="Write a Markdown report."
    ),
    ignore_missing: bool = typer.Option(
        False, "--ignore-missing",
        help="Leave out predictions for documents that have no gold line, instead of failing.",
    ),
    show: int = typer.Option(
        20, "--show", metavar="N",
        help="How many errors of each kind to print."
    ),
) -> None:
    """Score predictions against gold: micro and per-indicator P/R/F1, attribute accuracy."""
    from xhs_extract.errors import AnnotationInputError
    from xhs_extract.evaluate import evaluate_files, to_markdown

    try:
        result, texts = evaluate_files(
            gold, pred, corpus=corpus, mode=match.value, ignore_missing=ignore_missing
        )
    except AnnotationInputError as error:
        _fail(str(error))
    try:
        if json_out is not None:
            make_parent(json_out).write_text(
                json.dumps(result.to_dict(texts), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        if markdown_out is not None:
            make_parent(markdown_out).write_text(to_markdown(result, texts), encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write the report {error.filename}: {error.strerror}")
    _print_result(result, texts, show)


def _print_result(result, texts, show: int) -> None:  # noqa: ANN001 (types from a lazy import)
    from xhs_extract.evaluate import attribute_value, context_of

    console = Console(soft_wrap=True)
    m = result.micro
    console.print(
        f"[bold]Matching mode:[/] {result.mode}   documents: {result.n_documents}   "
        f"gold: {result.n_gold}   predicted: {result.n_pred}"
        + (f"   ignored: {len(result.ignored)}" if result.ignored else ""),
        highlight=False,
    )
    table = Table(title="Scores per indicator", box=box.SIMPLE_HEAD)
    table.add_column("indicator", no_wrap=True)
    for name in ("P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(name, justify="right", no_wrap=True)
    for code, c in sorted(result.per_indicator.items()):
        table.add_row(code, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
                      str(c.tp), str(c.fp), str(c.fn))
    table.add_section()
    table.add_row("[bold]micro[/]", f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}",
                  str(m.tp), str(m.fp), str(m.fn))
    console.print(table)
    attributes = Table(title="Attribute accuracy over matched pairs", box=box.SIMPLE_HEAD)
    attributes.add_column("attribute")
    attributes.add_column("accuracy", justify="right")
    attributes.add_column("correct / pairs", justify="right")
    for name, score in result.attributes.items():
        accuracy = "–" if score.accuracy is None else f"{score.accuracy:.3f}"
        attributes.add_row(name, accuracy, f"{score.correct} / {score.total}")
    console.print(attributes)
    for title, entries in (("False positives", result.false_positives),
                           ("False negatives", result.false_negatives)):
        if not entries or show <= 0:
            continue
        console.print(f"[bold]{title}[/] ({len(entries)}):", highlight=False)
        for entry in entries[:show]:
            span = f"[{entry.span[0]}, {entry.span[1]}]" if entry.span else ""
            shown = context_of(entry, texts) or entry.text or ""
            console.print(
                f"  {entry.doc_id} {span} {entry.indicator} {entry.value:g} {entry.unit}: {shown}",
                highlight=False, markup=False, soft_wrap=True,
            )
        if len(entries) > show:
            console.print(f"  … and {len(entries) - show} more (see --json or --markdown)")
    errors = result.attribute_errors()
    if errors and show > 0:
        console.print(f"[bold]Attribute disagreements[/] ({len(errors)}):", highlight=False)
        for name, pair in errors[:show]:
            gold, pred = pair.gold, pair.pred
            shown = context_of(gold, texts) or gold.text or ""
            console.print(
                f"  {gold.doc_id} {name}: gold {attribute_value(name, gold)!r}, predicted "
                f"{attribute_value(name, pred)!r} ({gold.indicator}): {shown}",
                highlight=False, markup=False, soft_wrap=True,
            )
        if len(errors) > show:
            console.print(f"  … and {len(errors) - show} more (see --json or --markdown)")


@gold_app.command("check")
def gold_check(
    gold: Path = typer.Argument(..., help="Gold JSONL to check."),
    corpus: Optional[Path] = typer.Option(
        None, "--corpus", metavar="DIR",
        help="Corpus folder: check spans and that every document has a line."
    ),
    match: MatchChoice = typer.Option(
        MatchChoice.strict, "--match",
        help="relaxed: accept records without value_span (gold for evaluate --match relaxed).",
    ),
) -> None:
    """Check a gold file: codes, units, spans, duplicates, one line per corpus document."""
    from xhs_extract.errors import AnnotationInputError
    from xhs_extract.gold import check_gold, read_corpus

    try:
        texts = read_corpus(corpus) if corpus is not None else None
        problems = check_gold(gold, texts, require_spans=match is MatchChoice.strict)
    except AnnotationInputError as error:
        _fail(str(error))
    console = Console(soft_wrap=True)
    if not problems:
        console.print(f"{gold}: no problems found", highlight=False)
        return
    for problem in problems:
        console.print(str(problem), highlight=False, markup=False)
    console.print(f"{len(problems)} problem(s) in {gold}", highlight=False)
    raise typer.Exit(EXIT_PROBLEMS)


@gold_app.command("convert")
def gold_convert(
    source: Path = typer.Argument(..., help="Input file (or folder for brat)."),
    target: Path = typer.Argument(..., help="Output file (or folder for brat)."),
    from_format: FormatChoice = typer.Option(..., "--from", help="Input format."),
    to_format: FormatChoice = typer.Option(..., "--to", help="Output format."),
    corpus: Optional[Path] = typer.Option(
        None, "--corpus", metavar="DIR",
        help="Corpus folder; needed to convert from xhs (the tools need the texts), and "
        "used to verify that texts from a tool are the corpus texts.",
    ),
    ls_offsets: OffsetChoice = typer.Option(
        OffsetChoice.utf16, "--ls-offsets",
        help="How Label Studio offsets are written: utf16 (JavaScript string indices, what "
        "Label Studio has used) or codepoints. Reading detects it from each region's text.",
    ),
    ls_as: TargetChoice = typer.Option(
        TargetChoice.predictions, "--ls-as",
        help="Write Label Studio regions as predictions (pre-annotations) or annotations.",
    ),
) -> None:
    """Convert gold or predictions between xhs JSONL, Label Studio, doccano and brat."""
    from xhs_extract.convert import convert
    from xhs_extract.errors import AnnotationInputError, OutputError

    make_parent(target)
    try:
        count = convert(
            source, target, from_format.value, to_format.value, corpus=corpus,
            ls_offsets=ls_offsets.value, ls_as=ls_as.value,
        )
    except (AnnotationInputError, OutputError) as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot write {error.filename or target}: {error.strerror}")
    Console(soft_wrap=True).print(f"wrote {count} document(s) to {target}", highlight=False)


@gold_app.command("labelstudio-config")
def gold_labelstudio_config(
    target: Optional[Path] = typer.Argument(None, help="Write here instead of the terminal."),
) -> None:
    """A Label Studio labeling config whose labels are the indicator codes."""
    from xhs_extract.convert import labelstudio_config

    config = labelstudio_config()
    if target is None:
        typer.echo(config)
    else:
        make_parent(target).write_text(config, encoding="utf-8")

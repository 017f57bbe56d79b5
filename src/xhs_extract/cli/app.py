"""The `xhs-extract` command: one typer app that each command module adds itself to.

Help pages follow the usual conventions whatever typer's own defaults: a flag is shown as
a flag (no value after it), a value by a name in capitals (`FILE`, `DIR`, `URL`, `N`),
choices as `[a|b]`, and arguments on the usage line in capitals (`CORPUS`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Iterator, NoReturn, Optional, Sequence

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# What a value is called in help pages when its option names nothing better.
_TYPE_NAMES = {"path": "PATH", "int": "N", "float": "NUMBER", "str": "TEXT"}


def _value_name(param: Any) -> str | None:
    """The metavariable a parameter gets when it has none of its own."""
    descriptor = param.type_descriptor
    if isinstance(param, TyperOption) and param.is_flag:
        return ""  # a flag takes no value
    if descriptor.is_choice and descriptor.choices is not None:
        values = [getattr(c, "value", c) for c in descriptor.choices]
        return "[" + "|".join(str(v) for v in values) + "]"
    if isinstance(param, TyperArgument):
        return str(param.name).upper()
    return _type_name(param)


def _type_name(param: Any) -> str:
    descriptor = param.type_descriptor
    label = descriptor.path_type if descriptor.is_path else param.bare_type()
    if descriptor.is_ranged:
        label = descriptor.ranged_type_name
    return _TYPE_NAMES.get(str(label).removesuffix(" range"), str(label).upper())


class _Argument(TyperArgument):
    """An argument: its name in capitals (the metavariable), then what kind of value."""

    def display_type_rich(self, ctx: Any) -> str | None:
        shown = _type_name(self)
        return "" if shown == "TEXT" else shown  # any text says nothing the help does not


def _polish(params: list[Any]) -> list[Any]:
    for param in params:
        if getattr(param, "metavar", None) is None and hasattr(param, "type_descriptor"):
            param.metavar = _value_name(param)
        if type(param) is TyperArgument:
            # typer builds its own parameters; this one only changes how help shows it
            param.__class__ = _Argument
    return params


class _Polished:
    """Parameters named as help pages usually name them (see the module's docstring)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _polish(super().get_params(ctx))  # type: ignore[misc]


class Command(_Polished, TyperCommand):
    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """`[OPTIONS] CORPUS`: arguments by name, in brackets only when optional."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or str(param.name).upper()
                name = name if param.required else f"[{name}]"
                pieces.append(name + ("..." if param.nargs != 1 else ""))
        return pieces


class Group(_Polished, TyperGroup):
    pass


class Typer(typer.Typer):
    """A typer app whose commands and groups have the help pages described above."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", Group)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


app = Typer(
    name="xhs-extract",
    help="Extract digital-society statistics from Vietnamese news into validated records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # paragraphs of docstrings are re-flowed, as in Markdown
)


def make_parent(path: Path) -> Path:
    """Create the folder `path` is to be written into, as every command that writes does;
    a folder that cannot be created ends the command with a one-line error (E400, exit 2)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        detail = f"cannot create the folder {path.parent}: {error.strerror or error}"
        _refuse(f"cannot write {path}: {detail} [E400]")
    return path


def _refuse(message: str) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


@contextlib.contextmanager
def writing(
    files: Sequence[Optional[Path]] = (),
    folders: Sequence[Path] = (),
    inputs: Sequence[Optional[Path]] = (),
) -> Iterator[None]:
    """The block writes the output `files` and `folders`: each is checked first (not an
    input, E401; not a folder for a file, not a file for a folder, not inside a file, E400),
    and any problem writing them (read-only, full disk, a name leading out of its folder)
    ends the command with one line naming the path and its code, exit 2. Problems of
    anything else (an input that cannot be read) pass through."""
    from xhs_extract.errors import OutputError
    from xhs_extract.jsonl import check_target

    targets = [f for f in files if f is not None]
    try:
        sources = {os.path.realpath(i) for i in inputs if i is not None}
        for target in [*targets, *folders]:
            if os.path.realpath(target) in sources:
                raise OutputError("E401", path=target)
            check_target(target, folder=target in folders)
        yield
    except OutputError as error:
        _refuse(str(error))
    except OSError as error:
        path = _output_of(error, targets, folders)
        if path is None:
            raise
        _refuse(str(OutputError("E400", path=path, detail=error.strerror or str(error))))


def _output_of(error: OSError, files: Sequence[Path], folders: Sequence[Path]) -> Optional[str]:
    """The output `error` is about (its path as named), or None when it is about another
    file. An error naming no file (a full disk while writing) is the outputs'."""
    from xhs_extract.jsonl import is_temporary_of

    if error.filename is None:
        return ", ".join(str(t) for t in [*files, *folders]) or None
    named = os.fsdecode(error.filename)
    real = os.path.realpath(named)
    for target in [*files, *folders]:
        target_real = os.path.realpath(target)
        if real == target_real or target_real.startswith(real.rstrip(os.sep) + os.sep):
            return named  # the output, or a folder on its way
        if target in folders and real.startswith(target_real + os.sep):
            return named  # a file inside an output folder
        if target in files and is_temporary_of(named, target):
            return str(target)
    return None

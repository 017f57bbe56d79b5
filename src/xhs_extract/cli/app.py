"""The `xhs-extract` command: one typer app that each command module adds itself to.

Help pages follow the usual conventions whatever typer's own defaults: a flag is shown as
a flag (no value after it), a value by a name in capitals (`FILE`, `DIR`, `URL`, `N`),
choices as `[a|b]`, and arguments on the usage line in capitals (`CORPUS`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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
    a folder that cannot be created ends the command with a one-line error (exit 1)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        sys.stderr.write(f"error: cannot create the folder {path.parent}: {error.strerror}\n")
        raise typer.Exit(1) from None
    return path

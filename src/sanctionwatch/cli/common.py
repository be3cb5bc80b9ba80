"""What every command shares: the app, the consoles, one-line errors."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from .. import __version__
from ..printable import one_line


def _plain_argument_help() -> None:
    """typer (0.2x) shows an argument's Python type beside its name in the help (`PATH <list[str]>`)
    even when the argument names its value, as an option with a metavar does not: an argument
    with a metavar shows just that. (tests/test_cli_help.py checks every command's help.)"""
    argument = getattr(getattr(typer, "core", None), "TyperArgument", None)
    if argument is not None and hasattr(argument, "display_type_rich"):
        shown = argument.display_type_rich
        argument.display_type_rich = lambda self, ctx: None if self.metavar else shown(self, ctx)


_plain_argument_help()

app = typer.Typer(
    name="sanctionwatch",
    help="Find the news stories that matter to sanctions enforcement.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def table_out(width: int = 160) -> Console:
    """Where a table goes: a terminal at its own width; a pipe or a file at a width that keeps
    the cells on whole lines."""
    return out if out.is_terminal else Console(width=width, soft_wrap=True, highlight=False)


def warn(message: str) -> None:
    err.print(f"sanctionwatch: {one_line(message)}", markup=False)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"sanctionwatch: error: {one_line(message)}", markup=False)
    sys.exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sanctionwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Find the news stories that matter to sanctions enforcement."""

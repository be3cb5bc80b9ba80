"""What every command shares: the app, the consoles, one-line errors."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from .. import __version__
from ..printable import one_line

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

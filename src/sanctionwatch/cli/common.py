"""What every command shares: the app, the consoles, one-line errors."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from .. import __version__

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


_CONTROL = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A)) | dict.fromkeys(
    range(0x7F, 0xA0))


def printable(text: str) -> str:
    """Text from the web as safe to print on a terminal: control characters removed (an escape
    sequence in an article must not drive the terminal)."""
    return text.translate(_CONTROL)


def warn(message: str) -> None:
    err.print(f"sanctionwatch: {message}", markup=False)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"sanctionwatch: error: {message}", markup=False)
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

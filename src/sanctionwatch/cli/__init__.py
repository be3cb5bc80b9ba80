"""The `sanctionwatch` command: a thin layer over the library.

Each command group lives in its own module and registers itself on `app` here.
"""

from __future__ import annotations

import sys

import click
import typer

from .. import __version__
from ..errors import SanctionwatchError
from .common import app, fail

# Command modules register themselves on `app` when imported.
from . import scan  # noqa: E402, F401  isort: skip


def main() -> None:
    """Console entry point: usage errors and known failures are one line, never a traceback."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=sys.argv[1:], prog_name="sanctionwatch", standalone_mode=False)
    except click.exceptions.NoArgsIsHelp as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
        code = 2
    except click.UsageError as exc:
        fail(exc.format_message().replace("\n", " "), code=2)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.Abort:
        fail("aborted", code=130)
    except SanctionwatchError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing more to say
        code = 0
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main", "__version__"]

"""The `sanctionwatch` command: a thin layer over the library.

Each command group lives in its own module and registers itself on `app` here.
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ..errors import SanctionwatchError
from .common import app, fail

# Command modules register themselves on `app` when imported.
from . import scan  # noqa: E402, F401  isort: skip
from . import kb  # noqa: E402, F401  isort: skip
from . import lists  # noqa: E402, F401  isort: skip
from . import ingest, query  # noqa: E402, F401  isort: skip
from . import rules  # noqa: E402, F401  isort: skip
from . import export, incidents, relations  # noqa: E402, F401  isort: skip
from . import serve, watch  # noqa: E402, F401  isort: skip


def main() -> None:
    """Console entry point: usage errors and known failures are one line, never a traceback."""
    command = typer.main.get_command(app)
    code: object = 0
    try:
        code = command.main(args=sys.argv[1:], prog_name="sanctionwatch", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        fail("aborted", code=130)
    except typer.TyperException as exc:  # click's usage errors, as typer vendors them
        message = exc.format_message()  # type: ignore[attr-defined]
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare command: show its help
            typer.echo(message, err=True)
            sys.exit(2)
        fail(" ".join(message.split()), code=2)
    except SanctionwatchError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing more to say
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["__version__", "app", "main"]

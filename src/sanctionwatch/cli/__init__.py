"""The `sanctionwatch` command: a thin layer over the library.

Each command group lives in its own module and registers itself on `app` here.
"""

from __future__ import annotations

import signal
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
from . import db, spark  # noqa: E402, F401  isort: skip
from . import serve, watch  # noqa: E402, F401  isort: skip


def bad_parameter(exc: typer.BadParameter) -> str:
    """A bad value as one plain line, `--format: 'xml' is not one of 'text', 'json', 'jsonl'.`,
    without the wording of the libraries that checked it ("Invalid value for…", "Value error,")."""
    message = " ".join(exc.message.split()).removeprefix("Value error, ")
    param = exc.param
    if exc.param_hint:
        name = exc.param_hint if isinstance(exc.param_hint, str) else exc.param_hint[0]
    elif param is not None and param.param_type_name == "option":
        name = max(param.opts, key=len)
    elif param is not None:
        name = param.human_readable_name
    else:
        return message
    return f"{name.strip(chr(39))}: {message}"


class _Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that every `finally` runs: partial
    downloads and staging copies are removed, finished batches saved."""


def _terminate(signum: int, _frame: object) -> None:
    raise _Terminated(signum)


def main() -> None:
    """Console entry point: usage errors and known failures are one line, never a traceback."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    command = typer.main.get_command(app)
    code: object = 0
    try:
        code = command.main(args=sys.argv[1:], prog_name="sanctionwatch", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        fail("aborted", code=130)
    except typer.BadParameter as exc:
        fail(bad_parameter(exc), code=2)
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
    except _Terminated as exc:
        fail(f"stopped by {signal.Signals(exc.args[0]).name}", code=128 + exc.args[0])
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing more to say
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["__version__", "app", "bad_parameter", "main"]

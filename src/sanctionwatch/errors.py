"""Errors that reach the user as one line, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class SanctionwatchError(Exception):
    """An error with a message meant for the user."""


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read; a batch reports it and goes on with the rest."""

    origin: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.message}"

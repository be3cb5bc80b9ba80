"""Run the `sanctionwatch` entry point in-process, as a user would from a shell."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from sanctionwatch.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
            stdin: bytes | None = None) -> Result:
    monkeypatch.setattr(sys, "argv", ["sanctionwatch", *args])
    if stdin is not None:
        fake = io.TextIOWrapper(io.BufferedReader(io.BytesIO(stdin)), encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", fake)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return Result(int(exc.value.code or 0), captured.out, captured.err)

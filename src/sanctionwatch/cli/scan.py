"""`sanctionwatch scan`: analyse articles and print their reports."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from ..errors import InputProblem
from ..sources import ReadOptions, read_inputs
from ..sources.dates import check_iso_date
from ..sources.readers import DEFAULT_MAX_CHARS
from .common import app, fail, out, warn


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def published_option(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_iso_date(value)
    except ValueError:
        raise typer.BadParameter(f"not a YYYY-MM-DD date: {value!r}") from None


@app.command()
def scan(
    paths: list[str] = typer.Argument(..., help="Files, directories, or - for standard input."),
    published: str | None = typer.Option(
        None, "--published", callback=published_option, metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    max_size: int = typer.Option(
        DEFAULT_MAX_CHARS, "--max-size", min=1, metavar="CHARS",
        help="Refuse articles longer than this many characters."),
) -> None:
    """Analyse articles (.txt, .md, .html, .json, .jsonl, directories) and print reports."""
    from ..analyze import default_analyzer  # the model loads only when there is work to do
    from ..report.jsonout import to_json
    from ..report.terminal import render

    options = ReadOptions(published=published, max_chars=max_size)
    problems = 0
    reports = 0
    analyzer = None
    for item in read_inputs(paths, options):
        if isinstance(item, InputProblem):
            problems += 1
            warn(f"error: {item}")
            continue
        analyzer = analyzer or default_analyzer()
        report = analyzer.analyze(item)
        reports += 1
        if fmt is Format.text:
            render(report, item.text, out)
        else:
            sys.stdout.write(to_json(report, indent=2 if fmt is Format.json else None) + "\n")
    if reports == 0 and problems == 0:
        fail("no articles in the input")
    if problems:
        raise typer.Exit(1)


__all__ = ["scan"]

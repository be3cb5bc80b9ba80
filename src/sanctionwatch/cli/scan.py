"""`sanctionwatch scan`: analyse articles and print their reports."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from itertools import chain, islice
from typing import TYPE_CHECKING

import typer

from ..defaults import DEFAULT_MAX_CHARS
from .common import app, fail, out, warn

if TYPE_CHECKING:
    from ..errors import InputProblem
    from ..model import Article

NO_LISTS = ("no sanctions lists installed: names are not screened "
            "(install them with `sanctionwatch lists update`)")


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def published_option(value: str | None) -> str | None:
    if value is None:
        return None
    from ..sources.dates import check_iso_date

    try:
        return check_iso_date(value)
    except ValueError:
        raise typer.BadParameter(f"not a YYYY-MM-DD date: {value!r}") from None


@app.command()
def scan(
    paths: list[str] = typer.Argument(..., metavar="PATH",
                                      help="Files, directories, or - for standard input."),
    published: str | None = typer.Option(
        None, "--published", callback=published_option, metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", metavar="text|json|jsonl",
                               help="Output format."),
    max_size: int = typer.Option(
        DEFAULT_MAX_CHARS, "--max-size", min=1, metavar="CHARS",
        help="Refuse articles longer than this many characters."),
    full: bool = typer.Option(
        False, "--full",
        help="Parse every passage of every article. Without it, of several articles only the "
             "passages that can yield a flag are parsed, as ingest does: the same flags, faster."),
) -> None:
    """Analyse articles (.txt, .md, .html, .json, .jsonl, directories) and print reports."""
    from ..sources import ReadOptions, read_inputs

    problems: list[InputProblem] = []
    articles = _articles(read_inputs(paths, ReadOptions(published=published, max_chars=max_size)),
                         problems)
    first = list(islice(articles, 2))
    if first:
        _print_reports(chain(first, articles), fmt, prefilter=len(first) > 1 and not full)
    if not first and not problems:
        fail("no articles in the input")
    if problems:
        raise typer.Exit(1)


def _articles(items: Iterable[Article | InputProblem], problems: list[InputProblem]) -> Iterator[Article]:
    """The articles read; each input that cannot be read is reported as it comes, and counted."""
    from ..errors import InputProblem

    for item in items:
        if isinstance(item, InputProblem):
            problems.append(item)
            warn(f"error: {item}")
        else:
            yield item


def _print_reports(articles: Iterable[Article], fmt: Format, prefilter: bool) -> None:
    """Analyse in batches (the model parses several texts at once) and print each report."""
    from ..analyze import default_analyzer  # the model loads only when there is work to do
    from ..report.jsonout import to_json
    from ..report.terminal import render

    analyzer = default_analyzer(prefilter=prefilter)
    if analyzer.screener is None and fmt is Format.text:  # JSON says it with an empty `screening`
        warn(NO_LISTS)
    for report in analyzer.analyze_many(articles):
        if fmt is Format.text:
            render(report, report.article.text, out)
        else:
            sys.stdout.write(to_json(report, indent=2 if fmt is Format.json else None) + "\n")


__all__ = ["NO_LISTS", "published_option", "scan"]

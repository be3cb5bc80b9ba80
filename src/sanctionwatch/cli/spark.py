"""`sanctionwatch spark ingest`: the analysis of `ingest` on Apache Spark, into Parquet.

pyspark, the readers and the store are imported by the command, so that the rest of the command
line starts without them.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING

import typer

from ..defaults import DEFAULT_BATCH_SIZE, DEFAULT_MAX_CHARS, default_workers
from ..errors import SanctionwatchError
from .common import app, out, warn
from .scan import published_option

if TYPE_CHECKING:
    from ..spark.job import JobSummary

spark_app = typer.Typer(help="Run the analysis on Apache Spark (pip install 'sanctionwatch[spark]').",
                        no_args_is_help=True)
app.add_typer(spark_app, name="spark")


def _conf(values: list[str]) -> dict[str, str]:
    conf = {}
    for value in values:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"not KEY=VALUE: {value!r}", param_hint="--conf")
        conf[key.strip()] = setting
    return conf


@spark_app.command("ingest")
def spark_ingest_command(
    sources: list[str] = typer.Argument(
        ..., metavar="SOURCE",
        help="Files and directories (local paths, or s3a://, hdfs:// and other URIs the "
             "cluster reads; globs allowed): JSON Lines, WARC, .gz of these, and the other "
             "formats ingest reads."),
    out_dir: str = typer.Option(..., "--out", metavar="DIR",
                                help="Where the Parquet tables go (a local path or a URI)."),
    master: str | None = typer.Option(
        None, "--master", metavar="URL",
        help="Spark master (spark://host:7077, yarn, k8s://..., local[N]); default local[CORES], "
             "or the one spark-submit was given."),
    cores: int = typer.Option(default_workers(), "--cores", min=1, metavar="N",
                              help="Cores for the default local[N] master."),
    partitions: int | None = typer.Option(
        None, "--partitions", min=1, metavar="N",
        help="Analysis partitions (default: 2 per core, or one per 2,000 articles if more)."),
    db: str | None = typer.Option(
        None, "--db", metavar="URL|PATH",
        help="Also save the analysed articles into this store (as ingest does)."),
    published: str | None = typer.Option(
        None, "--published", callback=published_option, metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none."),
    max_size: int = typer.Option(DEFAULT_MAX_CHARS, "--max-size", min=1, metavar="CHARS",
                                 help="Refuse articles longer than this many characters."),
    conf: list[str] = typer.Option([], "--conf", metavar="KEY=VALUE",
                                   help="A Spark setting (repeatable)."),
) -> None:
    """Analyse files of articles on Spark into Parquet tables DIR/articles, entities, events,
    flags and screening, partitioned by publication month and keyed by the store's article
    key: articles DIR holds already are not analysed again."""
    settings = _conf(conf)
    try:
        from ..spark.inputs import check_sources
        from ..spark.job import IngestJob, JobOptions
        from ..spark.session import default_master, spark_session
    except ImportError as exc:
        raise SanctionwatchError(f"spark ingest needs pyspark ({exc}): pip install "
                                 "'sanctionwatch[spark]'") from None
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from ..sources import ReadOptions
    from ..store import Store

    options = JobOptions(sources=tuple(sources), out=out_dir, partitions=partitions,
                         read=ReadOptions(published=published, max_chars=max_size),
                         batch_size=DEFAULT_BATCH_SIZE)
    check_sources(sources)
    master = master or default_master(cores)
    with ExitStack() as stack:
        store = stack.enter_context(Store.open(db)) if db else None  # a bad --db fails first
        spark = stack.enter_context(spark_session(master, settings))
        try:
            summary = IngestJob(options).run(spark, store)
        except (PySparkException, Py4JError) as exc:
            raise SanctionwatchError(f"the Spark job failed: {_first_line(exc)}") from None
        _report(summary, out_dir, spark.sparkContext.master)
    if summary.refused:
        raise typer.Exit(1)


def _first_line(exc: Exception) -> str:
    java = getattr(exc, "java_exception", None)
    text = str(java.toString() if java is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _report(summary: JobSummary, out_dir: str, master: str) -> None:
    for problem in summary.problems:
        warn(f"error: {problem}")
    if summary.refused > len(summary.problems):
        warn(f"... {summary.refused - len(summary.problems):,} more refused records: see "
             f"{out_dir}/problems/run={summary.run}")
    if len(summary.versions) > 1:
        warn("executors analysed with different versions (lists installed differently?): "
             + "; ".join(summary.versions))
    items = summary.items
    rate = summary.analysed / max(summary.seconds, 1e-9)
    out.print(
        f"Read {summary.read:,} articles from {summary.files:,} files ({summary.refused:,} "
        f"refused); {summary.repeated:,} repeated, {summary.stored:,} already in {out_dir}; "
        f"analysed {summary.analysed:,} on {master} in {summary.seconds:.1f}s "
        f"({rate:.1f} articles/s): {items.get('flags', 0):,} flags, "
        f"{items.get('events', 0):,} events, {items.get('entities', 0):,} entities, "
        f"{items.get('screening', 0):,} screening hits.", markup=False)
    if summary.loaded is not None:
        out.print(f"Saved to the store: {summary.loaded:,} new articles.", markup=False)

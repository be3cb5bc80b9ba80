"""The Spark ingest job: read → skip what DIR holds → analyse in mapPartitions → write Parquet.

One job class in the manner of Common Crawl's cc-pyspark: `run()` sets up the counters
(accumulators), reads the inputs as partitions, analyses each partition with the analyzer that
`ingest` uses (loaded once per Python worker process, from the installed package), guards every
record on its own (a bad record or a failed analysis is counted and reported, never fails a
task), and writes tables with explicit schemas (spark/tables.py).

Idempotent by the store's article key: articles whose key `DIR/articles` holds are not analysed
again, and each table takes only rows whose key it does not hold yet. The item tables are
written before `DIR/articles`, so an article listed there has all its rows written; a run that
died between two tables is completed by the next one without duplicates.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pyspark import StorageLevel
from pyspark.sql import functions as F

from ..errors import InputProblem
from ..ingest import DEFAULT_BATCH_SIZE, worker
from ..model import Article
from ..sources import ReadOptions
from . import inputs as read
from .tables import (
    ANALYSED_SCHEMA,
    ITEM_SCHEMAS,
    ITEM_TABLES,
    PARTITION,
    PROBLEM_SCHEMA,
    TABLE_SCHEMAS,
    analysed_row,
    article_rows_of,
    failed_row,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from ..store import Store

JOB_NAME = "sanctionwatch-ingest"
ARTICLES_PER_PARTITION = 2000  # for analysis: enough partitions to balance, few to start
PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class JobOptions:
    sources: tuple[str, ...]
    out: str  # the output directory: a local path or a URI (s3a://, hdfs://)
    read: ReadOptions = field(default_factory=ReadOptions)
    partitions: int | None = None  # analysis partitions (default: from the article count)
    batch_size: int = DEFAULT_BATCH_SIZE


@dataclass
class JobSummary:
    files: int = 0
    read: int = 0  # articles read
    refused: int = 0  # records that could not be read, and articles the analyzer failed on
    repeated: int = 0  # the same article again in the input
    stored: int = 0  # in DIR already: not analysed again
    analysed: int = 0
    items: dict[str, int] = field(default_factory=dict)  # rows analysed, by table
    problems: list[str] = field(default_factory=list)  # the first PROBLEMS_SHOWN
    versions: list[str] = field(default_factory=list)  # of the analysis, as executors report
    loaded: int | None = None  # articles new to the SQL store, when loading into one
    seconds: float = 0.0
    run: str = ""


class IngestJob:
    """Analyse the articles of `options.sources` into Parquet tables under `options.out`."""

    def __init__(self, options: JobOptions) -> None:
        self.options = options

    # --- the template -------------------------------------------------------------------

    def run(self, spark: SparkSession, store: Store | None = None) -> JobSummary:
        started = time.monotonic()
        summary = JobSummary(run=datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        sc = spark.sparkContext
        self.read_count = sc.accumulator(0)
        self.refused_count = sc.accumulator(0)
        self.analysed_count = sc.accumulator(0)

        found = read.list_inputs(spark, self.options.sources)
        summary.files = found.count
        self.refused_count.add(len(found.problems))
        items = self.read(spark, found).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            articles = items.where(F.col("kind") == "article").drop("kind", "line", "message")
            unique = articles.dropDuplicates(["key"])
            todo = self._absent(spark, "articles", unique)
            count = todo.count()  # reads the inputs, once (persisted)
            summary.read = self.read_count.value
            summary.repeated = summary.read - unique.count()
            summary.stored = summary.read - summary.repeated - count

            analysed = self.analyse(spark, todo, count).persist(StorageLevel.MEMORY_AND_DISK)
            try:
                # Analyse now, once: every table below is written from these cached rows (the
                # counters count a partition again only if Spark must compute it again).
                analysed.count()
                done = analysed.where(F.col("problem").isNull())
                self.write(spark, done)
                problems = self._problems(spark, found.problems, items, analysed)
                summary.problems = self.write_problems(problems, summary.run)
                summary.analysed = self.analysed_count.value
                summary.refused = self.refused_count.value
                summary.items = self._item_counts(done)
                summary.versions = sorted(r.versions for r in
                                          done.select("versions").distinct().collect())
                if store is not None:
                    summary.loaded = self.load(done, store)
            finally:
                analysed.unpersist()
        finally:
            items.unpersist()
        summary.seconds = time.monotonic() - started
        return summary

    # --- reading ------------------------------------------------------------------------

    def read(self, spark: SparkSession, found: read.Inputs) -> DataFrame:
        sc = spark.sparkContext
        parts = []
        if found.lines:
            lines = (spark.read.option("lineSep", "\n").text(found.lines)
                     .select(F.col("_metadata.file_path"), F.col("value").cast("binary")))
            parts.append(lines.rdd.mapPartitions(self.read_lines))
        if found.files:
            files = sc.binaryFiles(",".join(found.files), minPartitions=len(found.files))
            parts.append(files.mapPartitions(self.read_files))
        rdd = sc.union(parts) if parts else sc.emptyRDD()
        return spark.createDataFrame(rdd, read.READ_SCHEMA)

    def read_lines(self, rows: Iterable[Any]) -> Iterator[tuple]:
        return self._counted(read.read_lines(rows, self.options.read))

    def read_files(self, files: Iterable[tuple[str, bytes]]) -> Iterator[tuple]:
        return self._counted(read.read_files(files, self.options.read))

    def _counted(self, items: Iterable[Article | InputProblem]) -> Iterator[tuple]:
        for item in items:
            (self.refused_count if isinstance(item, InputProblem) else self.read_count).add(1)
            yield read.item_row(item)

    # --- analysis -----------------------------------------------------------------------

    def analyse(self, spark: SparkSession, todo: DataFrame, count: int) -> DataFrame:
        partitions = self.options.partitions or max(
            spark.sparkContext.defaultParallelism * 2, math.ceil(count / ARTICLES_PER_PARTITION))
        rdd = todo.repartition(partitions).rdd.mapPartitions(self.analyse_partition)
        return spark.createDataFrame(rdd, ANALYSED_SCHEMA)

    def analyse_partition(self, rows: Iterable[Any]) -> Iterator[tuple]:
        """Executor side: the analyzer is loaded on first use in this Python worker and kept
        for its later tasks (worker.analyzer); batches as in `ingest`."""
        batch: worker.Batch = []
        for row in rows:
            batch.append((row.key, Article(text=row.text, id=row.id, url=row.url, title=row.title,
                                           published=row.published, origin=row.origin)))
            if len(batch) >= self.options.batch_size:
                yield from self._analysed(batch)
                batch = []
        if batch:
            yield from self._analysed(batch)

    def _analysed(self, batch: worker.Batch) -> Iterator[tuple]:
        result = worker.analyse(batch)  # a failing article costs only itself
        self.analysed_count.add(len(result.rows))
        self.refused_count.add(len(result.failures))
        for rows in result.rows:
            yield analysed_row(rows)
        for failure in result.failures:
            yield failed_row(failure.origin, failure.message)

    # --- writing ------------------------------------------------------------------------

    def path(self, table: str) -> str:
        return f"{self.options.out.rstrip('/')}/{table}"

    def write(self, spark: SparkSession, done: DataFrame) -> None:
        """The item tables first, the articles last (see the module's docstring)."""
        for name in ITEM_TABLES:
            fields = [f"item.{f}" for f in ITEM_SCHEMAS[name].fieldNames()]
            table = (done.select("key", PARTITION, F.explode(name).alias("item"))
                     .select("key", *fields, PARTITION))
            self._append(spark, name, table)
        self._append(spark, "articles", done.select(*TABLE_SCHEMAS["articles"].fieldNames()))

    def _append(self, spark: SparkSession, name: str, table: DataFrame) -> None:
        new = self._absent(spark, name, table)
        (new.repartition(PARTITION).write.mode("append").partitionBy(PARTITION)
         .parquet(self.path(name)))

    def _absent(self, spark: SparkSession, name: str, table: DataFrame) -> DataFrame:
        """The rows of `table` whose key the output table `name` does not hold."""
        if not self._exists(spark, self.path(name)):
            return table
        stored = spark.read.schema(TABLE_SCHEMAS[name]).parquet(self.path(name)).select("key")
        return table.join(stored.distinct(), "key", "left_anti")

    @staticmethod
    def _exists(spark: SparkSession, path: str) -> bool:
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
        fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        return bool(fs.exists(hadoop_path))

    @staticmethod
    def _problems(spark: SparkSession, unlisted: list[InputProblem], items: DataFrame,
                  analysed: DataFrame) -> DataFrame:
        """Sources that name no file, records that could not be read, failed analyses."""
        return (spark.createDataFrame([(p.origin, p.line, p.message) for p in unlisted],
                                      PROBLEM_SCHEMA)
                .unionByName(items.where(F.col("kind") == "problem")
                             .select(*PROBLEM_SCHEMA.fieldNames()))
                .unionByName(analysed.where(F.col("problem").isNotNull())
                             .select("origin", F.lit(None).cast("long").alias("line"),
                                     F.col("problem").alias("message"))))

    def write_problems(self, problems: DataFrame, run: str) -> list[str]:
        """This run's refused records under DIR/problems/run=RUN; the first few, as lines."""
        shown = problems.limit(PROBLEMS_SHOWN).collect()
        if shown:
            (problems.withColumn("run", F.lit(run)).coalesce(1).write.mode("append")
             .partitionBy("run").parquet(self.path("problems")))
        return [str(InputProblem(p.origin, p.message, p.line)) for p in shown]

    @staticmethod
    def _item_counts(done: DataFrame) -> dict[str, int]:
        sums = done.select(*[F.sum(F.size(name)).alias(name) for name in ITEM_TABLES]).first()
        return {name: int(sums[name] or 0) for name in ITEM_TABLES} if sums else {}

    def load(self, done: DataFrame, store: Store) -> int:
        """Save this run's analysed articles into the SQL store, in batches (idempotent)."""
        new, batch = 0, []
        for row in done.toLocalIterator():
            batch.append(article_rows_of(row))
            if len(batch) >= self.options.batch_size:
                new += store.save(batch).new
                batch = []
        if batch:
            new += store.save(batch).new
        return new

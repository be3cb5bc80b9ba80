"""What the Spark job reads: the files its sources name, and their articles, read by the same
readers as `ingest` (sources/).

Plain JSON Lines files go through Spark's text source, which splits a large file across tasks;
each line is parsed by `jsonl_item`, as `ingest` parses it. Every other file (WARC, `.gz`,
HTML, JSON, feeds, text) is read whole by one task (`binaryFiles`) and streamed through the
reader `ingest` picks for its name: a task holds one such file in memory at a time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from pyspark.sql.types import LongType, StringType, StructField, StructType

from ..errors import InputProblem, SanctionwatchError
from ..model import Article
from ..sources import READERS, ReadOptions, is_url, local_files, reader_for
from ..sources.readers import jsonl_item
from ..store.keys import article_key

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LINE_SUFFIXES = (".jsonl", ".ndjson")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_GLOB = re.compile(r"([\\{}\[\]*?])")

# One item read: an article (kind "article") or a record that could not be read ("problem").
READ_SCHEMA = StructType([
    StructField("kind", StringType(), False),
    StructField("key", StringType(), True),
    StructField("id", StringType(), True),
    StructField("url", StringType(), True),
    StructField("title", StringType(), True),
    StructField("published", StringType(), True),
    StructField("origin", StringType(), True),
    StructField("text", StringType(), True),
    StructField("line", LongType(), True),
    StructField("message", StringType(), True),
])


@dataclass
class Inputs:
    lines: list[str] = field(default_factory=list)  # plain JSON Lines files, as Spark paths
    files: list[str] = field(default_factory=list)  # every other file, as Spark paths
    problems: list[InputProblem] = field(default_factory=list)  # sources that name no file

    @property
    def count(self) -> int:
        return len(self.lines) + len(self.files)


def has_scheme(name: str) -> bool:
    return bool(_SCHEME.match(name))


def check_sources(sources: Iterable[str]) -> None:
    """Refuse sources that are not files, before Spark starts."""
    for name in sources:
        if name == "-" or is_url(name):
            raise SanctionwatchError(
                f"spark ingest reads files (local paths, or URIs such as s3a:// and hdfs://), "
                f"not {'standard input' if name == '-' else 'feed URLs'}: {name}")


def list_inputs(spark: SparkSession, sources: Iterable[str]) -> Inputs:
    """The files the sources name: local paths (walked as `ingest` walks them) and URIs that
    Spark's Hadoop file systems read (s3a://, hdfs://, file://: listed recursively, globs
    allowed, names starting with '.' or '_' skipped)."""
    check_sources(sources)
    inputs = Inputs()
    for name in sources:
        found = _hadoop_files(spark, name) if has_scheme(name) else _local(name)
        if isinstance(found, InputProblem):
            inputs.problems.append(found)
            continue
        for path in found:
            if "," in path:  # Spark takes a list of files as one comma-separated string
                inputs.problems.append(InputProblem(path, "Spark cannot read a file with a comma "
                                                          "in its name: rename it"))
            elif _suffix(path) in LINE_SUFFIXES:
                inputs.lines.append(path)
            else:
                inputs.files.append(path)
    return inputs


def _local(name: str) -> list[str] | InputProblem:
    found = local_files(name)
    if isinstance(found, InputProblem):
        return found
    # Spark reads paths as glob patterns: characters that mean a pattern are escaped.
    return ["file://" + _GLOB.sub(r"\\\1", str(path.resolve())) for path in found]


def _hadoop_files(spark: SparkSession, uri: str) -> list[str] | InputProblem:
    from py4j.protocol import Py4JJavaError

    jvm = spark.sparkContext._jvm  # the driver's JVM: Spark's own Hadoop file systems
    assert jvm is not None
    try:
        pattern = jvm.org.apache.hadoop.fs.Path(uri)
        fs = pattern.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        statuses = fs.globStatus(pattern) or []
        files: list[str] = []
        for status in statuses:
            if not status.isDirectory():
                files.append(status.getPath().toString())
                continue
            base = status.getPath().toString().rstrip("/") + "/"
            listing = fs.listFiles(status.getPath(), True)
            while listing.hasNext():
                path = listing.next().getPath().toString()
                parts = path[len(base):].split("/") if path.startswith(base) else [path]
                if (_suffix(path) in READERS
                        and not any(part.startswith((".", "_")) for part in parts)):
                    files.append(path)
    except Py4JJavaError as exc:
        return InputProblem(uri, f"cannot list: {_java_message(exc)}")
    if not statuses:
        return InputProblem(uri, "no such file or directory")
    return sorted(files) or InputProblem(uri, f"no readable files ({', '.join(sorted(READERS))})")


def _java_message(exc: Any) -> str:
    message = str(exc.java_exception.getMessage() or exc.java_exception.toString())
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _suffix(path: str) -> str:
    return PurePosixPath(urlparse(path).path).suffix.lower()


def display(path: str, encoded: bool = False) -> str:
    """A Spark path as `ingest` names its inputs: a local file as a plain path."""
    parsed = urlparse(path)
    if parsed.scheme != "file":
        return path
    return unquote(parsed.path) if encoded else parsed.path


def item_row(item: Article | InputProblem) -> tuple:
    """A row of READ_SCHEMA."""
    if isinstance(item, InputProblem):
        return ("problem", None, None, None, None, None, item.origin, None, item.line,
                item.message)
    return ("article", article_key(item.text, item.url), item.id, item.url, item.title,
            item.published, item.origin, item.text, None, None)


def read_lines(rows: Iterable[Any], options: ReadOptions) -> Iterator[Article | InputProblem]:
    """The articles of JSON Lines rows (file path, line bytes) as Spark's text source gives."""
    for path, raw in rows:
        if raw.strip():
            yield jsonl_item(bytes(raw), display(path, encoded=True), options)


def read_files(files: Iterable[tuple[str, bytes]],
               options: ReadOptions) -> Iterator[Article | InputProblem]:
    """The articles of whole files, each read by the reader `ingest` picks for its name."""
    for path, data in files:
        origin = display(path)
        reader = reader_for(Path(PurePosixPath(urlparse(path).path).name))
        try:
            yield from reader(io.BytesIO(data), origin, options)
        except Exception as exc:  # a reader's bug costs the rest of this file, not the job
            yield InputProblem(origin, f"cannot read: {type(exc).__name__}: {exc}")

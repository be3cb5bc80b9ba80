"""Starting Spark: `local[N]` by default, a cluster's master when given, or whatever master
spark-submit was given when it launched this process."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import SanctionwatchError
from .job import JOB_NAME

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def launched_by_spark_submit() -> bool:
    # spark-submit starts the Python driver with the port of its JVM, as pyspark itself checks.
    return "PYSPARK_GATEWAY_PORT" in os.environ


def default_master(cores: int) -> str | None:
    """local[cores]; None under spark-submit, whose --master stands."""
    return None if launched_by_spark_submit() else f"local[{cores}]"


@contextmanager
def spark_session(master: str | None, conf: dict[str, str] | None = None
                  ) -> Iterator[SparkSession]:
    """A Spark session for the job, stopped at the end; or the session already running in this
    process (a notebook's, a test's), used as it is and left running."""
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    if not launched_by_spark_submit() and not (shutil.which("java")
                                               or os.environ.get("JAVA_HOME")):
        raise SanctionwatchError("Spark needs Java 17 or newer: install it (Debian: "
                                 "openjdk-17-jre-headless) or set JAVA_HOME")
    if master and master.startswith("local"):
        # The Python workers run this interpreter (its environment has sanctionwatch), not
        # whatever `python3` is first on the PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(JOB_NAME)
    if master:
        builder = builder.master(master)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except PySparkException as exc:
        raise SanctionwatchError(f"Spark could not start: {str(exc).splitlines()[0]} (Java 17 "
                                 "or newer on the PATH or in JAVA_HOME?)") from None
    session.sparkContext.setLogLevel("WARN")
    try:
        yield session
    finally:
        session.stop()

"""Spark: the analysis of `ingest` run over a cluster (PySpark, from `sanctionwatch[spark]`).

`job.IngestJob` reads files (local, s3a://, hdfs://), analyses them in mapPartitions with the
analyzer `ingest` uses, and writes Parquet tables keyed like the store (tables.py); `session`
starts Spark, on `local[N]` unless a master is given or spark-submit launched us. Nothing here
is imported by the rest of the package, so a plain install works without pyspark.
"""

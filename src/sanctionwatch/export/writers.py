"""Records written as JSON Lines, CSV or Parquet, one at a time or in fixed-size batches, so an
export of millions of rows holds only one batch in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from ..errors import SanctionwatchError
from .tables import FLOAT, INT, LIST, Record

EXTRA = "pip install 'sanctionwatch[analysis]'"
BATCH = 10_000  # Parquet rows per record batch
LIST_SEPARATOR = "; "


def write_jsonl(rows: Iterable[Record], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == LIST:
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def write_csv(rows: Iterable[Record], columns: dict[str, str], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([csv_value(row.get(c), kind) for c, kind in columns.items()])
        n += 1
    return n


def parquet_schema(columns: dict[str, str]) -> Any:
    pa = _pyarrow()
    types = {INT: pa.int64(), FLOAT: pa.float64(), LIST: pa.list_(pa.string())}
    return pa.schema([(name, types.get(kind, pa.string())) for name, kind in columns.items()])


def write_parquet(rows: Iterable[Record], columns: dict[str, str], path: str) -> int:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema(columns)
    n = 0
    batch: list[Record] = []
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or not n:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise SanctionwatchError(f"Parquet needs pyarrow, from the analysis extra: {EXTRA}") from None
    return pyarrow


__all__ = ["LIST_SEPARATOR", "csv_value", "parquet_schema", "write_csv", "write_jsonl",
           "write_parquet"]

"""The Parquet tables the Spark job writes: the store's tables, as Spark schemas, and the
conversion of the store's rows (store.rows.ArticleRows) to and from Spark rows.

The schemas are derived from the store's declared tables (store.schema), so the Parquet output
has the store's columns, less its surrogate ids, plus the article `key` in every table (the
join key, and what makes a re-run idempotent) and `month` (the partition, YYYY-MM of the
article's publication date; null when it has none). A flag's own key (store.keys.flag_keys) is
`flag_key` there. JSON columns are JSON text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pyspark.sql.types import (
    ArrayType,
    DataType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)
from sqlalchemy import JSON, DateTime, Float, Integer, String, Table

from ..store.rows import ArticleRows
from ..store.schema import REPORT_TABLES, articles

ITEM_TABLES = tuple(REPORT_TABLES)  # entities, events, flags, screening
TABLES = ("articles", *ITEM_TABLES)
PARTITION = "month"
_SKIPPED = {"id", "article_id"}
_MONTH = re.compile(r"\d{4}-\d{2}")
# The item columns named otherwise in Parquet, where `key` is the article's.
_RENAMED = {"flags": {"key": "flag_key"}}


def _spark_type(column_type: Any) -> DataType:
    for sql_type, spark_type in ((JSON, StringType()), (Integer, IntegerType()),
                                 (Float, DoubleType()), (DateTime, TimestampType()),
                                 (String, StringType())):
        if isinstance(column_type, sql_type):
            return spark_type
    raise TypeError(f"no Spark type for the store's column type {column_type!r}")


def _fields(table: Table) -> list[StructField]:
    names = _RENAMED.get(table.name, {})
    return [StructField(names.get(c.name, c.name), _spark_type(c.type), nullable=bool(c.nullable))
            for c in table.columns if c.name not in _SKIPPED]


def _renamed(item: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {names.get(name, name): value for name, value in item.items()}


def _json_columns(table: Table) -> frozenset[str]:
    return frozenset(c.name for c in table.columns if isinstance(c.type, JSON))


ITEM_SCHEMAS: dict[str, StructType] = {name: StructType(_fields(t))
                                       for name, t in REPORT_TABLES.items()}
ARTICLE_FIELDS = _fields(articles)
_KEY = StructField("key", StringType(), nullable=False)
_MONTH_FIELD = StructField(PARTITION, StringType(), nullable=True)

# What the Parquet tables hold: item tables get the article key; all get the month.
TABLE_SCHEMAS: dict[str, StructType] = {
    "articles": StructType([*ARTICLE_FIELDS, _MONTH_FIELD]),
    **{name: StructType([_KEY, *schema.fields, _MONTH_FIELD])
       for name, schema in ITEM_SCHEMAS.items()},
}

# One analysed article as the job carries it between stages: the article's columns, its items
# as arrays, and `problem`, set (with key and origin only) when the analysis failed.
ANALYSED_SCHEMA = StructType([
    *[StructField(f.name, f.dataType, True) for f in ARTICLE_FIELDS],
    _MONTH_FIELD,
    *[StructField(name, ArrayType(schema, containsNull=False), True)
      for name, schema in ITEM_SCHEMAS.items()],
    StructField("problem", StringType(), True),
])

PROBLEM_SCHEMA = StructType([
    StructField("origin", StringType(), False),
    StructField("line", LongType(), True),
    StructField("message", StringType(), False),
])

_JSON = {"articles": _json_columns(articles),
         **{name: _json_columns(t) for name, t in REPORT_TABLES.items()}}


def month(published: str | None) -> str | None:
    """The partition of an article: YYYY-MM of its publication date, if it has one."""
    return published[:7] if published and _MONTH.match(published) else None


def _dumps(value: Any) -> str | None:
    # As the store's engine writes JSON: text as text (store.database.create_store_engine).
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _converter(data_type: DataType) -> Callable[[Any], Any]:
    if isinstance(data_type, DoubleType):
        return float
    if isinstance(data_type, IntegerType):
        return int
    return lambda value: value


def _row(values: dict[str, Any], schema: StructType, json_columns: frozenset[str]) -> tuple:
    out = []
    for field in schema.fields:
        value = values.get(field.name)
        if field.name in json_columns:
            value = _dumps(value)
        elif value is not None:
            value = _converter(field.dataType)(value)
        out.append(value)
    return tuple(out)


def analysed_row(rows: ArticleRows) -> tuple:
    """A row of ANALYSED_SCHEMA from the rows the store would insert."""
    article = _row(rows.article, StructType(ARTICLE_FIELDS), _JSON["articles"])
    items = [[_row(_renamed(item, _RENAMED.get(name, {})), ITEM_SCHEMAS[name], _JSON[name])
              for item in rows.items[name]] for name in ITEM_TABLES]
    return (*article, month(rows.article["published"]), *items, None)


def failed_row(key: str, origin: str, problem: str) -> tuple:
    """A row of ANALYSED_SCHEMA for an article the analyzer failed on."""
    values = {"key": key, "origin": origin, "problem": problem}
    return tuple(values.get(field.name) for field in ANALYSED_SCHEMA.fields)


def article_rows_of(row: Any) -> ArticleRows:
    """The store's rows back from a row of ANALYSED_SCHEMA (to load it into the SQL store)."""
    def values(data: dict[str, Any], schema: StructType, json_columns: frozenset[str]) -> dict:
        return {f.name: json.loads(data[f.name]) if f.name in json_columns and data[f.name]
                is not None else data[f.name] for f in schema.fields}

    data = row.asDict(recursive=True)
    article = values(data, StructType(ARTICLE_FIELDS), _JSON["articles"])
    if isinstance(article["analysed_at"], datetime) and article["analysed_at"].tzinfo is None:
        # PySpark hands timestamps back as naive local times; the store's are aware.
        article["analysed_at"] = article["analysed_at"].astimezone()
    back = {name: {v: k for k, v in _RENAMED.get(name, {}).items()} for name in ITEM_TABLES}
    items = {name: [_renamed(values(item, ITEM_SCHEMAS[name], _JSON[name]), back[name])
                    for item in data[name] or ()] for name in ITEM_TABLES}
    return ArticleRows(key=article["key"], article=article, items=items)

"""Reports as JSON, and the JSON Schema they follow."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model import Report
from ..printable import json_printable


def to_json(report: Report, indent: int | None = None) -> str:
    """The report as JSON; characters a terminal would act on are \\u-escaped (they read back the same)."""
    return json_printable(json.dumps(report.to_dict(), ensure_ascii=False, indent=indent))


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The JSON Schema of `sanctionwatch.report/1`, shipped in the package."""
    text = resources.files("sanctionwatch").joinpath("schemas/report-1.schema.json").read_text("utf-8")
    return json.loads(text)

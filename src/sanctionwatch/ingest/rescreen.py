"""Stored reports brought up to date with new lists, without parsing their articles again.

Only the screening hits and the flags depend on the lists, and both derive from what the store
keeps: the entities are screened again, and the stored events are judged again with the new
screener (designated-party flags come and go; every other flag comes out as it was, the rules
being the same). Used by `ingest` for the stored articles whose only stale version is the lists'.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import Report

if TYPE_CHECKING:
    from ..analyze import Analyzer

LISTS = "lists"  # the key of Report.versions that names the lists


def rescreened(analyzer: Analyzer, report: Report) -> Report:
    from ..analyze import flags_of

    screener = analyzer.screener
    flags = flags_of(report.events, analyzer.rules, report.article.published,
                     analyzer.listed(report.article.published))
    screening = tuple(screener.screen_entities(report.entities)) if screener else ()
    return replace(report, flags=tuple(flags), screening=screening, versions=dict(analyzer.versions))


def only_lists_differ(stored: str, current: str) -> bool:
    """Whether two versions keys (store.keys.versions_key) differ in the lists' version alone."""
    if stored == current:
        return False
    before, now = json.loads(stored), json.loads(current)
    before.pop(LISTS, None)
    now.pop(LISTS, None)
    return before == now

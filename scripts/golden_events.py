"""Write (or check) the golden events of tests/golden/events: what extraction and the rules make
of each case in cases.yaml, one small JSON per case, kept to the fields a reviewer reads.

usage: python scripts/golden_events.py [--write]

Without --write it prints the cases whose events changed and exits 1 if any did; with --write it
rewrites their JSON files, so that a change in extraction shows up as a diff to review.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "events"


def _party(p: Any) -> str | None:
    return None if p is None else p.country or p.name


def summary(report: Any) -> dict[str, Any]:
    """The events (transfers and activities, then the rest) and the flags of a report, in brief."""
    events = [{
        "type": e.type,
        "activity": e.activity,
        "source": _party(e.source),
        "target": _party(e.target),
        "involved": sorted(_party(p) or "" for p in e.involved),
        "goods": [g.kb_id or f"({', '.join(g.classes)})" for g in e.goods],
        "date": e.date,
        "modality": e.modality,
        "reported_by": list(e.reported_by),
        "confirmed_by": list(e.confirmed_by),
        "found_by": e.found_by,
        "sentences": len(e.evidence),
    } for e in report.events]
    flags = sorted({(f.category, _party(f.supplier) or "", _party(f.recipient) or "") for f in report.flags})
    return {"events": events, "flags": [list(f) for f in flags]}


def cases() -> list[dict[str, Any]]:
    return yaml.safe_load((GOLDEN / "cases.yaml").read_text(encoding="utf-8"))


def made(case: dict[str, Any], analyzer: Any) -> dict[str, Any]:
    from sanctionwatch.model import Article

    report = analyzer.analyze(Article(text=case["text"], id=case["id"], published=case.get("published")))
    return summary(report)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from sanctionwatch.analyze import Analyzer

    analyzer = Analyzer()
    changed = 0
    for case in cases():
        path = GOLDEN / f"{case['id']}.json"
        now = made(case, analyzer)
        before = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if now == before:
            continue
        changed += 1
        print(f"{case['id']}: {'new' if before is None else 'changed'}")
        if args.write:
            path.write_text(json.dumps(now, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{changed} of {len(cases())} cases {'written' if args.write else 'differ'}")
    return 0 if args.write or not changed else 1


if __name__ == "__main__":
    sys.exit(main())

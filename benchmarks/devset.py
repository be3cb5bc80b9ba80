"""Scan a labelled article set and score the reports with the set's own scorer, in one step.

usage: python benchmarks/devset.py [LABELS.jsonl] [--scorer score.py] [--no-prefilter]

Defaults to ../shared/devset/articles.jsonl and the score.py beside it. Prints the scorer's full
output, then the time the scan took.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sanctionwatch.analyze import Analyzer
from sanctionwatch.model import Article
from sanctionwatch.report.jsonout import to_json
from sanctionwatch.sources import ReadOptions, read_inputs

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", type=Path, default=DEVSET)
    parser.add_argument("--scorer", type=Path, default=None)
    parser.add_argument("--no-prefilter", action="store_true")
    args = parser.parse_args()
    scorer = args.scorer or args.labels.parent / "score.py"
    if not args.labels.exists() or not scorer.exists():
        print(f"not found: {args.labels} or {scorer}", file=sys.stderr)
        return 2

    analyzer = Analyzer(prefilter=not args.no_prefilter)
    articles = [a for a in read_inputs([str(args.labels)], ReadOptions()) if isinstance(a, Article)]
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for report in analyzer.analyze_many(articles):
            out.write(to_json(report) + "\n")
    elapsed = time.perf_counter() - started
    result = subprocess.run([sys.executable, str(scorer), str(args.labels), out.name,
                             "--by-category", "--errors"], capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    print(json.dumps({"articles": len(articles), "seconds": round(elapsed, 2),
                      "versions": analyzer.versions}))
    Path(out.name).unlink()
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())

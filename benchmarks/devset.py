"""Scan the labelled dev sets and score the reports with the sets' own scorer, in one step.

usage: python benchmarks/devset.py [LABELS.jsonl ...] [--certain-only] [--no-prefilter] [--errors]

Defaults to both files of ../shared/devset. For each file it prints the scorer's summary over
all articles, over the part we look at, and over the sealed part we only score
(training/split.py), then the time the scan took. `--errors` lists the misclassified articles
of the looked-at part only: the sealed part's errors are never printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.split import sealed  # noqa: E402

from sanctionwatch.analyze import Analyzer  # noqa: E402
from sanctionwatch.model import Article  # noqa: E402
from sanctionwatch.report.jsonout import to_json  # noqa: E402
from sanctionwatch.sources import ReadOptions, read_inputs  # noqa: E402

DEVSET = ROOT.parent / "shared" / "devset"


def _score(scorer: Path, labels: list[str], reports: Path, flags: list[str]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write("".join(labels))
    try:
        done = subprocess.run([sys.executable, str(scorer), f.name, str(reports), *flags],
                              capture_output=True, text=True, check=False)
    finally:
        Path(f.name).unlink()
    return done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="*", type=Path,
                        default=[DEVSET / "articles.jsonl", DEVSET / "articles-2.jsonl"])
    parser.add_argument("--scorer", type=Path, default=None)
    parser.add_argument("--certain-only", action="store_true")
    parser.add_argument("--no-prefilter", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list the looked-at part's errors")
    parser.add_argument("--keep", type=Path, default=None, help="keep the reports in this directory")
    parser.add_argument("--looked-at-only", action="store_true",
                        help="score only the part we look at (while working on detection)")
    args = parser.parse_args()
    missing = [p for p in args.labels if not p.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2

    analyzer = Analyzer(prefilter=not args.no_prefilter)
    extra = ["--certain-only"] if args.certain_only else []
    for path in args.labels:
        scorer = args.scorer or path.parent / "score.py"
        lines = [line for line in path.read_text("utf-8").splitlines(keepends=True) if line.strip()]
        articles = [a for a in read_inputs([str(path)], ReadOptions()) if isinstance(a, Article)]
        started = time.perf_counter()
        out_dir = args.keep or Path(tempfile.mkdtemp())
        out_dir.mkdir(parents=True, exist_ok=True)
        reports = out_dir / f"{path.stem}.reports.jsonl"
        with reports.open("w", encoding="utf-8") as out:
            for report in analyzer.analyze_many(articles):
                out.write(to_json(report) + "\n")
        elapsed = time.perf_counter() - started
        parts = {"all": lines,
                 "looked at": [x for x in lines if not sealed(json.loads(x).get("url"))],
                 "sealed (only scored)": [x for x in lines if sealed(json.loads(x).get("url"))]}
        print(f"=== {path.name}: {len(articles)} reports of {len(lines)} articles in {elapsed:.1f} s")
        for name, part in parts.items():
            if args.looked_at_only and name != "looked at":
                continue
            flags = ["--by-category"] if name == "all" else []
            if args.errors and name == "looked at":
                flags.append("--errors")
            print(f"--- {name}")
            print(_score(scorer, part, reports, flags + extra), end="")
        if args.keep is None:
            reports.unlink()
    print(json.dumps({"versions": analyzer.versions}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

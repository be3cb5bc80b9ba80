"""Flags raised on news that reports no breach: the false-alarm rate of detection.

usage: python benchmarks/false_alarms.py [CORPUS.jsonl ...] [--quiet]

Defaults to ../shared/corpus/kcna-2024.jsonl and bbc-2004.jsonl (KCNA 2024: DPRK state media;
BBC 2004-05: ordinary news). Prints, per corpus, the flags per 1,000 articles over all of it and
over its odd-numbered articles, which the learned layer never saw in training (training/
train_acts.py draws its corpus negatives from the even-numbered ones), then each flag with the
sentence that raised it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sanctionwatch.analyze import Analyzer
from sanctionwatch.model import Article
from sanctionwatch.sources import ReadOptions, read_inputs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path,
                        default=[CORPUS / "kcna-2024.jsonl", CORPUS / "bbc-2004.jsonl"])
    parser.add_argument("--quiet", action="store_true", help="figures only, not the flags")
    args = parser.parse_args()
    missing = [p for p in args.corpora if not p.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    analyzer = Analyzer(prefilter=True)
    for path in args.corpora:
        articles = [a for a in read_inputs([str(path)], ReadOptions()) if isinstance(a, Article)]
        started = time.perf_counter()
        flagged: list[tuple[int, Article, object]] = []
        for n, report in enumerate(analyzer.analyze_many(articles)):
            flagged += [(n, report.article, f) for f in report.flags]
        elapsed = time.perf_counter() - started
        odd = [f for n, _, f in flagged if n % 2]
        print(f"{path.name}: {len(articles):,} articles in {elapsed:.0f} s; {len(flagged)} flags, "
              f"{1000 * len(flagged) / len(articles):.1f} per 1,000 articles; on the odd-numbered "
              f"{len(articles) // 2:,} (never trained on): {len(odd)}, "
              f"{1000 * len(odd) / max(1, len(articles) // 2):.1f} per 1,000")
        if not args.quiet:
            for n, article, flag in flagged:
                sentence = " ".join(flag.evidence[0].text.split())[:220]
                print(f"  [{n}] {flag.category} {flag.confidence:.2f} {article.title or article.id}\n"
                      f"      {sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

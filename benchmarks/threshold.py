"""Choose the screening threshold on labelled name pairs (see labelled_pairs.py for how they are built).

    .venv/bin/python benchmarks/threshold.py [--write]

`--write` builds the labels file from ../shared/lists/ofac-2021-07 first. Prints precision,
recall and F1 of `Screener.name_score` at a range of thresholds, and the one with the best F1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from labelled_pairs import SHARED, TUNING, prf, tuning_pairs, write_tuning
from sanctionwatch.screening import Screener
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.ofac_csv import read_ofac_csv

THRESHOLDS = [round(0.5 + 0.025 * i, 3) for i in range(19)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="build the labels file from the list files")
    args = parser.parse_args()
    if args.write:
        print(f"{write_tuning():,} labelled pairs written to {TUNING}")
    pairs = tuning_pairs()
    d = SHARED / "ofac-2021-07"
    with tempfile.TemporaryDirectory() as tmp:
        build_index([read_ofac_csv(d / "sdn.csv", d / "alt.csv", d / "add.csv")], Path(tmp) / "index.sqlite")
        screener = Screener.open(Path(tmp) / "index.sqlite")
        scored = [(screener.name_score(p.a, p.b), p.same) for p in pairs]
    positives = sum(p.same for p in pairs)
    print(f"{len(pairs):,} pairs ({positives:,} same person, {len(pairs) - positives:,} other persons)")
    print(f"{'threshold':>10}{'precision':>11}{'recall':>8}{'F1':>7}")
    best = max(THRESHOLDS, key=lambda t: (prf(scored, t)[2], t))
    for t in THRESHOLDS:
        p, r, f = prf(scored, t)
        print(f"{t:>10.3f}{p:>11.3f}{r:>8.3f}{f:>7.3f}{'  <- best F1' if t == best else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

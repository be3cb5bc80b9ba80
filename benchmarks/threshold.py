"""Choose the screening threshold on labelled name pairs (see labelled_pairs.py for how they are built).

    .venv/bin/python benchmarks/threshold.py [--write]

`--write` builds the labels file from ../shared/lists/ofac-2021-07 first. Prints precision,
recall and F1 of `Screener.name_score` at a range of thresholds, and the one chosen: the best F1
with the other-person pairs weighted as a screening query meets them. A query is compared with
the CANDIDATES entries the index puts forward, of which one at most is the person named, so
each negative pair counts (CANDIDATES - 1) x positives / negatives times (`precision*`, `F1*`).
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
CANDIDATES = 20  # Screener.candidates


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
    weight = (CANDIDATES - 1) * positives / (len(pairs) - positives)
    print(f"{len(pairs):,} pairs ({positives:,} same person, {len(pairs) - positives:,} other persons); "
          f"each other-person pair weighs {weight:.2f} in precision* and F1*")
    print(f"{'threshold':>10}{'precision':>11}{'recall':>8}{'F1':>7}{'precision*':>12}{'F1*':>7}")
    rows = {t: (*prf(scored, t), *weighted(scored, t, weight)) for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: (rows[t][4], t))
    for t, (p, r, f, pw, fw) in rows.items():
        mark = "  <- chosen" if t == best else ""
        print(f"{t:>10.3f}{p:>11.3f}{r:>8.3f}{f:>7.3f}{pw:>12.3f}{fw:>7.3f}{mark}")
    return 0


def weighted(scored: list[tuple[float, bool]], threshold: float, weight: float) -> tuple[float, float]:
    tp = sum(s >= threshold and same for s, same in scored)
    fp = weight * sum(s >= threshold and not same for s, same in scored)
    positives = sum(same for _, same in scored)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / positives if positives else 0.0
    return p, (2 * p * r / (p + r) if p + r else 0.0)


if __name__ == "__main__":
    sys.exit(main())

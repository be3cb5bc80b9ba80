"""Check the labelled sentences of training/: well-formed, known kinds, no duplicates.

usage: python training/check_sentences.py

Every line of training/sentences/*.jsonl must be a JSON object with `text`, `act` (bool) and
`kinds` (a list of the kinds in nlp/data/acts/kinds.yaml); a sentence that tells an act has a
kind. No sentence may repeat another, nor nearly (four-word shingles, Jaccard 0.4 or more: the
same sentence with a word or two changed teaches nothing and weighs twice). Exit 1 on a problem.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KINDS = ROOT / "src" / "sanctionwatch" / "nlp" / "data" / "acts" / "kinds.yaml"
NEAR = 0.4


def shingles(text: str, n: int = 4) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1)))


def problems(folder: Path = ROOT / "training" / "sentences") -> list[str]:
    kinds = set(yaml.safe_load(KINDS.read_text("utf-8"))["kinds"])
    found: list[str] = []
    rows: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                found.append(f"{where}: not JSON ({exc.msg})")
                continue
            if not isinstance(row.get("text"), str) or not isinstance(row.get("act"), bool) or \
                    not isinstance(row.get("kinds"), list):
                found.append(f"{where}: needs text (string), act (true/false) and kinds (a list)")
                continue
            if set(row["kinds"]) - kinds:
                found.append(f"{where}: unknown kinds {sorted(set(row['kinds']) - kinds)}")
            if row["act"] and not row["kinds"]:
                found.append(f"{where}: tells an act but has no kind")
            rows.append((where, row["text"]))
    index: dict[str, list[int]] = defaultdict(list)
    sets = [shingles(text) for _, text in rows]
    for i, grams in enumerate(sets):
        shared: dict[int, int] = defaultdict(int)
        for gram in grams:
            for j in index[gram]:
                shared[j] += 1
            index[gram].append(i)
        for j, common in shared.items():
            if common / len(grams | sets[j]) >= NEAR:
                found.append(f"{rows[i][0]}: repeats {rows[j][0]}")
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(problem)
    print(f"{len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Incidents against a gold clustering: B-cubed precision and recall, and incidents per flag.

    python benchmarks/incidents.py [--shared ../shared] [--workers 2] [--grid] [--corpus]

Ingests, into a fresh SQLite store, both dev-set files, the reference article of
`../shared/examples/` and the synthetic reports of `benchmarks/data/incidents-synthetic.jsonl`
(the same events told in other words, by other outlets), and compares the incidents with
`benchmarks/data/incidents-gold.jsonl`: the articles that report a breach (`gold.positive`)
grouped by the act they tell of, decided by reading them.

B-cubed (Bagga & Baldwin 1998): for each gold article, precision is the share of the articles in
its predicted incident that share its gold incident, recall the share of its gold incident found
in its predicted incident; both averaged over the articles. An article's predicted incident is
the one holding its most confident flag; an article the pipeline does not flag is an incident of
its own (so detection misses cost recall only when the article has companions). The figures are
printed for all gold articles and for those the pipeline flags.

`--grid` re-forms the incidents (same analysis) for each setting of the main matching knobs and
prints the scores of each; `--corpus` also ingests ../shared/corpus and prints the number of
incidents against the number of flags over everything.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from sqlalchemy import delete, select

from sanctionwatch.analysis.incidents import count_incidents, update_incidents
from sanctionwatch.analysis.settings import Settings, load_settings
from sanctionwatch.ingest import ingest
from sanctionwatch.store import Store
from sanctionwatch.store.schema import (
    articles,
    flags,
    incident_actions,
    incident_members,
    incidents,
)

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "incidents-gold.jsonl"
SYNTHETIC = HERE / "data" / "incidents-synthetic.jsonl"
EXAMPLE = "000_dbe120eccc59485b"


def load_gold() -> dict[str, str]:
    """article id -> gold incident name."""
    gold: dict[str, str] = {}
    for line in GOLD.read_text().splitlines():
        group = json.loads(line)
        for article in group["articles"]:
            if article in gold:
                raise SystemExit(f"{article} is in two gold incidents")
            gold[article] = group["incident"]
    return gold


def predicted(store: Store) -> dict[str, int]:
    """article id -> the incident of its most confident flag."""
    m = incident_members
    query = (select(articles.c.external_id, m.c.incident_id, flags.c.confidence)
             .join(m, m.c.article_id == articles.c.id)
             .join(flags, (flags.c.article_id == m.c.article_id) & (flags.c.seq == m.c.seq))
             .where(m.c.kind == "flag")
             .order_by(articles.c.external_id, flags.c.confidence.desc(), m.c.incident_id))
    out: dict[str, int] = {}
    with store.engine.connect() as conn:
        for external_id, incident_id, _ in conn.execute(query):
            out.setdefault(external_id, incident_id)
    return out


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall over the items of `gold` (pred must cover them all)."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        by_gold[gold[item]].add(item)
        by_pred[pred[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        cluster, truth = by_pred[pred[item]], by_gold[gold[item]]
        both = len(cluster & truth)
        precision += both / len(cluster)
        recall += both / len(truth)
    return precision / len(gold), recall / len(gold)


def score(store: Store, gold: dict[str, str]) -> dict[str, float]:
    found = predicted(store)
    everything = {a: (f"incident:{found[a]}" if a in found else f"alone:{a}") for a in gold}
    p, r = bcubed(gold, everything)
    flagged = {a: g for a, g in gold.items() if a in found}
    fp, fr = bcubed(flagged, {a: f"incident:{found[a]}" for a in flagged}) if flagged else (0, 0)
    return {"p": p, "r": r, "f": _f(p, r), "flagged": len(flagged), "fp": fp, "fr": fr,
            "ff": _f(fp, fr), "articles": len(gold)}


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def reform(store: Store, settings: Settings) -> None:
    """Form the incidents again from nothing, articles in the order they were stored."""
    with store.engine.begin() as conn:
        for table in (incident_members, incident_actions, incidents):
            conn.execute(delete(table))
        ids = list(conn.execute(select(articles.c.id).order_by(articles.c.id)).scalars())
    update_incidents(store, ids, settings)


def inputs(shared: Path, work: Path) -> list[str]:
    example = work / "example.jsonl"
    text = (shared / "examples" / f"{EXAMPLE}.txt").read_text(encoding="utf-8")
    example.write_text(json.dumps({"id": EXAMPLE, "text": text}) + "\n")
    return [str(shared / "devset" / "articles.jsonl"), str(shared / "devset" / "articles-2.jsonl"),
            str(example), str(SYNTHETIC)]


def report_line(name: str, s: dict[str, float]) -> str:
    return (f"{name:44s} P={s['p']:.3f} R={s['r']:.3f} F={s['f']:.3f}   flagged {s['flagged']}/"
            f"{s['articles']}: P={s['fp']:.3f} R={s['fr']:.3f} F={s['ff']:.3f}")


def show_errors(store: Store, gold: dict[str, str]) -> None:
    found = predicted(store)
    by_pred: dict[int, list[str]] = defaultdict(list)
    for a in sorted(gold):
        if a in found:
            by_pred[found[a]].append(a)
    by_gold: dict[str, list[str]] = defaultdict(list)
    for a, g in sorted(gold.items()):
        by_gold[g].append(a)
    for incident_id, members in sorted(by_pred.items()):
        names = {gold[a] for a in members}
        if len(names) > 1:
            print(f"  joined wrongly: incident {incident_id}: {members}")
    for name, members in sorted(by_gold.items()):
        ids = {found.get(a, f"-{a}") for a in members}
        if len(members) > 1 and len(ids) > 1:
            where = ", ".join(f"{a}->{found.get(a, 'no flag')}" for a in members)
            print(f"  split wrongly: {name}: {where}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list wrong joins and splits")
    parser.add_argument("--db", help="keep the store here (a second run analyses nothing again)")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    gold = load_gold()
    with tempfile.TemporaryDirectory() as tmp, Store.open(args.db or str(Path(tmp) / "b.db")) as store:
        started = time.monotonic()
        stats = ingest(inputs(shared, Path(tmp)), store, workers=args.workers)
        print(f"ingested {stats.new} articles ({stats.problems} problems) in "
              f"{time.monotonic() - started:.0f}s: {stats.flags} flags, "
              f"{count_incidents(store)} incidents")
        settings = load_settings()
        if args.db:  # the incidents of an earlier run may have come from other settings
            reform(store, settings)
        print(report_line("as ingested (incremental, data/incidents.yaml)", score(store, gold)))
        if args.errors:
            show_errors(store, gold)
        aurus(store)
        if args.grid:
            grid(store, gold, settings)
            reform(store, settings)
        if args.corpus:
            corpus = sorted(str(p) for p in (shared / "corpus").glob("*.jsonl"))
            stats = ingest(corpus, store, workers=args.workers)
            with store.engine.connect() as conn:
                n_flags = conn.execute(select(flags.c.id)).all()
            print(f"with the corpora ({stats.new} more articles): {len(n_flags)} flags in "
                  f"{count_incidents(store)} incidents")
    return 0


def aurus(store: Store) -> None:
    from sanctionwatch.analysis.incidents import get_incident, list_incidents
    from sanctionwatch.store.queries import Filters

    for row in list_incidents(store, Filters(text="aurus")):
        full = get_incident(store, row["id"])
        assert full is not None
        print(f"  incident {row['id']}: {row['title']}: articles {row['articles']}, outlets "
              f"{row['outlets']}, corroboration {row['corroboration']}, confidence "
              f"{row['confidence']:.2f}")


def grid(store: Store, gold: dict[str, str], base: Settings) -> None:
    rows = []
    for text, parties, threshold, window in itertools.product(
            (0.0, 1.0, 2.0, 3.0), (0.0, 1.0, 2.0), (0.45, 0.5, 0.55, 0.6, 0.65, 0.7), (30, 60, 120, 365)):
        weights = {**base.weights, "text": text, "parties": parties}
        settings = replace(base, weights=weights, threshold=threshold, window_days=window)
        reform(store, settings)
        s = score(store, gold)
        rows.append((s["f"], f"text={text} parties={parties} threshold={threshold} window={window}", s))
    rows.sort(key=lambda r: -r[0])
    for _, name, s in rows[:25]:
        print(report_line(name, s))
    print("...")
    for _, name, s in rows[-5:]:
        print(report_line(name, s))
    counts = Counter(round(r[0], 2) for r in rows)
    print("F over the grid:", dict(sorted(counts.items())))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Screening quality and speed: our matcher beside OpenSanctions' nomenklatura logic-v2, same queries.

Queries come from the PyPI package `sanctions-screening-benchmark` (18 kinds of name distortion
and near-miss decoys) over the DPRK (1718) individuals of the real UN list, plus the same names
written in Cyrillic and Hangul by ICU's transliterators (decoys too), plus two classes of our
own: `token_swap` (two adjacent name parts exchanged) and `middle_drop` (a syllable of a
hyphenated given name dropped: 'Ri Sop' for 'Ri Hong-sop'). The package's own `token_swap` is a
decoy class (a name part replaced by another entry's); decoy classes are printed as `decoy:…`.
Both matchers search the same candidates (the benchmark's pool).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/screening.py [--un FILE] [--ofac DIR] [--v2-sample N]
        [--scale N [--scale-dir DIR]]

Prints recall, precision and F1 at each matcher's default threshold, per-class recall, whether
every pair scores the same both ways, the time per query in each script (Latin, Cyrillic,
Hangul, Han; median and p99 over 200 queries after a warm-up, and the cost of the first query
in a fresh process) against the full UN + OFAC lists, index build and load time, peak memory,
and the held-out labelled pairs (labelled_pairs.py). With `--scale N`, also builds an index
of N synthetic entities (names recombined from the lists' own name tokens, written as FtM
JSON) and times the same queries against it. The Han queries are synthetic names (timing only).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import icu
from followthemoney import model
from followthemoney.proxy import EntityProxy

try:  # the bench extra
    from nomenklatura.matching import LogicV2, ScoringConfig
    from ssb import benchmark as ssb_benchmark
    from ssb.sources import Entity as SsbEntity
    from ssb.sources import ListSnapshot

    HAVE_BENCH = True
except ImportError:
    HAVE_BENCH = False

from labelled_pairs import held_out_items, prf, score_held_out
from sanctionwatch.screening.ftm_json import read_ftm_json
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.matcher import DEFAULT_THRESHOLD, Query, Screener
from sanctionwatch.screening.ofac_csv import read_ofac_csv
from sanctionwatch.screening.records import ListRead
from sanctionwatch.screening.un_xml import read_un_xml

SHARED = Path(__file__).resolve().parents[2] / "shared" / "lists"
V2_THRESHOLD = 0.7  # logic-v2's own default cut-off for a match
Search = Callable[[str], tuple[str | None, float]]  # query -> (best entry, its score)


def pool_entities(un_path: Path) -> dict[str, EntityProxy]:
    """The DPRK-listed individuals of the UN list, by reference number."""
    return {e.id.removeprefix("un-"): e for e in read_un_xml(un_path)
            if e.schema.name == "Person" and e.first("programId") == "un-1718"}


def build_cases(pool: dict[str, EntityProxy]) -> ssb_benchmark.Benchmark:
    entities = [SsbEntity(entity_id=ref, primary_name=e.first("name"), entity_type="individual",
                          programs=["un-1718"], aliases=e.get("alias") + e.get("weakAlias"))
                for ref, e in pool.items()]
    snapshot = ListSnapshot(source="UN 1718 list", retrieved_at="", entities=entities)
    bench = ssb_benchmark.build(snapshot, limit=None, seed=0, max_per_class=2)
    scripts = {"cyrillic": icu.Transliterator.createInstance("Latin-Cyrillic"),
               "hangul": icu.Transliterator.createInstance("Latin-Hangul")}
    extra = []
    for case in bench.cases:
        if case.family == "negative":
            for script, tr in scripts.items():
                query = tr.transliterate(case.query.title())
                extra.append(ssb_benchmark.Case(query, None, f"{case.perturbation}_{script}", "negative",
                                                case.source_name))
    for e in entities:
        for script, tr in scripts.items():
            extra.append(ssb_benchmark.Case(tr.transliterate(e.primary_name.title()), e.entity_id, script,
                                            "script", e.primary_name))
        extra += [ssb_benchmark.Case(q, e.entity_id, kind, "parts", e.primary_name) for kind, q in _parts(e)]
    for case in bench.cases:
        if case.family == "negative":
            case.perturbation = f"decoy:{case.perturbation}"
    bench.cases.extend(extra)
    return bench


def _parts(entity: SsbEntity) -> list[tuple[str, str]]:
    """`token_swap`: two adjacent parts exchanged ('Choe Il Song' for 'Choe Song Il'; at most two);
    `middle_drop`: the first syllable of a hyphenated given name dropped ('Ri Sop', 'Ri Hong-sop')."""
    name = entity.primary_name
    parts = re.split(r"[\s-]+", name)
    cases = []
    for i in range(min(2, len(parts) - 1)):
        swapped = parts[:i] + [parts[i + 1], parts[i]] + parts[i + 2:]
        if swapped not in (parts, parts[::-1]):
            cases.append(("token_swap", " ".join(swapped)))
    family, _, given = name.partition(" ")
    if given.count("-") == 1 and " " not in given:
        cases.append(("middle_drop", f"{family} {given.split('-')[1]}"))
    return cases


def evaluate(bench: ssb_benchmark.Benchmark, search: Search, threshold: float) -> dict:
    """The package's scoring rule: a positive is a hit when the best match at or above the
    threshold is the expected entry; a negative is a false alarm when anything reaches it."""
    tp = fn = fp = tn = 0
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    times = []
    for case in bench.cases:
        started = time.perf_counter()
        best, score = search(case.query)
        times.append(time.perf_counter() - started)
        fired = score >= threshold
        if case.expected_entity_id is not None:
            hit = fired and best == case.expected_entity_id
            tp, fn = tp + hit, fn + (not hit)
            by_class[case.perturbation][0] += hit
            by_class[case.perturbation][1] += 1
        else:
            fp, tn = fp + fired, tn + (not fired)
            by_class[case.perturbation][0] += fired
            by_class[case.perturbation][1] += 1
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall": recall, "precision": precision, "f1": f1, "fp": fp, "negatives": fp + tn,
            "by_class": dict(by_class), "times": times}


def package_only(result: dict, bench: ssb_benchmark.Benchmark) -> dict[str, float]:
    """Recall and precision over the package's own cases, without the Cyrillic and Hangul ones
    and our own classes."""
    kinds = {c.perturbation: c.expected_entity_id is not None for c in bench.cases
             if c.family not in ("script", "parts") and not c.perturbation.endswith(("_cyrillic", "_hangul"))}
    tp = sum(result["by_class"][k][0] for k, positive in kinds.items() if positive)
    positives = sum(result["by_class"][k][1] for k, positive in kinds.items() if positive)
    fp = sum(result["by_class"][k][0] for k, positive in kinds.items() if not positive)
    return {"recall": tp / positives, "precision": tp / (tp + fp) if tp + fp else 0.0}


def ours(screener: Screener) -> Search:
    def search(query: str) -> tuple[str | None, float]:
        hits = screener.score_all(Query(query, kind="person"))
        return (hits[0].entry_id, hits[0].score) if hits else (None, 0.0)
    return search


def logic_v2(candidates: dict[str, EntityProxy]) -> Search:
    config = ScoringConfig.defaults()

    def search(query: str) -> tuple[str | None, float]:
        # nomenklatura caches name analysis by entity id: the id must follow the content.
        q = model.make_entity("Person")
        q.id = "q-" + hashlib.sha1(query.encode("utf-8")).hexdigest()
        q.add("name", query)
        best, best_score = None, 0.0
        for ref, entity in candidates.items():
            score = LogicV2.compare(q, entity, config).score
            if score > best_score:
                best, best_score = ref, score
        return best, best_score
    return search


def filtered(read: ListRead, keep: set[str]) -> ListRead:
    entities = (e for e in read if e.id in keep or keep & set(e.get("entity", quiet=True)))
    return ListRead(source=read.source, paths=read.paths, entities=entities, list=read.list)


def read_ofac(path: Path) -> ListRead:
    if path.is_dir():
        return read_ofac_csv(path / "sdn.csv", path / "alt.csv", path / "add.csv")
    return read_ofac_csv(path)


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


HAN_FAMILY = "金李朴崔鄭姜趙尹張林韓吳申徐權黃安宋"
HAN_GIVEN = "正恩日成哲勇光明國秀英浩永植南虎革洙鎭賢東"


def script_queries(bench: ssb_benchmark.Benchmark, n: int) -> dict[str, list[str]]:
    """n + 20 distinct queries per script: the benchmark's (Latin, Cyrillic, Hangul) and
    synthetic Han names; the first 20 are the warm-up."""
    by_script: dict[str, list[str]] = {"latin": [], "cyrillic": [], "hangul": []}
    for case in bench.cases:
        script = next((s for s in ("cyrillic", "hangul") if case.perturbation.endswith(s)), "latin")
        by_script[script].append(case.query)
    rng = random.Random(0)
    han = {rng.choice(HAN_FAMILY) + "".join(rng.sample(HAN_GIVEN, rng.choice((1, 2)))) for _ in range(4 * n)}
    by_script["han"] = sorted(han)
    found = {}
    for script, queries in by_script.items():
        unique = sorted(set(queries), key=lambda q: hashlib.sha1(q.encode()).hexdigest())
        found[script] = unique[: n + 20]
    return found


def time_scripts(screener: Screener, queries: dict[str, list[str]]) -> dict[str, tuple[float, ...]]:
    """(median, p99) ms per query in each script, after 20 warm-up queries of that script: wall
    clock, then this process's CPU time (what a query costs on a machine shared with other jobs)."""
    found = {}
    for script, qs in queries.items():
        for q in qs[:20]:
            screener.score_all(Query(q, kind="person"))
        wall, cpu = [], []
        for q in qs[20:]:
            started, started_cpu = time.perf_counter(), time.process_time()
            screener.score_all(Query(q, kind="person"))
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        found[script] = (ms(wall, 0.5), ms(wall, 0.99), ms(cpu, 0.5), ms(cpu, 0.99))
    return found


_FIRST = """
import sys, time
started = time.process_time()
from sanctionwatch.screening.matcher import Query, Screener
screener = Screener.open(__import__("pathlib").Path(sys.argv[1]))
opened = time.process_time()
screener.score_all(Query(sys.argv[2], kind="person"))
print(1000 * (opened - started), 1000 * (time.process_time() - opened))
"""


def first_query(index: Path, query: str) -> tuple[float, float]:
    """(import and open, first query) CPU ms in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _FIRST, str(index), query], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1])


def print_scripts(label: str, index: Path, screener: Screener, queries: dict[str, list[str]]) -> None:
    timed = time_scripts(screener, queries)
    print(f"\nper query against {label}, ms over {len(next(iter(queries.values()))) - 20} queries after 20 "
          "warm-up (wall clock and CPU, median and p99); first query in a fresh process (CPU: import + "
          f"open, then the query); load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  {'':10}{'wall p50':>9}{'p99':>8}{'CPU p50':>9}{'p99':>8}")
    for script, (median, p99, cpu_median, cpu_p99) in timed.items():
        opened, first = first_query(index, queries[script][0])
        print(f"  {script:10}{median:>9.2f}{p99:>8.2f}{cpu_median:>9.2f}{cpu_p99:>8.2f}   "
              f"first: {opened:>6.0f} ms + {first:>6.1f} ms")


def symmetric_check(screener: Screener, bench: ssb_benchmark.Benchmark) -> None:
    pairs = [(c.query, c.source_name) for c in bench.cases if c.source_name]
    diffs = [abs(screener.name_score(a, b) - screener.name_score(b, a)) for a, b in pairs]
    same = sum(d == 0 for d in diffs)
    print(f"\nsymmetric score: {same:,} of {len(pairs):,} (query, listed name) pairs score the same both "
          f"ways; largest difference {max(diffs):.4f}")


def held_out(screener: Screener, un: Path, ofac: Path) -> None:
    items = held_out_items(un, ofac)
    forward = score_held_out(items, screener.name_score)
    backward = score_held_out(items, lambda a, b: screener.name_score(b, a))
    positives = sum(same for _, same in forward)
    print(f"\nheld-out labelled pairs (EU 2017/1509 persons vs UN + OFAC persons sharing a name word, "
          f"labelled by date of birth): {len(items):,} pairs, {positives} same person")
    for label, scored in (("EU name first", forward), ("listed name first", backward)):
        p, r, f = prf(scored, screener.threshold)
        print(f"  {label:18} at {screener.threshold}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    best = max((prf(forward, t / 100)[2], t / 100) for t in range(50, 100))
    print(f"  best F1 over thresholds: {best[0]:.3f} at {best[1]:.2f}")


def scale_test(n: int, reads: list[ListRead], queries: dict[str, list[str]], where: Path) -> None:
    """Index size, build and open time, query time and memory at N entities (OpenSanctions-sized).
    An index of N entities already in `where` (`--scale-dir`, from an earlier run) is reused."""
    index = where / f"scale-{n}.sqlite"
    built = where / f"scale-{n}.seconds"
    if not (index.exists() and built.exists()):
        built.write_text(str(build_synthetic(n, reads, where)))
    started = time.perf_counter()
    screener = Screener.open(index)
    open_ms = 1000 * (time.perf_counter() - started)
    size = index.stat().st_size / 2**20
    print(f"\nscale: {n:,} synthetic entities: index {size:,.0f} MB built in "
          f"{float(built.read_text()):.0f} s, opened in {open_ms:.1f} ms")
    print_scripts(f"{n:,} synthetic entries", index, screener, queries)


def build_synthetic(n: int, reads: list[ListRead], where: Path) -> float:
    """Compile an index of n synthetic entities into `where`; the seconds it took."""
    import json

    names = [e.first("name") for read in reads for e in read if e.schema.name in ("Person", "Organization")]
    tokens = sorted({t for name in names if name for t in name.replace(",", " ").split()})
    rng = random.Random(0)
    path = where / "synthetic.ftm.json"
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            schema = "Person" if i % 3 else "Company"
            name = " ".join(rng.choice(tokens) for _ in range(rng.choice((2, 3, 3, 4))))
            alias = " ".join(rng.choice(tokens) for _ in range(3))
            country = rng.choice(["ru", "kp", "cn", "ir", "us"])
            properties = {"name": [name], "alias": [alias], "country": [country]}
            out.write(json.dumps({"id": f"s{i}", "schema": schema, "properties": properties}) + "\n")
    started = time.perf_counter()
    build_index([read_ftm_json(path, "synthetic")], where / f"scale-{n}.sqlite")
    path.unlink()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--un", type=Path, default=SHARED / "un-consolidated-2026-02-27.xml")
    parser.add_argument("--ofac", type=Path, default=SHARED / "ofac-sdn-2023-01.csv",
                        help="OFAC sdn.csv, or a directory with sdn.csv, alt.csv, add.csv")
    parser.add_argument("--v2-sample", type=int, default=5,
                        help="queries for timing logic-v2 against the full lists (seconds each)")
    parser.add_argument("--scale", type=int, default=0, help="also time an index of this many entities")
    parser.add_argument("--scale-dir", type=Path, help="keep (and reuse) the --scale index here")
    args = parser.parse_args()
    if not HAVE_BENCH:
        print("the benchmark needs the bench extra: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    if not args.un.exists() or not args.ofac.exists():
        print(f"list files not found ({args.un}, {args.ofac})", file=sys.stderr)
        return 2

    pool = pool_entities(args.un)
    bench = build_cases(pool)
    positives = sum(c.expected_entity_id is not None for c in bench.cases)
    print(f"cases: {len(bench.cases)} ({positives} positive, {len(bench.cases) - positives} decoys) "
          f"over {len(pool)} DPRK-listed individuals of {args.un.name}")

    with tempfile.TemporaryDirectory() as tmp:
        pool_index, full_index = Path(tmp) / "pool.sqlite", Path(tmp) / "full.sqlite"
        keep = {f"un-{ref}" for ref in pool}
        build_index([filtered(read_un_xml(args.un), keep)], pool_index)
        started = time.perf_counter()
        counts = build_index([read_un_xml(args.un), read_ofac(args.ofac)], full_index)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        full = Screener.open(full_index)
        load_s = time.perf_counter() - started
        pooled = Screener.open(pool_index)
        ours(pooled)("Kim Jong Un")  # load rigour's data once, outside the timings

        results = {"sanctionwatch": evaluate(bench, ours(pooled), DEFAULT_THRESHOLD),
                   "nomenklatura logic-v2": evaluate(bench, logic_v2(pool), V2_THRESHOLD)}
        full_times = evaluate(bench, ours(full), DEFAULT_THRESHOLD)
        all_entities = {e.id: e for e in read_un_xml(args.un) if e.schema.name != "Sanction"}
        all_entities |= {e.id: e for e in read_ofac(args.ofac) if e.schema.name != "Sanction"}
        step = max(1, len(bench.cases) // args.v2_sample)
        sample = ssb_benchmark.Benchmark(bench.manifest, bench.cases[::step][: args.v2_sample])
        v2_full = evaluate(sample, logic_v2(all_entities), V2_THRESHOLD)["times"]
        kim_yo_jong = full.screen("Kim Yo Jong", schema="person", limit=10)
        queries = script_queries(bench, 200)
        print_results(results, bench, full_times, v2_full, counts, build_s, load_s, kim_yo_jong)
        symmetric_check(pooled, bench)
        label = f"the {sum(counts.values()):,}-entry lists"
        print_scripts(label, full_index, Screener.open(full_index), queries)
        held_out(full, args.un, args.ofac)
        if args.scale:
            reads = [read_un_xml(args.un), read_ofac(args.ofac)]
            scale_test(args.scale, reads, queries, args.scale_dir or Path(tmp))
    return 0


def print_results(results: dict, bench: ssb_benchmark.Benchmark, full_times: dict, v2_full: list[float],
                  counts: dict[str, int], build_s: float, load_s: float, kim_yo_jong: list) -> None:
    print(f"\n{'':34}{'sanctionwatch':>16}{'logic-v2':>16}")
    print(f"{'threshold':34}{DEFAULT_THRESHOLD:>16}{V2_THRESHOLD:>16}")
    for key in ("recall", "precision", "f1"):
        print(f"{key:34}" + "".join(f"{r[key]:>16.3f}" for r in results.values()))
    latin = [package_only(r, bench) for r in results.values()]
    for key in ("recall", "precision"):
        print(f"{f'{key}, the package cases only':34}" + "".join(f"{r[key]:>16.3f}" for r in latin))
    rows = results.values()
    print(f"{'decoys that fired':34}" + "".join(f"{r['fp']:>10}/{r['negatives']:<5}" for r in rows))
    for label, q in (("median", 0.5), ("p99", 0.99)):
        print(f"{f'{label} ms/query, pool':34}" + "".join(f"{ms(r['times'], q):>16.2f}" for r in rows))
    n_full = sum(counts.values())
    print(f"{f'median ms/query, {n_full:,} entries':34}{ms(full_times['times'], 0.5):>16.2f}"
          f"{ms(v2_full, 0.5):>16.0f}")
    print(f"{f'p99 ms/query, {n_full:,} entries':34}{ms(full_times['times'], 0.99):>16.2f}"
          f"{ms(v2_full, 0.99):>16.0f}  (logic-v2: {len(v2_full)} queries, no blocking index)")
    print(f"\nper class (recall; for decoys: share that fired){'':4}{'sanctionwatch':>14}{'logic-v2':>10}")
    mine, theirs = results.values()
    for name in sorted(mine["by_class"]):
        a, n = mine["by_class"][name]
        b, _ = theirs["by_class"][name]
        print(f"  {name:44}{n:>5}{a / n:>10.2f}{b / n:>10.2f}")
    print(f"\nfull index: {n_full:,} entries ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
    print(f"built in {build_s:.1f} s; opened in {1000 * load_s:.1f} ms; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    wrong = [h for h in kim_yo_jong if "jong un" in h.matched_name.lower().replace(",", "")]
    print(f"'Kim Yo Jong' -> {[(h.list, h.entry_id, h.matched_name, h.score) for h in kim_yo_jong]}; "
          f"matches Kim Jong Un: {'YES' if wrong else 'no'}")


if __name__ == "__main__":
    sys.exit(main())

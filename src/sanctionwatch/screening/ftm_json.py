"""FollowTheMoney entities as OpenSanctions publishes them: one JSON object a line (entities.ftm.json).

The file is read as a stream, so OpenSanctions' full data (about a million entities) passes
through in constant memory. Entities of schemata that are not screened (addresses,
ownerships, …) are counted and skipped; Sanction entities are kept for their listing details.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from .records import SCREENED_SCHEMATA, ListFormatError, ListRead


def read_ftm_json(path: Path, dataset: str) -> ListRead:
    source = f"opensanctions:{dataset}"
    read = ListRead(source=source, paths=(path,), entities=iter(()), list=source)
    read.entities = _entities(path, read)
    return read


def _entities(path: Path, read: ListRead) -> Iterator[EntityProxy]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                proxy = model.get_proxy(data, cleaned=True)
            except (ValueError, InvalidData, KeyError, TypeError) as exc:
                raise ListFormatError(f"{path}:{number}: not a FollowTheMoney entity ({exc})") from None
            if proxy.id is None:
                raise ListFormatError(f"{path}:{number}: an entity without an id")
            if proxy.schema.name == "Sanction" or any(proxy.schema.is_a(s) for s in SCREENED_SCHEMATA):
                read.counts[proxy.schema.name] += 1
                yield proxy
            else:
                read.counts["other entities (not screened)"] += 1
    if not read.counts:
        raise ListFormatError(f"{path}: the file holds no entities")


__all__ = ["read_ftm_json"]

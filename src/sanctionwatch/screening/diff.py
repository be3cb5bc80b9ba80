"""Who was added to a list, who was removed, and whose names changed, between two copies of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import SCREENED_SCHEMATA, ListRead


@dataclass(frozen=True)
class Entry:
    id: str
    schema: str
    caption: str
    names: frozenset[str]
    list: str


@dataclass
class ListDiff:
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    renamed: list[tuple[Entry, Entry]] = field(default_factory=list)
    unchanged: int = 0


def _entries(read: ListRead) -> dict[str, Entry]:
    found = {}
    for proxy in read:
        if proxy.id and any(proxy.schema.is_a(s) for s in SCREENED_SCHEMATA):
            names = frozenset(proxy.get("name") + proxy.get("alias", quiet=True))
            found[proxy.id] = Entry(proxy.id, proxy.schema.name, proxy.caption, names, read.list_id(proxy))
    return found


def diff_lists(old: ListRead, new: ListRead) -> ListDiff:
    before, after = _entries(old), _entries(new)
    result = ListDiff()
    result.added = sorted((after[k] for k in after.keys() - before.keys()), key=lambda e: e.id)
    result.removed = sorted((before[k] for k in before.keys() - after.keys()), key=lambda e: e.id)
    for key in sorted(before.keys() & after.keys()):
        if before[key].names != after[key].names:
            result.renamed.append((before[key], after[key]))
        else:
            result.unchanged += 1
    return result

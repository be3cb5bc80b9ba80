"""Who was added to a list, who was removed, and whose names changed, between two copies of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import SCREENED_SCHEMATA, ListRead


@dataclass(frozen=True)
class Entry:
    id: str  # the FtM entity id (un-KPi.033, ofac-20157): what pairs the entries of two copies
    ref: str  # the reference the list itself gives (KPi.033, 20157), as `screen` shows it
    schema: str
    caption: str
    names: frozenset[str]  # primary names
    aliases: frozenset[str]
    list: str


@dataclass
class ListDiff:
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    renamed: list[tuple[Entry, Entry]] = field(default_factory=list)  # names or aliases changed
    unchanged: int = 0
    aliases_compared: bool = True
    note: str | None = None  # what could not be compared, and why

    def names(self, entry: Entry) -> frozenset[str]:
        """The names of an entry that this comparison looks at."""
        return entry.names | entry.aliases if self.aliases_compared else entry.names


def _entries(read: ListRead) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    refs: dict[str, str] = {}
    for proxy in read:
        if proxy.schema.name == "Sanction":
            for entity in proxy.get("entity"):
                refs.setdefault(entity, proxy.first("authorityId") or "")
        elif proxy.id and any(proxy.schema.is_a(s) for s in SCREENED_SCHEMATA):
            found[proxy.id] = Entry(proxy.id, proxy.id, proxy.schema.name, proxy.caption,
                                    frozenset(proxy.get("name")), frozenset(proxy.get("alias", quiet=True)),
                                    read.list_id(proxy))
    return {key: _with_ref(entry, refs.get(key)) for key, entry in found.items()}


def _with_ref(entry: Entry, ref: str | None) -> Entry:
    if not ref:
        return entry
    return Entry(entry.id, ref, entry.schema, entry.caption, entry.names, entry.aliases, entry.list)


def diff_lists(old: ListRead, new: ListRead) -> ListDiff:
    """Entries added, removed and renamed from `old` to `new`. Copies read from different sets of
    files (OFAC's sdn.csv with its alt.csv, and without: aliases then come from the remarks) are
    compared on their primary names only: their aliases differ in form, not in substance."""
    before, after = _entries(old), _entries(new)
    result = ListDiff()
    files = [sorted(p.name for p in read.paths) for read in (old, new)]
    if files[0] != files[1]:
        result.aliases_compared = False
        result.note = (f"the old copy is {', '.join(files[0])} and the new {', '.join(files[1])}: "
                       "only primary names are compared")
    result.added = sorted((after[k] for k in after.keys() - before.keys()), key=lambda e: e.ref)
    result.removed = sorted((before[k] for k in before.keys() - after.keys()), key=lambda e: e.ref)
    for key in sorted(before.keys() & after.keys(), key=lambda k: before[k].ref):
        if result.names(before[key]) != result.names(after[key]):
            result.renamed.append((before[key], after[key]))
        else:
            result.unchanged += 1
    return result

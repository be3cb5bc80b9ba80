"""Mentions: every actor, place, date and good an article names, resolved to the knowledge base.

Resolution order: KB name matches first (they know "DPRK" is a state and "Aurus" a car maker),
then the statistical NER for what the KB does not know. Within an article, a short name refers
to the full name given earlier ("Kim" after "Kim Jong Un"); a short name that belongs to one
person only in the whole KB ("Putin") resolves anywhere; two people sharing a surname are kept
apart. A state's adjective followed by an institution ("North Korean state media", "the Russian
side") names that state's organ. A ship the KB knows is a vessel of its flag state; a ship name
that is also a place, a person's name or a word counts only in capitals, next to a ship word, or
after the ship has been named as one.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from ..kb import KnowledgeBase, Person
from ..model import Entity
from .dates import normalize_date
from .gazetteer import (
    AMBIGUOUS,
    CONTEXT,
    COUNTRY,
    DEMONYM,
    GOODS,
    ORG,
    PERSON,
    VESSEL,
    VESSEL_CONTEXT,
    Gazetteer,
    plural,
)
from .lexicon import Institution, Lexicon

_NER_KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "PRODUCT": "product",
    "DATE": "date",
    "MONEY": "money",
    "QUANTITY": "quantity",
    "CARDINAL": "quantity",
}
# The statistical NER's labels for places: a name it tags as a place anywhere in an article is
# a place wherever else it tags it a person or an organisation (one article, one sense).
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LABEL_KINDS = {PERSON: "person", ORG: "org", COUNTRY: "country", DEMONYM: "country", CONTEXT: "country",
                VESSEL: "vessel"}
# How far a ship word may stand from a ship's name ("the DPRK-flagged tanker Mi Rim", "Mi Rim, a tanker").
_SHIP_WINDOW = 4
_SHIP_ABBREVIATIONS = ("m/v", "mv", "m.v.")
_CLAUSE_ENDS = (".", ";", "!", "?")


@dataclass(frozen=True)
class Mention:
    start: int  # token indices into the Doc
    end: int
    start_char: int
    end_char: int
    text: str
    kind: str  # person, org, media, country, place, group, date, goods, product, money, quantity
    label: str
    kb_id: str | None = None
    name: str | None = None
    country: str | None = None
    role: str | None = None
    value: str | None = None
    # set for goods mentions
    hs: str | None = None
    classes: tuple[str, ...] = ()
    luxury: bool = False

    @property
    def is_actor(self) -> bool:
        """A party an event can have: one with a state, or a ship the KB knows whose flag no list states."""
        if self.kind == "vessel" and self.kb_id is not None:
            return True
        return self.kind in ("person", "org", "media", "country", "vessel") and self.country is not None

    def entity(self) -> Entity:
        return Entity(text=self.text, start=self.start_char, end=self.end_char, kind=self.kind,
                      label=self.label, kb_id=self.kb_id, name=self.name, country=self.country,
                      role=self.role, value=self.value or self.hs)


def _mention(doc: Doc, start: int, end: int, **kw: object) -> Mention:
    span = doc[start:end]
    return Mention(start=start, end=end, start_char=span.start_char, end_char=span.end_char,
                   text=span.text, **kw)  # type: ignore[arg-type]


class Resolver:
    """Finds and resolves the mentions of one Doc; built once per KB and vocabulary."""

    def __init__(self, gazetteer: Gazetteer, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.gazetteer = gazetteer
        self.kb = kb
        self.lexicon = lexicon
        owners: dict[str, set[str]] = defaultdict(set)
        common: set[str] = set()  # short names that are also common words (Moon, Park, Han)
        for p in kb.people.values():
            for short in p.short:
                owners[short.lower()].add(p.id)
            common.update(a.lower() for a in p.ambiguous)
        self._short_owners = dict(owners)
        self._common_shorts = frozenset(common)
        # institution phrases by their first word, longest first ("state media" before "state")
        self._institutions: dict[str, list[tuple[tuple[str, ...], Institution]]] = defaultdict(list)
        for words, institution in sorted(((tuple(w.split()), inst) for inst in lexicon.institutions
                                          for w in inst.words), key=lambda x: -len(x[0])):
            self._institutions[words[0]].append((words, institution))
        heads = {w.split()[-1] for inst in lexicon.institutions if inst.kind == "vessel" for w in inst.words}
        self._ship_words = frozenset(heads | {plural(w) for w in heads} | set(_SHIP_ABBREVIATIONS))

    # -- the KB side -------------------------------------------------------------------------
    def _kb_mention(self, doc: Doc, start: int, end: int, label: str, kb_id: str,
                    published: str | None) -> Mention:
        kind = _LABEL_KINDS[label]
        entry = self.kb.get(kb_id)
        name = getattr(entry, "name", None)
        country = self.kb.country_of(kb_id)
        role = None
        if label == PERSON:
            held = self.kb.people[kb_id].role_at(published)
            role = held.title if held else None
        elif label == ORG:
            org = self.kb.organisations[kb_id]
            kind = "media" if org.kind == "media" else "org"
            role = org.kind
        return _mention(doc, start, end, kind=kind, label=label, kb_id=kb_id, name=name,
                        country=country, role=role)

    def goods(self, doc: Doc, actors: list[Mention]) -> list[Mention]:
        """Goods named by a lexicon term or by a brand that stands for them (Aurus → motor car)."""
        out = []
        matches = self.gazetteer.goods(doc)
        # A term that names goods only in context ("shells", "tank", "oil") counts when its
        # sentence, or one next to it, also names goods of the same class plainly ("artillery").
        sentences = {sent.start: n for n, sent in enumerate(doc.sents)}
        plain: dict[int, set[str]] = defaultdict(set)
        for m in matches:
            if m.label == GOODS:
                n = sentences[doc[m.start].sent.start]
                for near in (n - 1, n, n + 1):
                    plain[near].update(self.kb.goods[m.kb_id].classes)
        vessels = {i for a in actors if a.kind == "vessel" for i in range(a.start, a.end)}
        for m in matches:
            g = self.kb.goods[m.kb_id]
            if m.label == AMBIGUOUS and plain[sentences[doc[m.start].sent.start]].isdisjoint(g.classes):
                continue
            if vessels.intersection(range(m.start, m.end)):
                continue  # "a North Korean vessel" that takes part in a transfer is a party, not goods
            if _in_compound(doc, m.start, m.end):
                continue  # "ship-to-ship transfers", "anti-ship": a word of a hyphenated word
            out.append(_mention(doc, m.start, m.end, kind="goods", label=GOODS, kb_id=g.id,
                                name=g.name, hs=g.hs, classes=tuple(g.classes), luxury=g.luxury))
        for a in actors:
            org = self.kb.organisations.get(a.kb_id or "")
            if org is None or not org.makes:
                continue
            g = self.kb.goods[org.makes[0]]
            out.append(_mention(doc, a.start, a.end, kind="goods", label="BRAND", kb_id=g.id,
                                name=f"{org.name} {g.name}", country=org.country, hs=g.hs,
                                classes=tuple(g.classes), luxury=bool(org.luxury) or "luxury" in g.classes))
        return sorted(out, key=lambda m: m.start)

    # -- resolution ----------------------------------------------------------------------------
    def resolve(self, doc: Doc, published: str | None,
                elsewhere: Sequence[Mention] = ()) -> list[Mention]:
        """The mentions of a Doc. `elsewhere` are mentions of the same text found outside the part
        of it this Doc parses (the analyzer parses only the stretches that can matter): the people
        they name in full are known to later short names, the states they name count as named."""
        mentions: list[Mention] = []
        taken: set[int] = set()
        ships: set[str] = set()  # once a ship is named as one, its name alone names it
        for m in self.gazetteer.matches(doc):
            if m.label == VESSEL_CONTEXT:
                if m.kb_id not in ships and not self._ship_named(doc, m.start, m.end):
                    continue  # "Mi Rim" the person, "Kang Gye" the town: left to the statistical NER
                m = replace(m, label=VESSEL)
            if m.label == VESSEL:
                ships.add(m.kb_id)
            taken.update(range(m.start, m.end))
            if m.start >= 2 and doc[m.start - 1].text == "-" and doc[m.start - 2].lower_ == "non":
                continue  # "non-North Korean ships" are not North Korean
            mention = self._kb_mention(doc, m.start, m.end, m.label, m.kb_id, published)
            if m.label == COUNTRY and _dateline(doc, m.start, m.end):
                mention = replace(mention, kind="place")  # "PYONGYANG, March 3 --": where, not who
            mentions.append(mention)
        places = {e.text for e in doc.ents if e.label_ in _PLACE_LABELS}
        for ent in doc.ents:
            if taken.isdisjoint(range(ent.start, ent.end)):
                mention = self._ner_mention(ent, published)
                if mention.kind in ("person", "org") and ent.text in places:
                    # "Nampo" in a headline read as a person is the port the text calls Nampo
                    mention = replace(mention, kind="place")
                mentions.append(mention)
                taken.update(range(ent.start, ent.end))
        mentions.sort(key=lambda m: m.start)
        mentions = self._short_names(doc, mentions, taken, published, elsewhere)
        mentions = self._institution_phrases(doc, mentions, published)
        countries = {m.country for m in (*mentions, *elsewhere) if m.label != CONTEXT}
        return [m for m in mentions if m.label != CONTEXT or m.country in countries]

    def _ship_named(self, doc: Doc, start: int, end: int) -> bool:
        """A ship's name as written in capitals ("MI RIM"), or with a ship word in its clause within a
        few words ("the tanker Mi Rim", "Mi Rim, a DPRK tanker", "M/V Mi Rim")."""
        text = doc[start:end].text
        if any(c.isalpha() for c in text) and text == text.upper():
            return True
        if doc[max(0, start - 3):start].text.replace(" ", "").lower().endswith(_SHIP_ABBREVIATIONS):
            return True
        before = range(start - 1, max(-1, start - 1 - _SHIP_WINDOW), -1)
        after = range(end, min(len(doc), end + _SHIP_WINDOW))
        for i in before:
            if doc[i].is_sent_end or doc[i].text in _CLAUSE_ENDS:
                break  # the sentence before
            if doc[i].lower_ in self._ship_words:
                return True
        for i in after:
            if doc[i].lower_ in self._ship_words:
                return True
            if doc[i].is_sent_end or doc[i].text in _CLAUSE_ENDS:
                break
        return False

    def _ner_mention(self, ent: Span, published: str | None) -> Mention:
        kind = _NER_KINDS.get(ent.label_, "other")
        value = normalize_date(ent.text, published) if kind == "date" else None
        return _mention(ent.doc, ent.start, ent.end, kind=kind, label=ent.label_, value=value)

    def _short_names(self, doc: Doc, mentions: list[Mention], taken: set[int],
                     published: str | None, elsewhere: Sequence[Mention]) -> list[Mention]:
        """'Kim' → the Kim named in full earlier; 'Putin' → the only Putin the KB knows."""
        seen: list[str] = []  # person ids in order of full mention
        earlier = deque(sorted((m.start_char, m.kb_id) for m in elsewhere if m.kind == "person" and m.kb_id))
        by_start = {m.start: m for m in mentions}
        out: list[Mention] = []
        i = 0
        while i < len(doc):
            while earlier and earlier[0][0] < doc[i].idx:
                seen.append(earlier.popleft()[1])
            m = by_start.get(i)
            if m is not None:
                if m.kind == "person" and m.kb_id is None and (pid := self._person_for(m.text, seen)):
                    m = self._kb_mention(doc, m.start, m.end, PERSON, pid, published)
                if m.kind == "person" and m.kb_id:
                    seen.append(m.kb_id)
                out.append(m)
                i = m.end
                continue
            token = doc[i]
            if i not in taken and token.is_title and (pid := self._person_for(token.text, seen)):
                out.append(self._kb_mention(doc, i, i + 1, PERSON, pid, published))
                seen.append(pid)
            i += 1
        return out

    def _person_for(self, text: str, seen: list[str]) -> str | None:
        key = text.lower().removesuffix("'s").removesuffix("’s")
        owners = self._short_owners.get(key)
        if not owners:
            return None
        earlier = [pid for pid in reversed(seen) if pid in owners]
        if earlier:
            return earlier[0]  # the most recent person named in full who goes by this name
        if len(owners) == 1 and key not in self._common_shorts:
            return next(iter(owners))  # the only person the KB knows by this name ("Putin")
        return None

    def _institution_phrases(self, doc: Doc, mentions: list[Mention],
                             published: str | None) -> list[Mention]:
        """'North Korean state media' → the DPRK's media; 'the North Korean leader' → Kim Jong Un."""
        starts = {m.start for m in mentions}
        out: list[Mention] = []
        for m in mentions:
            if out and m.start < out[-1].end:
                continue  # swallowed by the phrase before
            if m.kind == "country" and m.label in (COUNTRY, DEMONYM) and m.country:
                after = m.end + (1 if m.end < len(doc) and doc[m.end].text in ("'s", "’s") else 0)
                found = self._institution_at(doc, after)
                # "Russian President Vladimir Putin": the name that follows is the mention.
                if found and starts.isdisjoint(range(after, found[0] + 1)):
                    out.append(self._office(doc, m, *found, published))
                    continue
            out.append(m)
        return out

    def _office(self, doc: Doc, m: Mention, end: int, inst: Institution,
                published: str | None) -> Mention:
        holder = holder_of(self.kb, m.country, inst, published) if inst.roles else None
        role = inst.roles[0] if inst.roles else None
        if holder is None:
            return _mention(doc, m.start, end, kind=inst.kind, label=m.label, country=m.country,
                            role=role)
        held = holder.role_at(published)
        return _mention(doc, m.start, end, kind="person", label=PERSON, kb_id=holder.id,
                        name=holder.name, country=m.country, role=held.title if held else role)

    def _institution_at(self, doc: Doc, i: int) -> tuple[int, Institution] | None:
        if i >= len(doc):
            return None
        for words, inst in self._institutions.get(doc[i].lower_, ()):
            n = len(words)
            if i + n <= len(doc) and tuple(t.lower_ for t in doc[i:i + n]) == words:
                return i + n, inst
        return None


def _in_compound(doc: Doc, start: int, end: int) -> bool:
    """Words joined by hyphens to words on either side ("ship-to-ship", "anti-ship"): part of
    another word. A number after the hyphen is a model's ("MiG-29"), not another word."""
    after = end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
        and not doc[end].whitespace_ and doc[end + 1].is_alpha
    before = start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
        and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha
    return after or before


def _dateline(doc: Doc, start: int, end: int) -> bool:
    """A place that opens a line and is followed by a comma: the dateline of a news story."""
    opens = start == 0 or "\n" in doc[start - 1].text_with_ws or doc[start - 1].is_space
    return opens and end < len(doc) and doc[end].text == ","


def holder_of(kb: KnowledgeBase, country: str | None, office: Institution,
              published: str | None) -> Person | None:
    """The one person the KB knows to hold the office for the state at the date."""
    title = (office.title or "").lower()
    holders = [
        p for p in kb.people.values()
        if p.country == country and any(
            r.category in office.roles and title in r.title.lower() and r.held_at(published)
            for r in p.roles)
    ]
    return holders[0] if len(holders) == 1 else None

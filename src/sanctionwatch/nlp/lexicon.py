"""The word lists the NLP stages read: event triggers (triggers.yaml) and actor phrases (actors.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


def _load(name: str) -> dict[str, Any]:
    text = resources.files("sanctionwatch.nlp").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Code:
    cameo: str
    plover: str | None


@dataclass(frozen=True)
class ActivityCue:
    id: str
    words: tuple[str, ...]
    with_words: tuple[str, ...]
    code: Code
    actor_receives: bool  # the actor gains by it (theft, laundering): its state is the recipient
    abroad: bool = False  # it takes two states: both sides named, and different
    with_classes: frozenset[str] = frozenset()  # goods of one of these classes must be in the sentence
    activity: str = ""  # the activity id events get (default: the cue id)

    @property
    def activity_id(self) -> str:
        return self.activity or self.id


@dataclass(frozen=True)
class OtherCue:
    type: str
    words: tuple[str, ...]
    code: Code


@dataclass(frozen=True)
class Institution:
    words: tuple[str, ...]
    kind: str
    roles: tuple[str, ...]  # role categories of the office it names (none for organs)
    title: str | None  # a word the office's title must contain


@dataclass(frozen=True)
class Lexicon:
    version: str
    giver_verbs: frozenset[str]
    receiver_verbs: frozenset[str]
    giver_nouns: frozenset[str]
    receiver_nouns: frozenset[str]
    needs_origin: frozenset[str]
    cross_border: frozenset[str]
    gift_words: frozenset[str]
    codes: dict[str, Code]
    activities: tuple[ActivityCue, ...]
    others: tuple[OtherCue, ...]
    institutions: tuple[Institution, ...]
    modality_verbs: dict[str, frozenset[str]]  # modality → verbs (lemmas) that govern it
    modality_words: dict[str, frozenset[str]]  # modality → other words (lemmas)
    report_verbs: frozenset[str]
    confirm_verbs: frozenset[str]
    norms: frozenset[str]
    policy: frozenset[str]
    crossing: frozenset[str]
    generic_goods: frozenset[str]
    visitors: frozenset[str]
    luxury_words: frozenset[str]

    def transfer_role(self, lemma: str, pos: str) -> str | None:
        """'giver' or 'receiver' when the word signals a transfer, else None."""
        if pos in ("VERB", "AUX"):
            if lemma in self.giver_verbs:
                return "giver"
            if lemma in self.receiver_verbs:
                return "receiver"
        elif pos in ("NOUN", "PROPN"):
            if lemma in self.giver_nouns:
                return "giver"
            if lemma in self.receiver_nouns:
                return "receiver"
        return None


def _code(data: dict[str, Any]) -> Code:
    return Code(str(data["cameo"]), data.get("plover"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    t = _load("triggers.yaml")
    a = _load("actors.yaml")
    transfer = t["transfer"]
    return Lexicon(
        version=f"triggers {t['version']}, actors {a['version']}",
        giver_verbs=frozenset(transfer["verbs"]["giver"]),
        receiver_verbs=frozenset(transfer["verbs"]["receiver"]),
        giver_nouns=frozenset(transfer["nouns"]["giver"]),
        receiver_nouns=frozenset(transfer["nouns"]["receiver"]),
        needs_origin=frozenset(transfer["needs_origin"]),
        cross_border=frozenset(transfer["cross_border"]),
        gift_words=frozenset(transfer["gift_words"]),
        codes={k: _code(v) for k, v in transfer["codes"].items()},
        activities=tuple(
            ActivityCue(k, tuple(v["words"]), tuple(v.get("with") or ()), _code(v),
                        v.get("actor") == "receives", bool(v.get("abroad")),
                        frozenset(v.get("with_classes") or ()), v.get("activity", ""))
            for k, v in t["activities"].items()
        ),
        others=tuple(OtherCue(k, tuple(v["words"]), _code(v)) for k, v in t["other"].items()),
        institutions=tuple(
            Institution(tuple(i["words"]), i["kind"], tuple(i.get("roles") or ()), i.get("title"))
            for i in a["institutions"]
        ),
        modality_verbs={k: frozenset(v["verbs"]) for k, v in t["modality"].items()},
        modality_words={k: frozenset(v["words"]) for k, v in t["modality"].items()},
        report_verbs=frozenset(t["attribution"]["report"]),
        confirm_verbs=frozenset(t["attribution"]["confirm"]),
        norms=frozenset(t["norms"]),
        policy=frozenset(t["policy"]),
        crossing=frozenset(t["crossing"]),
        generic_goods=frozenset(t["generic_goods"]),
        visitors=frozenset(t["visitors"]),
        luxury_words=frozenset(t["luxury_words"]),
    )

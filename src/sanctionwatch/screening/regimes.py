"""UN sanctions regimes by reference-number prefix, read from data/un_regimes.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Regime:
    prefix: str
    list: str  # the list id a screening hit carries, e.g. un-1718
    regime: str  # the rules regime id, e.g. un-dprk
    name: str
    resolution: str
    source: str


@cache
def un_regimes() -> dict[str, Regime]:
    text = resources.files(__package__).joinpath("data/un_regimes.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {prefix: Regime(prefix=prefix, **entry) for prefix, entry in data["regimes"].items()}


def regime_for_reference(reference: str) -> Regime:
    """KPi.066 -> the 1718 (DPRK) regime; an unknown prefix gets a list id of its own (un-xx)."""
    prefix = reference[:2].upper()
    known = un_regimes().get(prefix)
    if known:
        return known
    return Regime(prefix=prefix, list=f"un-{prefix.lower()}", regime=f"un-{prefix.lower()}",
                  name=f"UN list {prefix}", resolution="",
                  source="reference number prefix not in un_regimes.yaml")

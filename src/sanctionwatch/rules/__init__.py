"""Sanctions rules as data, and the engine that decides which provisions an event may breach.

    from sanctionwatch.rules import load_rules, evaluate
    rules = load_rules()                      # every regime in rules/data, validated, cached
    flags = evaluate(event, rules, published=article.published, listed=screen)

A regime is one YAML file in ``rules/data`` (see ``schemas/regime.schema.json``); adding a file
adds a regime, with no code. ``engine.yaml`` holds the confidence weights and the kinds of event
that are never a breach.
"""

from .engine import Listed, evaluate
from .period import Period, event_period
from .provisions import (
    EngineConfig,
    Provision,
    Regime,
    RulesError,
    RuleSet,
    check_rules,
    load_rules,
)

__all__ = [
    "EngineConfig",
    "Listed",
    "Period",
    "Provision",
    "Regime",
    "RuleSet",
    "RulesError",
    "check_rules",
    "evaluate",
    "event_period",
    "load_rules",
]

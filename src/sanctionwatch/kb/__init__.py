"""The knowledge base: countries, people, organisations, vessels and goods as versioned, sourced data.

    from sanctionwatch.kb import load_kb
    kb = load_kb()
    kb.countries["PRK"].metonyms          # ('Pyongyang',)
    kb.people["person/sergei-shoigu"].role_at("2023-06-01").category   # 'defence minister'
"""

from .loader import DATA_DIR, KBError, check_kb, load_kb
from .model import (
    Country,
    Entry,
    GoodsEntry,
    KnowledgeBase,
    Listing,
    Organisation,
    Person,
    Role,
    Vessel,
    name_key,
)

__all__ = ["DATA_DIR", "Country", "Entry", "GoodsEntry", "KBError", "KnowledgeBase", "Listing",
           "Organisation", "Person", "Role", "Vessel", "check_kb", "load_kb", "name_key"]

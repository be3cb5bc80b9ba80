"""Stable flag keys (what reviews hang on), the review store, and the migration that adds them
to a store filled before it."""

from __future__ import annotations

from importlib import resources

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from sanctionwatch.store import Store
from sanctionwatch.store import reviews as review_store
from sanctionwatch.store.database import WRITE
from sanctionwatch.store.keys import flag_keys
from sanctionwatch.store.schema import articles, flags

from .test_store import report, rows

FLAG = {"category": "un-dprk/luxury-goods", "supplier": {"country": "RUS", "kb_id": None},
        "recipient": {"country": "PRK", "kb_id": "country/PRK"},
        "goods": {"text": "Aurus limousine", "kb_id": "goods/limousine", "hs": "8703"},
        "confidence": 0.8, "why": "…", "evidence": [{"start": 1, "end": 9}]}


def test_a_flag_keeps_its_key_when_wording_confidence_or_evidence_change():
    reworded = {**FLAG, "confidence": 0.6, "why": "other words", "evidence": [{"start": 50, "end": 90}],
                "goods": {**FLAG["goods"], "text": "limousine"}}
    assert flag_keys("article-1", [FLAG]) == flag_keys("article-1", [reworded])
    other_goods = {**FLAG, "goods": {"text": "yacht", "kb_id": "goods/yacht", "hs": "8903"}}
    other_category = {**FLAG, "category": "un-dprk/machinery-vehicles-metals"}
    keys = {flag_keys("article-1", [f])[0] for f in (FLAG, other_goods, other_category)}
    assert len(keys) == 3
    assert flag_keys("article-2", [FLAG]) != flag_keys("article-1", [FLAG])
    twice = flag_keys("article-1", [FLAG, FLAG])
    assert len(set(twice)) == 2 and twice[0] == flag_keys("article-1", [FLAG])[0]


def test_reviews_record_state_and_trail(tmp_path):
    with Store.open(str(tmp_path / "r.db")) as store:
        review_store.record(store, "flag", "k1", "needs-checking", "alice", note="call the port")
        review_store.record(store, "flag", "k1", "note", "bob", note="port says no ship")
        review_store.record(store, "flag", "k1", "dismiss", "bob", reason="not-credible")
        assert review_store.states(store, "flag", ["k1", "k2"]) == {
            "k1": {"state": "dismissed", "reason": "not-credible", "who": "bob",
                   "at": review_store.history(store, "flag", "k1")[-1].at.isoformat()}}
        trail = review_store.history(store, "flag", "k1")
        assert [(r.who, r.action, r.state) for r in trail] == [
            ("alice", "needs-checking", "needs-checking"), ("bob", "note", None),
            ("bob", "dismiss", "dismissed")]
        assert all(r.at.tzinfo is not None for r in trail)
        assert [r.who for r in review_store.audit_log(store, who="alice")] == ["alice"]
        for bad, message in [({"action": "approve"}, "unknown review action"),
                             ({"action": "dismiss", "reason": "boring"}, "needs a reason"),
                             ({"action": "note"}, "a note needs its text"),
                             ({"action": "note", "note": "x" * 4001}, "over 4,000 characters")]:
            with pytest.raises(review_store.ReviewError, match=message):
                review_store.record(store, "flag", "k1", who="alice", **bad)


def test_the_migration_gives_keys_to_flags_stored_before_it(tmp_path):
    db = str(tmp_path / "old.db")
    key, original = report()
    with Store.open(db) as store:
        store.save([rows(key, original)])
        config = Config()
        config.set_main_option("script_location",
                               str(resources.files("sanctionwatch.store").joinpath("migrations")))
        with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        with store.engine.connect() as conn:
            assert "key" not in [c[1] for c in conn.execute(text("PRAGMA table_info(flags)"))]
    with Store.open(db) as store, store.engine.connect() as conn:
        stored = conn.execute(select(flags.c.key, flags.c.data, articles.c.key)
                              .join(articles, articles.c.id == flags.c.article_id)).one()
    expected = flag_keys(key, [original.to_dict()["flags"][0]])[0]
    assert stored[0] == flag_keys(stored[2], [stored[1]])[0] == expected

"""The HTTP API, called in-process: flags with filters and cursor pages, reviews that survive
re-analysis, articles, scanning (real analysis), screening, health and readiness."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sanctionwatch.screening import Screener
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.un_xml import read_un_xml
from sanctionwatch.store import Store

from .screening_data import un_xml
from .test_store import rows
from .web_helpers import BOB, auth, client, fill, variant

YACHT = ("A Russian company shipped 40 Mercedes-Benz limousines to North Korea in March 2024, "
         "according to customs records seen by reporters. The cars were unloaded at Nampo on "
         "12 March 2024.")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Seven flags: one a month from 2024-01-01 to 2024-06-01, and one undated (published
    2024-05-06)."""
    reports = [
        variant(1, "2024-01-01", "un-dprk/luxury-goods", "China", "a yacht", 0.6),
        variant(2, "2024-02-01", "un-dprk/machinery-vehicles-metals", "Russia", "trucks", 0.9),
        variant(3, "2024-03-01", "un-dprk/luxury-goods", "Russia", "watches", 0.7),
        variant(4, "2024-04-01", "un-dprk/arms", "Russia", "shells", 0.85),
        variant(5, "2024-05-01", "un-dprk/refined-petroleum", "China", "diesel", 0.5),
        variant(6, "2024-06-01", "un-dprk/arms", "China", "rifles", 0.95),
        variant(7, None, "un-dprk/luxury-goods", "Russia", "a limousine", 0.8),
    ]
    return fill(tmp_path / "api.db", reports)


def _goods(items: list[dict]) -> list[str]:
    return [f["goods"]["text"] for f in items]


def test_flags_page_by_page_in_a_stable_order(db: str):
    with client(db) as c:
        seen, cursor = [], None
        while True:
            page = c.get("/v1/flags", params={"limit": 3, **({"cursor": cursor} if cursor else {})})
            assert page.status_code == 200
            seen.append(_goods(page.json()["items"]))
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
    # Newest first by day; the undated flag is placed by its publication day (2024-05-06).
    assert seen == [["rifles", "a limousine", "diesel"], ["shells", "watches", "trucks"], ["a yacht"]]


def test_flags_by_confidence_and_filters(db: str):
    with client(db) as c:
        first = c.get("/v1/flags", params={"order": "confidence", "limit": 2}).json()
        second = c.get("/v1/flags", params={"order": "confidence", "limit": 2,
                                             "cursor": first["next_cursor"]}).json()
        assert _goods(first["items"] + second["items"]) == ["rifles", "trucks", "shells", "a limousine"]
        assert c.get("/v1/flags", params={"order": "confidence", "limit": 7}).json()["next_cursor"] is None
        assert _goods(c.get("/v1/flags", params={"category": "un-dprk/arms"}).json()["items"]) == [
            "rifles", "shells"]
        assert _goods(c.get("/v1/flags", params={"country": "chi", "since": "2024-02-01"})
                      .json()["items"]) == ["rifles", "diesel"]
        assert _goods(c.get("/v1/flags", params={"min_confidence": 0.9}).json()["items"]) == [
            "rifles", "trucks"]
        assert _goods(c.get("/v1/flags", params={"text": "WATCH"}).json()["items"]) == ["watches"]
        counts = c.get("/v1/flags/counts").json()
        assert counts[0] == {"category": "un-dprk/luxury-goods", "flags": 3}


@pytest.mark.parametrize(("params", "message"), [
    ({"cursor": "not-a-cursor"}, "not a cursor this API returned"),
    ({"since": "yesterday"}, "since: not a YYYY-MM-DD date"),
    ({"limit": 1000}, "query.limit: Input should be less than or equal to 200"),
    ({"country": "North Korea"}, "query.country: String should match pattern"),
])
def test_bad_parameters_are_one_line_422s(db: str, params: dict, message: str):
    with client(db) as c:
        response = c.get("/v1/flags", params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)


def test_a_review_is_recorded_with_who_and_when_and_filters_the_list(db: str):
    with client(db) as c:
        key = c.get("/v1/flags", params={"text": "rifles"}).json()["items"][0]["key"]
        done = c.post(f"/v1/flags/{key}/reviews", json={"action": "confirm", "note": "seen in two sources"},
                      headers=auth())
        assert done.status_code == 201
        assert (done.json()["who"], done.json()["state"]) == ("alice", "confirmed")
        other = c.get("/v1/flags", params={"text": "diesel"}).json()["items"][0]["key"]
        refused = c.post(f"/v1/flags/{other}/reviews", json={"action": "dismiss"}, headers=auth(BOB))
        assert refused.status_code == 422 and "needs a reason" in refused.json()["detail"]
        assert c.post(f"/v1/flags/{other}/reviews", json={"action": "dismiss", "reason": "duplicate"},
                      headers=auth(BOB)).status_code == 201

        assert _goods(c.get("/v1/flags", params={"review": "confirmed"}).json()["items"]) == ["rifles"]
        assert _goods(c.get("/v1/flags", params={"review": "dismissed"}).json()["items"]) == ["diesel"]
        assert len(c.get("/v1/flags", params={"review": "unreviewed"}).json()["items"]) == 5
        detail = c.get(f"/v1/flags/{key}").json()
        assert detail["review"]["state"] == "confirmed"
        assert [(h["who"], h["action"], h["note"]) for h in detail["history"]] == [
            ("alice", "confirm", "seen in two sources")]
        trail = c.get("/v1/reviews").json()
        assert [(r["who"], r["action"], r["reason"]) for r in trail] == [
            ("bob", "dismiss", "duplicate"), ("alice", "confirm", None)]
        assert c.post("/v1/flags/no-such-key/reviews", json={"action": "confirm"},
                      headers=auth()).status_code == 404


def test_reviews_survive_the_article_being_analysed_again(db: str):
    key, original = variant(6, "2024-06-01", "un-dprk/arms", "China", "rifles", 0.95)
    with client(db) as c:
        flag = c.get("/v1/flags", params={"text": "rifles"}).json()["items"][0]["key"]
        c.post(f"/v1/flags/{flag}/reviews", json={"action": "confirm"}, headers=auth())
    # A newer version of the analysis replaces the article's results (new rows, new wording).
    newer = variant(6, "2024-06-01", "un-dprk/arms", "China", "rifles", 0.9,
                    versions={"sanctionwatch": "0.2.0", "model": "m-2"})[1]
    with Store.open(db) as store:
        assert store.save([rows(key, newer)]).replaced == 1
    with client(db) as c:
        found = c.get("/v1/flags", params={"review": "confirmed"}).json()["items"]
    assert [(f["key"], f["confidence"], f["review"]["who"]) for f in found] == [(flag, 0.9, "alice")]


def test_an_article_with_its_text_and_report(db: str):
    with client(db) as c:
        flag = c.get("/v1/flags", params={"text": "carried trucks"}).json()["items"][0]
        article = c.get(f"/v1/articles/{flag['article']['key']}")
        assert article.status_code == 200
        body = article.json()
        span = body["report"]["flags"][0]["goods"]
        assert body["text"][span["start"]:span["end"]] == "trucks"
        assert body["report"]["schema"] == "sanctionwatch.report/1"
        assert c.get("/v1/articles/0000").status_code == 404


def test_scan_analyses_an_article_and_can_store_it(tmp_path: Path, analyzer):
    with client(str(tmp_path / "scan.db"), analyzer=lambda: analyzer) as c:
        response = c.post("/v1/scan", headers=auth(), json={
            "article": {"text": YACHT, "title": "Limousines to Nampo", "published": "2024-04-01"},
            "store": True})
        assert response.status_code == 200, response.text
        report = response.json()
        assert "un-dprk/luxury-goods" in [f["category"] for f in report["flags"]]
        stored = c.get(response.headers["location"]).json()
        assert stored["report"]["article"]["title"] == "Limousines to Nampo"
        assert c.get("/v1/flags", params={"category": "un-dprk/luxury-goods"}).json()["items"]


def test_scan_refuses_what_is_too_large_or_malformed(tmp_path: Path, analyzer):
    with client(str(tmp_path / "big.db"), analyzer=lambda: analyzer, max_chars=100,
                max_body=10_000) as c:
        long = c.post("/v1/scan", headers=auth(), json={"article": {"text": "x" * 101}})
        assert long.status_code == 413 and "over the limit of 100" in long.json()["detail"]
        body = c.post("/v1/scan", headers=auth(), json={"article": {"text": "y" * 20_000}})
        assert body.status_code == 413 and "request body" in body.json()["detail"]
        both = c.post("/v1/scan", headers=auth(), json={"article": {"text": "z"}, "url": "https://a.example/"})
        assert both.status_code == 422 and both.json()["detail"] == "give either an article or a url"
        date = c.post("/v1/scan", headers=auth(), json={"article": {"text": "z", "published": "May"}})
        assert date.status_code == 422 and "published" in date.json()["detail"]


def test_readiness_waits_for_the_model(tmp_path: Path):
    release = threading.Event()

    def slow_model():
        release.wait(10)
        return object()

    with client(str(tmp_path / "r.db"), analyzer=slow_model) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        waiting = c.get("/readyz")
        assert (waiting.status_code, waiting.json()["model"]) == (503, "loading")
        release.set()
        for _ in range(100):
            if c.get("/readyz").status_code == 200:
                break
            threading.Event().wait(0.05)
        assert c.get("/readyz").json() == {"ready": True, "store": "open", "model": "loaded",
                                           "lists": "none installed"}


def test_screen_a_name(tmp_path: Path):
    build_index([read_un_xml(un_xml(tmp_path / "un.xml"))], tmp_path / "index.sqlite")
    with client(str(tmp_path / "s.db"), screener=lambda: Screener.open(tmp_path / "index.sqlite")) as c:
        hits = c.get("/v1/screen", params={"name": "Paek Song Rim"}).json()["hits"]
        assert [(h["list"], h["entry_id"]) for h in hits] == [("un-1718", "KPi.901")]
        assert c.get("/v1/screen", params={"name": "Ordinary Person"}).json()["hits"] == []
    with client(str(tmp_path / "none.db")) as c:
        response = c.get("/v1/screen", params={"name": "Paek Song Rim"})
        assert response.status_code == 503
        assert response.json()["detail"].startswith("no sanctions lists are installed")


def test_the_openapi_text_describes_every_operation(db: str):
    with client(db) as c:
        spec = c.get("/openapi.json").json()
    assert spec["info"]["title"] == "sanctionwatch" and "Bearer" in spec["info"]["description"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op.get("summary") and op.get("tags"), (method, path)
            if method == "post":
                assert {"401", "403", "422"} <= set(op["responses"]), (method, path)
    assert not any(path == "/" or path.startswith("/flags/") for path in spec["paths"])

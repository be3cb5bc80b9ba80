"""Incidents and relations through the API and the dashboard: lists with cursors, one incident,
merge and split by an analyst (recorded with who), incident reviews, the relations page."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.analysis.incidents import update_incidents
from sanctionwatch.store import Store

from .web_helpers import ALICE, SAME_ORIGIN, auth, client, fill, variant


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Three incidents: shells told by two articles, a yacht, diesel."""
    path = fill(tmp_path / "inc.db", [
        variant(1, "2024-01-01", "un-dprk/luxury-goods", "China", "a yacht"),
        variant(2, "2024-02-01", "un-dprk/arms", "Russia", "shells"),
        variant(3, "2024-02-01", "un-dprk/arms", "Russia", "shells"),
        variant(4, "2024-03-01", "un-dprk/refined-petroleum", "China", "diesel"),
    ])
    with Store.open(path) as store:
        update_incidents(store)
    return path


def _titles(items: list[dict]) -> list[str]:
    return [i["title"] for i in items]


def test_incidents_page_by_page_and_filtered(db: str):
    with client(db) as c:
        first = c.get("/v1/incidents", params={"limit": 2}).json()
        second = c.get("/v1/incidents", params={"limit": 2, "cursor": first["next_cursor"]}).json()
        assert second["next_cursor"] is None
        assert _titles(first["items"] + second["items"]) == [
            "CHI → PRK: diesel, 2024-03-01", "RUS → PRK: shells, 2024-02-01",
            "CHI → PRK: a yacht, 2024-01-01"]
        shells = first["items"][1]
        assert (shells["article_count"], shells["review"]) == (2, None)
        assert _titles(c.get("/v1/incidents", params={"country": "RUS"}).json()["items"]) == [
            "RUS → PRK: shells, 2024-02-01"]
        detail = c.get(f"/v1/incidents/{shells['id']}").json()
        assert len(detail["reports"]) == 2 and detail["history"] == []
        assert c.get("/v1/incidents/999").status_code == 404


def test_merge_split_and_review_through_the_api(db: str):
    with client(db) as c:
        ids = {i["title"].split(":")[1].split(",")[0].strip(): i["id"]
               for i in c.get("/v1/incidents").json()["items"]}
        assert c.post("/v1/incidents/merge", json={"ids": [ids["a yacht"], ids["diesel"]]}).status_code == 401
        merged = c.post("/v1/incidents/merge", json={"ids": [ids["a yacht"], ids["diesel"]]},
                        headers=auth())
        assert merged.status_code == 200
        target = merged.json()["id"]
        detail = c.get(f"/v1/incidents/{target}").json()
        assert len(detail["reports"]) == 2
        assert [(h["action"], h["who"]) for h in detail["history"]] == [("merge", "alice")]
        # The merged-away id leads to the incident it joined.
        other = max(ids["a yacht"], ids["diesel"])
        assert c.get(f"/v1/incidents/{other}").json()["merged_from"] == other
        one = detail["reports"][0]["article"]["id"]
        split = c.post(f"/v1/incidents/{target}/split", json={"articles": [one]}, headers=auth())
        assert split.status_code == 200 and split.json()["id"] not in (target, other)
        bad = c.post(f"/v1/incidents/{target}/split", json={"articles": ["nope"]}, headers=auth())
        assert bad.status_code == 400 and "has no report from article" in bad.json()["detail"]
        reviewed = c.post(f"/v1/incidents/{ids['shells']}/reviews", headers=auth(),
                          json={"action": "needs-checking", "note": "one source is state media"})
        assert reviewed.status_code == 201
        listed = {i["id"]: i for i in c.get("/v1/incidents").json()["items"]}
        assert listed[ids["shells"]]["review"]["state"] == "needs-checking"


def test_relations_api_and_page(db: str):
    with client(db) as c:
        relations = c.get("/v1/relations", params={"a": "RUS", "b": "PRK", "by": "month"}).json()
        periods = {p["period"]: p for p in relations["periods"]}
        assert periods["2024-02"]["flags"] == {"un-dprk/arms": 2}
        assert periods["2024-02"]["incidents"] == {"un-dprk/arms": 1}
        assert c.get("/v1/relations", params={"a": "Russia"}).status_code == 422
        page = c.get("/relations", params={"a": "CHN", "b": "PRK", "from": "2024-01", "to": "2024-03"})
        assert page.status_code == 200 and "<svg class=\"chart\"" in page.text
        assert page.text.count("<tr><td>2024-0") == 3  # January to March, the empty month kept
        assert "ISO 3166 alpha-3" in c.get("/relations", params={"a": "Russia"}).text


def test_merge_and_split_in_the_dashboard(db: str):
    with client(db) as c:
        listed = c.get("/v1/incidents").json()["items"]
        c.post("/login", data={"token": ALICE}, headers=SAME_ORIGIN)
        page = c.get("/incidents").text
        assert "Merge selected incidents" in page
        done = c.post("/incidents/merge", data={"ids": [listed[0]["id"], listed[2]["id"]]},
                      headers=SAME_ORIGIN)
        assert done.status_code == 200 and "Done: merged." in done.text
        assert "alice</strong>: merge" in done.text
        one = c.post("/incidents/merge", data={"ids": [listed[1]["id"]]}, headers=SAME_ORIGIN)
        assert "merge needs at least two different incidents" in one.text
        target = min(listed[0]["id"], listed[2]["id"])
        article = c.get(f"/v1/incidents/{target}").json()["reports"][0]["article"]["id"]
        split = c.post(f"/incidents/{target}/split", data={"articles": [article]}, headers=SAME_ORIGIN)
        assert split.status_code == 200 and "Done: split." in split.text
        cross = c.post("/incidents/merge", data={"ids": [1, 2]}, headers={"Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403

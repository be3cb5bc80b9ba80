"""The dashboard's pages, in-process: the inbox and its filters, the article view with evidence
marked at its offsets, hostile text escaped, security headers, review forms, error pages."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

from sanctionwatch.model import Entity, Span
from sanctionwatch.web.highlight import highlighted, marks_for, visible

from .test_store import report
from .web_helpers import ALICE, SAME_ORIGIN, client, fill, variant

HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_TEXT = ("Rumours \x1b[31mred\x1b[0m said <b onmouseover=alert(1)>bold</b> and "
                "<script>alert('x')</script> a ship carried 40 trucks to Rajin \u202eevil.")


def hostile_report():
    key, base = report(text=HOSTILE_TEXT, url="javascript:alert(document.cookie)")
    start = HOSTILE_TEXT.index("a ship")
    end = HOSTILE_TEXT.index(" \u202e")
    span = Span(start, end, HOSTILE_TEXT[start:end])
    article = replace(base.article, title=HOSTILE_TITLE)
    flag = replace(base.flags[0], evidence=(span,), why='<img src=x onerror=alert(3)> "why"')
    entity = Entity(text="Rajin", start=HOSTILE_TEXT.index("Rajin"), end=HOSTILE_TEXT.index("Rajin") + 5,
                    kind="place", kb_id="place/rajin\"><script>")
    return key, replace(base, article=article, flags=(flag,), entities=(entity,))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return fill(tmp_path / "pages.db", [
        variant(1, "2024-01-01", "un-dprk/luxury-goods", "China", "a yacht", 0.6),
        variant(2, "2024-02-01", "un-dprk/arms", "Russia", "shells", 0.9),
        hostile_report(),
    ])


def test_the_inbox_lists_flags_with_counts_and_filters(db: str):
    with client(db) as c:
        page = c.get("/")
        assert page.status_code == 200
        assert "un-dprk/arms" in page.text and "un-dprk/luxury-goods" in page.text
        counts = dict(re.findall(r'>(un-dprk/[a-z-]+)</a> <span class="count">(\d+)', page.text))
        assert counts == {"un-dprk/vehicles": "1", "un-dprk/luxury-goods": "1", "un-dprk/arms": "1"}
        arms = c.get("/", params={"category": "un-dprk/arms"}).text
        assert "shells" in arms and "a yacht" not in arms
        assert "a yacht" not in c.get("/", params={"review": "confirmed"}).text
        assert c.get("/", params={"since": "last week"}).status_code == 422


def test_security_headers_on_every_page(db: str):
    with client(db) as c:
        for path in ("/", "/v1/flags", "/login", "/static/app.css", "/nowhere"):
            headers = c.get(path).headers
            csp = headers["content-security-policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["x-frame-options"] == "DENY"


def test_hostile_text_is_escaped_and_never_linked(db: str):
    with client(db) as c:
        inbox = c.get("/").text
        assert HOSTILE_TITLE not in inbox and "&lt;script&gt;window.__pwned=1" in inbox
        key = re.search(r'/flags/([0-9a-f]{32})">un-dprk/vehicles', inbox).group(1)
        page = c.get(f"/flags/{key}").text
    assert "<script>" not in page.replace('<script src="/static/app.js" defer></script>', "")
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", page)  # no event handler attribute at all
    assert 'href="javascript:' not in page and "javascript:alert(document.cookie)" in page
    assert "(not linked: not an http(s) URL)" in page
    assert "\u241b[31mred" in page  # ESC shown as ␛
    assert "[U+202E]evil" in page  # a bidi override shown, not obeyed
    assert "&lt;b onmouseover=alert(1)&gt;bold&lt;/b&gt;" in page


def test_the_article_view_marks_each_evidence_span_at_its_offsets(db: str):
    with client(db) as c:
        key = c.get("/v1/flags", params={"text": "shells"}).json()["items"][0]["key"]
        page = c.get(f"/flags/{key}").text
        article = c.get(f"/v1/articles/{c.get(f'/v1/flags/{key}').json()['article']['key']}").json()
    span = article["report"]["flags"][0]["evidence"][0]
    body = page.split('<div class="article-text" lang="en">', 1)[1].split("</div>", 1)[0]
    marked = re.findall(r'<mark class="evidence current"[^>]*>(.*?)</mark>', body, re.S)
    text = "".join(unescape(re.sub(r"<[^>]+>", "", m)) for m in marked)
    assert text == article["text"][span["start"]:span["end"]]
    assert f'id="ev-{key}-0"' in page and f'href="#ev-{key}-0"' in page
    assert "UNSCR 2397 (2017) para 7" in page
    assert 'id="review-' in page


def test_review_form_and_history_on_the_page(db: str):
    with client(db) as c:
        key = c.get("/v1/flags", params={"text": "yacht"}).json()["items"][0]["key"]
        c.post("/login", data={"token": ALICE}, headers=SAME_ORIGIN)
        page = c.get(f"/flags/{key}").text
        assert 'action="/flags/' in page and "Signed in as <strong>alice</strong>" in page
        done = c.post(f"/flags/{key}/review", data={"action": "dismiss", "reason": "duplicate",
                                                    "note": "same as the March report"},
                      headers=SAME_ORIGIN)
        assert done.status_code == 200 and "Review recorded: dismiss." in done.text
        assert ("alice</strong>: dismiss (Duplicate of another flag): "
                "<q>same as the March report</q>") in done.text
        missing_reason = c.post(f"/flags/{key}/review", data={"action": "dismiss"}, headers=SAME_ORIGIN)
        assert missing_reason.status_code == 422 and "needs a reason" in missing_reason.text
        assert "a yacht" in c.get("/", params={"review": "dismissed"}).text
        audit = c.get("/reviews").text
        assert "same as the March report" in audit and f'href="/flags/{key}"' in audit


def test_error_pages_and_reference_pages(db: str):
    with client(db) as c:
        missing = c.get("/flags/nope")
        assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text
        assert c.get("/articles/nope").status_code == 404
        kb = c.get("/kb/country/PRK")
        assert kb.status_code == 200 and "Democratic People" in kb.text
        assert c.get("/kb/country/XXX").status_code == 404
        screen = c.get("/screen", params={"name": "Kim Jong Un"})
        assert "no sanctions lists are installed" in screen.text
        assert c.get("/static/app.js").headers["content-type"].startswith("text/javascript")


def test_highlight_keeps_offsets_with_overlaps_and_bad_spans():
    text = "Ann met Bob in Oslo.\nThen\x07left."
    flags = [{"key": "f1", "category": "c", "evidence": [{"start": 0, "end": 19}]},
             {"key": "f2", "category": "c", "evidence": [{"start": 8, "end": 11}, {"start": 5, "end": 400}]}]
    entities = [{"text": "Oslo", "start": 15, "end": 19, "kind": "place", "kb_id": "place/oslo"},
                {"text": "Ann", "start": 0, "end": 3, "kind": "date"}]
    html = str(highlighted(text, marks_for(text, flags, entities, focus="f2")))
    assert unescape(re.sub(r"<[^>]+>", "", html)) == visible(text)
    assert '<mark class="evidence current" title="c"><a class="entity"' not in html
    assert re.search(r'<mark class="evidence current"[^>]*>Bob</mark>', html)
    assert '<a class="entity" href="/kb/place/oslo"' in html
    assert "\u2407" in html  # BEL as ␇
    assert html.count('class="anchor"') == 2  # f1-0 and f2-0; the span past the end is left out


def test_visible_keeps_length_for_control_characters():
    text = "a\x1bb\x7fc\x85d\te\nf"
    assert visible(text) == "a\u241bb\u2421c\ufffdd\te\nf"
    assert len(visible(text)) == len(text)

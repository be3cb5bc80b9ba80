"""The dashboard as an analyst uses it, in headless Chromium (Debian's /usr/bin/chromium driven
by Playwright; no browser is downloaded): sign in, open a flag, see its evidence highlighted,
confirm it, reload, dismiss another with a reason; hostile articles run no script.

With SANCTIONWATCH_SCREENSHOTS=DIR set, the pages are also saved there as PNGs (the README's
screenshots: `SANCTIONWATCH_SCREENSHOTS=docs/screenshots pytest tests/test_web_browser.py`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.analysis.incidents import update_incidents
from sanctionwatch.model import Article
from sanctionwatch.store import Store, article_key, article_rows
from sanctionwatch.web.app import create_app
from sanctionwatch.web.settings import Settings

from .web_helpers import ALICE, TOKENS, LiveServer

CHROMIUM = "/usr/bin/chromium"
# The launch flags this machine needs: no sandbox as root, and no background connections
# (the network is closed; Chromium would try Google's hosts at every start).
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("SANCTIONWATCH_SCREENSHOTS")
# Form controls a screen reader could not name: no <label> and no aria-label.
UNLABELLED = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')).filter(e =>
    !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
    && !(e.tagName === 'BUTTON' && e.innerText.trim())).map(e => e.outerHTML)"""

ARTICLES = [
    Article(id="limousines", title="Customs records show limousines shipped to Nampo",
            url="https://news.example/limousines", published="2024-04-02",
            text="A Russian company shipped 40 Mercedes-Benz limousines to North Korea in March "
                 "2024, according to customs records seen by reporters. The cars were unloaded "
                 "at Nampo on 12 March 2024, and port officials declined to comment."),
    Article(id="shells", title="Shells crossed the border by rail, Seoul says",
            url="https://news.example/shells", published="2024-02-10",
            text="North Korea delivered artillery shells to Russia by rail in January 2024, "
                 "officials in Seoul said, citing satellite images of the border crossing at "
                 "Tumangang."),
    # Events without a flag (a visit, a treaty) and two more flags, for the relations timeline.
    Article(id="visit", title="Foreign minister's visit to Pyongyang", published="2024-01-19",
            url="https://news.example/visit",
            text="Russian Foreign Minister Sergei Lavrov visited Pyongyang on 18 January 2024 "
                 "and met Kim Jong Un, state media reported. The two sides discussed closer "
                 "cooperation."),
    Article(id="diesel", title="Tanker unloads diesel at Nampo", published="2024-04-20",
            url="https://news.example/diesel",
            text="A Russian tanker delivered 5,000 tonnes of diesel to North Korea at Nampo in "
                 "April 2024, a monitoring group said, citing ship-tracking data."),
    Article(id="treaty", title="Leaders sign partnership treaty", published="2024-06-20",
            url="https://news.example/treaty",
            text="Vladimir Putin and Kim Jong Un signed a treaty on comprehensive strategic "
                 "partnership in Pyongyang on 19 June 2024, the Kremlin said."),
    Article(id="workers", title="Workers arrive for building sites", published="2024-05-12",
            url="https://news.example/workers",
            text="About 1,000 North Korean workers arrived in Vladivostok in May 2024 to work "
                 "on construction sites, Russian officials said."),
]
HOSTILE = Article(
    id="hostile",
    title='<script>alert("title")</script><img src=x onerror="window.__pwned=1">',
    url="javascript:alert(document.domain)", published="2024-03-05",
    text=("<script>window.__pwned = 'text'; alert('text')</script> <img src=x "
          "onerror=\"alert('img')\"> <a href=\"javascript:alert('link')\">click</a> "
          "<iframe src=\"javascript:alert('frame')\"></iframe> \x1b[31mANSI red\x1b[0m "
          "<b>rich</b> <svg onload=alert('svg')></svg>\n\n"
          "A Chinese firm shipped a luxury yacht to North Korea in May 2024, the monitors said."),
)


@pytest.fixture(scope="module")
def site(analyzer, tmp_path_factory) -> Iterator[LiveServer]:
    db = str(tmp_path_factory.mktemp("browser") / "dash.db")
    with Store.open(db) as store:
        rows = []
        for article in [*ARTICLES, HOSTILE]:
            report = analyzer.analyze(article)
            rows.append(article_rows(article_key(article.text, article.url), report.article, report))
        store.save(rows)
        update_incidents(store)  # as ingest does after each batch
    app = create_app(Settings(db=db, tokens=TOKENS), analyzer=lambda: analyzer, screener=lambda: None)
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):  # CI installs it (.ci/run): missing there is a failure
            pytest.fail(f"{CHROMIUM} is not installed")
        pytest.skip(f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, site):
    """A fresh browser context (its own cookies) with a page that records dialogs and console
    messages: a script the page should not run shows up in one or the other."""
    with tempfile.TemporaryDirectory():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.dialogs, tab.messages = [], []
        tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        tab.on("console", lambda m: tab.messages.append(f"{m.type}: {m.text}"))
        tab.on("pageerror", lambda e: tab.messages.append(f"pageerror: {e}"))
        yield tab
        context.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _sign_in(page, site: LiveServer) -> None:
    page.goto(site.url("/login"))
    page.get_by_label("Your access token").fill(ALICE)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url("/"))


def _open_flag(page, title: str, category: str) -> None:
    row = page.locator("tr", has_text=title).filter(has_text=category).first
    row.get_by_role("link").click()
    page.wait_for_url("**/flags/*")


def test_confirm_a_flag_then_dismiss_another(page, site: LiveServer):
    _sign_in(page, site)
    page.goto(site.url("/"))
    assert page.get_by_role("heading", name="Inbox").is_visible()
    assert page.evaluate(UNLABELLED) == []
    _shot(page, "inbox")

    _open_flag(page, "limousines shipped to Nampo", "un-dprk/luxury-goods")
    marks = page.locator(".article-text mark.evidence.current")
    assert marks.count() >= 1 and marks.first.is_visible()
    marked = "".join(marks.all_inner_texts())
    assert "shipped 40 Mercedes-Benz limousines to North Korea" in marked
    assert page.evaluate(UNLABELLED) == []
    _shot(page, "article")

    card = page.locator("section.flag.focused")
    card.get_by_role("radio", name="Confirm").check()
    card.get_by_label("Note", exact=True).fill("Matches the customs filing.")
    card.get_by_role("button", name="Record review").click()
    assert page.get_by_role("status").inner_text() == "Review recorded: confirm."
    page.reload()
    card = page.locator("section.flag.focused")
    assert card.locator(".badge").first.inner_text() == "confirmed"
    assert "alice: confirm: Matches the customs filing." in card.locator(".history").inner_text()

    page.goto(site.url("/"))
    _open_flag(page, "Shells crossed the border", "un-dprk/arms")
    card = page.locator("section.flag.focused")
    card.get_by_role("radio", name="Dismiss").check()
    card.get_by_label("Reason (to dismiss)").select_option("not-credible")
    card.get_by_role("button", name="Record review").click()
    assert page.locator("section.flag.focused .badge").first.inner_text() == "dismissed"

    page.goto(site.url("/?review=dismissed"))
    rows = page.locator("table.flags tbody tr")
    assert rows.count() == 1 and "Shells crossed the border" in rows.first.inner_text()
    page.goto(site.url("/?review=confirmed"))
    assert "limousines shipped to Nampo" in page.locator("table.flags").inner_text()
    assert page.dialogs == []


def test_merge_two_incidents(page, site: LiveServer):
    _sign_in(page, site)
    page.goto(site.url("/incidents"))
    assert page.evaluate(UNLABELLED) == []
    rows = page.locator("tbody tr")
    assert rows.count() >= 3
    limousines = rows.filter(has_text="RUS → PRK").filter(has_text="luxury-goods").first
    shells = rows.filter(has_text="PRK → RUS").filter(has_text="un-dprk/arms").first
    limousines.get_by_role("checkbox").check()
    shells.get_by_role("checkbox").check()
    page.get_by_role("button", name="Merge selected incidents").click()
    page.wait_for_url("**/incidents/*?done=merged")
    reports = page.locator("ol.timeline > li")
    assert reports.count() == 2
    text = page.locator("ol.timeline").inner_text()
    assert "Shells crossed the border by rail" in text and "limousines shipped to Nampo" in text
    assert text.index("Shells crossed") < text.index("limousines shipped")  # in publication order
    assert "alice: merge" in page.locator("#review ol.history").inner_text()
    page.goto(site.url("/relations?a=RUS&b=PRK&by=month&from=2024-01&to=2024-06"))
    assert page.locator("svg.chart").is_visible()
    _shot(page, "relations")


def test_keyboard_moves_through_the_inbox(page, site: LiveServer):
    page.goto(site.url("/"))
    page.keyboard.press("j")
    first = page.locator("table.flags a.flag-link").first
    assert first.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/flags/*")


def test_hostile_articles_run_no_script_and_show_as_written(page, site: LiveServer):
    page.goto(site.url("/"))
    assert HOSTILE.title in page.locator("table.flags").inner_text()
    _open_flag(page, HOSTILE.title, "un-dprk/luxury-goods")
    assert page.locator("h1").inner_text() == HOSTILE.title
    shown = page.locator(".article-text").inner_text()
    assert "<script>window.__pwned = 'text'; alert('text')</script>" in shown
    assert "<svg onload=alert('svg')></svg>" in shown and "\u241b[31mANSI red" in shown
    assert page.locator(".article-text script, .article-text img, .article-text iframe, "
                        ".article-text svg, .article-text b").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    for link in page.locator(".article-text a").all():  # entity links only, all on this site
        assert link.get_attribute("href").startswith("/kb/")
    page.wait_for_timeout(300)  # time for an onerror/onload to fire, were there one
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert [m for m in page.messages if "error" in m] == []

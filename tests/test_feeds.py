"""RSS and Atom feeds, from files, standard input and URLs: one article per entry."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sanctionwatch.errors import InputProblem
from sanctionwatch.model import Article
from sanctionwatch.sources import ReadOptions, read_inputs
from sanctionwatch.sources.feeds import fragment_text, read_feed

from .conftest import FIXTURES

RSS = FIXTURES / "ingest" / "harbour-news.rss"
ATOM = FIXTURES / "ingest" / "trade-notes.atom"


def _split(items) -> tuple[list[Article], list[InputProblem]]:
    items = list(items)
    return ([i for i in items if isinstance(i, Article)],
            [i for i in items if isinstance(i, InputProblem)])


def test_rss_entries_become_articles_with_their_metadata():
    articles, problems = _split(read_inputs([str(RSS)]))
    assert [a.title for a in articles] == [
        "Tanker seen unloading at Nampo",
        "Port of Rotterdam reports record container volume",
        "Ferry service resumes after storm",
    ]
    tanker = articles[0]
    assert tanker.url == "https://harbour.example/2024/03/tanker-nampo"
    assert tanker.id == "harbour-0001"
    assert tanker.published == "2024-03-05"
    # The full content wins over the short description, and paragraphs stay paragraphs.
    assert tanker.text == (
        "Satellite images taken on 2 March show a tanker moored beside the oil terminal at "
        "Nampo, North Korea.\n\nAnalysts said the vessel had switched off its transponder near "
        "the Yellow Sea & reappeared days later.")
    assert articles[1].text.startswith("The port handled more containers")
    assert "<p>" not in articles[1].text
    assert articles[2].published is None
    # The entry without any text is reported, by entry number, and skipped.
    assert [str(p) for p in problems] == [
        f"{RSS} entry 3: feed entry has no content or summary"]


def test_atom_html_title_and_content_are_read_as_text():
    articles, problems = _split(read_inputs([str(ATOM)]))
    assert problems == []
    seized, grain = articles
    assert seized.title == "Customs seize luxury cars bound for Dandong"
    assert seized.text == ("Customs officers in Busan opened two containers declared as used "
                           "machinery.\n\nthree sedans\n\none armoured limousine")
    assert seized.url == "https://trade.example/notes/1"
    assert seized.published == "2024-05-09"
    assert grain.text == "Wheat and maize futures closed the week almost unchanged."


def test_a_malformed_feed_is_reported_and_what_can_be_read_is_kept(tmp_path: Path):
    broken = RSS.read_bytes().replace(b"</item>\n    <item>\n      <title>Port", b"<item><title>Port", 1)
    path = tmp_path / "broken.rss"
    path.write_bytes(broken)
    articles, problems = _split(read_inputs([str(path)]))
    assert str(problems[0]).startswith(f"{path}: malformed feed, read leniently: mismatched tag")
    assert [a.id for a in articles] == ["harbour-0001", "harbour-0002", "harbour-0004"]


def test_xml_that_is_not_a_feed_is_read_as_a_page(tmp_path: Path):
    page = tmp_path / "page.xml"
    body = " ".join(["The harbour master said the quay would reopen after repairs."] * 12)
    page.write_text('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
                    f"<title>Quay repairs</title></head><body><article><p>{body}</p>"
                    "</article></body></html>", encoding="utf-8")
    articles, problems = _split(read_inputs([str(page)]))
    assert problems == []
    assert articles[0].text.startswith("The harbour master said")


def test_a_feed_file_that_is_not_xml_is_one_problem(tmp_path: Path):
    path = tmp_path / "news.rss"
    path.write_bytes(b"<rss version='2.0'>\x00\x01\x02 not xml at all")
    articles, problems = _split(read_inputs([str(path)]))
    assert articles == []
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{path}: not a readable feed: not well-formed")


def test_a_feed_on_standard_input_is_sniffed(monkeypatch: pytest.MonkeyPatch):
    class Stdin:
        buffer = io.BufferedReader(io.BytesIO(ATOM.read_bytes()))

    monkeypatch.setattr("sys.stdin", Stdin)
    articles, problems = _split(read_inputs(["-"]))
    assert len(articles) == 2 and problems == []


def test_fragment_text_drops_scripts_and_keeps_list_items_apart():
    html = "<div><script>alert(1)</script><h2>Head</h2>Lead <b>bold</b> text<li>one</li></div>"
    assert fragment_text(html) == "Head\n\nLead bold text\n\none"
    assert fragment_text("") == ""


def test_read_feed_reads_one_stream_without_touching_the_network_or_disk():
    # feedparser takes a str for a URL or a file name; the reader never hands it one.
    data = b"<rss version='2.0'><channel><item><title>x</title><description>/etc/passwd" \
           b"</description></item></channel></rss>"
    articles, _ = _split(read_feed(io.BytesIO(data), "t.rss", ReadOptions()))
    assert articles[0].text == "/etc/passwd"


class _FeedServer(BaseHTTPRequestHandler):
    routes = {"/feed.rss": (200, RSS.read_bytes()),
              "/page.html": (200, b"<html><body><p>Not a feed.</p></body></html>")}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        status, body = self.routes.get(self.path, (404, b"missing"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FeedServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_feed_url_is_fetched_and_read(server: str):
    articles, problems = _split(read_inputs([f"{server}/feed.rss"]))
    assert len(articles) == 3
    assert articles[0].origin == f"{server}/feed.rss entry 1"
    assert [str(p) for p in problems] == [
        f"{server}/feed.rss entry 3: feed entry has no content or summary"]


@pytest.mark.parametrize(("path", "message"), [
    ("/missing.rss", "cannot fetch the feed: HTTP 404 Not Found"),
    ("/page.html", "not an RSS or Atom feed (a feed is the only kind of URL read)"),
])
def test_a_url_that_gives_no_feed_is_one_problem(server: str, path: str, message: str):
    articles, problems = _split(read_inputs([server + path]))
    assert articles == []
    assert [str(p) for p in problems] == [f"{server}{path}: {message}"]


def test_an_unreachable_feed_url_is_one_problem():
    with ThreadingHTTPServer(("127.0.0.1", 0), _FeedServer) as httpd:
        port = httpd.server_address[1]  # bound, then closed: nothing listens there
    articles, problems = _split(read_inputs([f"http://127.0.0.1:{port}/feed.rss"]))
    assert articles == []
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"http://127.0.0.1:{port}/feed.rss: cannot fetch the feed")

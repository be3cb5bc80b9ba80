"""An article from a web page fetched by URL (the service's `POST /v1/scan {"url": …}`)."""

from __future__ import annotations

from ..errors import InputProblem
from ..model import Article
from .decode import DecodeError, decode_text
from .readers import ReadOptions, _article, html_article

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")


def page_article(url: str, content: bytes, content_type: str,
                 options: ReadOptions) -> Article | InputProblem:
    """The main text and metadata of an HTML page (trafilatura), or a plain-text document."""
    if content_type not in HTML_TYPES + TEXT_TYPES:
        return InputProblem(url, f"not a page or text document ({content_type or 'no type'})")
    try:
        text = decode_text(content)
    except DecodeError as exc:
        return InputProblem(url, str(exc))
    if content_type in HTML_TYPES:
        return html_article(text, url, options, url=url)
    return _article(text, url, options, url=url)

"""Analysing an article given in the request, or fetched from a URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Response
from starlette.concurrency import run_in_threadpool

from ...errors import InputProblem
from ...model import Article
from ...sources import ReadOptions
from ...sources.pages import page_article
from ...store import article_key, article_rows
from ..access import Writer
from ..schemas import Report, ScanRequest
from ..services import Services, services
from .common import iso_date, responses

router = APIRouter(prefix="/v1", tags=["scan"])


@router.post("/scan", summary="Analyse an article", response_model=Report,
             response_model_by_alias=True, responses=responses(400, 401, 403, 413, 422, 502, 503))
async def scan(who: Writer, svc: Annotated[Services, Depends(services)], body: ScanRequest,
               response: Response) -> dict[str, Any]:
    """The report (`sanctionwatch.report/1`) of an article given as JSON, or of the page at a
    URL (fetched and its main text extracted: public http(s) addresses only, within size and
    time limits). With `store: true` the article and its report are saved too; `Location`
    then names the stored article."""
    if (body.article is None) == (body.url is None):
        raise HTTPException(422, "give either an article or a url")
    limit = svc.settings.max_chars
    if body.article is not None:
        given = body.article
        if len(given.text) > limit:
            raise HTTPException(413, f"the article is {len(given.text):,} characters, over the "
                                     f"limit of {limit:,}")
        article = Article(text=given.text, id=given.id, url=given.url, title=given.title,
                          published=iso_date(given.published, "published"), origin="api")
    else:
        article = await run_in_threadpool(_fetch_article, svc, body.url or "", limit)
    report = await svc.analysis.analyze(article)
    if body.store:
        key = article_key(article.text, article.url)
        rows = article_rows(key, report.article, report)
        await run_in_threadpool(svc.store.save, [rows])  # type: ignore[union-attr]
        response.headers["Location"] = f"/v1/articles/{key}"
    return report.to_dict()


def _fetch_article(svc: Services, url: str, limit: int) -> Article:
    fetched = svc.fetcher.get(url)
    # The size is checked here, to answer 413 as for an article given in the request.
    item = page_article(fetched.url, fetched.content, fetched.content_type,
                        ReadOptions(max_chars=len(fetched.content) + 1))
    if isinstance(item, InputProblem):
        raise HTTPException(422, str(item))
    if len(item.text) > limit:
        raise HTTPException(413, f"the article at the URL is {len(item.text):,} characters, "
                                 f"over the limit of {limit:,}")
    return item

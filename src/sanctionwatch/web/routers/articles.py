"""Stored articles: the text and the report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path

from ...store import Store
from ..access import Reader
from ..schemas import StoredArticle
from ..services import store
from .common import responses

router = APIRouter(prefix="/v1", tags=["articles"])


@router.get("/articles/{key}", summary="A stored article and its report",
            response_model=StoredArticle, response_model_by_alias=True,
            responses=responses(401, 404))
def get_article(
    _: Reader, db: Annotated[Store, Depends(store)],
    key: Annotated[str, Path(description="The article's key (`article.key` of a flag)")],
) -> StoredArticle:
    """The text as stored (evidence offsets index it) and the report found in it."""
    report = db.report(key)
    if report is None:
        raise HTTPException(404, "no stored article has this key")
    return StoredArticle(key=key, text=report.article.text, origin=report.article.origin,
                         report=report.to_dict())

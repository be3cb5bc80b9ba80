"""The API's request and response bodies, as the OpenAPI document describes them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..store.reviews import DISMISS_REASONS


class Problem(BaseModel):
    detail: str = Field(description="What went wrong, in one sentence.")


class Party(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-3")


class Span(BaseModel):
    start: int = Field(description="Offset into the article text (Python string index)")
    end: int
    text: str


class ArticleMeta(BaseModel):
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None


class StoredArticleMeta(ArticleMeta):
    key: str = Field(description="The article's key in the store (GET /v1/articles/{key})")


class ReviewState(BaseModel):
    state: Literal["confirmed", "dismissed", "needs-checking"]
    reason: str | None = Field(None, description="Why it was dismissed (a reason id)")
    who: str
    at: str = Field(description="When, ISO 8601 UTC")


class Flag(BaseModel):
    """A potential breach, as in the report (`sanctionwatch.report/1`), plus where it is stored."""

    model_config = ConfigDict(extra="allow")
    key: str = Field(description="Stable across re-analysis; what reviews refer to")
    category: str
    regime: str
    rule_id: str
    citations: list[str]
    supplier: Party | None = None
    recipient: Party | None = None
    goods: dict[str, Any] | None = None
    activity: str | None = None
    event_date: str | None = None
    confidence: float
    evidence: list[Span]
    why: str
    day: str | None = Field(None, description="The event date, else the publication date")
    article: StoredArticleMeta
    review: ReviewState | None = Field(None, description="The current review; null: unreviewed")


class FlagPage(BaseModel):
    items: list[Flag]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page")


class CategoryCount(BaseModel):
    category: str
    flags: int


class Review(BaseModel):
    id: int
    subject_kind: Literal["flag", "incident"]
    subject: str
    action: str
    state: str | None
    reason: str | None
    note: str | None
    who: str
    at: str
    detail: dict[str, Any] | None = None


class FlagDetail(Flag):
    history: list[Review] = Field(description="Every review action on this flag, oldest first")


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["confirm", "dismiss", "needs-checking", "note"]
    reason: str | None = Field(
        None, description="Required to dismiss; one of: " + ", ".join(DISMISS_REASONS))
    note: str | None = Field(None, max_length=4000)


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The article text")
    id: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=2048)
    title: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, description="YYYY-MM-DD; anchors dates without a year")


class ScanRequest(BaseModel):
    """Either an article, or a URL to fetch and extract the article from."""

    model_config = ConfigDict(extra="forbid")
    article: ArticleIn | None = None
    url: str | None = Field(None, max_length=2048, description="An http(s) URL on the public "
                            "internet: the page is fetched and its main text extracted")
    store: bool = Field(False, description="Also save the article and its report in the store")


class Report(BaseModel):
    """`sanctionwatch.report/1`; its JSON Schema ships in the package
    (`schemas/report-1.schema.json`)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    schema_: Literal["sanctionwatch.report/1"] = Field(alias="schema")
    article: ArticleMeta
    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    screening: list[dict[str, Any]]
    versions: dict[str, str]


class StoredArticle(BaseModel):
    key: str
    text: str
    origin: str | None = None
    report: Report


class ScreeningHit(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    list: str
    entry_id: str
    matched_name: str
    score: float
    schema_: str | None = Field(None, alias="schema")
    programs: list[str] = []
    reasons: list[str] = []


class ScreenResult(BaseModel):
    name: str
    hits: list[ScreeningHit]


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    ready: bool
    store: str
    model: str
    lists: str

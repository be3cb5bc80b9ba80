"""Screening a name against the installed sanctions lists."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from ..access import Reader
from ..schemas import ScreenResult
from ..services import Services, services
from .common import responses

router = APIRouter(prefix="/v1", tags=["screening"])


@router.get("/screen", summary="Screen a name against the sanctions lists",
            response_model=ScreenResult, response_model_by_alias=True,
            responses=responses(401, 422, 503))
def screen(
    _: Reader,
    svc: Annotated[Services, Depends(services)],
    name: Annotated[str, Query(min_length=1, max_length=300, description="The name as written")],
    kind: Annotated[Literal["person", "organization", "vessel"] | None, Query(
        alias="type", description="What the name denotes, if known")] = None,
    country: Annotated[str | None, Query(max_length=60, description=(
        "A country the party is tied to (PRK, KP or a name): raises or lowers the score"))] = None,
    birth_year: Annotated[int | None, Query(ge=1800, le=2100)] = None,
    imo: Annotated[str | None, Query(max_length=20, description="A vessel's IMO number")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> ScreenResult:
    """Listed entries this name may denote, best first, at or above the screening threshold,
    each with the list, the entry id, the listed name, the score and the reasons for it."""
    hits = svc.screening.screen(name, schema=kind, country=country, birth_year=birth_year,
                                imo=imo, limit=limit)
    return ScreenResult(name=name, hits=[asdict(h) for h in hits])

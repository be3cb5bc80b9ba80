"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from ..schemas import Health, Readiness
from ..services import Services, services

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process answers", response_model=Health)
def healthz() -> Health:
    """Always 200 while the process runs, even before the model has loaded."""
    return Health(status="ok")


@router.get("/readyz", summary="Ready to serve: store open, model loaded", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Not ready yet"}})
def readyz(svc: Annotated[Services, Depends(services)]) -> JSONResponse:
    """200 once the store is open and the analysis model has loaded in this worker, 503 before
    (or when loading failed). `lists` says whether sanctions lists are installed: screening
    needs them, the rest does not."""
    state = svc.readiness()
    return JSONResponse(state, status_code=200 if state["ready"] else 503)

"""/api/v1: JSON for scripts, with an OpenAPI document at /api/v1/openapi.json. Authentication by API token
(`Authorization: Bearer …`) or, from the application's own pages, the session cookie plus `X-CSRF-Token`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ..accounts import User
from ..deps import api_user
from . import jobs, reports

router = APIRouter()


class Me(BaseModel):
    id: int
    name: str
    role: str
    region_code: str | None
    body_id: int | None


@router.get("/me", response_model=Me, tags=["account"])
def me(user: Annotated[User, Depends(api_user)]) -> Me:
    """The account the token or session belongs to."""
    return Me(id=user.id, name=user.name, role=user.role, region_code=user.region_code, body_id=user.body_id)


router.include_router(reports.router)
router.include_router(jobs.router)

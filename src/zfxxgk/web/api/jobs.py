"""(placeholder: filled in by the jobs part of the API)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

"""(placeholder: filled in by the reports part of the API)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

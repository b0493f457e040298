"""(placeholder: filled in by the uploads part of the web application)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)

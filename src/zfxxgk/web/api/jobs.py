"""/api/v1/uploads and /api/v1/jobs: upload files (multipart, field `files`, repeated; zips opened) and follow
their jobs. A user sees their own jobs (an admin all); anyone else's job is 404."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from ...report import Problem
from ..access import not_found
from ..accounts import User
from ..deps import DbId, api_user, api_writer, engine, lang
from ..jobs import error_message, jobs_for, submit
from ..uploads import UploadRefused, content_length_guard, receive, refusal

router = APIRouter(tags=["jobs"])


class JobError(BaseModel):
    code: str
    args: dict[str, Any]


class JobOut(BaseModel):
    """One uploaded file's job; `report_id` and the counts only when the report is the user's to see."""

    id: int
    batch: str
    name: str
    size: int
    state: str  # queued, running, done, failed
    state_text: str
    attempts: int
    outcome: str | None  # new, revision, duplicate, unreadable, reassigned (as `zfxxgk ingest`)
    outcome_text: str | None
    report_id: int | None
    errors: int | None
    warnings: int | None
    error: JobError | None  # why it failed
    message: str | None  # the failure (or an unreadable file's problem) in words
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class UploadOut(BaseModel):
    batch: str
    jobs: list[JobOut]


def job_out(row: dict[str, Any], language: str) -> JobOut:
    """A row of jobs.jobs_for as the API and the pages show it."""
    from ...i18n import t

    visible = row.get("visible_report") is not None
    message = error_message(row["error"], language)
    if message is None and visible and row.get("problem"):
        problem = row["problem"]
        message = Problem(problem.get("code", ""), problem.get("args") or {}).message(language)
    return JobOut(
        id=row["id"], batch=row["batch"], name=row["name"], size=row["size"], state=row["state"],
        state_text=t(f"web.state.{row['state']}", language), attempts=row["attempts"], outcome=row["outcome"],
        outcome_text=t(f"web.outcome.{row['outcome']}", language) if row["outcome"] else None,
        report_id=row["report_id"] if visible else None, errors=row["errors"] if visible else None,
        warnings=row["warnings"] if visible else None,
        error=JobError(code=row["error"]["code"], args=row["error"].get("args") or {}) if row["error"] else None,
        message=message, created_at=row["created_at"], started_at=row["started_at"], finished_at=row["finished_at"])


@router.post("/uploads", response_model=UploadOut, status_code=201,
             dependencies=[Depends(content_length_guard)],
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["files"], "properties": {"files": {
                     "type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
async def upload(request: Request, user: Annotated[User, Depends(api_writer)]) -> UploadOut:
    """Queue the files (and every member of the zip archives among them); a too large upload or a zip bomb is
    refused whole (413), an empty or too large file fails its own job with the reason."""
    from starlette.concurrency import run_in_threadpool

    try:
        got = await receive(request)
    except UploadRefused as exc:
        raise refusal(request, exc) from None
    batch = await run_in_threadpool(submit, engine(request), request.app.state.jobs, user, got.files, got.refused)
    language = lang(request)
    rows = await run_in_threadpool(jobs_for, engine(request), user, batch=batch)
    return UploadOut(batch=batch, jobs=[job_out(r, language) for r in rows])


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(request: Request, user: Annotated[User, Depends(api_user)],
              batch: Annotated[str | None, Query(max_length=32)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[JobOut]:
    """The user's jobs, newest first (of one upload with `batch`, in upload order)."""
    language = lang(request)
    rows = jobs_for(engine(request), user, batch=batch, newest_first=batch is None, limit=limit)
    return [job_out(r, language) for r in rows]


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(request: Request, job_id: DbId, user: Annotated[User, Depends(api_user)]) -> JobOut:
    rows = jobs_for(engine(request), user, job_id=job_id)
    if not rows:
        raise not_found()
    return job_out(rows[0], lang(request))

"""Upload pages: the form (POST → 303 to the batch's page), my uploads, and one upload's files with their
progress and results (static/jobs.js polls /api/v1/jobs until every file is finished)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...i18n import t
from ..access import not_found
from ..accounts import User
from ..api.jobs import job_out
from ..deps import engine, lang, page_user, render, settings, writer
from ..jobs import batches_for, jobs_for, submit
from ..uploads import UploadRefused, content_length_guard, megabytes, receive

router = APIRouter(include_in_schema=False)


def _form(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    s = settings(request)
    limits = {"limit": megabytes(s.max_upload), "files": s.max_files, "file_limit": megabytes(s.max_file)}
    return render(request, "upload.html", {"error": error, "limits": limits}, status_code=status_code)


@router.get("/upload")
def upload_form(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    return _form(request)


@router.post("/upload", dependencies=[Depends(content_length_guard)])
async def upload(request: Request, user: Annotated[User, Depends(writer)]) -> Response:
    try:
        got = await receive(request)
    except UploadRefused as exc:
        return _form(request, t(exc.key, lang(request), **exc.args_), status_code=exc.status)
    batch = await run_in_threadpool(submit, engine(request), request.app.state.jobs, user, got.files, got.refused)
    return RedirectResponse(f"/jobs/{batch}", status_code=303)


@router.get("/jobs")
def jobs_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    return render(request, "jobs.html", {"batches": batches_for(engine(request), user)})


@router.get("/jobs/{batch}")
def job_page(request: Request, batch: str, user: Annotated[User, Depends(page_user)]) -> Response:
    language = lang(request)
    rows = [job_out(r, language) for r in jobs_for(engine(request), user, batch=batch)]
    if not rows:
        raise not_found()
    finished = sum(1 for r in rows if r.state in ("done", "failed"))
    return render(request, "job.html", {"batch": batch, "jobs": rows, "finished": finished, "total": len(rows)})

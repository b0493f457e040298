"""Writing a report in the browser: the drafts of a body, the form, the live check, save, submit, .docx.

A draft belongs to a body and a year (web/drafts.py holds the logic). The body is the submitter's own; an
admin (or a reviewer, read-only) names one with `?body=ID`, and a body outside what the user may see is
"not found", like every other object of the application.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from ...i18n import t
from ...report import Report
from ...store.schema import bodies, drafts, reports
from ...templates import FORMATS, cell_name
from .. import drafts as logic
from ..access import bodies_of, not_found
from ..accounts import User
from ..deps import YearPath, YearQuery, attachment, engine, lang, page_user, render, store, writer

router = APIRouter(include_in_schema=False)

BodyParam = Annotated[int | None, Query(alias="body")]


class DraftInput(BaseModel):
    """What the page sends to be checked: each section's text by number, each cell's text by id."""

    sections: dict[str, str | None] = Field(default_factory=dict)
    cells: dict[str, str | int | float | None] = Field(default_factory=dict)


def _body(conn: Connection, user: User, body_id: int | None) -> Any:
    """The draft's body (id, name): the submitter's own, or one named by `?body=` that the user may see."""
    wanted = body_id if body_id is not None else user.body_id
    if wanted is None:
        raise not_found()
    row = conn.execute(select(bodies.c.id, bodies.c.name).where(bodies.c.id == wanted, bodies_of(user))).first()
    if row is None:
        raise not_found()
    return row


def _writable(user: User, body: Any) -> bool:
    """The body's own submitters write its report; an admin may too. A reviewer only looks."""
    return user.role == "admin" or (user.role == "submitter" and user.body_id == body.id)


def _for_writing(conn: Connection, user: User, body_id: int | None) -> Any:
    body = _body(conn, user, body_id)
    if not _writable(user, body):
        raise not_found()
    return body


def _year(request: Request, year: int) -> None:
    if not logic.valid_year(year):
        raise HTTPException(status_code=404, detail=t("web.draft.bad_year", lang(request), year=year,
                                                      first=logic.FIRST_YEAR, last=logic.default_year()))


def _suffix(body_id: int | None) -> str:
    return f"?body={body_id}" if body_id is not None else ""


def _last(request: Request, body_id: int, year: int) -> Report | None:
    return store(request).current(body_id, year - 1)


def _data(conn: Connection, request: Request, body: Any, year: int, last: Report | None = None
          ) -> tuple[dict[str, Any], Any]:
    """The saved draft's data, or a new one pre-filled from last year's report (`last`, when the caller has it
    already); and the saved row (or None)."""
    row = logic.load(conn, body.id, year)
    if row is not None:
        return row.data, row
    return logic.prefilled(body.name, year, last if last is not None else _last(request, body.id, year)), None


async def _form_input(request: Request, body: Any, year: int) -> dict[str, Any]:
    form = await request.form()
    sections = {str(n): str(form.get(f"s-{n}") or "") for n in logic.SECTION_NUMBERS}
    cells = {cid: str(form.get(f"c-{cid}") or "") for cid in logic.CELL_IDS}
    return logic.from_input(body.name, year, sections, cells)


# ------------------------------------------------------------------ pages
@router.get("/drafts")
def drafts_page(request: Request, user: Annotated[User, Depends(page_user)], body_id: BodyParam = None,
                year: YearQuery = None) -> Response:
    with engine(request).connect() as conn:
        body = _body(conn, user, body_id)
        if year is not None:
            _year(request, year)
            return RedirectResponse(f"/drafts/{year}{_suffix(body_id)}", status_code=303)
        rows = conn.execute(
            select(drafts.c.year, drafts.c.updated_at, drafts.c.report_id, reports.c.revision)
            .select_from(drafts.outerjoin(reports, reports.c.id == drafts.c.report_id))
            .where(drafts.c.body_id == body.id).order_by(drafts.c.year.desc())).mappings().all()
    years = list(range(logic.default_year(), logic.FIRST_YEAR - 1, -1))
    return render(request, "drafts.html", {"body": body, "items": [dict(r) for r in rows], "years": years,
                                           "default_year": logic.default_year(), "suffix": _suffix(body_id),
                                           "body_param": body_id})


@router.get("/drafts/{year}.docx")
def draft_docx(request: Request, year: YearPath, user: Annotated[User, Depends(page_user)],
               body_id: BodyParam = None) -> Response:
    """The official .docx of the draft as saved (or as pre-filled, before any save)."""
    _year(request, year)
    with engine(request).connect() as conn:
        body = _body(conn, user, body_id)
        data, _ = _data(conn, request, body, year)
    content = logic.as_docx(logic.build(data).report)
    name = logic.file_name(body.name, year)
    return Response(content, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers=attachment(name, f"report-{year}.docx"))


@router.get("/drafts/{year}")
def draft_page(request: Request, year: YearPath, user: Annotated[User, Depends(page_user)],
               body_id: BodyParam = None) -> Response:
    return _page(request, year, user, body_id)


def _page(request: Request, year: int, user: User, body_id: int | None, error: str | None = None,
          status_code: int = 200) -> Response:
    _year(request, year)
    language = lang(request)
    with engine(request).connect() as conn:
        body = _body(conn, user, body_id)
        last = _last(request, body.id, year)
        data, row = _data(conn, request, body, year, last)
    fresh = (data if row is None else logic.prefilled(body.name, year, last)) if last is not None else None
    # Cells showing what last year's report carries into this one (上年结转, 现行有效件数).
    carried = {cid for cid, v in (fresh or {"cells": {}})["cells"].items() if v != ""}
    fmt = FORMATS[logic.VERSION]
    sections = [{"number": s.number, "title": s.official, "text": data["sections"].get(str(s.number), ""),
                 "topics": [tp.name[language] for tp in s.topics], "table": s.table} for s in fmt.sections]
    names = {cid: cell_name(cid, logic.VERSION)[language] for cid in logic.CELL_IDS}
    return render(request, "draft.html", {
        "body": body, "year": year, "data": data, "row": row, "sections": sections,
        "grids": {g.key: g for g in logic.grids()}, "table_names": logic.table_names(language), "names": names,
        "carried": carried, "last_year": last.year if last is not None else None,
        "writable": _writable(user, body), "suffix": _suffix(body_id), "saved_at": _when(row), "error": error,
    }, status_code=status_code)


def _when(row: Any) -> str | None:
    if row is None:
        return None
    moment: datetime = row.updated_at
    return moment.strftime("%Y-%m-%d %H:%M")


# ------------------------------------------------------------------ actions
@router.post("/drafts/{year}/check")
def draft_check(request: Request, year: YearPath, payload: DraftInput, user: Annotated[User, Depends(writer)],
                body_id: BodyParam = None) -> JSONResponse:
    """The findings of the form as typed, before anything is saved (the page calls it as the user types)."""
    started = time.perf_counter()
    _year(request, year)
    with engine(request).connect() as conn:
        body = _for_writing(conn, user, body_id)
    data = logic.from_input(body.name, year, payload.sections, payload.cells)
    result = logic.check(data, _last(request, body.id, year), lang(request))
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JSONResponse(result)


@router.post("/drafts/{year}")
async def draft_save(request: Request, year: YearPath, user: Annotated[User, Depends(writer)],
                     body_id: BodyParam = None) -> Response:
    _year(request, year)

    def _save(data: dict[str, Any], body: Any) -> None:
        with engine(request).begin() as conn:
            logic.save(conn, body.id, user.id, data)

    body = await run_in_threadpool(_body_for_writing, request, user, body_id)
    data = await _form_input(request, body, year)
    await run_in_threadpool(_save, data, body)
    return RedirectResponse(f"/drafts/{year}{_suffix(body_id)}", status_code=303)


@router.post("/drafts/{year}/submit")
async def draft_submit(request: Request, year: YearPath, user: Annotated[User, Depends(writer)],
                       body_id: BodyParam = None) -> Response:
    """Save, then store the rendered report as the body's report for the year; on to its report page."""
    _year(request, year)
    body = await run_in_threadpool(_body_for_writing, request, user, body_id)
    data = await _form_input(request, body, year)
    missing = logic.unfilled(data)
    if missing:  # kept as a draft; the .docx would have to print numbers nobody wrote
        language = lang(request)

        def _save_and_show() -> Response:
            with engine(request).begin() as conn:
                logic.save(conn, body.id, user.id, data)
            names = "、".join(cell_name(cid, logic.VERSION)[language] for cid in missing[:5])
            more = "…" if len(missing) > 5 else ""
            return _page(request, year, user, body_id, t("web.draft.unfilled", language, count=len(missing),
                                                          names=names + more), 400)

        return await run_in_threadpool(_save_and_show)
    report_id = await run_in_threadpool(logic.submit, store(request), body.id, body.name, user.id, data)
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


def _body_for_writing(request: Request, user: User, body_id: int | None) -> Any:
    with engine(request).connect() as conn:
        return _for_writing(conn, user, body_id)

"""/api/v1 reports, cells, findings and review actions: the report pages' data as JSON for scripts.

The same queries as the pages (views/reports.py), so the same filters and the same access rules: another
body's report or finding is 404, a submitter's review action 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from ..accounts import User
from ..deps import DbId, YearQuery, api_user, api_writer, engine, lang
from ..views.reports import (
    MAX_COMMENT,
    MAX_PAGE,
    PER_PAGE,
    STATES,
    Filters,
    events_of,
    finding_rows,
    finding_view,
    list_reports,
    load_record,
    previous_of,
    report_row,
    review,
    revisions_of,
)

router = APIRouter(tags=["reports"])

State = Literal["unreadable", "errors", "warnings", "reviewed", "clean"]


class ReportItem(BaseModel):
    id: int
    body_id: int | None
    body: str | None = Field(description="the body's name in the store; None for a report placed nowhere")
    printed_body: str | None = Field(description="the body as the report prints it")
    region_code: str | None
    year: int | None
    revision: int
    current: bool
    version: str | None = Field(description="the report format: 2019 or 2021")
    status: str = Field(description="ok or unreadable")
    state: State = Field(description="review state, see docs/web.md")
    title: str | None
    errors: int
    warnings: int
    infos: int
    source: str = Field(description="the file's name")
    ingested_at: datetime


class ReportList(BaseModel):
    items: list[ReportItem]
    total: int
    page: int
    per_page: int
    pages: int
    states: dict[str, int] = Field(description="how many of the reports found are in each state")


class Revision(BaseModel):
    id: int
    revision: int
    current: bool


class ReportDetail(ReportItem):
    sha256: str
    format: str | None
    problem: dict[str, Any] | None = Field(description="why the file is unreadable: {code, args}")
    error: str | None = Field(description="the same in words")
    revisions: list[Revision]
    previous_report_id: int | None = Field(description="the body's current report of the year before, if visible")


class CellOut(BaseModel):
    id: str
    value: str | None = Field(description="the number exactly as a decimal string")
    raw: str | None
    kind: str
    unit: str | None
    confidence: float | None
    source: dict[str, int] | None
    box: list[float] | None = Field(description="[page, x0, top, x1, bottom] in points from the page's top-left")


class Event(BaseModel):
    id: int
    action: str
    comment: str | None
    at: datetime
    user: str


class FindingOut(BaseModel):
    id: int
    report_id: int
    code: str
    severity: str
    cells: list[str]
    args: dict[str, Any]
    source: dict[str, Any] | None
    message: str
    review: str = Field(description="open, accepted (confirmed) or dismissed")
    previous_report_id: int | None
    events: list[Event]


class ReviewIn(BaseModel):
    action: Literal["confirm", "dismiss", "reopen", "comment"]
    comment: str | None = Field(default=None, max_length=MAX_COMMENT)


class ReviewOut(BaseModel):
    finding: FindingOut
    event: Event


@router.get("/reports", response_model=ReportList)
def api_reports(request: Request, user: Annotated[User, Depends(api_user)],
                body: Annotated[str, Query(max_length=200, description="body name contains")] = "",
                year: YearQuery = None,
                region: Annotated[str, Query(max_length=40, description="region code: its whole subtree")] = "",
                state: State | None = None,
                rule: Annotated[str, Query(max_length=40, description="a finding code")] = "",
                revisions: Annotated[bool, Query(description="every revision, not only the current ones")] = False,
                page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
                per_page: Annotated[int, Query(ge=1, le=500)] = PER_PAGE) -> ReportList:
    """The reports the token's user may see, newest first, with the report list's filters."""
    f = Filters(body=body, year=year, region=region, state=state or "", rule=rule, revisions=revisions, page=page)
    with engine(request).connect() as conn:
        found = list_reports(conn, user, f, per_page)
    return ReportList.model_validate({**found, "states": {s: found["states"][s] for s in STATES}})


@router.get("/reports/{report_id}", response_model=ReportDetail)
def api_report(request: Request, report_id: DbId, user: Annotated[User, Depends(api_user)]) -> ReportDetail:
    with engine(request).connect() as conn:
        row = report_row(conn, user, report_id)
        report = load_record(conn, report_id)
        return ReportDetail.model_validate({
            **row, "error": report.error_message(lang(request)) if report.error else None,
            "revisions": revisions_of(conn, user, row), "previous_report_id": previous_of(conn, user, row)})


@router.get("/reports/{report_id}/cells", response_model=list[CellOut])
def api_cells(request: Request, report_id: DbId, user: Annotated[User, Depends(api_user)]) -> list[CellOut]:
    """Every cell as read, with where it was printed (and its box on the page for PDFs and scans)."""
    with engine(request).connect() as conn:
        report_row(conn, user, report_id)
        report = load_record(conn, report_id)
    return [CellOut(id=cid, value=None if c.value is None else str(c.value), raw=c.raw, kind=str(c.kind), unit=c.unit,
                    confidence=c.confidence, source=c.source.to_json() if c.source else None,
                    box=list(c.box) if c.box else None) for cid, c in report.cells.items()]


def _findings(conn: Any, report_id: int, language: str, version: str | None) -> list[FindingOut]:
    rows = [finding_view(f, language, version) for f in finding_rows(conn, report_id)]
    events = events_of(conn, [f["id"] for f in rows])
    return [FindingOut.model_validate({**f, "events": events[f["id"]]}) for f in rows]


@router.get("/reports/{report_id}/findings", response_model=list[FindingOut])
def api_findings(request: Request, report_id: DbId, user: Annotated[User, Depends(api_user)]) -> list[FindingOut]:
    """The report's findings with their words, review state and review history."""
    with engine(request).connect() as conn:
        row = report_row(conn, user, report_id)
        return _findings(conn, report_id, lang(request), row["version"])


@router.post("/findings/{finding_id}/review", response_model=ReviewOut)
def api_review(request: Request, finding_id: DbId, data: ReviewIn,
               user: Annotated[User, Depends(api_writer)]) -> ReviewOut:
    """Confirm, dismiss, reopen or comment on a finding (reviewers and admins); kept with who and when."""
    with engine(request).begin() as conn:
        done = review(conn, user, finding_id, data.action, data.comment, lang(request))
        report_id = done["finding"]["report_id"]
        version = report_row(conn, user, report_id)["version"]
        finding = next(f for f in _findings(conn, report_id, lang(request), version) if f.id == finding_id)
    return ReviewOut(finding=finding, event=Event.model_validate(done["event"]))

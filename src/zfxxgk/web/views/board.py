"""The year's board: every expected body of a region and where its report for the year stands.

A body is expected when it is in the region's subtree (the `bodies` table, as `regions import` or earlier
reports made it). Its state comes from its current report and the latest decision (web/decisions.py); the
"late" flag is separate: the report's printed publication date if it has one, else the first upload of the
body's report for the year, against META-DEADLINE's day (rules/structure.py `deadline_of`). The whole board is
one query (correlated subqueries on indexed columns), whatever the number of bodies.
"""

from __future__ import annotations

import functools
import io
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Connection

from ...i18n import t
from ...options import Options
from ...rules.structure import deadline_of
from ...store.schema import bodies, regions, reports
from .. import decisions
from ..access import bodies_of, not_found, region_subtree
from ..accounts import User
from ..deps import engine, lang, page_user, render, require_role, writer

router = APIRouter(include_in_schema=False)

STATES = decisions.STATES
CHINA = timezone(timedelta(hours=8))  # an upload's day is the day in China, where the deadline is
PREFIX = 1024  # compressed bytes of a record read to find its publication date (it comes before the text)
_PUBLISHED = re.compile(rb',"published":(null|"(\d{4}-\d{2}-\d{2})")')


@dataclass(slots=True)
class BoardFilters:
    """The board's query string: region and year, then the filters on its rows."""

    region: str = ""
    year: int = 0
    state: str = ""
    late: str = ""  # "yes", "no" or "" (either)
    body: str = ""

    def query(self, **change: Any) -> str:
        data = {"region": self.region, "year": self.year or "", "state": self.state, "late": self.late,
                "body": self.body}
        data.update(change)
        return urlencode({k: v for k, v in data.items() if v not in ("", None)})


def default_year(today: date | None = None) -> int:
    """In the office's January the reports due are last year's."""
    return (today or datetime.now(CHINA).date()).year - 1


def filters_from(request: Request, user: User) -> BoardFilters:
    q = request.query_params
    year = q.get("year", "").strip()
    region = q.get("region", "").strip()[:40] or (user.region_code or "" if user.role == "reviewer" else "")
    return BoardFilters(region=region, year=int(year) if year.isdigit() and 1990 < int(year) < 2200 else default_year(),
                        state=q.get("state", "") if q.get("state") in STATES else "",
                        late=q.get("late", "") if q.get("late") in ("yes", "no") else "", body=q.get("body", "")[:200])


def check_region(conn: Connection, user: User, code: str) -> Any:
    """The region's row when the user may see it (a reviewer: their subtree; an admin: any); else 404.

    "" is the whole store, for an admin only (a reviewer always has a region)."""
    if not code:
        if user.role == "admin":
            return None
        raise not_found()
    where: list[ColumnElement[bool]] = [regions.c.code == code]
    if user.role != "admin":
        if not user.region_code:
            raise not_found()
        where.append(regions.c.code.in_(region_subtree(user.region_code)))
    row = conn.execute(select(regions).where(*where)).first()
    if row is None:
        raise not_found()
    return row


def published_of(record_prefix: bytes | None) -> tuple[bool, str | None]:
    """(found, date) from the first compressed bytes of a record: the date is near the start of the JSON."""
    if not record_prefix:
        return False, None
    try:
        head = zlib.decompressobj().decompress(record_prefix)
    except zlib.error:
        return False, None
    m = _PUBLISHED.search(head)
    if m is None:
        return False, None
    return True, m.group(2).decode() if m.group(2) else None


def full_published(conn: Connection, report_id: int) -> str | None:
    blob = conn.execute(select(reports.c.record).where(reports.c.id == report_id)).scalar_one()
    value = json.loads(zlib.decompress(blob)).get("published")
    return value if isinstance(value, str) else None


@functools.lru_cache(maxsize=65536)
def _deadline(body: str, year: int, deadline: tuple[int, int]) -> date:
    return deadline_of(body, year, deadline)


def china_day(moment: datetime) -> date:
    """The day of a moment in China (a naive time from the database is UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(CHINA).date()


def late_of(body: str, year: int, published: str | date | None, uploaded: datetime | date | None,
            options: Options | None = None) -> tuple[bool, date | None, str | None, date]:
    """(late, the day compared, "published" or "uploaded", the deadline): the printed publication date when there
    is one, else the upload's day in China, against META-DEADLINE's day for the body (`uploaded` may already
    be that day)."""
    limit = _deadline(body, year, (options or Options()).deadline)
    day: date | None = None
    basis: str | None = None
    if isinstance(published, date):
        day, basis = published, "published"
    elif published:
        try:
            day, basis = date.fromisoformat(published), "published"
        except ValueError:
            day = None
    if day is None and uploaded is not None:
        day, basis = (china_day(uploaded) if isinstance(uploaded, datetime) else uploaded), "uploaded"
    return (day is not None and day > limit), day, basis, limit


def board_query(user: User, region: str, year: int) -> Any:
    """Every visible body of the region with its current report for the year (if any), its state's inputs and
    the first upload time: one row per body."""
    cur = reports.alias("cur")
    first = reports.alias("first")
    uploaded = (select(func.min(first.c.ingested_at)).where(first.c.body_id == bodies.c.id, first.c.year == year)
                .scalar_subquery())
    where: list[ColumnElement[bool]] = [bodies_of(user)]
    if region:
        where.append(bodies.c.region_code.in_(region_subtree(region)))
    return (select(bodies.c.id.label("body_id"), bodies.c.name.label("body"), bodies.c.region_code,
                   regions.c.name.label("region"), cur.c.id.label("report_id"), cur.c.revision, cur.c.status,
                   cur.c.errors, cur.c.warnings, cur.c.version,
                   decisions.decision_column(cur.c.id).label("decision"),
                   decisions.open_errors_column(cur.c.id).label("open_errors"),
                   uploaded.label("uploaded"), func.substr(cur.c.record, 1, PREFIX).label("head"))
            .select_from(bodies.outerjoin(regions, regions.c.code == bodies.c.region_code)
                         .outerjoin(cur, (cur.c.body_id == bodies.c.id) & (cur.c.year == year) & cur.c.current.is_(True)))
            .where(*where).order_by(bodies.c.region_code, bodies.c.code.is_(None), bodies.c.code, bodies.c.name,
                                    bodies.c.id))


def board_rows(conn: Connection, user: User, region: str, year: int) -> list[dict[str, Any]]:
    """The board's rows, unfiltered: body, region, report, state, late flag and the day it was judged on."""
    out: list[dict[str, Any]] = []
    for r in conn.execute(board_query(user, region, year)):
        row: dict[str, Any] = {"body_id": r.body_id, "body": r.body, "region_code": r.region_code,
                               "region": r.region, "report_id": r.report_id, "revision": r.revision,
                               "version": r.version, "errors": r.errors or 0, "warnings": r.warnings or 0,
                               "decision": r.decision}
        row["state"] = decisions.state(r.status, r.decision, int(r.open_errors or 0))
        published: str | None = None
        if r.report_id is not None:
            found, published = published_of(r.head)
            if not found:
                published = full_published(conn, r.report_id)
        late, day, basis, limit = late_of(r.body, year, published, r.uploaded if r.report_id is not None else None)
        row.update(late=late, day=day, basis=basis, deadline=limit)
        out.append(row)
    return out


def apply_filters(rows: list[dict[str, Any]], f: BoardFilters) -> tuple[list[dict[str, Any]], dict[str, int], int]:
    """(the rows shown, counts per state, late count): counts follow the body and late filters, not the state."""
    name = f.body.strip()
    kept = [r for r in rows if (not name or name in r["body"])
            and (f.late == "" or r["late"] == (f.late == "yes"))]
    counts = {s: 0 for s in STATES}
    for r in kept:
        counts[r["state"]] += 1
    late = sum(1 for r in kept if r["late"])
    shown = [r for r in kept if not f.state or r["state"] == f.state]
    return shown, counts, late


def region_choices(conn: Connection, user: User) -> list[Any]:
    """Regions above township level that hold visible bodies, or contain regions that do (for the picker)."""
    held = select(bodies.c.region_code).where(bodies_of(user)).distinct()
    rows = conn.execute(select(regions.c.code, regions.c.name, regions.c.parent_code, regions.c.level)).all()
    by_code = {r.code: r for r in rows}
    chosen: set[str] = set()
    for (code,) in conn.execute(held):
        while code is not None and code in by_code and code not in chosen:
            chosen.add(code)
            code = by_code[code].parent_code
    if user.role != "admin" and user.region_code:
        inside = {c for (c,) in conn.execute(region_subtree(user.region_code))}
        chosen &= inside
        chosen.add(user.region_code)
    return sorted((by_code[c] for c in chosen if c in by_code and by_code[c].level != "township"), key=lambda r: r.code)


def _board(request: Request, user: User) -> tuple[BoardFilters, Any, list[dict[str, Any]], dict[str, int], int, int]:
    require_role(user, "admin", "reviewer")
    f = filters_from(request, user)
    with engine(request).connect() as conn:
        region = check_region(conn, user, f.region)
        rows = board_rows(conn, user, f.region, f.year)
    shown, counts, late = apply_filters(rows, f)
    return f, region, shown, counts, late, len(rows)


@router.get("/board")
def board_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    f, region, shown, counts, late, total = _board(request, user)
    with engine(request).connect() as conn:
        choices = region_choices(conn, user)
    return render(request, "board.html", {"f": f, "region": region, "rows": shown, "counts": counts, "late": late,
                                          "total": total, "states": STATES, "choices": choices,
                                          "may_decide": user.role in ("admin", "reviewer")})


XLSX_COLUMNS = ("body", "region_code", "region", "state", "late", "day", "basis", "deadline", "report_id", "revision",
                "errors", "warnings")


@router.get("/board.xlsx")
def board_xlsx(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    """The rows the page shows (same filters), one per body, with the headings in the user's language."""
    from openpyxl import Workbook

    f, _region, shown, _counts, _late, _total = _board(request, user)
    language = lang(request)
    book = Workbook()
    sheet = book.active
    sheet.title = str(f.year)
    sheet.append([t(f"web.board.col.{c}", language) for c in XLSX_COLUMNS])
    for r in shown:
        sheet.append([r["body"], r["region_code"], r["region"], t(f"web.board.state.{r['state']}", language),
                      t("web.board.yes", language) if r["late"] else None, r["day"], _basis(r["basis"], language),
                      r["deadline"], r["report_id"], r["revision"], r["errors"] if r["report_id"] else None,
                      r["warnings"] if r["report_id"] else None])
    for column, width in zip("ABCDEFGHIJKL", (36, 12, 16, 12, 8, 12, 10, 12, 10, 8, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    data = io.BytesIO()
    book.save(data)
    name = f"board-{f.region or 'all'}-{f.year}.xlsx"
    return Response(data.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _basis(basis: str | None, language: str) -> str:
    return t(f"web.board.basis.{basis}", language) if basis else ""


@router.post("/board/decide")
def board_decide(request: Request, user: Annotated[User, Depends(writer)], report_id: Annotated[int, Form()],
                 action: Annotated[str, Form()], back: Annotated[str, Form()] = "") -> Response:
    """Pass or reopen from the board (returning needs the findings: the report page does it)."""
    if action not in ("pass", "reopen"):
        raise HTTPException(status_code=400, detail=t("web.board.bad_action", lang(request)))
    decisions.decide(engine(request), user, report_id, action)
    target = "/board?" + back if back and not back.startswith(("/", "\\")) and "://" not in back else "/board"
    return RedirectResponse(target + f"#body-report-{report_id}", status_code=303)

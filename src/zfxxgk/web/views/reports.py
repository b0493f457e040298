"""The report list, the report page (tables, source panel, findings and their review, last year beside this
year), page images and downloads. The queries and the review action live here too; api/reports.py answers
the same questions as JSON.

Every query is filtered by access.py: another body's report or finding is "not found".
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select, update
from sqlalchemy.engine import Connection

from ...document import Source
from ...i18n import t
from ...report import Finding, Report
from ...store.core import YOY_PREFIX, unpack
from ...store.schema import bodies, findings, reports, review_events, source_files, users
from ...templates import cell_name, table_name, version_for_year
from .. import blobs
from ..access import may_review, not_found, region_subtree, reports_of, visible_finding
from ..accounts import User
from ..deps import DbId, attachment, engine, file_stem, lang, page_user, render, writer

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
MAX_PAGE = 100_000
STATES = ("unreadable", "errors", "warnings", "reviewed", "clean")
ACTIONS = {"confirm": "accepted", "dismiss": "dismissed", "reopen": "open", "comment": None}
MAX_COMMENT = 2000
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


# ------------------------------------------------------------------ the list
@dataclass(slots=True)
class Filters:
    """The list's filters, from the page's query string or the API's parameters."""

    body: str = ""
    year: int | None = None
    region: str = ""
    state: str = ""
    rule: str = ""
    revisions: bool = False  # every revision, not only the current ones
    page: int = 1

    def query(self, **change: Any) -> str:
        data = {"body": self.body, "year": self.year or "", "region": self.region, "state": self.state,
                "rule": self.rule, "revisions": "all" if self.revisions else "", "page": self.page}
        data.update(change)
        return urlencode({k: v for k, v in data.items() if v not in ("", None) and not (k == "page" and v == 1)})


def _count(*where: ColumnElement[bool]) -> Any:
    return select(func.count()).select_from(findings).where(findings.c.report_id == reports.c.id, *where) \
        .correlate(reports).scalar_subquery()


def state_column() -> Any:
    """A report's review state (docs/web.md): unreadable; errors or warnings still open; every error and
    warning reviewed; clean (no error or warning at all). Info findings do not count."""
    open_errors = _count(findings.c.severity == "error", findings.c.review == "open")
    open_warnings = _count(findings.c.severity == "warning", findings.c.review == "open")
    serious = _count(findings.c.severity.in_(("error", "warning")))
    return case((reports.c.status == "unreadable", "unreadable"), (open_errors > 0, "errors"),
                (open_warnings > 0, "warnings"), (serious > 0, "reviewed"), else_="clean")


def _listing(user: User, f: Filters) -> Select[Any]:
    """The visible reports with the filters except the state, each with its state: a subquery to filter on."""
    where: list[ColumnElement[bool]] = [reports_of(user)]
    if not f.revisions:
        where.append(reports.c.current.is_(True))
    if f.body.strip():
        where.append(or_(bodies.c.name.contains(f.body.strip(), autoescape=True),
                         reports.c.printed_body.contains(f.body.strip(), autoescape=True)))
    if f.year is not None:
        where.append(reports.c.year == f.year)
    if f.region.strip():
        where.append(bodies.c.region_code.in_(region_subtree(f.region.strip())))
    if f.rule.strip():
        where.append(exists().where(findings.c.report_id == reports.c.id, findings.c.code == f.rule.strip()))
    return (select(reports.c.id, reports.c.body_id, bodies.c.name.label("body"), bodies.c.region_code,
                   reports.c.year, reports.c.revision, reports.c.current, reports.c.version, reports.c.status,
                   reports.c.title, reports.c.printed_body, reports.c.errors, reports.c.warnings, reports.c.infos,
                   reports.c.ingested_at, source_files.c.name.label("source"), state_column().label("state"))
            .select_from(reports.join(source_files, source_files.c.id == reports.c.file_id)
                         .outerjoin(bodies, bodies.c.id == reports.c.body_id))
            .where(*where))


def list_reports(conn: Connection, user: User, f: Filters, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of the list, the number found, and how many of them are in each state."""
    base = _listing(user, f).subquery()
    counts = {s: 0 for s in STATES}
    for state, n in conn.execute(select(base.c.state, func.count()).group_by(base.c.state)):
        counts[state] = n
    chosen = select(base).where(base.c.state == f.state) if f.state in STATES else select(base)
    total = counts[f.state] if f.state in STATES else sum(counts.values())
    page = max(1, f.page)
    rows = conn.execute(chosen.order_by(base.c.year.desc().nulls_last(), base.c.ingested_at.desc(), base.c.id.desc())
                        .limit(per_page).offset((page - 1) * per_page)).mappings().all()
    return {"items": [_item(dict(r)) for r in rows], "total": total, "page": page, "per_page": per_page,
            "pages": max(1, -(-total // per_page)), "states": counts}


def _item(row: dict[str, Any]) -> dict[str, Any]:
    row["body"] = row["body"] or None
    return row


def filters_from(request: Request) -> Filters:
    q = request.query_params
    year = q.get("year", "").strip()
    page = q.get("page", "").strip()
    return Filters(body=q.get("body", "")[:200], year=int(year) if year.isdigit() and len(year) <= 4 else None,
                   region=q.get("region", "")[:40], state=q.get("state", "") if q.get("state") in STATES else "",
                   rule=q.get("rule", "")[:40], revisions=q.get("revisions") == "all",
                   page=int(page) if page.isdigit() and 0 < int(page) <= MAX_PAGE else 1)


@router.get("/reports")
def reports_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    f = filters_from(request)
    with engine(request).connect() as conn:
        found = list_reports(conn, user, f)
        rules = [r for (r,) in conn.execute(
            select(findings.c.code).join(reports, reports.c.id == findings.c.report_id)
            .where(reports_of(user)).distinct().order_by(findings.c.code))]
        years = [y for (y,) in conn.execute(select(reports.c.year).where(reports_of(user), reports.c.year.is_not(None))
                                            .distinct().order_by(reports.c.year.desc()))]
    return render(request, "reports.html", {"f": f, "found": found, "states": STATES, "rules": rules, "years": years})


# ------------------------------------------------------------------ one report
def report_row(conn: Connection, user: User, report_id: int) -> dict[str, Any]:
    """The report's row with its body, file and state, or 404."""
    q = (select(reports.c.id, reports.c.body_id, bodies.c.name.label("body"), bodies.c.region_code, reports.c.year,
                reports.c.revision, reports.c.current, reports.c.version, reports.c.status, reports.c.title,
                reports.c.printed_body, reports.c.errors, reports.c.warnings, reports.c.infos, reports.c.problem,
                reports.c.ingested_at, source_files.c.name.label("source"), source_files.c.sha256,
                source_files.c.format, state_column().label("state"))
         .select_from(reports.join(source_files, source_files.c.id == reports.c.file_id)
                      .outerjoin(bodies, bodies.c.id == reports.c.body_id))
         .where(reports.c.id == report_id, reports_of(user)))
    row = conn.execute(q).mappings().first()
    if row is None:
        raise not_found()
    return dict(row)


def revisions_of(conn: Connection, user: User, row: dict[str, Any]) -> list[dict[str, Any]]:
    if row["body_id"] is None or row["year"] is None:
        return []
    q = (select(reports.c.id, reports.c.revision, reports.c.current, reports.c.ingested_at)
         .where(reports.c.body_id == row["body_id"], reports.c.year == row["year"], reports_of(user))
         .order_by(reports.c.revision))
    return [dict(r) for r in conn.execute(q).mappings()]


def previous_of(conn: Connection, user: User, row: dict[str, Any]) -> int | None:
    """The body's current report of the year before, if the user may see it."""
    if row["body_id"] is None or row["year"] is None:
        return None
    return conn.execute(select(reports.c.id).where(
        reports.c.body_id == row["body_id"], reports.c.year == row["year"] - 1, reports.c.current.is_(True),
        reports.c.status == "ok", reports_of(user))).scalar()


def load_record(conn: Connection, report_id: int) -> Report:
    return unpack(conn.execute(select(reports.c.record).where(reports.c.id == report_id)).scalar_one())


def finding_rows(conn: Connection, report_id: int) -> list[dict[str, Any]]:
    q = select(findings).where(findings.c.report_id == report_id).order_by(findings.c.id)
    return [dict(r) for r in conn.execute(q).mappings()]


def events_of(conn: Connection, finding_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in finding_ids}
    if not finding_ids:
        return out
    q = (select(review_events.c.id, review_events.c.finding_id, review_events.c.action, review_events.c.comment,
                review_events.c.at, users.c.name.label("user"))
         .join(users, users.c.id == review_events.c.user_id)
         .where(review_events.c.finding_id.in_(finding_ids)).order_by(review_events.c.id))
    for r in conn.execute(q).mappings():
        event = dict(r)
        at = event["at"]  # SQLite gives back the UTC time without its zone
        event["at"] = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        out[r["finding_id"]].append(event)
    return out


def message_of(row: dict[str, Any], language: str, version: str | None) -> str:
    """A stored finding's words (they are rendered where shown, never stored)."""
    try:
        return Finding.from_dict(row).message(language, version)
    except (KeyError, IndexError, ValueError):  # a rule renamed since the report was stored
        return row["code"]


def finding_view(row: dict[str, Any], language: str, version: str | None) -> dict[str, Any]:
    source = Source(**{k: v for k, v in (row.get("source") or {}).items() if k in Source.__slots__})
    return {**row, "message": message_of(row, language, version),
            "names": [(cid, cell_name(cid, version)[language]) for cid in row["cells"]],
            "where": source.describe(language) if row.get("source") else "",
            "yoy": row["code"].startswith(YOY_PREFIX)}


def _value_text(report: Report, cid: str) -> str:
    cell = report.cells.get(cid)
    return cell.raw if cell is not None and cell.raw is not None else ""


def tables_html(report: Report, attrs: Any, language: str) -> list[dict[str, str]]:
    """The three tables in the official layout (outputs/layout.py, outputs/render_html.py's table markup)."""
    from ...outputs.layout import TABLE_KEYS, grid, table_version
    from ...outputs.render_html import table_html

    if not report.version:
        return []
    values = {cid: _value_text(report, cid) for cid in report.cells}
    preferred = version_for_year(report.year) or report.version
    out = []
    for key in TABLE_KEYS:
        g = grid(key, table_version(report, key, preferred))
        out.append({"key": key, "name": table_name(key, g.version)[language],
                    "html": table_html(g, values, attrs)})
    return out


class CellMarks:
    """The attributes of each value cell: highlight by the worst finding not dismissed, the finding ids, the
    source location; `other` marks the cells whose value differs from the other year's report."""

    def __init__(self, report: Report, found: list[dict[str, Any]], other: Report | None = None,
                 prefix: str = "") -> None:
        self.report, self.other, self.prefix = report, other, prefix
        self.by_cell: dict[str, list[dict[str, Any]]] = {}
        for f in found:
            if f["review"] == "dismissed":
                continue
            for cid in f["cells"]:
                self.by_cell.setdefault(cid, []).append(f)

    def __call__(self, cid: str) -> dict[str, str]:
        out: dict[str, str] = {}
        classes: list[str] = []
        cell = self.report.cells.get(cid)
        if cell is None or not cell.raw:
            classes.append("blank")
        hits = self.by_cell.get(cid)
        if hits:
            worst = min((f["severity"] for f in hits), key=_SEVERITY_RANK.__getitem__)
            classes.append(f"hl-{worst}")
            out["data-findings"] = " ".join(str(f["id"]) for f in hits)
            out["title"] = "\n".join(f"{f['code']}: {f['message']}" for f in hits)
        if self.other is not None and _value_text(self.report, cid) != _value_text(self.other, cid):
            classes.append("diff")
        if cell is not None and cell.box is not None:
            out["data-box"] = "1"
        out["class"] = " ".join(classes)
        out["tabindex"] = "0"
        if self.prefix:
            out["data-year"] = self.prefix
        return out


def _check_report_finding(conn: Connection, user: User, report_id: int, finding_id: int) -> dict[str, Any]:
    row = dict(visible_finding(conn, user, finding_id)._mapping)
    if row["report_id"] != report_id:
        raise not_found()
    return row


def review(conn: Connection, user: User, finding_id: int, action: str, comment: str | None,
           language: str = "zh") -> dict[str, Any]:
    """One review action on a finding: an event (who, when, what, why) and the finding's latest state.

    404 when the finding is not the user's to see (before anything else), 403 for a submitter, 422 for an
    unknown action or a comment action without a comment.
    """
    row = dict(visible_finding(conn, user, finding_id)._mapping)
    if not may_review(user):
        raise HTTPException(status_code=403)
    comment = (comment or "").strip()[:MAX_COMMENT] or None
    if action not in ACTIONS or (action == "comment" and comment is None):
        raise HTTPException(status_code=422, detail=t("web.review.bad_action", language))
    at = datetime.now(UTC)
    event_id = conn.execute(review_events.insert().values(finding_id=finding_id, user_id=user.id, action=action,
                                                          comment=comment, at=at)).inserted_primary_key[0]  # type: ignore[index]
    state = ACTIONS[action] or row["review"]
    if state != row["review"]:
        conn.execute(update(findings).where(findings.c.id == finding_id).values(review=state))
    row["review"] = state
    return {"finding": row, "event": {"id": event_id, "finding_id": finding_id, "action": action,
                                      "comment": comment, "at": at, "user": user.name}}


@router.get("/reports/{report_id}")
def report_page(request: Request, report_id: DbId, user: Annotated[User, Depends(page_user)]) -> Response:
    language = lang(request)
    with engine(request).connect() as conn:
        row = report_row(conn, user, report_id)
        report = load_record(conn, report_id)
        found = [finding_view(f, language, report.version) for f in finding_rows(conn, report_id)]
        events = events_of(conn, [f["id"] for f in found])
        revisions = revisions_of(conn, user, row)
        previous_id = previous_of(conn, user, row)
        previous = load_record(conn, previous_id) if previous_id is not None else None
        previous_row = report_row(conn, user, previous_id) if previous_id is not None else None
        kept = blobs.kept(conn, row["sha256"])
    tables = tables_html(report, CellMarks(report, found), language)
    side: list[dict[str, str]] = []
    if previous is not None:
        this_year = tables_html(report, CellMarks(report, [], previous, "this"), language)
        last_year = tables_html(previous, CellMarks(previous, [], report, "last"), language)
        for now, before in zip(this_year, last_year, strict=False):
            side.append({"name": now["name"], "this": now["html"], "last": before["html"]})
    for f in found:
        f["events"] = events[f["id"]]
    return render(request, "report.html", {
        "r": row, "report": report, "tables": tables, "findings": found, "revisions": revisions,
        "previous": previous_row, "side": side, "yoy": [f for f in found if f["yoy"]], "file_kept": kept,
        "can_review": may_review(user), "problem": report.error_message(language) if report.error else None,
        "downloads": ("html", "xlsx", "json", "docx")})


@router.post("/reports/{report_id}/findings/{finding_id}/review")
def review_form(request: Request, report_id: DbId, finding_id: DbId, user: Annotated[User, Depends(writer)],
                action: Annotated[str, Form(max_length=20)],
                comment: Annotated[str, Form(max_length=MAX_COMMENT)] = "") -> Response:
    with engine(request).begin() as conn:
        _check_report_finding(conn, user, report_id, finding_id)
        review(conn, user, finding_id, action, comment, lang(request))
    return RedirectResponse(f"/reports/{report_id}#finding-{finding_id}", status_code=303)


# ------------------------------------------------------------------ where a cell came from
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


def text_lines(data: bytes, line: int, around: int = 2) -> list[dict[str, Any]]:
    """A text file's line and its neighbours, decoded as the text reader decodes it."""
    from ...errors import ReadError
    from ...readers.encoding import decode

    try:
        text, _encoding = decode(data)
    except ReadError:
        return []
    lines = _LINE_SPLIT.split(text.replace("\x00", ""))
    first, last = max(1, line - around), min(len(lines), line + around)
    return [{"n": n, "text": lines[n - 1], "current": n == line} for n in range(first, last + 1)]


def cell_source(conn: Connection, row: dict[str, Any], report: Report, cell_id: str, language: str) -> dict[str, Any]:
    """What the source panel shows for a cell: the page image and box (PDF, scan), or the lines (text)."""
    from .. import pages

    cell = report.cells.get(cell_id)
    if cell is None:
        raise not_found()
    out: dict[str, Any] = {"cell": cell_id, "name": cell_name(cell_id, report.version)[language], "raw": cell.raw,
                           "where": cell.source.describe(language) if cell.source else "", "page": None,
                           "box": None, "page_width": None, "page_height": None, "image": None, "lines": [], "row": None,
                           "file_kept": False}
    data = blobs.get(conn, row["sha256"])
    out["file_kept"] = data is not None
    if cell.box is not None:
        page, x0, top, x1, bottom = cell.box
        out["page"], out["box"] = page, [x0, top, x1, bottom]
        if data is not None:
            try:
                size = pages.page_size(data, page, row["sha256"])
            except pages.PageError:
                return out
            out["page_width"], out["page_height"] = size.width, size.height
            out["image"] = f"/reports/{row['id']}/pages/{page}.png"
    elif cell.source is not None and cell.source.line is not None and data is not None and report.format == "text":
        out["lines"] = text_lines(data, cell.source.line)
    elif cell.source is not None and data is not None and report.format in ROW_FORMATS:
        out["row"] = source_row(row["sha256"], data, cell.source)
    return out


ROW_FORMATS = ("docx", "html")  # read again quickly and safely in the web process; PDFs and scans show the page
MAX_REREAD = 20 * 1024 * 1024


def source_row(sha256: str, data: bytes, source: Source) -> dict[str, Any] | None:
    """The printed row of a Word or HTML table cell: the texts of its row and which one is the cell."""
    if len(data) > MAX_REREAD:
        return None
    for table in _tables(sha256, data):
        for cells in table.rows:
            for i, cell in enumerate(cells):
                if cell.source == source:
                    return {"cells": [c.text for c in cells], "current": i}
    return None


_tables_cache: dict[str, list[Any]] = {}
_tables_lock = threading.Lock()


def _tables(sha256: str, data: bytes) -> list[Any]:
    """The tables of a document as its reader reads them, for the last few files asked about."""
    from ...errors import ReadError
    from ...readers import read_bytes

    with _tables_lock:
        if sha256 in _tables_cache:
            return _tables_cache[sha256]
    try:
        tables = read_bytes(data).tables
    except ReadError:
        tables = []
    with _tables_lock:
        if len(_tables_cache) >= 4:
            _tables_cache.pop(next(iter(_tables_cache)))
        _tables_cache[sha256] = tables
    return tables


@router.get("/reports/{report_id}/cells/{cell_id}/source")
def cell_source_json(request: Request, report_id: DbId, cell_id: str,
                     user: Annotated[User, Depends(page_user)]) -> Response:
    with engine(request).connect() as conn:
        row = report_row(conn, user, report_id)
        report = load_record(conn, report_id)
        return JSONResponse(cell_source(conn, row, report, cell_id, lang(request)))


@router.get("/reports/{report_id}/pages/{page}.png")
def page_image(request: Request, report_id: DbId, page: DbId, user: Annotated[User, Depends(page_user)],
               scale: Annotated[float, Query(ge=0.5, le=3.0)] = 2.0) -> Response:
    from .. import pages

    with engine(request).connect() as conn:
        row = report_row(conn, user, report_id)
        etag = f'"{row["sha256"][:32]}-{page}-{scale:.2f}"'
        if request.headers.get("if-none-match") == etag and blobs.kept(conn, row["sha256"]):
            # the browser has the image: no need to read the file
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "private, max-age=86400"})
        data = blobs.get(conn, row["sha256"])
    if data is None:
        raise not_found()
    try:
        png = pages.render_png(data, page, scale, row["sha256"])
    except pages.PageError:
        raise not_found() from None
    return Response(png, media_type="image/png", headers={"ETag": etag, "Cache-Control": "private, max-age=86400"})


# ------------------------------------------------------------------ downloads
DOWNLOAD_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download_bytes(report: Report, kind: str, language: str) -> bytes:
    """The report as the outputs write it: review page, review workbook, record JSON, the report as .docx."""
    if kind == "html":
        from ...outputs.review_html import review_html
        from ...sanitize import clean_text

        return clean_text(review_html([report], language)).encode("utf-8")
    if kind == "xlsx":
        from ...outputs.review_xlsx import review_xlsx

        return review_xlsx([report], language)
    if kind == "json":
        import json

        return json.dumps(report.to_dict(language), ensure_ascii=False, indent=1).encode("utf-8")
    from ...outputs.compose import compose
    from ...outputs.generate import render_bytes

    return render_bytes(compose(report), "docx")


def download_name(row: dict[str, Any], kind: str) -> str:
    base = f"{row['body'] or row['printed_body'] or 'report'}-{row['year'] or ''}-r{row['revision']}"
    return f"{file_stem(base, 'report')}.{kind}"


@router.get("/reports/{report_id}/download.{kind}")
def download(request: Request, report_id: DbId, kind: str, user: Annotated[User, Depends(page_user)]) -> Response:
    if kind not in DOWNLOAD_TYPES:
        raise not_found()
    with engine(request).connect() as conn:
        row = report_row(conn, user, report_id)
        report = load_record(conn, report_id)
        stored = finding_rows(conn, report_id)
    if kind == "docx" and (report.error is not None or not report.cells):
        raise HTTPException(status_code=409, detail=t("web.report.no_docx", lang(request)))
    _apply_reviews(report, stored)
    name = download_name(row, kind)
    return Response(download_bytes(report, kind, lang(request)), media_type=DOWNLOAD_TYPES[kind],
                    headers=attachment(name, f"report.{kind}"))


def _apply_reviews(report: Report, stored: list[dict[str, Any]]) -> None:
    """The downloads show the findings as stored (with the cross-year ones), without those dismissed."""
    report.findings = [Finding.from_dict(f) for f in stored if f["review"] != "dismissed"]


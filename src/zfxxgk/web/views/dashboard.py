"""The dashboard: a region's statistics over several years, drawn by ECharts (bundled: static/echarts/).

Each chart's data is a JSON endpoint (/dashboard/data/<chart>.json, also the download link) with a CSV twin; the
page only names them and static/dashboard.js draws them. The figures are those of `zfxxgk stats`
(store/stats.py): the same cells, the same rates, over the current readable reports that are not a region's
summary; late and missing follow the year's board (views/board.py). Each chart is a handful of grouped queries,
whatever the number of reports.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, Integer, Select, case, func, select
from sqlalchemy.engine import Connection, Engine

from ...i18n import t
from ...store.schema import bodies, cells, findings, reports
from ...store.stats import RATES, plain, rate
from ...templates.names import find_row, group_name, row_name
from ..access import bodies_of, region_subtree
from ..accounts import User
from ..deps import engine, lang, page_user, render, require_role
from .board import (
    PREFIX,
    check_region,
    china_day,
    default_year,
    full_published,
    late_of,
    published_of,
    region_choices,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
WARM_LIMIT = 50_000  # reports whose facts a starting server reads in the background, newest years first


@asynccontextmanager
async def warm_at_start(app: FastAPI) -> AsyncIterator[None]:
    """The dashboard's facts of the newest reports are read by a thread when the server starts, so that the first
    dashboard after a restart is not the one that reads every report's cells (1.5-2 s for 10,000 reports); a
    dashboard asked before the thread is done waits for the chunk being read and reads the rest itself."""
    stop = threading.Event()
    thread = threading.Thread(target=warm, args=(app.state.store.engine, stop), name="dashboard-warm", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()  # before the application's own lifespan closes the store
        thread.join(10)


router = APIRouter(include_in_schema=False, lifespan=warm_at_start)

CHARTS = ("applications", "corrections", "findings", "submissions")
MAX_YEARS = 30
TOP_FINDINGS = 15
# applications: the series and the 表三 cells each sums (the rates' numerators of store/stats.py).
APPLICATIONS: dict[str, list[str]] = {
    "received": ["t3.new_received.total"],
    "granted": RATES["granted"][0],
    "partially_granted": ["t3.partially_granted.total"],
    "withheld": RATES["withheld"][0],
    "unable": RATES["unable"][0],
    "rejected": RATES["rejected"][0],
}
CORRECTIONS = ("review_corrected", "litigation_corrected")
# Every sum a chart shows (name -> cells), summed per report by the database and kept per report.
SERIES: dict[str, list[str]] = {**APPLICATIONS, **{f"{name}{part}": RATES[name][i] for name in CORRECTIONS
                                                   for i, part in enumerate(("_n", "_of"))}}
NEEDED = sorted({c for ids in SERIES.values() for c in ids})
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


def parse_years(value: str, language: str = "zh") -> list[int]:
    """`2021-2024`, `2022,2024` or a mix; empty: the last five years up to the year now due."""
    if not value.strip():
        last = default_year()
        return list(range(last - 4, last + 1))
    years: set[int] = set()
    for part in value.replace("，", ",").split(","):
        m = _YEARS.match(part)
        if m is None:
            raise HTTPException(status_code=422, detail=t("web.dash.bad_years", language, n=MAX_YEARS, value=value[:40]))
        lo = int(m.group(1))
        hi = int(m.group(2) or lo)
        if hi < lo or hi - lo >= MAX_YEARS or not 1990 < lo <= hi < 2200:
            raise HTTPException(status_code=422, detail=t("web.dash.bad_years", language, n=MAX_YEARS, value=value[:40]))
        years.update(range(lo, hi + 1))
    if len(years) > MAX_YEARS:
        raise HTTPException(status_code=422, detail=t("web.dash.bad_years", language, n=MAX_YEARS, value=value[:40]))
    return sorted(years)


def _scope(user: User, region: str) -> Select[Any]:
    """The ids of the bodies the dashboard counts: visible to the user and inside the region."""
    where: list[ColumnElement[bool]] = [bodies_of(user)]
    if region:
        where.append(bodies.c.region_code.in_(region_subtree(region)))
    return select(bodies.c.id).where(*where)


def _current(user: User, region: str, years: list[int]) -> list[ColumnElement[bool]]:
    return [reports.c.year.in_(years), reports.c.current.is_(True), reports.c.body_id.in_(_scope(user, region))]


@dataclass(slots=True)
class Sums:
    """What the sums need of one stored report; none of it changes once the report is stored."""

    status: str
    summary: bool
    series: dict[str, Any] = field(default_factory=dict)  # SERIES summed over the report's number cells


@dataclass(slots=True)
class Dates:
    """What the late count needs of one stored report (unchanging too)."""

    published: date | None  # the printed publication date
    uploaded: date | None  # the day it was stored, in China


class _Known(dict[int, T]):
    """One kind of fact by report id, read once and kept, behind its own lock."""

    def __init__(self, load: Callable[[Connection, list[int]], dict[int, T]]) -> None:
        super().__init__()
        self.load, self.lock = load, threading.Lock()

    def read(self, conn: Connection, ids: list[int]) -> dict[int, T]:
        with self.lock:
            missing = [i for i in ids if i not in self]
            for start in range(0, len(missing), 900):
                self.update(self.load(conn, missing[start:start + 900]))
            return {i: self[i] for i in ids if i in self}


class Facts:
    """Per database, the facts of every report asked for so far: a report is read once per process, so a dashboard
    over 10,000 reports reads only the reports stored since the last one (a report's id is never reused for other
    content: `Store._reassign` stores the same file again). Sums and dates are read and locked apart: the charts'
    requests arrive together and the dates cost a read of each record's start, the sums none."""

    def __init__(self) -> None:
        self.sums = _Known(_load_sums)
        self.dates = _Known(_load_dates)


_FACTS: weakref.WeakKeyDictionary[Engine, Facts] = weakref.WeakKeyDictionary()
_FACTS_LOCK = threading.Lock()


def facts(conn: Connection) -> Facts:
    return facts_of(conn.engine)


def facts_of(eng: Engine) -> Facts:
    with _FACTS_LOCK:
        return _FACTS.setdefault(eng, Facts())


def warm(eng: Engine, stop: threading.Event | None = None, limit: int = WARM_LIMIT) -> int:
    """Read the facts of up to `limit` reports, newest years first, a chunk at a time (a request for the same facts
    waits for one chunk at most); the number of reports read. A failure (a store closed under it) ends it quietly:
    the charts read what they need themselves."""
    try:
        with eng.connect() as conn:
            rows = conn.execute(select(reports.c.id, reports.c.current).where(reports.c.year.is_not(None))
                                .order_by(reports.c.year.desc(), reports.c.id).limit(limit)).all()
            known = facts_of(eng)
            for start in range(0, len(rows), 900):
                if stop is not None and stop.is_set():
                    return start
                chunk = rows[start:start + 900]
                known.sums.read(conn, [rid for rid, current in chunk if current])
                known.dates.read(conn, [rid for rid, _current in chunk])
            return len(rows)
    except Exception:  # a closed or locked store: nothing is lost but time
        log.debug("reading the dashboard's facts at start failed", exc_info=True)
        return 0


def _load_dates(conn: Connection, ids: list[int]) -> dict[int, Dates]:
    """The printed date (from the record's first bytes) and the upload day of a chunk of reports."""
    out: dict[int, Dates] = {}
    for rid, uploaded, head in conn.execute(select(reports.c.id, reports.c.ingested_at,
                                                   func.substr(reports.c.record, 1, PREFIX)).where(reports.c.id.in_(ids))):
        found, published = published_of(head)
        if not found:
            published = full_published(conn, rid)
        try:
            printed = date.fromisoformat(published) if published else None
        except ValueError:
            printed = None
        out[rid] = Dates(printed, china_day(uploaded) if uploaded else None)
    return out


def _load_sums(conn: Connection, ids: list[int]) -> dict[int, Sums]:
    """Two queries for a chunk of reports: status and summary flag (columns before the record), SERIES sums."""
    out = {rid: Sums(status, bool(summary)) for rid, status, summary in conn.execute(
        select(reports.c.id, reports.c.status, reports.c.summary).where(reports.c.id.in_(ids)))}
    _load_series(conn, ids, out)
    return out


def _load_series(conn: Connection, ids: list[int], out: dict[int, Sums]) -> None:
    """Each report's SERIES sums in one grouped query: the database probes the cells, Python gets one row a report.

    On SQLite a value is exact text: whole numbers are summed as integers; a report with a decimal among those
    cells (counts never have one, but the store keeps what was printed) is summed again here as Decimal."""
    sqlite = conn.dialect.name == "sqlite"
    value = func.cast(cells.c.value, Integer()) if sqlite else cells.c.value
    columns = [func.sum(case((cells.c.cell_id.in_(ids_), value), else_=0)) for ids_ in SERIES.values()]
    flag = func.max(func.instr(cells.c.value, ".")) if sqlite else func.max(0)
    q = (select(cells.c.report_id, flag, *columns)
         .where(cells.c.report_id.in_(ids), cells.c.cell_id.in_(NEEDED), cells.c.kind == "number",
                cells.c.value != 0)  # a 0 adds nothing: half the cells of a real report are 0
         .group_by(cells.c.report_id))
    inexact: list[int] = []
    for rid, decimal_at, *sums in conn.execute(q):
        if rid not in out:
            continue
        if decimal_at:
            inexact.append(rid)
            continue
        out[rid].series = {name: _number(total) for name, total in zip(SERIES, sums, strict=True) if total}
    if inexact:
        exact: dict[int, dict[str, Any]] = defaultdict(dict)
        for rid, cid, number in conn.execute(select(cells.c.report_id, cells.c.cell_id, cells.c.value).where(
                cells.c.report_id.in_(inexact), cells.c.cell_id.in_(NEEDED), cells.c.kind == "number")):
            exact[rid][cid] = number
        for rid in inexact:
            got = exact[rid]
            out[rid].series = {name: sum((got.get(c, 0) for c in ids_), 0) for name, ids_ in SERIES.items()}


def _reports(conn: Connection, user: User, region: str, years: list[int]) -> list[Any]:
    """(id, body_id, year, current) of every revision in scope: answered from an index, no report row read."""
    q = (select(reports.c.id, reports.c.body_id, reports.c.year, reports.c.current)
         .where(reports.c.year.in_(years), reports.c.body_id.in_(_scope(user, region))))
    return list(conn.execute(q))


def _sums(conn: Connection, user: User, region: str, years: list[int]) -> tuple[dict[int, dict[str, Any]], dict[int, int]]:
    """Exact sums per year of SERIES, and the number of reports summed, as stats.py sums them: current readable
    reports that are not a region's summary."""
    rows = [r for r in _reports(conn, user, region, years) if r[3]]
    known = facts(conn).sums.read(conn, [r[0] for r in rows])
    sums: dict[int, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    counted: dict[int, int] = defaultdict(int)
    for rid, _body_id, year, _cur in rows:
        fact = known.get(rid)
        if fact is None or fact.status != "ok" or fact.summary:
            continue
        counted[year] += 1
        year_sums = sums[year]
        for name, value in fact.series.items():
            year_sums[name] += value
    return {y: dict(v) for y, v in sums.items()}, dict(counted)


def _number(value: Any) -> Any:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value if value is not None else 0


def applications(conn: Connection, user: User, region: str, years: list[int]) -> dict[str, Any]:
    sums, counted = _sums(conn, user, region, years)
    rows = [[y, counted.get(y, 0), *(plain(sums.get(y, {}).get(name, 0)) for name in APPLICATIONS)] for y in years]
    return {"columns": ["year", "reports", *APPLICATIONS], "rows": rows}


def corrections(conn: Connection, user: User, region: str, years: list[int]) -> dict[str, Any]:
    """纠错率 from 表四: corrected over concluded cases, per year (stats.py's rates: 4 decimals; none without cases)."""
    sums, _counted = _sums(conn, user, region, years)
    rows = []
    for y in years:
        row: list[Any] = [y]
        for name in CORRECTIONS:
            n, of = sums.get(y, {}).get(f"{name}_n", 0), sums.get(y, {}).get(f"{name}_of", 0)
            row += [None if (r := rate(n, of)) is None else float(r), plain(n), plain(of)]
        rows.append(row)
    columns = ["year", *(f"{name}{part}" for name in CORRECTIONS for part in ("", "_n", "_of"))]
    return {"columns": columns, "rows": rows}


def findings_chart(conn: Connection, user: User, region: str, years: list[int]) -> dict[str, Any]:
    """The rules that fire most often in the region's current reports of those years (not dismissed)."""
    reports_n = func.count(func.distinct(findings.c.report_id))
    q = (select(findings.c.code, func.min(findings.c.severity), func.count(), reports_n)
         .join(reports, reports.c.id == findings.c.report_id)
         .where(*_current(user, region, years), findings.c.review != "dismissed")
         .group_by(findings.c.code).order_by(func.count().desc(), findings.c.code).limit(TOP_FINDINGS))
    rows = [[code, severity, n, n_reports] for code, severity, n, n_reports in conn.execute(q)]
    return {"columns": ["code", "severity", "count", "reports"], "rows": rows}


def submissions(conn: Connection, user: User, region: str, years: list[int]) -> dict[str, Any]:
    """Per year: bodies expected (in the region now), reports submitted, late (as the board judges), missing."""
    expected = int(conn.execute(select(func.count()).select_from(_scope(user, region).subquery())).scalar_one())
    rows = _reports(conn, user, region, years)
    known = facts(conn).dates.read(conn, [r[0] for r in rows])
    first: dict[tuple[int, int], date] = {}  # the first upload of a body's report on a year, as the board has it
    for rid, body_id, year, _cur in rows:
        fact = known.get(rid)
        if fact is not None and fact.uploaded is not None:
            key = (body_id, year)
            if key not in first or fact.uploaded < first[key]:
                first[key] = fact.uploaded
    names = dict(conn.execute(select(bodies.c.id, bodies.c.name).where(bodies.c.id.in_(_scope(user, region)))).all())
    submitted: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    for rid, body_id, year, current in rows:
        if not current:
            continue
        submitted[year] += 1
        fact = known.get(rid)
        if late_of(names.get(body_id, ""), year, fact.published if fact else None, first.get((body_id, year)))[0]:
            late[year] += 1
    out = [[y, expected, submitted[y], late[y], max(0, expected - submitted[y])] for y in years]
    return {"columns": ["year", "expected", "submitted", "late", "missing"], "rows": out}


BUILDERS = {"applications": applications, "corrections": corrections, "findings": findings_chart,
            "submissions": submissions}
_LABEL_KEYS = {"year": "web.dash.col.year", "code": "web.dash.col.code", "count": "web.dash.s.count",
               "reports": "web.dash.s.reports", "submitted": "web.dash.s.submitted", "late": "web.dash.s.late",
               "missing": "web.dash.s.missing", "expected": "web.dash.s.expected", "severity": "web.dash.s.severity"}


# The outcome series are rows or row groups of 表三: their names come from the format (templates/).
_OUTCOME_ROWS = {"granted": "t3.granted", "partially_granted": "t3.partially_granted", "withheld": "t3.withheld",
                 "unable": "t3.unable", "rejected": "t3.rejected"}


def label(column: str, language: str) -> str:
    """A column's heading for people."""
    if column in _OUTCOME_ROWS:
        row = _OUTCOME_ROWS[column]
        name = row_name(row, "2021") if find_row(row, "2021") else group_name(row, "2021")
        return _short(name.en if language == "en" else name.zh)
    return t(_LABEL_KEYS.get(column, f"web.dash.s.{column}"), language)


def _short(label: str) -> str:
    """A legend's label: （二）部分公开 without the long note in brackets after it."""
    head, sep, rest = label.partition("）")
    return head + sep + rest.split("（", 1)[0] if sep and label.startswith("（") else label.split("（", 1)[0]


def chart_data(conn: Connection, user: User, chart: str, region: str, years: list[int], language: str) -> dict[str, Any]:
    data = BUILDERS[chart](conn, user, region, years)
    data.update(chart=chart, title=t(f"web.dash.chart.{chart}", language), region=region or None, years=years,
                labels={c: label(c, language) for c in data["columns"]})
    return data


def _params(request: Request, user: User) -> tuple[str, list[int], Any]:
    require_role(user, "admin", "reviewer")
    q = request.query_params
    region = q.get("region", "").strip()[:40] or (user.region_code or "" if user.role == "reviewer" else "")
    years = parse_years(q.get("years", "")[:200], lang(request))
    with engine(request).connect() as conn:
        row = check_region(conn, user, region)
    return region, years, row


def _years_text(years: list[int]) -> str:
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return ",".join(map(str, years))


@router.get("/dashboard")
def dashboard_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    region, years, row = _params(request, user)
    query = urlencode({k: v for k, v in {"region": region, "years": _years_text(years)}.items() if v})
    with engine(request).connect() as conn:
        choices = region_choices(conn, user)
    return render(request, "dashboard.html", {"region": row, "region_code": region, "years": years,
                                              "years_text": _years_text(years), "query": query, "charts": CHARTS,
                                              "choices": choices})


@router.get("/dashboard/data/{chart}.json")
def chart_json(request: Request, chart: str, user: Annotated[User, Depends(page_user)]) -> Response:
    if chart not in BUILDERS:
        raise HTTPException(status_code=404)
    region, years, _row = _params(request, user)
    with engine(request).connect() as conn:
        data = chart_data(conn, user, chart, region, years, lang(request))
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json",
                    headers={"Content-Disposition": f'inline; filename="{chart}.json"'})


@router.get("/dashboard/data/{chart}.csv")
def chart_csv(request: Request, chart: str, user: Annotated[User, Depends(page_user)]) -> Response:
    if chart not in BUILDERS:
        raise HTTPException(status_code=404)
    region, years, _row = _params(request, user)
    language = lang(request)
    with engine(request).connect() as conn:
        data = chart_data(conn, user, chart, region, years, language)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([data["labels"][c] for c in data["columns"]])
    writer.writerows([["" if v is None else v for v in row] for row in data["rows"]])
    name = f"{chart}-{region or 'all'}-{_years_text(years)}.csv"
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


__all__ = ["BUILDERS", "CHARTS", "chart_data", "parse_years", "router"]

"""A report written in the browser (issue 11, part 4): draft data, pre-fill from last year, checks, submission.

A draft is plain data, `{"version", "year", "body", "sections": {"1": text, …}, "cells": {cell id: text}}`,
kept in the `drafts` table as typed. Checking renders it to the plain-text report layout (outputs/render_md.py)
and parses that with the normal pipeline, so the prose rules (figures in the text, required topics, text
repeated from last year) see exactly what they see in an uploaded report. Submitting renders the official .docx,
reads it back like an upload and stores it as the body's report for the year (a new revision if one exists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ..i18n import t
from ..inputs.form import _number
from ..messages import render as render_message
from ..outputs.compose import compose
from ..outputs.layout import TABLE_KEYS, Grid, format_number, grid
from ..outputs.prefill import prefill_from
from ..report import Cell, Report
from ..rules import run_checks
from ..store import Store
from ..store.schema import drafts
from ..store.sources import Item
from ..templates import FORMATS, cell_name, table_name, version_for_year
from ..templates.model import Column
from ..values import Kind, parse_value

VERSION = "2021"  # the current format: drafts are written in it only
MAX_TEXT = 20_000  # characters a section may hold
MAX_CELL = 40  # characters a cell may hold
FIRST_YEAR = min(FORMATS[VERSION].years)
_COLUMNS: dict[str, Column] = {f"{row.id}.{c.id}": c for table in FORMATS[VERSION].tables.values()
                               for row in table.rows for c in row.columns}
CELL_IDS: tuple[str, ...] = tuple(FORMATS[VERSION].cell_ids())
SECTION_NUMBERS: tuple[int, ...] = tuple(s.number for s in FORMATS[VERSION].sections)


def default_year(today: date | None = None) -> int:
    """The report due now: January 2026 is the time of the 2025 report."""
    return (today or datetime.now(UTC).date()).year - 1


def valid_year(year: int, today: date | None = None) -> bool:
    """A year a report can be written for in the current format, up to last year."""
    return version_for_year(year) == VERSION and FIRST_YEAR <= year <= default_year(today)


def grids() -> list[Grid]:
    return [grid(key, VERSION) for key in TABLE_KEYS]


def table_names(lang: str) -> dict[str, str]:
    return {key: table_name(key, VERSION)[lang] for key in TABLE_KEYS}


# ------------------------------------------------------------------ the data
def blank(body: str, year: int) -> dict[str, Any]:
    return {"version": VERSION, "year": year, "body": body, "sections": {str(n): "" for n in SECTION_NUMBERS},
            "cells": {cid: "" for cid in CELL_IDS}}


def prefilled(body: str, year: int, last: Report | None) -> dict[str, Any]:
    """A new draft: last year's text, its 结转下年度继续办理 as this year's 上年结转, and 表二's stock in force
    (unchanged until this year's issued and repealed documents are typed in)."""
    data = blank(body, year)
    if last is None:
        return data
    for n in SECTION_NUMBERS:
        section = last.sections.get(n)
        if section is not None:
            data["sections"][str(n)] = section.text
    carried = prefill_from(last)
    for cid, value in carried.values.items():
        data["cells"][cid] = format_number(value)
    for cid, value in carried.last_in_force.items():  # this year's = last year's + issued − repealed (YOY-STOCK)
        if cid in data["cells"]:
            data["cells"][cid] = format_number(value)
    return data


def clean_text(text: str) -> str:
    """A section's text as the report prints it: one paragraph a line, no blank lines, no tabs."""
    lines = (line.replace("\t", " ").strip() for line in str(text)[:MAX_TEXT].splitlines())
    return "\n".join(line for line in lines if line)


def from_input(body: str, year: int, sections: dict[str, Any], cells: dict[str, Any]) -> dict[str, Any]:
    """Draft data from what the page sent: known sections and cells only, bounded in size."""
    data = blank(body, year)
    for n in SECTION_NUMBERS:
        data["sections"][str(n)] = clean_text(sections.get(str(n)) or "")
    for cid in CELL_IDS:
        value = cells.get(cid)
        data["cells"][cid] = str(value).strip()[:MAX_CELL] if value is not None else ""
    return data


@dataclass(slots=True)
class Built:
    report: Report  # the data as a report (cells as typed, sections' text)
    problems: list[dict[str, Any]] = field(default_factory=list)  # cells that are not numbers of their column


def build(data: dict[str, Any], lang: str = "zh") -> Built:
    """The draft as a report through the report-data path (Report.from_dict); a cell that is not a number of
    its column (the fill-in form's rule: whole, not negative) is left blank and named as a problem."""
    cells: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for cid in CELL_IDS:
        raw = str(data["cells"].get(cid) or "").strip()
        try:
            value = _number(raw, _COLUMNS[cid])
        except ValueError as exc:
            problems.append({"code": "FORM-INPUT", "severity": "error", "cells": [cid],
                             "message": f"{cell_name(cid, VERSION)[lang]}：{t(str(exc), lang)}（{raw}）"
                             if lang != "en" else f"{cell_name(cid, VERSION)[lang]}: {t(str(exc), lang)} ({raw})"})
            value = None
        cells[cid] = None if value is None else format_number(value)
    fmt = FORMATS[VERSION]
    sections = {str(s.number): {"title": s.official, "text": clean_text(data["sections"].get(str(s.number)) or "")}
                for s in fmt.sections}
    report = Report.from_dict({"version": VERSION, "year": int(data["year"]), "body": data["body"],
                               "cells": cells, "sections": sections, "source": "draft"})
    return Built(report, problems)


def as_text(report: Report) -> bytes:
    """The plain-text report (the layout the text reader reads)."""
    from ..outputs.render_md import render_md

    return render_md(compose(report)).encode("utf-8")


def as_docx(report: Report) -> bytes:
    from ..outputs.render_docx import render_docx

    return render_docx(compose(report))


def typed(data: dict[str, Any]) -> dict[str, Cell]:
    """The table cells exactly as typed, read as a report's printed cell is read: a blank stays blank and text
    that is no number stays unreadable, so VAL-BLANK, VAL-NOT-COUNT and VAL-UNREADABLE judge them."""
    out: dict[str, Cell] = {}
    for cid in CELL_IDS:
        raw = str(data["cells"].get(cid) or "").strip()
        p = parse_value(raw)
        out[cid] = Cell(cid, p.value, raw, p.kind, p.unit, p.note)
    return out


def check(data: dict[str, Any], previous: Report | None, lang: str = "zh") -> dict[str, Any]:
    """The findings of the draft as an uploaded report would get them (same rules, last year's report beside).

    The text is the report rendered and read back as an upload is, so the prose rules see what the office will
    see; the table cells are the ones typed (a rendered report prints a blank as 0, and a blank is not a 0)."""
    from ..pipeline import parse_bytes

    built = build(data, lang)
    parsed = parse_bytes(as_text(built.report), "draft.md")
    items: list[dict[str, Any]] = []
    if parsed.error is None:
        parsed.cells.update(typed(data))
        for f in run_checks(parsed, previous=previous):
            items.append({"code": f.code, "severity": f.severity, "cells": list(f.cells),
                          "message": render_message(f, lang, parsed.version)})
    counts = {s: sum(1 for f in items if f["severity"] == s) for s in ("error", "warning", "info")}
    return {"findings": items, "counts": counts}


def unfilled(data: dict[str, Any]) -> list[str]:
    """The cells that are blank or not a number of their column: a report is not submitted with them, since its
    .docx would have to print something the clerk did not write."""
    bad = {p["cells"][0] for p in build(data).problems}
    return [cid for cid, cell in typed(data).items() if cell.kind is not Kind.NUMBER or cid in bad]


def file_name(body: str, year: int) -> str:
    return f"{body}{year}年政府信息公开工作年度报告.docx"


# ------------------------------------------------------------------ the table
def load(conn: Connection, body_id: int, year: int) -> Any:
    return conn.execute(select(drafts).where(drafts.c.body_id == body_id, drafts.c.year == year)
                        .order_by(drafts.c.id.desc())).first()


def save(conn: Connection, body_id: int, user_id: int, data: dict[str, Any]) -> int:
    """Keep the draft (one per body and year): its id."""
    row = load(conn, body_id, int(data["year"]))
    now = datetime.now(UTC)
    if row is None:
        inserted = conn.execute(insert(drafts).values(body_id=body_id, year=int(data["year"]), user_id=user_id,
                                                      data=data, updated_at=now)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])
    conn.execute(update(drafts).where(drafts.c.id == row.id).values(data=data, user_id=user_id, updated_at=now))
    return int(row.id)


def submit(store: Store, body_id: int, body: str, user_id: int, data: dict[str, Any]) -> int:
    """Store the draft as the body's report for its year (a new revision when there is one); the report's id.

    The stored report is the official .docx read back like an upload, and the .docx is kept in blobs, so the
    report page shows and offers the very file the office receives.
    """
    from . import blobs

    content = as_docx(build(data).report)
    name = file_name(body, int(data["year"]))
    with store.engine.begin() as conn:
        sha = blobs.put(conn, content)
    done = store.ingest(Item(name, len(content), sha, content), body=body, year=int(data["year"]))
    with store.engine.begin() as conn:
        draft_id = save(conn, body_id, user_id, data)
        conn.execute(update(drafts).where(drafts.c.id == draft_id).values(report_id=done.report_id))
    from .returns import after_store

    after_store(store.engine, done.report_id)  # a re-submission of a returned report: its reviewers are told
    return done.report_id

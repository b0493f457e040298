"""Returns for correction, rectification notices, re-submissions and notifications (issue 11, parts 2 and 5).

A return is a decision (web/decisions.py); its listener here tells the body's submitters. A re-submission is
a new revision of the same body and year: `after_store(engine, report_id)` tells the reviewers whose region
covers the body. It is called where uploads are stored, and again on read (`catch_up`, from the notification
pages), so a report stored any other way (the CLI, a script) is noticed all the same. Notices and changes are
computed on read from the stored revisions: nothing depends on the hook having run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from ..messages import rule_texts
from ..outputs.notice_docx import Notice, NoticeCell, NoticeItem, position
from ..report import Finding
from ..rules.structure import deadline_of
from ..store.core import writing
from ..store.schema import bodies, cells, decisions, findings, notifications, regions, reports, users
from ..templates import FORMATS
from ..values import format_number
from . import decisions as decisions_module
from .access import not_found, reports_of, visible_report
from .accounts import User

KINDS = ("returned", "resubmitted", "passed", "deadline")
REMIND_DAYS = 14  # a deadline reminder shows this many days before the deadline, and after it
MAX_NOTE = 4000
PER_PAGE = 100


def today() -> date:
    """The day for deadline reminders (a function so tests can set the date)."""
    return datetime.now(UTC).date()


# ------------------------------------------------------------------ who is told
def submitters_of(conn: Connection, body_id: int | None) -> list[int]:
    if body_id is None:
        return []
    return [i for (i,) in conn.execute(select(users.c.id).where(
        users.c.role == "submitter", users.c.body_id == body_id, users.c.active.is_(True)).order_by(users.c.id))]


def reviewers_of(conn: Connection, body_id: int | None) -> list[int]:
    """The active reviewers whose region is the body's region or one above it (they see the body's reports)."""
    if body_id is None:
        return []
    code = conn.execute(select(bodies.c.region_code).where(bodies.c.id == body_id)).scalar()
    chain: list[str] = []
    while code is not None and code not in chain and len(chain) < 20:
        chain.append(code)
        code = conn.execute(select(regions.c.parent_code).where(regions.c.code == code)).scalar()
    if not chain:
        return []
    return [i for (i,) in conn.execute(select(users.c.id).where(
        users.c.role == "reviewer", users.c.region_code.in_(chain), users.c.active.is_(True)).order_by(users.c.id))]


def notify(conn: Connection, user_ids: list[int], kind: str, report_id: int | None, args: dict[str, Any]) -> int:
    now = datetime.now(UTC)
    rows = [{"user_id": u, "kind": kind, "report_id": report_id, "args": args, "created_at": now, "read_at": None}
            for u in user_ids]
    if rows:
        conn.execute(notifications.insert(), rows)
    return len(rows)


def _report_args(conn: Connection, report_id: int) -> dict[str, Any]:
    row = conn.execute(select(reports.c.year, reports.c.revision, bodies.c.name)
                       .select_from(reports.outerjoin(bodies, bodies.c.id == reports.c.body_id))
                       .where(reports.c.id == report_id)).one()
    return {"body": row.name or "", "year": row.year, "revision": row.revision}


def _on_decision(conn: Connection, user: User, row: Any, action: str, decision_id: int) -> None:
    """A return or a pass is told to the body's submitters, in the decision's transaction."""
    if action not in ("return", "pass"):
        return
    args = _report_args(conn, row.id) | {"decision": decision_id, "by": user.name}
    if action == "return":
        ids = conn.execute(select(decisions.c.finding_ids).where(decisions.c.id == decision_id)).scalar()
        args["findings"] = len(ids or [])
    notify(conn, submitters_of(conn, row.body_id), "returned" if action == "return" else "passed", row.id, args)


decisions_module.listeners.append(_on_decision)


# ------------------------------------------------------------------ re-submissions
def _latest_action() -> Any:
    """A subquery (report_id, action) of each report's latest decision (decisions.py: the latest one counts)."""
    last = select(decisions.c.report_id, func.max(decisions.c.id).label("id")).group_by(decisions.c.report_id).subquery()
    return (select(decisions.c.report_id, decisions.c.action)
            .join(last, last.c.id == decisions.c.id).subquery("latest_action"))


def returned_before(conn: Connection, report_id: int) -> int | None:
    """The latest earlier revision of the report's body and year whose latest decision is a return."""
    row = conn.execute(select(reports.c.body_id, reports.c.year, reports.c.revision)
                       .where(reports.c.id == report_id)).first()
    if row is None or row.body_id is None or row.year is None or row.revision < 2:
        return None
    latest = _latest_action()
    return conn.execute(
        select(reports.c.id).join(latest, latest.c.report_id == reports.c.id)
        .where(reports.c.body_id == row.body_id, reports.c.year == row.year, reports.c.revision < row.revision,
               latest.c.action == "return")
        .order_by(reports.c.revision.desc()).limit(1)).scalar()


def after_store(engine: Engine, report_id: int) -> int:
    """A report was stored: if it re-submits a returned report, tell the reviewers of the body (once).

    Returns the number of notifications written (0 when it is no re-submission or was told already). Reads then
    writes, so on SQLite it takes the write lock first (BEGIN IMMEDIATE waits its turn; a deferred transaction
    racing another would fail at once with "database is locked").
    """
    with writing(engine) as conn:
        return _after_store(conn, report_id)


def _after_store(conn: Connection, report_id: int) -> int:
    since = returned_before(conn, report_id)
    if since is None:
        return 0
    told = conn.execute(select(func.count()).select_from(notifications).where(
        notifications.c.kind == "resubmitted", notifications.c.report_id == report_id)).scalar()
    if told:
        return 0
    body_id = conn.execute(select(reports.c.body_id).where(reports.c.id == report_id)).scalar()
    return notify(conn, reviewers_of(conn, body_id), "resubmitted", report_id,
                  _report_args(conn, report_id) | {"since": since})


def catch_up(engine: Engine) -> int:
    """Run `after_store` for every later revision of a returned report not told yet (stored by the CLI, say).

    One read query when there is nothing to do; called by the notification pages.
    """
    latest = _latest_action()
    old = reports.alias("returned")
    told = select(notifications.c.report_id).where(notifications.c.kind == "resubmitted",
                                                   notifications.c.report_id.is_not(None))
    q = (select(reports.c.id).distinct()
         .select_from(old.join(latest, and_(latest.c.report_id == old.c.id, latest.c.action == "return"))
                      .join(reports, and_(reports.c.body_id == old.c.body_id, reports.c.year == old.c.year,
                                          reports.c.revision > old.c.revision)))
         .where(reports.c.id.not_in(told)))
    with engine.connect() as conn:
        pending = [i for (i,) in conn.execute(q)]
    done = 0
    for report_id in pending:
        try:
            done += after_store(engine, report_id)
        except OperationalError:  # the lock wait timed out (a long write elsewhere): told at the next call
            continue
    return done


# ------------------------------------------------------------------ the notice
def _value_text(kind: str | None, value: Any, raw: str | None) -> str:
    if kind == "number" and value is not None:
        return format_number(value if isinstance(value, int | Decimal) else Decimal(str(value)))
    return (raw or "").strip()


def cell_values(conn: Connection, report_id: int) -> dict[str, tuple[str, Any, str]]:
    """cell id → (kind, value, text as shown)."""
    return {r.cell_id: (r.kind, r.value, _value_text(r.kind, r.value, r.raw))
            for r in conn.execute(select(cells.c.cell_id, cells.c.kind, cells.c.value, cells.c.raw)
                                  .where(cells.c.report_id == report_id))}


def message_of(row: Any, lang: str, version: str | None) -> str:
    """A stored finding's words (rendered where shown, never stored)."""
    try:
        return Finding.from_dict(dict(row._mapping)).message(lang, version)
    except (KeyError, IndexError, ValueError):  # a rule renamed since the report was stored
        return str(row.code)


def rule_of(code: str, lang: str) -> str:
    rule = rule_texts().get(code)
    return (rule.explanation.get(lang) or rule.explanation["zh"]) if rule else code


def _signature(row: Any) -> tuple[str, tuple[str, ...]]:
    """How a finding is recognised in another revision: its rule and its cells."""
    return str(row.code), tuple(sorted(row.cells or []))


def return_decision(conn: Connection, report_id: int) -> Any:
    """The report's latest `return` decision with the reviewer's name, or None."""
    return conn.execute(select(decisions, users.c.name.label("reviewer"))
                        .join(users, users.c.id == decisions.c.user_id)
                        .where(decisions.c.report_id == report_id, decisions.c.action == "return")
                        .order_by(decisions.c.id.desc()).limit(1)).first()


def later_revisions(conn: Connection, user: User, report: Any) -> list[Any]:
    if report.body_id is None or report.year is None:
        return []
    return list(conn.execute(select(reports.c.id, reports.c.revision, reports.c.ingested_at).where(
        reports.c.body_id == report.body_id, reports.c.year == report.year, reports.c.revision > report.revision,
        reports_of(user)).order_by(reports.c.revision)))


def notice_of(conn: Connection, user: User, report_id: int, lang: str) -> tuple[Notice, Any, list[Any]]:
    """The rectification notice of a returned report (404 when the report was never returned), the decision
    and the later revisions; with a re-submission, each item says whether the newest revision resolved it."""
    report = visible_report(conn, user, report_id)
    decision = return_decision(conn, report_id)
    if decision is None:
        raise not_found()
    body = conn.execute(select(bodies.c.name).where(bodies.c.id == report.body_id)).scalar() or \
        report.printed_body or ""
    later = later_revisions(conn, user, report)
    resolved: set[tuple[str, tuple[str, ...]]] | None = None
    if later:
        resolved = {_signature(r) for r in conn.execute(select(findings.c.code, findings.c.cells)
                                                        .where(findings.c.report_id == later[-1].id))}
    values = cell_values(conn, report_id)
    wanted = list(decision.finding_ids or [])
    rows = {r.id: r for r in conn.execute(select(findings).where(findings.c.id.in_(wanted)))} if wanted else {}
    items = []
    for fid in wanted:
        row = rows.get(fid)
        if row is None:
            continue
        found = [NoticeCell(cid, *_where(cid, report.version, lang), values.get(cid, ("", None, ""))[2])
                 for cid in row.cells or []]
        items.append(NoticeItem(fid, row.code, row.severity, message_of(row, lang, report.version),
                                rule_of(row.code, lang), found,
                                None if resolved is None else _signature(row) not in resolved))
    notice = Notice(lang, body, report.title or f"{body}{report.year or ''}", report.year, report.revision,
                    _day(decision.at), decision.reviewer, decision.note or "", items,
                    [(_day(r.ingested_at), r.revision) for r in later])
    return notice, decision, later


def _where(cell_id: str, version: str | None, lang: str) -> tuple[str, str, str]:
    p = position(cell_id, version, lang)
    return p.table, p.row, p.column


def _day(at: datetime | None) -> str:
    return at.date().isoformat() if at is not None else ""


# ------------------------------------------------------------------ what changed
@dataclass(slots=True)
class Changes:
    report: Any
    since: Any
    cells: list[dict[str, str]] = field(default_factory=list)  # cell, table, row, column, old, new
    resolved: list[dict[str, Any]] = field(default_factory=list)  # the returned findings gone from the revision
    still_open: list[dict[str, Any]] = field(default_factory=list)  # ... still found in it
    new: list[dict[str, Any]] = field(default_factory=list)  # findings of the revision the old one had not
    returned: bool = False  # `since` was returned (else its errors and warnings stand in for the returned list)


def changes_of(conn: Connection, user: User, report_id: int, since_id: int, lang: str) -> Changes:
    """What changed from `since_id` to `report_id` (same body and year, a later revision), cell by cell, and
    which of the findings the body was asked to fix are gone (matched by rule and cells)."""
    report = visible_report(conn, user, report_id)
    since = visible_report(conn, user, since_id)
    if report.body_id is None or (since.body_id, since.year) != (report.body_id, report.year) \
            or since.revision >= report.revision:
        raise not_found()
    out = Changes(report, since)
    old, new = cell_values(conn, since_id), cell_values(conn, report_id)
    order = _cell_order(report.version)
    for cid in sorted(set(old) | set(new), key=lambda c: (order.get(c, len(order)), c)):
        a, b = old.get(cid), new.get(cid)
        if a is not None and b is not None and a[0] == b[0] and _same(a[1], b[1]) and (a[1] is not None or a[2] == b[2]):
            continue
        table, row, column = _where(cid, report.version, lang)
        out.cells.append({"cell": cid, "table": table, "row": row, "column": column,
                          "old": a[2] if a else "", "new": b[2] if b else ""})
    decision = return_decision(conn, since_id)
    old_rows = list(conn.execute(select(findings).where(findings.c.report_id == since_id).order_by(findings.c.id)))
    if decision is not None:
        out.returned = True
        wanted = set(decision.finding_ids or [])
        asked = [r for r in old_rows if r.id in wanted]
    else:
        asked = [r for r in old_rows if r.severity in ("error", "warning") and r.review != "dismissed"]
    new_rows = list(conn.execute(select(findings).where(findings.c.report_id == report_id).order_by(findings.c.id)))
    now = {_signature(r) for r in new_rows}
    before = {_signature(r) for r in old_rows}
    for r in asked:
        (out.still_open if _signature(r) in now else out.resolved).append(_finding(r, lang, since.version))
    out.new = [_finding(r, lang, report.version) for r in new_rows if _signature(r) not in before]
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(str(a)) == Decimal(str(b))


def _finding(row: Any, lang: str, version: str | None) -> dict[str, Any]:
    return {"id": row.id, "code": row.code, "severity": row.severity, "message": message_of(row, lang, version),
            "cells": list(row.cells or [])}


def _cell_order(version: str | None) -> dict[str, int]:
    ids: list[str] = []
    for v in dict.fromkeys(x for x in (version, "2021", "2019") if x in FORMATS):
        ids.extend(FORMATS[v].cell_ids())
    return {cid: n for n, cid in enumerate(dict.fromkeys(ids))}


# ------------------------------------------------------------------ notifications
def notifications_of(conn: Connection, user: User, limit: int = PER_PAGE) -> list[Any]:
    """The user's notifications, newest first."""
    return list(conn.execute(select(notifications).where(notifications.c.user_id == user.id)
                             .order_by(notifications.c.id.desc()).limit(limit)))


def unread_count(conn: Connection, user: User) -> int:
    return int(conn.execute(select(func.count()).select_from(notifications).where(
        notifications.c.user_id == user.id, notifications.c.read_at.is_(None))).scalar() or 0)


def mark_read(engine: Engine, user: User) -> int:
    with engine.begin() as conn:
        return int(conn.execute(update(notifications).where(
            notifications.c.user_id == user.id, notifications.c.read_at.is_(None)).values(read_at=datetime.now(UTC)))
            .rowcount or 0)


def reminders(conn: Connection, user: User, day: date | None = None) -> list[dict[str, Any]]:
    """Deadline reminders, computed on the fly: a submitter whose body has no report on last year, from
    REMIND_DAYS before the deadline (31 January; 31 March for a region's whole report, as META-DEADLINE) on."""
    if user.role != "submitter" or user.body_id is None:
        return []
    day = day or today()
    year = day.year - 1
    name = conn.execute(select(bodies.c.name).where(bodies.c.id == user.body_id)).scalar()
    due = deadline_of(name, year)
    if day < due - timedelta(days=REMIND_DAYS):
        return []
    stored = conn.execute(select(func.count()).select_from(reports).where(
        reports.c.body_id == user.body_id, reports.c.year == year)).scalar()
    if stored:
        return []
    return [{"kind": "deadline", "year": year, "deadline": due.isoformat(), "days": (due - day).days, "body": name}]

"""A reviewer's decision on a report (return, pass, reopen) and the review state it gives the report.

One module for both so the board, the report page and the returns (rectification notices) agree on what
"returned" or "passed" means. The latest decision on a report is its review state; a re-submission is a new
revision of the same body and year and starts with none. The state of a report, first match wins:

- ``passed`` / ``returned``: its latest decision is ``pass`` / ``return``;
- ``errors``: submitted with errors — unreadable, or an error finding not dismissed by a reviewer;
- ``review``: submitted, no decision (or reopened), no errors: waiting for the reviewer.

A body with no current report for the year is ``missing`` (the board's "not submitted").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from ..store.core import writing
from ..store.schema import decisions, findings, reports
from .access import may_review, visible_report
from .accounts import User

ACTIONS = ("return", "pass", "reopen")
STATES = ("missing", "errors", "review", "returned", "passed")

# Called inside the decision's transaction as listener(conn, user, report_row, action, decision_id): the
# notifications part adds its messages here without this module knowing about them.
Listener = Callable[[Connection, User, Any, str, int], None]
listeners: list[Listener] = []


def decide(engine: Engine, user: User, report_id: int, action: str, finding_ids: Iterable[int] | None = None,
           note: str | None = None) -> int:
    """Record a decision on a report the user may see and review; returns the decision's id.

    404 for a report outside the user's reach, 403 for a submitter, 400 for an unknown action or a finding
    of another report, 409 for a report that is no longer the current revision (decide on the re-submission).
    `finding_ids` (return only): the findings to fix; None means every error or warning not dismissed.
    """
    if action not in ACTIONS:
        raise HTTPException(status_code=400, detail=f"action: {action}")
    with writing(engine) as conn:
        row = visible_report(conn, user, report_id)
        if not may_review(user):
            raise HTTPException(status_code=403)
        if not row.current:
            raise HTTPException(status_code=409)
        ids: list[int] | None = None
        if action == "return":
            own = {fid: (sev, review) for fid, sev, review in conn.execute(
                select(findings.c.id, findings.c.severity, findings.c.review).where(findings.c.report_id == report_id))}
            if finding_ids is None:
                ids = sorted(fid for fid, (sev, review) in own.items()
                             if sev in ("error", "warning") and review != "dismissed")
            else:
                ids = sorted({int(f) for f in finding_ids})
                if any(f not in own for f in ids):
                    raise HTTPException(status_code=400, detail="finding_ids")
        key = conn.execute(decisions.insert().values(
            report_id=report_id, user_id=user.id, action=action, finding_ids=ids,
            note=(note or "").strip() or None, at=datetime.now(UTC))).inserted_primary_key
        assert key is not None
        decision_id = int(key[0])
        for listener in listeners:
            listener(conn, user, row, action, decision_id)
        return decision_id


def latest_decisions(conn: Connection, report_ids: Iterable[int]) -> dict[int, Any]:
    """The latest decision row per report (id, report_id, user_id, action, finding_ids, note, at)."""
    ids = sorted(set(report_ids))
    if not ids:
        return {}
    latest = (select(decisions.c.report_id, func.max(decisions.c.id).label("id"))
              .where(decisions.c.report_id.in_(ids)).group_by(decisions.c.report_id).subquery())
    rows = conn.execute(select(decisions).join(latest, latest.c.id == decisions.c.id)).all()
    return {r.report_id: r for r in rows}


def decision_column(report_id: Any) -> Any:
    """A correlated scalar: the action of the latest decision on the report `report_id` (a column) names."""
    return (select(decisions.c.action).where(decisions.c.report_id == report_id)
            .order_by(decisions.c.id.desc()).limit(1).scalar_subquery())


def open_errors_column(report_id: Any) -> Any:
    """A correlated scalar: how many error findings of the report no reviewer dismissed (index on report_id)."""
    return (select(func.count()).select_from(findings)
            .where(findings.c.report_id == report_id, findings.c.severity == "error", findings.c.review != "dismissed")
            .scalar_subquery())


def state(report_status: str | None, decision: str | None, open_errors: int) -> str:
    """The state from what the queries give: the report's status (None: no report), latest action, errors."""
    if report_status is None:
        return "missing"
    if decision == "pass":
        return "passed"
    if decision == "return":
        return "returned"
    if report_status != "ok" or open_errors > 0:
        return "errors"
    return "review"


def states_of(conn: Connection, report_ids: Iterable[int]) -> dict[int, str]:
    """The state of each given report, in one query whatever their number."""
    ids = sorted(set(report_ids))
    if not ids:
        return {}
    q = select(reports.c.id, reports.c.status, decision_column(reports.c.id),
               open_errors_column(reports.c.id)).where(reports.c.id.in_(ids))
    return {rid: state(status, action, n) for rid, status, action, n in conn.execute(q)}


def state_of(conn: Connection, report_id: int | None) -> str:
    """One report's state (`missing` for None or a report that does not exist)."""
    if report_id is None:
        return "missing"
    return states_of(conn, [report_id]).get(report_id, "missing")


__all__ = ["ACTIONS", "STATES", "decide", "decision_column", "latest_decisions", "listeners",
           "open_errors_column", "state", "state_of", "states_of"]

"""Who may see what: every query for reports, findings, jobs and bodies goes through these filters.

An admin sees everything; a reviewer the reports of the bodies in their region's subtree; a submitter the
reports of their own body. Anything outside is "not found" (404), never "forbidden": the id of another
body's report tells nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.engine import Connection

from ..store.schema import bodies, findings, jobs, regions, reports
from .accounts import User


def region_subtree(code: str) -> Select[Any]:
    """The codes of a region and everything under it (a recursive query: auto-added townships included)."""
    # Unnamed: two subtrees in one query (the user's region and a filter's) get distinct names.
    tree = select(regions.c.code).where(regions.c.code == code).cte(recursive=True)
    tree = tree.union_all(select(regions.c.code).where(regions.c.parent_code == tree.c.code))
    return select(tree.c.code)


def bodies_of(user: User) -> ColumnElement[bool]:
    """A filter on `bodies` for the bodies the user may see."""
    if user.role == "admin":
        return true()
    if user.role == "reviewer" and user.region_code:
        return bodies.c.region_code.in_(region_subtree(user.region_code))
    if user.role == "submitter" and user.body_id is not None:
        return bodies.c.id == user.body_id
    return false()


def reports_of(user: User) -> ColumnElement[bool]:
    """A filter on `reports` for the reports the user may see (an unplaced report: admins only)."""
    if user.role == "admin":
        return true()
    if user.role == "submitter":
        return reports.c.body_id == user.body_id if user.body_id is not None else false()
    return reports.c.body_id.in_(select(bodies.c.id).where(bodies_of(user)))


def jobs_of(user: User) -> ColumnElement[bool]:
    """A user sees their own uploads; an admin all."""
    return true() if user.role == "admin" else jobs.c.user_id == user.id


_WITHOUT_RECORD = [c for c in reports.c if c.name != "record"]


def not_found() -> HTTPException:
    return HTTPException(status_code=404)


def visible_report(conn: Connection, user: User, report_id: int) -> Any:
    """The report's row (without its packed record, which callers read through the store's unpacking), or 404 when
    it does not exist or is not the user's to see."""
    row = conn.execute(select(*_WITHOUT_RECORD).where(reports.c.id == report_id, reports_of(user))).first()
    if row is None:
        raise not_found()
    return row


def visible_finding(conn: Connection, user: User, finding_id: int) -> Any:
    """The finding's row (with its report's id), or 404 when its report is not the user's to see."""
    q = (select(findings).join(reports, reports.c.id == findings.c.report_id)
         .where(findings.c.id == finding_id, reports_of(user)))
    row = conn.execute(q).first()
    if row is None:
        raise not_found()
    return row


def may_review(user: User) -> bool:
    """Confirming or dismissing findings is a reviewer's (or admin's) work, not the submitter's."""
    return user.role in ("admin", "reviewer")

"""Pages of returns and notifications: the return form, the rectification notice (page and .docx), what changed
in a re-submission, and the user's notifications (with the header's unread count).

The logic lives in web/returns.py; every report is looked up through access.py (another body's report: 404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from ...i18n import t
from ...outputs.notice_docx import notice_docx, word
from ...store.schema import bodies, findings
from .. import returns
from ..access import may_review, visible_report
from ..accounts import User
from ..decisions import decide, latest_decisions
from ..deps import DbId, attachment, current_user, engine, file_stem, lang, page_user, render, writer

router = APIRouter(include_in_schema=False)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ------------------------------------------------------------------ returning a report
def _reviewable(conn: Any, user: User, report_id: int) -> Any:
    row = visible_report(conn, user, report_id)  # 404 first: another body's report tells nothing
    if not may_review(user):
        raise HTTPException(status_code=403)
    return row


def _form_context(conn: Any, user: User, report_id: int, language: str) -> dict[str, Any]:
    row = _reviewable(conn, user, report_id)
    body = conn.execute(select(bodies.c.name).where(bodies.c.id == row.body_id)).scalar() or row.printed_body or ""
    found = [{"id": f.id, "code": f.code, "severity": f.severity, "review": f.review,
              "message": returns.message_of(f, language, row.version),
              "cells": [returns.position(c, row.version, language) for c in f.cells or []],
              "checked": f.severity in ("error", "warning")}
             for f in conn.execute(select(findings).where(findings.c.report_id == report_id,
                                                          findings.c.review != "dismissed").order_by(findings.c.id))]
    latest = latest_decisions(conn, [report_id]).get(report_id)
    return {"r": row, "body": body, "findings": found, "latest": latest.action if latest else None}


@router.get("/reports/{report_id}/return")
def return_page(request: Request, report_id: DbId, user: Annotated[User, Depends(page_user)]) -> Response:
    with engine(request).connect() as conn:
        context = _form_context(conn, user, report_id, lang(request))
    return render(request, "return.html", context | {"error": None, "note": ""})


@router.post("/reports/{report_id}/return")
def return_report(request: Request, report_id: DbId, user: Annotated[User, Depends(writer)],
                  finding: Annotated[list[int] | None, Form()] = None,
                  note: Annotated[str, Form(max_length=returns.MAX_NOTE)] = "") -> Response:
    chosen = sorted(set(finding or []))
    if not chosen and not note.strip():
        with engine(request).connect() as conn:
            context = _form_context(conn, user, report_id, lang(request))
        return render(request, "return.html", context | {"error": t("web.returns.nothing", lang(request)),
                                                         "note": note}, status_code=400)
    decide(engine(request), user, report_id, "return", chosen, note)  # 404, then 403 for a submitter
    return RedirectResponse(f"/reports/{report_id}/notice", status_code=303)


# ------------------------------------------------------------------ the notice
@router.get("/reports/{report_id}/notice")
def notice_page(request: Request, report_id: DbId, user: Annotated[User, Depends(page_user)]) -> Response:
    language = lang(request)
    with engine(request).connect() as conn:
        notice, decision, later = returns.notice_of(conn, user, report_id, language)
    return render(request, "notice.html", {"notice": notice, "report_id": report_id, "decision": decision,
                                           "later": later, "can_review": may_review(user), "w": _words(language)})


@router.get("/reports/{report_id}/notice.docx")
def notice_download(request: Request, report_id: DbId, user: Annotated[User, Depends(page_user)]) -> Response:
    with engine(request).connect() as conn:
        notice, _decision, _later = returns.notice_of(conn, user, report_id, lang(request))
    base = file_stem(f"整改意见-{notice.body}-{notice.year or ''}-r{notice.revision}")
    return Response(notice_docx(notice), media_type=DOCX, headers=attachment(base + ".docx", "notice.docx"))


# ------------------------------------------------------------------ a re-submission
@router.get("/reports/{report_id}/changes")
def changes_page(request: Request, report_id: DbId, user: Annotated[User, Depends(page_user)],
                 since: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> Response:
    language = lang(request)
    with engine(request).connect() as conn:
        found = returns.changes_of(conn, user, report_id, since, language)
        body = conn.execute(select(bodies.c.name).where(bodies.c.id == found.report.body_id)).scalar() or ""
    return render(request, "changes.html", {"c": found, "body": body, "w": _words(language)})


# ------------------------------------------------------------------ notifications
@router.get("/notifications")
def notifications_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    returns.catch_up(engine(request))
    language = lang(request)
    with engine(request).connect() as conn:
        rows = returns.notifications_of(conn, user)
        reminders = returns.reminders(conn, user)
    items = [_item(r, language) for r in rows]
    return render(request, "notifications.html", {
        "items": items, "reminders": [_reminder(r, language) for r in reminders],
        "unread": sum(1 for i in items if not i["read"])})


@router.post("/notifications/read")
def notifications_read(request: Request, user: Annotated[User, Depends(writer)]) -> Response:
    returns.mark_read(engine(request), user)
    return RedirectResponse("/notifications", status_code=303)


@router.get("/notifications/count.json")
def notifications_count(request: Request) -> Response:
    """The header's badge: unread notifications and current deadline reminders (JSON, for notifications.js)."""
    user = current_user(request)
    if user is None:
        return JSONResponse({"detail": t("web.error.401", lang(request))}, status_code=401)
    returns.catch_up(engine(request))
    with engine(request).connect() as conn:
        unread = returns.unread_count(conn, user)
        due = len(returns.reminders(conn, user))
    return JSONResponse({"unread": unread, "reminders": due, "total": unread + due})


def _words(language: str) -> Any:
    """The notice's own words (outputs/notice_docx.py), so the page and the .docx say the same."""
    return lambda key, **args: word(key, language, **args)


def _item(row: Any, language: str) -> dict[str, Any]:
    args = dict(row.args or {})
    kind = row.kind if row.kind in returns.KINDS else "other"
    link = None
    if row.report_id is not None:
        link = {"returned": f"/reports/{row.report_id}/notice",
                "resubmitted": f"/reports/{row.report_id}/changes?since={args.get('since')}"
                if args.get("since") else f"/reports/{row.report_id}"}.get(kind, f"/reports/{row.report_id}")
    words = {k: ("" if v is None else v) for k, v in args.items()}
    words.setdefault("body", "")
    words.setdefault("year", "")
    words.setdefault("revision", "")
    words.setdefault("findings", 0)
    words.setdefault("by", "")
    return {"id": row.id, "kind": kind, "text": t(f"web.notif.{kind}", language, **words), "link": link,
            "at": row.created_at.strftime("%Y-%m-%d %H:%M") if row.created_at else "", "read": row.read_at is not None,
            "report_id": row.report_id}


def _reminder(r: dict[str, Any], language: str) -> dict[str, Any]:
    key = "web.notif.deadline_passed" if r["days"] < 0 else "web.notif.deadline"
    return r | {"text": t(key, language, year=r["year"], deadline=r["deadline"], days=abs(r["days"]))}

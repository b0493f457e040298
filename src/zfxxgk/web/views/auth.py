"""Logging in and out. The login form has its own CSRF token (a cookie and a field that must match),
as there is no session yet to hold one."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ...i18n import t
from ..accounts import User, authenticate, close_session, locked, open_session
from ..deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE, current_user, engine, lang, render, settings, writer

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an address elsewhere (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(request: Request, error: str | None = None, status_code: int = 200, name: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"login_csrf": token, "error": error, "name": name,
                                              "next": _safe_next(request.query_params.get("next"))},
                      status_code=status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=settings(request).secure_cookies, path="/login")
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    if current_user(request) is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request)


@router.post("/login")
def login(request: Request, name: Annotated[str, Form(max_length=200)], password: Annotated[str, Form(max_length=1000)],
          csrf: Annotated[str, Form(max_length=200)] = "", next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    language = lang(request)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not cookie or not secrets.compare_digest(cookie, csrf):
        raise HTTPException(status_code=403, detail=t("web.csrf", language))
    config = settings(request)
    address = request.client.host if request.client else "-"
    window = timedelta(minutes=config.login_window_minutes)
    if locked(engine(request), name, address, window, config.login_failures_per_name, config.login_failures_per_address):
        return _login_page(request, t("web.login.locked", language, minutes=int(config.login_window_minutes)), 429, name)
    user = authenticate(engine(request), name, password, address)
    if user is None:
        return _login_page(request, t("web.login.failed", language), 401, name)
    token, _csrf = open_session(engine(request), user, config.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=config.secure_cookies,
                        max_age=int(config.session_hours * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, user: Annotated[User, Depends(writer)]) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(engine(request), token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request) -> Response:
    """The report list is everyone's start page."""
    return RedirectResponse("/reports" if current_user(request) else "/login", status_code=303)

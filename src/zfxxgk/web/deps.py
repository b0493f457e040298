"""What every view needs: the store, the language, the logged-in user, the CSRF check, and rendering.

Reads use `page_user` (pages: a visitor is sent to the login page) or `api_user` (401). Every request that
changes something uses `writer` (pages) or `api_writer` (API): a session from a cookie must then carry its
CSRF token (form field `csrf` or header `X-CSRF-Token`); an API token (header `Authorization: Bearer …`)
needs none, as a browser never sends it by itself.
"""

from __future__ import annotations

import re
import secrets
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine

from ..i18n import t
from ..store import Store
from .accounts import User, session_user, token_user
from .settings import Settings

SESSION_COOKIE = "zfxxgk_session"
LOGIN_CSRF_COOKIE = "zfxxgk_login_csrf"
LANG_COOKIE = "zfxxgk_lang"

# An id or a year in a URL: a number out of range is a 422, never a database error.
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]
YearQuery = Annotated[int | None, Query(ge=1990, le=2200)]
YearPath = Annotated[int, Path(ge=1990, le=2200)]

templates = Jinja2Templates(directory=str(resources.files(__package__).joinpath("templates")))


class LoginRequired(Exception):
    """A page asked for without a session: app.py answers with a redirect to /login."""


def store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def engine(request: Request) -> Engine:
    return store(request).engine


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return "en" if chosen == "en" else "zh"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user(request: Request) -> User | None:
    """The user of a valid API token or session cookie; cached on the request."""
    if "user" in request.state._state:
        return request.state.user  # type: ignore[no-any-return]
    user = None
    token = _bearer(request)
    if token is not None:
        user = token_user(engine(request), token)
    elif (cookie := request.cookies.get(SESSION_COOKIE)) is not None:
        user = session_user(engine(request), cookie)
    request.state.user = user
    return user


def page_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


def api_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail=t("web.error.401", lang(request)),
                            headers={"WWW-Authenticate": "Bearer"})
    return user


async def _check_csrf(request: Request, user: User) -> None:
    if user.csrf is None:  # an API token: no cookie a forged request could ride on
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf")  # type: ignore[assignment]
    if not isinstance(sent, str) or not secrets.compare_digest(sent, user.csrf):
        raise HTTPException(status_code=403, detail=t("web.csrf", lang(request)))


async def writer(request: Request) -> User:
    """The user of a page form that changes something, after the CSRF check."""
    user = page_user(request)
    await _check_csrf(request, user)
    return user


async def api_writer(request: Request) -> User:
    """The user of an API call that changes something, after the CSRF check (for cookie sessions)."""
    user = api_user(request)
    await _check_csrf(request, user)
    return user


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise HTTPException(status_code=403)


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """A page in the user's language; templates call `_("key", **args)` for their texts."""
    language = lang(request)
    user = request.state.user if "user" in request.state._state else None

    def _(key: str, **args: Any) -> str:
        return t(key, language, **args)

    data = {"request": request, "lang": language, "_": _, "user": user, "csrf": user.csrf if user else None}
    data.update(context or {})
    response = templates.TemplateResponse(request, name, data, status_code=status_code)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, language, samesite="lax", httponly=True)
    return response


_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def file_stem(text: str, default: str = "") -> str:
    """Text made a file name's stem: separators, characters Windows refuses and spaces become `_`."""
    return _UNSAFE_IN_NAME.sub("_", text).strip("_") or default


def attachment(name: str, fallback: str) -> dict[str, str]:
    """The headers of a download: an ASCII name for old clients and the real name, UTF-8 (RFC 6266)."""
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"}

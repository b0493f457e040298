"""Accounts: the admin's user list (add, disable, enable) and every user's own page with API tokens."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from ...i18n import t
from ...store import StoreError
from ...store.regions_import import import_regions, read_regions_csv
from ...store.schema import api_tokens, bodies
from ..accounts import AccountError, User, add_token, add_user, list_users, set_active
from ..deps import DbId, engine, lang, page_user, render, require_role, store, writer
from ..uploads import safe_name

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, user: User, message: str | None = None, error: str | None = None,
                status_code: int = 200) -> Response:
    with engine(request).connect() as conn:  # the datalist of the form's body field
        known = [dict(r._mapping) for r in conn.execute(select(bodies.c.id, bodies.c.name).order_by(bodies.c.name))]
    return render(request, "users.html", {"users": list_users(engine(request)), "message": message, "error": error,
                                          "bodies": known}, status_code=status_code)


def _body_id(request: Request, body: str) -> int | None:
    """A body by id or by its exact name (the form offers the names); None when there is no such one body."""
    text = body.strip()
    if text.isdigit() and len(text) <= 9:  # an id (a longer number is no id: no integer overflow in the query)
        return int(text)
    with engine(request).connect() as conn:
        found = conn.execute(select(bodies.c.id).where(bodies.c.name == text).limit(2)).scalars().all()
    return found[0] if len(found) == 1 else None


@router.get("/admin/users")
def users_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    require_role(user, "admin")
    return _users_page(request, user)


@router.post("/admin/users")
def users_add(request: Request, user: Annotated[User, Depends(writer)], name: Annotated[str, Form(max_length=200)],
              password: Annotated[str, Form(max_length=1000)], role: Annotated[str, Form(max_length=20)],
              region: Annotated[str, Form(max_length=40)] = "", body: Annotated[str, Form(max_length=200)] = "") -> Response:
    require_role(user, "admin")
    language = lang(request)
    body_id = _body_id(request, body) if body.strip() else None
    if body.strip() and body_id is None:
        return _users_page(request, user, error=t("web.users.no_body", language, body=body), status_code=400)
    try:
        made = add_user(engine(request), name, password, role, region=region.strip() or None, body_id=body_id)
    except AccountError as exc:
        return _users_page(request, user, error=t(exc.key, language, **exc.args_), status_code=400)
    return _users_page(request, user, message=t("web.users.created", language, name=made.name,
                                                role=t(f"web.role.{made.role}", language)))


@router.post("/admin/users/{user_id}/active")
def users_active(request: Request, user_id: DbId, user: Annotated[User, Depends(writer)],
                 active: Annotated[bool, Form()]) -> Response:
    require_role(user, "admin")
    if user_id != user.id:  # an admin cannot lock themself out
        set_active(engine(request), user_id, active)
    return RedirectResponse("/admin/users", status_code=303)


def _tokens(request: Request, user: User) -> list[dict[str, object]]:
    q = select(api_tokens.c.name, api_tokens.c.created_at, api_tokens.c.last_used_at).where(
        api_tokens.c.user_id == user.id).order_by(api_tokens.c.id)
    with engine(request).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


@router.get("/account")
def account(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    return render(request, "account.html", {"tokens": _tokens(request, user), "new_token": None})


@router.post("/account/tokens")
def account_token(request: Request, user: Annotated[User, Depends(writer)],
                  name: Annotated[str, Form(min_length=1, max_length=80)]) -> Response:
    token = add_token(engine(request), user.id, name)
    return render(request, "account.html", {"tokens": _tokens(request, user), "new_token": token})


# ---------------------------------------------------------------- regions and bodies from a CSV (issue 11)
REGIONS_LIMIT = 5 * 1024 * 1024  # bytes of a regions file: a whole province's bodies are a few hundred KB


def _regions_length(request: Request) -> None:
    """Refuse a too large upload by its declared length before the form is read (the CSRF check reads it)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > REGIONS_LIMIT + 64 * 1024:
        raise HTTPException(status_code=413, detail=t("web.regions.too_large", lang(request),
                                                       limit=REGIONS_LIMIT // (1024 * 1024)))


def _regions_page(request: Request, summary: str | None = None, error: str | None = None,
                  status_code: int = 200) -> Response:
    return render(request, "regions.html", {"summary": summary, "error": error,
                                            "limit": REGIONS_LIMIT // (1024 * 1024)}, status_code=status_code)


@router.get("/admin/regions")
def regions_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    require_role(user, "admin")
    return _regions_page(request)


@router.post("/admin/regions", dependencies=[Depends(_regions_length)])
def regions_upload(request: Request, user: Annotated[User, Depends(writer)],
                   file: Annotated[UploadFile, File()]) -> Response:
    """`zfxxgk regions import` in the browser: the same reader and the same all-or-nothing import."""
    require_role(user, "admin")
    language = lang(request)
    name = safe_name(file.filename, "regions.csv")
    data = file.file.read(REGIONS_LIMIT + 1)
    if len(data) > REGIONS_LIMIT:
        return _regions_page(request, error=t("web.regions.too_large", language, limit=REGIONS_LIMIT // (1024 * 1024)),
                             status_code=413)
    if not data:
        return _regions_page(request, error=t("web.regions.empty", language), status_code=400)
    with tempfile.TemporaryDirectory() as folder:  # the reader takes a path; the bytes never stay on disk
        path = Path(folder) / "regions.csv"
        path.write_bytes(data)
        try:
            result = import_regions(store(request), read_regions_csv(path))
        except StoreError as exc:
            if "path" in exc.args_:
                exc.args_["path"] = name  # the upload's name, not the temporary file's
            return _regions_page(request, error=exc.message(language), status_code=400)
    return _regions_page(request, summary=t("store.imported", language, **result))

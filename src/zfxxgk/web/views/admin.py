"""Accounts: the admin's user list (add, disable, enable) and every user's own page with API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from ...i18n import t
from ...store.schema import api_tokens
from ..accounts import AccountError, User, add_token, add_user, list_users, set_active
from ..deps import DbId, engine, lang, page_user, render, require_role, writer

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, user: User, message: str | None = None, error: str | None = None,
                status_code: int = 200) -> Response:
    return render(request, "users.html", {"users": list_users(engine(request)), "message": message, "error": error},
                  status_code=status_code)


@router.get("/admin/users")
def users_page(request: Request, user: Annotated[User, Depends(page_user)]) -> Response:
    require_role(user, "admin")
    return _users_page(request, user)


@router.post("/admin/users")
def users_add(request: Request, user: Annotated[User, Depends(writer)], name: Annotated[str, Form(max_length=200)],
              password: Annotated[str, Form(max_length=1000)], role: Annotated[str, Form(max_length=20)],
              region: Annotated[str, Form(max_length=40)] = "", body: Annotated[str, Form(max_length=20)] = "") -> Response:
    require_role(user, "admin")
    language = lang(request)
    try:
        body_id = int(body) if body.strip() else None
    except ValueError:
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

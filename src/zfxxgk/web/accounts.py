"""Users, sessions, API tokens and the login rate limit, in the store's database.

Passwords are argon2id hashes. A session or API token is a random string given to the client once; the
database keeps only its sha256, so a copy of the database lets nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ..store.core import writing
from ..store.schema import api_tokens, bodies, login_failures, regions, sessions, users

ROLES = ("admin", "reviewer", "submitter")
MIN_PASSWORD = 8


class AccountError(Exception):
    """A request about accounts that cannot be done; `key` names its message in web.texts."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    region_code: str | None
    body_id: int | None
    csrf: str | None = None  # the session's CSRF token; None for API tokens (no cookies, nothing to forge)


# argon2's own defaults (argon2id, 64 MiB, 3 passes: ~0.2 s here). Tests lower it to argon2.profiles.CHEAPEST;
# a stored hash carries its parameters, so checking never depends on this.
PROFILE: Any = None


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher() if PROFILE is None else PasswordHasher.from_parameters(PROFILE)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes for timezone-aware columns; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _user(row: Any, csrf: str | None = None) -> User:
    return User(row.id, row.name, row.role, row.region_code, row.body_id, csrf)


def add_user(engine: Engine, name: str, password: str, role: str, *, region: str | None = None,
             body_id: int | None = None) -> User:
    """A new account; a reviewer needs a region, a submitter a body."""
    name = name.strip()
    if not name or len(name) > 80:
        raise AccountError("web.users.bad_name")
    if role not in ROLES:
        raise AccountError("web.users.bad_role", role=role, roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise AccountError("web.users.short_password", n=MIN_PASSWORD)
    if role == "reviewer" and region is None:
        raise AccountError("web.users.needs_region")
    if role == "submitter" and body_id is None:
        raise AccountError("web.users.needs_body")
    with engine.begin() as conn:
        if region is not None and conn.execute(select(regions.c.code).where(regions.c.code == region)).first() is None:
            raise AccountError("web.users.no_region", code=region)
        if body_id is not None and conn.execute(select(bodies.c.id).where(bodies.c.id == body_id)).first() is None:
            raise AccountError("web.users.no_body", body=body_id)
        try:
            new_id = conn.execute(insert(users).values(
                name=name, password_hash=_hasher().hash(password), role=role,
                region_code=region if role == "reviewer" else None,
                body_id=body_id if role == "submitter" else None,
                active=True, created_at=now())).inserted_primary_key[0]
        except IntegrityError:
            raise AccountError("web.users.exists", name=name) from None
    return User(int(new_id), name, role, region if role == "reviewer" else None,
                body_id if role == "submitter" else None)


def list_users(engine: Engine) -> list[dict[str, Any]]:
    q = (select(users.c.id, users.c.name, users.c.role, users.c.region_code, users.c.body_id, users.c.active,
                users.c.created_at, bodies.c.name.label("body"), regions.c.name.label("region"))
         .outerjoin(bodies, bodies.c.id == users.c.body_id)
         .outerjoin(regions, regions.c.code == users.c.region_code).order_by(users.c.name))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def set_password(engine: Engine, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("web.users.short_password", n=MIN_PASSWORD)
    with engine.begin() as conn:
        done = conn.execute(update(users).where(users.c.name == name)
                            .values(password_hash=_hasher().hash(password))).rowcount
        if not done:
            raise AccountError("web.users.unknown", name=name)
        # A new password ends every open session of the account.
        conn.execute(delete(sessions).where(sessions.c.user_id == select(users.c.id).where(
            users.c.name == name).scalar_subquery()))


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(active=active))
        if not active:
            conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
            conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user_id))


# ------------------------------------------------------------------ logging in
def locked(engine: Engine, name: str, address: str, window: timedelta, per_name: int, per_address: int) -> bool:
    """Too many recent failures for this user name or this client address."""
    since = now() - window
    with engine.connect() as conn:
        by_name = conn.execute(select(func.count()).select_from(login_failures).where(
            login_failures.c.name == name, login_failures.c.at >= since)).scalar_one()
        by_address = conn.execute(select(func.count()).select_from(login_failures).where(
            login_failures.c.address == address, login_failures.c.at >= since)).scalar_one()
    return by_name >= per_name or by_address >= per_address


def authenticate(engine: Engine, name: str, password: str, address: str) -> User | None:
    """The active user with this name and password; a failure is recorded for the rate limit."""
    from argon2.exceptions import InvalidHashError, VerificationError

    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name, users.c.active.is_(True))).first()
    ok = False
    if row is not None:
        try:
            ok = _hasher().verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher().hash(password)  # the same work as a real check: timing does not tell which names exist
    if not ok:
        with engine.begin() as conn:
            conn.execute(insert(login_failures).values(name=name[:80], address=address[:64], at=now()))
        return None
    with engine.begin() as conn:
        conn.execute(delete(login_failures).where(login_failures.c.name == name))
    return _user(row)


def open_session(engine: Engine, user: User, hours: float) -> tuple[str, str]:
    """A new session: (token for the cookie, CSRF token for the forms)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires_at < now()))
        conn.execute(delete(login_failures).where(login_failures.c.at < now() - timedelta(days=1)))
        conn.execute(insert(sessions).values(token_hash=_digest(token), user_id=user.id, csrf=csrf,
                                             created_at=now(), expires_at=now() + timedelta(hours=hours)))
    return token, csrf


def session_user(engine: Engine, token: str) -> User | None:
    q = (select(users, sessions.c.csrf, sessions.c.expires_at).join(sessions, sessions.c.user_id == users.c.id)
         .where(sessions.c.token_hash == _digest(token), users.c.active.is_(True)))
    with engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None or _aware(row.expires_at) < now():
        return None
    return _user(row, row.csrf)


def close_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


# ------------------------------------------------------------------ API tokens
def add_token(engine: Engine, user_id: int, name: str) -> str:
    """A new API token for scripts; shown once, kept as its sha256."""
    token = "zfx_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(api_tokens).values(token_hash=_digest(token), user_id=user_id, name=name[:80],
                                               created_at=now()))
    return token


def token_user(engine: Engine, token: str) -> User | None:
    """The token's active user. When it was last used is noted at most once a minute: a script polling a job
    must not take the database's write lock on every request."""
    q = (select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
         .join(api_tokens, api_tokens.c.user_id == users.c.id)
         .where(api_tokens.c.token_hash == _digest(token), users.c.active.is_(True)))
    with engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        return None
    moment = now()
    if row.last_used_at is None or _aware(row.last_used_at) < moment - timedelta(minutes=1):
        with writing(engine) as conn:
            conn.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used_at=moment))
    return _user(row)


def user_by_name(engine: Engine, name: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    return _user(row) if row is not None else None

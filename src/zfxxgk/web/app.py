"""The application object: settings and the store on `app.state`, the worker pool in the lifespan, the views,
the static files, security headers, and error pages (HTML for pages, JSON under /api)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..i18n import t
from ..store import Store
from . import texts  # noqa: F401  (registers the web texts)
from .deps import LoginRequired, current_user, lang, render
from .settings import Settings

# Pages load nothing from elsewhere and run no inline script: government networks are often offline, and
# an injected <script> has nowhere to run.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """The headers above on every answer, and no caching of anything but static files (a plain ASGI
    middleware: Starlette's BaseHTTPMiddleware costs a task per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    runner = None
    if app.state.settings.start_jobs:
        from .jobs import JobRunner

        runner = JobRunner(app.state.store, app.state.settings)
        runner.start()  # re-queues what a previous run left unfinished
    app.state.jobs = runner
    try:
        yield
    finally:
        if runner is not None:
            runner.stop()
        app.state.store.close()


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="zfxxgk", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="政府信息公开工作年度报告审核 API。Token: header `Authorization: Bearer …` "
                              "(create one under 我的账户 / My account, or `zfxxgk users token NAME`).")
    app.state.settings = settings
    app.state.store = store or Store(settings.db)
    app.state.jobs = None

    from .api import router as api_router
    from .views import admin, auth, board, dashboard, drafts, reports, returns, uploads

    for module in (auth, admin, reports, uploads, board, returns, dashboard, drafts):
        app.include_router(module.router)
    app.include_router(api_router, prefix="/api/v1")
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(resources.files(__package__).joinpath("static"))), name="static")

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        language = lang(request)
        key = f"web.error.{exc.status_code}"
        known = exc.status_code in (401, 403, 404, 413)
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in ("Not Found", "Forbidden") \
            else (t(key, language) if known else str(exc.detail))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
        current_user(request)  # the page's header shows who is logged in, on error pages too
        return render(request, "error.html", {"status": exc.status_code, "detail": detail},
                      status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        return render(request, "error.html", {"status": 422, "detail": "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())},
            status_code=422)

    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    """Validation errors without the raw input (which may be bytes or huge)."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()]


def app_from_env() -> FastAPI:
    """The application of one of `zfxxgk serve --workers N`'s server processes (uvicorn's factory)."""
    from .settings import from_env

    return create_app(from_env())

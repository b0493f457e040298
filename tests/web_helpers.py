"""The web application under test: a store with real reports and one account per role, and clients.

`web_template` (once per session) ingests the five seeds and both real PDFs and adds the accounts below;
each test's `web` gets a copy of that database and an application on it (the worker pool off unless the
test starts it). Clients are Starlette's in-process TestClient: no network, no server.

Accounts (password PASSWORD for all):
- admin      admin
- reviewer   reviewer of 淮安市 (320800): sees 淮安市人民政府 and 淮安市洪泽区人民政府
- jilin      reviewer of 吉林省 (220000): sees 双阳区鹿乡镇人民政府 only
- hongze     submitter of 淮安市洪泽区人民政府
- huaian     submitter of 淮安市人民政府
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "correct horse 2024"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
HONGZE_PDF = SHARED / "real" / "hongze-district-2023.pdf"
HUAIAN_PDF = SHARED / "real" / "huaian-city-2024.pdf"


@dataclass
class Web:
    """One application on a copy of the template database."""

    path: Path
    app: Any
    bodies: dict[str, int] = field(default_factory=dict)  # body name → id
    reports: dict[str, int] = field(default_factory=dict)  # body name → current report id

    def client(self, user: str | None = None) -> Any:
        from fastapi.testclient import TestClient

        client = TestClient(self.app, base_url="http://testserver", follow_redirects=False)
        if user is not None:
            login(client, user)
        return client


def login(client: Any, user: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return client.post("/login", data={"name": user, "password": password, "csrf": token.group(1), "next": "/"})


def csrf_of(client: Any, path: str = "/account") -> str:
    """The session's CSRF token, as the page's <body data-csrf> carries it."""
    found = re.search(r'data-csrf="([^"]+)"', client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def _build(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    from sqlalchemy import select

    from zfxxgk.store import Store, file_item
    from zfxxgk.store.schema import bodies, reports
    from zfxxgk.web import blobs
    from zfxxgk.web.accounts import add_user

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    assert len(seeds) == 5 and HONGZE_PDF.exists() and HUAIAN_PDF.exists(), "../shared/fixtures is incomplete"
    with Store(str(path)) as store:
        for file in [*seeds, HONGZE_PDF, HUAIAN_PDF]:
            store.ingest(file_item(file))
        with store.engine.begin() as conn:  # the files' bytes, as an upload keeps them: the report page shows them
            for file in [*seeds, HONGZE_PDF, HUAIAN_PDF]:
                blobs.put(conn, file.read_bytes())
        with store.engine.connect() as conn:
            body_ids = {r.name: r.id for r in conn.execute(select(bodies.c.id, bodies.c.name))}
            report_ids = {r.name: r.id for r in conn.execute(
                select(bodies.c.name, reports.c.id).join(reports, reports.c.body_id == bodies.c.id)
                .where(reports.c.current.is_(True)))}
        add_user(store.engine, "admin", PASSWORD, "admin")
        add_user(store.engine, "reviewer", PASSWORD, "reviewer", region="320800")
        add_user(store.engine, "jilin", PASSWORD, "reviewer", region="220000")
        add_user(store.engine, "hongze", PASSWORD, "submitter", body_id=body_ids["淮安市洪泽区人民政府"])
        add_user(store.engine, "huaian", PASSWORD, "submitter", body_id=body_ids["淮安市人民政府"])
    return body_ids, report_ids


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], dict[str, int]]:
    from argon2.profiles import CHEAPEST

    from zfxxgk.web import accounts

    accounts.PROFILE = CHEAPEST  # test accounts need no protection: 0.1 ms a hash instead of 0.2 s
    path = tmp_path_factory.mktemp("web") / "zfxxgk.db"
    body_ids, report_ids = _build(path)
    return path, body_ids, report_ids


def make_web(tmp_path: Path, template: tuple[Path, dict[str, int], dict[str, int]], **settings: Any) -> Web:
    from zfxxgk.web.app import create_app
    from zfxxgk.web.settings import Settings

    source, body_ids, report_ids = template
    path = tmp_path / "zfxxgk.db"
    shutil.copyfile(source, path)
    settings.setdefault("start_jobs", False)
    app = create_app(Settings(db=str(path), **settings))
    return Web(path, app, dict(body_ids), dict(report_ids))


@pytest.fixture
def web(tmp_path: Path, web_template: tuple[Path, dict[str, int], dict[str, int]]) -> Iterator[Web]:
    made = make_web(tmp_path, web_template)
    yield made
    made.app.state.store.close()


# ---------------------------------------------------------------- a real server and a real browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The application served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@dataclass
class Browser:
    """A Chromium page on a live server; every console error and failed request is kept for the test to assert."""

    base: str
    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # requests to anywhere but the server

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return response

    def login(self, user: str, password: str = PASSWORD) -> None:
        self.go("/login")
        self.page.fill("input[name=name]", user)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.click("#login button[type=submit]")

    def logout(self) -> None:
        with self.page.expect_navigation():
            self.page.click("header form[action='/logout'] button")

    def shot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@contextlib.contextmanager
def browser_on(app: Any, viewport: tuple[int, int] = (1400, 1000)) -> Iterator[Browser]:
    """A live server for `app` and a fresh headless Chromium profile (Debian's chromium, driven by Playwright)."""
    import tempfile

    from playwright import sync_api

    from .conftest import CHROMIUM

    with live_server(app) as base, sync_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, accept_downloads=True,
            viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
        page = context.new_page()
        browser = Browser(base, page)
        page.on("console", lambda m: browser.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: browser.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
                else browser.outside.append(r.url))
        try:
            yield browser
        finally:
            context.close()

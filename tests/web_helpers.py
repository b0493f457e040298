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
    from zfxxgk.web.accounts import add_user

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    assert len(seeds) == 5 and HONGZE_PDF.exists() and HUAIAN_PDF.exists(), "../shared/fixtures is incomplete"
    with Store(str(path)) as store:
        for file in [*seeds, HONGZE_PDF, HUAIAN_PDF]:
            store.ingest(file_item(file))
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

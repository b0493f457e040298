"""The web application's core: logging in and out, sessions, CSRF, the login rate limit, accounts, tokens."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .web_helpers import PASSWORD, Web, csrf_of, login

# The application is started on a copy of a store with real reports: slow for the developer layer.
pytestmark = pytest.mark.slow


def test_a_visitor_is_sent_to_the_login_page_and_the_api_answers_401(web: Web) -> None:
    client = web.client()
    for path in ("/", "/account", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login"), path
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录"}


def test_log_in_see_your_account_and_log_out(web: Web) -> None:
    client = web.client()
    response = login(client, "reviewer")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "zfxxgk_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get("/account")
    assert page.status_code == 200 and "reviewer · 审核人员" in page.text
    assert client.get("/api/v1/me").json() == {"id": 2, "name": "reviewer", "role": "reviewer",
                                               "region_code": "320800", "body_id": None}
    response = client.post("/logout", data={"csrf": csrf_of(client)})
    assert response.status_code == 303
    assert client.get("/account").status_code == 303  # the session is gone on the server, not just the cookie


def test_wrong_password_is_refused_with_a_message(web: Web) -> None:
    client = web.client()
    response = login(client, "reviewer", "not the password")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert login(client, "nobody", PASSWORD).status_code == 401


def test_login_rate_limit_holds_even_for_the_right_password(web: Web) -> None:
    client = web.client()
    for _ in range(5):
        assert login(client, "hongze", "wrong password!").status_code == 401
    response = login(client, "hongze")  # right password, but the name is locked for the window
    assert response.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in response.text
    assert login(web.client(), "huaian").status_code == 303  # other names are not affected


def test_a_post_without_the_csrf_token_is_refused(web: Web) -> None:
    client = web.client("admin")
    response = client.post("/admin/users", data={"name": "x1", "password": PASSWORD, "role": "admin"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    response = client.post("/admin/users", data={"name": "x1", "password": PASSWORD, "role": "admin", "csrf": "forged"})
    assert response.status_code == 403
    # the login form has its own token: a login posted from elsewhere fails too
    other = web.client()
    assert other.post("/login", data={"name": "admin", "password": PASSWORD, "csrf": "x"}).status_code == 403


def test_admin_adds_a_user_who_can_then_log_in(web: Web) -> None:
    client = web.client("admin")
    token = csrf_of(client, "/admin/users")
    response = client.post("/admin/users", data={"name": "清河区审核", "password": PASSWORD, "role": "reviewer",
                                                 "region": "320800", "csrf": token})
    assert response.status_code == 200 and "已创建用户 清河区审核（审核人员）" in response.text
    response = client.post("/admin/users", data={"name": "bad", "password": PASSWORD, "role": "reviewer",
                                                 "region": "999999", "csrf": token})
    assert response.status_code == 400 and "区划代码 999999 不存在" in response.text
    assert login(web.client(), "清河区审核").status_code == 303


def test_only_an_admin_manages_users(web: Web) -> None:
    client = web.client("reviewer")
    assert client.get("/admin/users").status_code == 403


def test_api_token_authenticates_a_script_without_csrf(web: Web) -> None:
    client = web.client("hongze")
    page = client.post("/account/tokens", data={"name": "script", "csrf": csrf_of(client)})
    token = re.search(r'id="new-token">([^<]+)<', page.text)
    assert token and token.group(1).startswith("zfx_")
    script = web.client()
    me = script.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert me.status_code == 200 and me.json()["name"] == "hongze"
    assert script.get("/api/v1/me", headers={"Authorization": "Bearer zfx_wrong"}).status_code == 401


def test_pages_carry_security_headers_and_no_inline_script(web: Web) -> None:
    client = web.client("admin")
    response = client.get("/admin/users")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert re.findall(r"<script(?![^>]*\bsrc=)", response.text) == []
    assert "http://" not in response.text.replace("http://testserver", "") and "https://" not in response.text


def test_login_next_never_leaves_the_site(web: Web) -> None:
    client = web.client()
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/login", data={"name": "admin", "password": PASSWORD, "csrf": token, "next": target})
        assert response.headers["location"] == "/", target
        client.cookies.clear()
        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def test_english_pages(web: Web) -> None:
    client = web.client()
    page = client.get("/login?lang=en")
    assert "Log in" in page.text and 'lang="en"' in page.text


def test_users_command_takes_a_new_user_to_a_login(web: Web) -> None:
    web.app.state.store.close()
    run = subprocess.run([sys.executable, "-m", "zfxxgk", "users", "add", "新审核员", "--role", "reviewer",
                          "--region", "320813", "--password-stdin", "--db", str(web.path)],
                         input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == "已创建用户 新审核员（审核人员）"
    run = subprocess.run([sys.executable, "-m", "zfxxgk", "users", "add", "x", "--role", "submitter",
                          "--body", "不存在的机关", "--password-stdin", "--db", str(web.path)],
                         input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "机关 不存在的机关 不存在" in run.stderr
    assert login(web.client(), "新审核员").status_code == 303

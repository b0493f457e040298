"""The web application in a real browser: Debian's Chromium driven by Playwright against a live server.

Every test asserts that no page logged a console error and that nothing was requested from anywhere but the
server. Screenshots go to test-artifacts/web/ (the README shows the main ones).
"""

from __future__ import annotations

import pytest

from .web_helpers import Web, browser_on

pytestmark = pytest.mark.browser


def test_login_as_each_role_and_see_the_menu(web: Web) -> None:
    with browser_on(web.app) as b:
        b.go("/")
        assert b.page.url.endswith("/login?next=%2Freports") or "/login" in b.page.url
        b.shot("login")
        for user, role, admin_menu in (("admin", "管理员", True), ("reviewer", "审核人员", False),
                                       ("hongze", "报送单位", False)):
            b.login(user)
            assert b.page.inner_text("header .who") == f"{user} · {role}"
            assert (b.page.locator("header nav a[href='/admin/users']").count() == 1) is admin_menu
            b.logout()
            assert "/login" in b.page.url
        assert b.errors == [] and b.outside == []


def test_admin_adds_a_reviewer_in_the_browser(web: Web) -> None:
    with browser_on(web.app) as b:
        b.login("admin")
        b.go("/admin/users")
        b.page.fill("#add-user input[name=name]", "清江浦区审核")
        b.page.fill("#add-user input[name=password]", "a long password")
        b.page.select_option("#add-user select[name=role]", "reviewer")
        b.page.fill("#add-user input[name=region]", "320812")
        with b.page.expect_navigation():
            b.page.click("#add-user button[type=submit]")
        assert b.page.inner_text("p.ok") == "已创建用户 清江浦区审核（审核人员）"
        assert "清江浦区审核" in b.page.inner_text("#users")
        b.shot("users")
        assert b.errors == [] and b.outside == []

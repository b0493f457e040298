"""The web application in a real browser: Debian's Chromium driven by Playwright against a live server.

Every test asserts that no page logged a console error and that nothing was requested from anywhere but the
server. Screenshots go to test-artifacts/web/ (the README shows the main ones).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .web_helpers import HONGZE_PDF, Web, browser_on, make_web

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


def test_report_page_cell_source_box_review_and_docx_download(web: Web, tmp_path: Path) -> None:
    """A reviewer opens 洪泽's PDF report: the box drawn over the page image lies on the clicked cell (the PDF's
    text inside the box, mapped back from screen pixels to points, is the cell's value); they confirm one finding
    and dismiss another; the downloaded .docx parses back to the same cells."""
    import pdfplumber

    from zfxxgk.pipeline import parse_file

    from .outputs_helpers import mismatches

    report = web.reports["淮安市洪泽区人民政府"]
    with browser_on(web.app) as b:
        b.login("reviewer")
        b.go("/reports")
        assert b.page.locator("#reports tr[data-report]").count() == 2
        b.shot("reports")
        b.go(f"/reports/{report}")
        b.page.click('#tables td[data-cell="t2.fees.amount"]')
        b.page.wait_for_selector("#source-box:not([hidden])")
        b.page.wait_for_function("document.getElementById('source-image').complete")
        # Both rectangles in one frame: the panel scrolls the box into view smoothly, so two separate reads
        # could straddle a scroll step.
        image, box = b.page.eval_on_selector("#source-page", """el => [el.querySelector('#source-image'),
            el.querySelector('#source-box')].map(e => { const r = e.getBoundingClientRect();
            return {x: r.x, y: r.y, width: r.width, height: r.height}; })""")
        assert b.page.get_attribute("#source-image", "data-page") == "3"
        width, height = 595.0, 842.0  # 洪泽's A4 pages, in points
        x0 = (box["x"] - image["x"]) / image["width"] * width
        top = (box["y"] - image["y"]) / image["height"] * height
        x1 = x0 + box["width"] / image["width"] * width
        bottom = top + box["height"] / image["height"] * height
        with pdfplumber.open(HONGZE_PDF) as pdf:
            printed = pdf.pages[2].within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).extract_text().strip()
        assert printed == "7730.28"
        b.shot("report-source")

        findings = b.page.locator("#findings [data-review]")
        first, second = findings.nth(0).get_attribute("id"), findings.nth(1).get_attribute("id")
        assert first and second
        for finding, action in ((first, "confirm"), (second, "dismiss")):
            number = finding.removeprefix("finding-")
            with b.page.expect_navigation():
                b.page.click(f'form[data-review-form="{number}"] button[value="{action}"]')
        assert b.page.get_attribute(f"#{first}", "data-review") == "accepted"
        assert b.page.get_attribute(f"#{second}", "data-review") == "dismissed"
        assert b.page.locator(f'#{first} ol[data-history] li[data-action="confirm"][data-user="reviewer"]').count() == 1
        b.shot("report")

        with b.page.expect_download() as download:
            b.page.click('#downloads a[data-download="docx"]')
        path = tmp_path / "report.docx"
        download.value.save_as(path)
        assert b.errors == [] and b.outside == []
    parsed = parse_file(path)
    assert parsed.error is None and mismatches(web.app.state.store.load(report), parsed) == []


def test_submitter_uploads_a_pdf_and_a_docx_and_sees_the_findings(
        tmp_path: Path, web_template: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    """Through the upload form, with the application's own worker pool: a copy of 洪泽's PDF and a .docx rendered
    from seed 004 (whose sums are broken); the batch page follows the jobs to their reports."""
    from zfxxgk.inputs import load_report
    from zfxxgk.outputs.compose import compose
    from zfxxgk.outputs.generate import render_bytes

    from .conftest import seed

    pdf = tmp_path / "洪泽区2023年报.pdf"
    pdf.write_bytes(HONGZE_PDF.read_bytes() + b"\n% another copy\n")
    docx = tmp_path / "沙沟乡2020年报.docx"
    docx.write_bytes(render_bytes(compose(load_report(seed("004"))), "docx"))
    web = make_web(tmp_path, web_template, start_jobs=True)
    with browser_on(web.app) as b:
        b.login("hongze")
        b.go("/upload")
        b.page.set_input_files("#upload-files", [str(pdf), str(docx)])
        b.shot("upload")
        with b.page.expect_navigation():
            b.page.click("#upload-submit")
        for _ in range(300):  # the page follows the jobs by itself; data-finished counts the files done
            if b.page.get_attribute("#job", "data-finished") == "2":
                break
            b.page.wait_for_timeout(100)
        assert b.page.get_attribute("#job", "data-finished") == b.page.get_attribute("#job", "data-total") == "2"
        rows = b.page.locator("#job-files tr[data-job-id]")
        assert rows.count() == 2
        assert [rows.nth(i).get_attribute("data-state") for i in range(2)] == ["done", "done"]
        assert [rows.nth(i).locator(".job-name").inner_text() for i in range(2)] == [pdf.name, docx.name]
        b.shot("job")
        with b.page.expect_navigation():
            rows.nth(1).locator("a.job-report").click()
        assert b.page.get_attribute("#report-state", "data-state") == "errors"
        codes = {b.page.get_attribute(f"#findings [data-code] >> nth={i}", "data-code")
                 for i in range(b.page.locator("#findings [data-code]").count())}
        assert {"APP-BALANCE", "APP-OUTCOME-SUM"} <= codes
        assert b.page.locator("#tables td.hl-error").count() > 0
        assert b.page.locator("#read-only").count() == 1  # a submitter sees the findings but does not review them
        assert b.errors == [] and b.outside == []
    web.app.state.store.close()

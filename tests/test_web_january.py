"""The office's January (issue 11 acceptance) in Chromium, and the admin's region import page.

The browser test runs the whole month against a live server with its own job queue: the admin imports the
region 测试县 (320899 under 淮安市, its government and 19 bureaus) from a CSV at /admin/regions and adds three
submitter accounts at /admin/users, choosing the body by name; the other twelve of the fifteen submitters are
added with `zfxxgk.web.accounts.add_user` (typing fifteen forms tests nothing more). Thirteen submitters upload
their 2024 report through /upload (synthetic reports from tests/synth.py, a different seed each; three with a
broken sum, three printed with a date after 31 January, the government's too, which is due only on 31 March),
two write theirs in the form at /drafts/2024 and submit it; the five other bodies send nothing. The reviewer of
淮安市 reads the board's counts, passes two reports from the board, returns the three with errors, downloads one
rectification notice as .docx and parses it; the three bodies upload corrected reports; the board and the
dashboard's chart data change accordingly. No console error, no request to another site.

The test runs after the deadline (the machine's clock is in 2026): a report that prints no date is judged on the
day of its upload and is late. The reports uploaded here all print their date; of the two written in the browser
one types its date as the last line of section 六 (it is printed under the text, where the parser looks for it)
and the other does not, so it is late by its upload day.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from .synth import SECTION1, SECTION5, SECTION6_2021, consistent_cells, render_report, t3_outcome_rows
from .test_web_board import BUREAUS, COUNTY, GOVERNMENT, NAMES, YEAR, write_region
from .web_helpers import Web, csrf_of

ON_TIME, LATE = "2025-01-20", "2025-02-10"
UPLOADERS = NAMES[:13]  # the government and 第一局 … 第十二局
WRITERS = [BUREAUS[12], BUREAUS[13]]  # 第十三局 and 第十四局 write in the browser
BROKEN = [BUREAUS[5], BUREAUS[6], BUREAUS[7]]  # 第六、七、八局: one 予以公开 too many
PRINTED_LATE = [GOVERNMENT, BUREAUS[3], BUREAUS[4], BUREAUS[7]]  # the government's date is still on time
PASSED = [BUREAUS[0], BUREAUS[1]]
ACCOUNTS = {name: f"sub{i:02d}" for i, name in enumerate([*UPLOADERS, *WRITERS], start=1)}
BY_ADMIN = [GOVERNMENT, BUREAUS[0], BUREAUS[12]]  # accounts the admin adds in the browser
PASSWORD = "january password 2025"
GRANTED = "t3.granted.natural_person"


def cells_of(name: str) -> dict[str, Any]:
    return consistent_cells("2021", random.Random(f"january {name}"))


def broken(cells: dict[str, Any]) -> dict[str, Any]:
    """One more 予以公开 from 自然人 than the totals say: APP-OUTCOME-SUM and APP-ROW-SUM are errors."""
    return {**cells, GRANTED: int(cells[GRANTED]) + 1}


def report_file(folder: Path, name: str, cells: dict[str, Any], tag: str = "") -> Path:
    """A 2024 report as text, its date printed under the text with the body's name."""
    day = LATE if name in PRINTED_LATE else ON_TIME
    y, m, d = (int(p) for p in day.split("-"))
    path = folder / f"{name}{YEAR}年报{tag}.txt"
    path.write_text(render_report(cells, "2021", body=name, year=YEAR) + f"\n\n{name}\n{y}年{m}月{d}日\n", "utf-8")
    return path


def chart(b: Any, name: str) -> list[list[Any]]:
    """A dashboard chart's rows, asked for with the browser's own session (the chart's download link)."""
    answer = b.page.request.get(f"{b.base}/dashboard/data/{name}.json?region={COUNTY}&years={YEAR}")
    assert answer.status == 200, answer.text()[:300]
    return answer.json()["rows"]  # type: ignore[no-any-return]


def board_counts(b: Any) -> dict[str, int]:
    b.go(f"/board?region={COUNTY}&year={YEAR}")
    counts = {}
    for key in ("missing", "errors", "review", "returned", "passed", "late"):
        counts[key] = int(b.page.get_attribute(f"[data-board-count={key}]", "data-count"))
    return counts


def upload(b: Any, files: list[Path]) -> None:
    """Through the upload form; waits until the batch page says every file is done."""
    b.go("/upload")
    b.page.set_input_files("#upload-files", [str(f) for f in files])
    with b.page.expect_navigation():
        b.page.click("#upload-submit")
    for _ in range(600):  # the page follows its jobs by itself (no wait_for_function: the CSP forbids eval)
        if b.page.get_attribute("#job", "data-finished") == str(len(files)):
            break
        b.page.wait_for_timeout(100)
    assert b.page.get_attribute("#job", "data-finished") == b.page.get_attribute("#job", "data-total") == str(len(files))
    rows = b.page.locator("#job-files tr[data-job-id]")
    assert [rows.nth(i).get_attribute("data-state") for i in range(rows.count())] == ["done"] * len(files)


def write_in_browser(b: Any, name: str) -> int:
    """The clerk fills every cell and section of /drafts/2024, sees the check finish clean, and submits."""
    cells = cells_of(name)
    sixth = SECTION6_2021 + (f"\n{name}\n2025年1月25日" if name == WRITERS[0] else "")
    texts = {"1": SECTION1, "2": "该部分以表格形式报告。", "3": "该部分以表格形式报告。", "4": "该部分以表格形式报告。",
             "5": SECTION5, "6": sixth}
    b.go(f"/drafts/{YEAR}")
    b.page.wait_for_selector("#draft-check[data-state=done]")
    b.page.evaluate("""([cells, texts]) => {
        for (const input of document.querySelectorAll('#draft-form input[data-cell]'))
            input.value = cells[input.dataset.cell] ?? '0';
        for (const area of document.querySelectorAll('#draft-form textarea[data-section]'))
            area.value = texts[area.dataset.section];
    }""", [{k: str(v) for k, v in cells.items()}, texts])
    b.page.evaluate("() => document.getElementById('draft-check').setAttribute('data-state', 'stale')")
    b.page.click(f"input[data-cell='{GRANTED}']")  # a keystroke and its undoing: the page checks the form again
    b.page.keyboard.press("End")
    b.page.keyboard.type("0")
    b.page.keyboard.press("Backspace")
    b.page.wait_for_selector("#draft-check[data-state=done]", timeout=30_000)
    codes = b.page.eval_on_selector_all("#draft-findings li[data-code]", "els => els.map(e => e.dataset.code)")
    assert "APP-OUTCOME-SUM" not in codes and "APP-BALANCE" not in codes, codes
    if name == WRITERS[0]:
        b.shot("january-draft")
    with b.page.expect_navigation():
        b.page.click("#draft-submit")
    found = re.search(r"/reports/(\d+)$", b.page.url)
    assert found, b.page.url
    return int(found.group(1))


@pytest.mark.browser
@pytest.mark.slow
def test_the_offices_january_in_chromium(tmp_path: Path, web_template: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    from docx import Document

    from zfxxgk.store.schema import bodies
    from zfxxgk.web.accounts import add_user

    from .web_helpers import browser_on, make_web

    web = make_web(tmp_path, web_template, start_jobs=True)
    files = tmp_path / "files"
    files.mkdir()
    try:
        with browser_on(web.app) as b:
            # ---- the admin imports the region and adds three submitters by body name
            b.login("admin")
            b.go("/admin/regions")
            b.page.set_input_files("#regions-file", str(write_region(tmp_path / "测试县.csv")))
            with b.page.expect_navigation():
                b.page.click("#regions-submit")
            assert b.page.inner_text("#regions-summary") == "已导入 1 个区划、20 个机关（新增 21，覆盖 0）"
            b.shot("january-regions")
            for name in BY_ADMIN:
                b.go("/admin/users")
                b.page.fill("#add-user input[name=name]", ACCOUNTS[name])
                b.page.fill("#add-user input[name=password]", PASSWORD)
                b.page.select_option("#add-user select[name=role]", "submitter")
                b.page.fill("#add-user-body", name)
                with b.page.expect_navigation():
                    b.page.click("#add-user button[type=submit]")
                assert b.page.inner_text("p.ok") == f"已创建用户 {ACCOUNTS[name]}（报送单位）"
            b.shot("january-users")
            b.logout()
            with web.app.state.store.engine.connect() as conn:
                body_ids = {r.name: r.id for r in conn.execute(select(bodies.c.id, bodies.c.name)
                                                              .where(bodies.c.region_code == COUNTY))}
            assert sorted(body_ids) == sorted(NAMES)
            for name, account in ACCOUNTS.items():
                if name not in BY_ADMIN:
                    add_user(web.app.state.store.engine, account, PASSWORD, "submitter", body_id=body_ids[name])

            b.login("reviewer")
            assert board_counts(b) == {"missing": 20, "errors": 0, "review": 0, "returned": 0, "passed": 0, "late": 0}
            assert chart(b, "submissions") == [[YEAR, 20, 0, 0, 20]]
            b.logout()

            # ---- fifteen submitters: thirteen upload, two write in the browser
            for name in UPLOADERS:
                b.login(ACCOUNTS[name], PASSWORD)
                cells = broken(cells_of(name)) if name in BROKEN else cells_of(name)
                upload(b, [report_file(files, name, cells)])
                if name == BROKEN[0]:
                    b.shot("january-upload")
                b.logout()
            for name in WRITERS:
                b.login(ACCOUNTS[name], PASSWORD)
                write_in_browser(b, name)
                b.logout()

            # ---- the reviewer works the board
            b.login("reviewer")
            assert board_counts(b) == {"missing": 5, "errors": 3, "review": 12, "returned": 0, "passed": 0, "late": 4}
            rows = {b.page.get_attribute(f"#board tr[data-body='{body_ids[n]}']", "data-state"): None for n in NAMES}
            assert set(rows) == {"missing", "errors", "review"}
            late = {n for n in NAMES if b.page.get_attribute(f"#board tr[data-body='{body_ids[n]}']", "data-late") == "1"}
            assert late == {BUREAUS[3], BUREAUS[4], BUREAUS[7], WRITERS[1]}
            report_of = {n: int(b.page.get_attribute(f"#board tr[data-body='{body_ids[n]}']", "data-report"))
                         for n in [*UPLOADERS, *WRITERS]}
            errors = {n for n in NAMES if b.page.get_attribute(f"#board tr[data-body='{body_ids[n]}']", "data-state")
                      == "errors"}
            assert errors == set(BROKEN)
            b.shot("january-board")
            for name in PASSED:
                with b.page.expect_navigation():
                    b.page.click(f"#body-report-{report_of[name]} button[data-decide=pass]")
            assert b.page.get_attribute("[data-board-count=passed]", "data-count") == "2"
            findings_before = {code: (count, n) for code, _sev, count, n in chart(b, "findings")}
            assert findings_before == {"APP-OUTCOME-SUM": (3, 3), "APP-ROW-SUM": (3, 3), "META-DEADLINE": (3, 3)}
            assert chart(b, "submissions") == [[YEAR, 20, 15, 4, 5]]
            applications = chart(b, "applications")
            assert applications[0][:2] == [YEAR, 15]

            for name in BROKEN:  # returned with the errors ticked (the form ticks errors and warnings)
                b.go(f"/reports/{report_of[name]}/return")
                ticked = b.page.eval_on_selector_all("#return-findings input:checked", "els => els.length")
                assert ticked >= 2
                b.page.fill("#return-note", "请核对表三“予以公开”一行后重新报送")
                with b.page.expect_navigation():
                    b.page.click("#return-submit")
                assert b.page.url.endswith(f"/reports/{report_of[name]}/notice")
                if name == BROKEN[0]:
                    b.shot("january-notice")
                    with b.page.expect_download() as download:
                        b.page.click("#notice-docx")
                    notice = tmp_path / "notice.docx"
                    download.value.save_as(notice)
            assert board_counts(b) == {"missing": 5, "errors": 0, "review": 10, "returned": 3, "passed": 2, "late": 4}
            b.logout()

            doc = Document(io.BytesIO(notice.read_bytes()))
            paragraphs = [p.text for p in doc.paragraphs]
            assert paragraphs[0] == f"关于《{BROKEN[0]}{YEAR}年政府信息公开工作年度报告》的整改意见"
            assert paragraphs[1] == f"{BROKEN[0]}："
            (table,) = doc.tables
            rows_ = [[c.text for c in row.cells] for row in table.rows]
            assert rows_[0] == ["序号", "表格", "行", "列", "填报值", "问题", "应当满足"]
            # 1: APP-ROW-SUM names the seven cells of the row 予以公开; 2: APP-OUTCOME-SUM the 自然人 column, every
            # outcome and the total (22 cells); each with its printed value
            sent = broken(cells_of(BROKEN[0]))
            t3, result = "表三（依申请公开）", "三、本年度办理结果·"
            row_cells = [(t3, f"{result}（一）予以公开", column, str(sent[f"t3.granted.{cid}"]))
                         for column, cid in (("自然人", "natural_person"), ("法人或其他组织·商业企业", "commercial"),
                                             ("法人或其他组织·科研机构", "research"), ("法人或其他组织·社会公益组织", "nonprofit"),
                                             ("法人或其他组织·法律服务机构", "legal_service"), ("法人或其他组织·其他", "other_org"),
                                             ("总计", "total"))]
            assert [tuple(r[1:5]) for r in rows_[1:] if r[0] == "1"] == row_cells
            applicants = [int(sent[f"t3.granted.{c}"]) for c in
                          ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")]
            assert {r[5] for r in rows_[1:] if r[0] == "1"} == {
                f"“（一）予以公开”行：各类申请人之和 {' + '.join(map(str, applicants))} = {sum(applicants)}，"
                f"但总计为 {sent['t3.granted.total']}"}
            column = [r for r in rows_[1:] if r[0] == "2"]
            assert [(r[1], r[3]) for r in column] == [(t3, "自然人")] * 22
            assert column[0][2] == f"{result}（一）予以公开" and column[-1][2] == f"{result}（七）总计"
            assert [r[4] for r in column] == [str(sent[f"{row}.natural_person"]) for row in t3_outcome_rows("2021")] + \
                [str(sent["t3.total.natural_person"])]
            assert len(rows_) == 1 + 7 + 22

            # ---- the three bodies see the notice and re-submit corrected reports
            for name in BROKEN:
                b.login(ACCOUNTS[name], PASSWORD)
                b.go("/notifications")
                assert b.page.locator("#notifications li.notification[data-kind=returned]").count() == 1
                upload(b, [report_file(files, name, cells_of(name), tag="（修改）")])
                b.logout()

            b.login("reviewer")
            assert board_counts(b) == {"missing": 5, "errors": 0, "review": 13, "returned": 0, "passed": 2, "late": 4}
            b.shot("january-board-after")
            findings_after = {code: (count, n) for code, _sev, count, n in chart(b, "findings")}
            assert findings_after == {"META-DEADLINE": (3, 3)}  # 第八局's corrected report still prints its late date
            assert chart(b, "submissions") == [[YEAR, 20, 15, 4, 5]]
            assert chart(b, "applications") == applications  # the corrections changed no total
            b.go(f"/dashboard?region={COUNTY}&years=2023-{YEAR}")
            for name in ("applications", "corrections", "findings", "submissions"):
                b.page.wait_for_selector(f"#chart-{name}[data-ready='1']", timeout=10_000)
            b.shot("january-dashboard")
            assert b.errors == [] and b.outside == []
    finally:
        web.app.state.store.close()


# ---------------------------------------------------------------- the admin's import page without a browser

@pytest.mark.slow
def test_region_import_page_imports_all_or_nothing(web: Web, tmp_path: Path) -> None:
    client = web.client("admin")
    assert client.get("/admin/regions").status_code == 200
    token = csrf_of(client, "/admin/regions")
    bad = "code,name,parent_code,level\n320899,测试县,320800,county\n320899001,测试县第一局,320898,body\n"
    answer = client.post("/admin/regions", data={"csrf": token},
                         files={"file": ("测试县.csv", bad.encode(), "text/csv")})
    assert answer.status_code == 400
    assert "区划文件第 3 行：320899001（测试县第一局）的上级代码 320898 不存在（文件和已有区划中都没有）；未导入任何一行" in answer.text
    from zfxxgk.store.schema import bodies, regions

    with web.app.state.store.engine.connect() as conn:
        assert conn.execute(select(regions.c.code).where(regions.c.code == COUNTY)).first() is None
    columns = client.post("/admin/regions", data={"csrf": token},
                          files={"file": ("../../x.csv", b"code,name\n1,a\n", "text/csv")})
    assert columns.status_code == 400 and "区划文件 x.csv 缺少列：parent_code, level" in columns.text
    good = write_region(tmp_path / "r.csv").read_bytes()
    done = client.post("/admin/regions", data={"csrf": token}, files={"file": ("r.csv", good, "text/csv")})
    assert done.status_code == 200 and "已导入 1 个区划、20 个机关（新增 21，覆盖 0）" in done.text
    again = client.post("/admin/regions", data={"csrf": token}, files={"file": ("r.csv", good, "text/csv")})
    assert "已导入 1 个区划、20 个机关（新增 0，覆盖 21）" in again.text
    with web.app.state.store.engine.connect() as conn:
        assert len(conn.execute(select(bodies.c.id).where(bodies.c.region_code == COUNTY)).all()) == 20


@pytest.mark.slow
def test_region_import_page_is_for_admins_with_csrf_and_a_size_limit(web: Web) -> None:
    from zfxxgk.web.views.admin import REGIONS_LIMIT

    reviewer = web.client("reviewer")
    assert reviewer.get("/admin/regions").status_code == 403
    assert reviewer.post("/admin/regions", data={"csrf": csrf_of(reviewer)},
                         files={"file": ("r.csv", b"code,name,parent_code,level\n", "text/csv")}).status_code == 403
    admin = web.client("admin")
    assert admin.post("/admin/regions", data={"csrf": "forged"},
                      files={"file": ("r.csv", b"code,name,parent_code,level\n", "text/csv")}).status_code == 403
    token = csrf_of(admin)
    big = admin.post("/admin/regions", data={"csrf": token}, files={"file": ("r.csv", b"x" * (REGIONS_LIMIT + 1), "text/csv")})
    assert big.status_code == 413
    huge = admin.post("/admin/regions", data={"csrf": token},
                      files={"file": ("r.csv", b"x" * (REGIONS_LIMIT + 100 * 1024), "text/csv")})
    assert huge.status_code == 413 and "文件超过 5 MB 的限制，未导入" in huge.text
    empty = admin.post("/admin/regions", data={"csrf": token}, files={"file": ("r.csv", b"", "text/csv")})
    assert empty.status_code == 400 and "文件为空，未导入" in empty.text
    assert 'href="/admin/regions"' in admin.get("/reports").text
    assert 'href="/admin/regions"' not in reviewer.get("/reports").text


@pytest.mark.slow
def test_admin_adds_a_submitter_by_body_name(web: Web) -> None:
    admin = web.client("admin")
    page = admin.get("/admin/users").text
    assert '<option value="淮安市洪泽区人民政府" data-body="' in page
    token = csrf_of(admin)
    made = admin.post("/admin/users", data={"csrf": token, "name": "洪泽二", "password": PASSWORD, "role": "submitter",
                                            "body": "淮安市洪泽区人民政府"})
    assert made.status_code == 200 and "已创建用户 洪泽二（报送单位）" in made.text
    by_id = admin.post("/admin/users", data={"csrf": token, "name": "洪泽三", "password": PASSWORD, "role": "submitter",
                                             "body": str(web.bodies["淮安市洪泽区人民政府"])})
    assert by_id.status_code == 200
    unknown = admin.post("/admin/users", data={"csrf": token, "name": "无名", "password": PASSWORD, "role": "submitter",
                                               "body": "没有这个机关"})
    assert unknown.status_code == 400 and "机关 没有这个机关 不存在" in unknown.text
    from zfxxgk.store.schema import users

    with web.app.state.store.engine.connect() as conn:
        assert dict(conn.execute(select(users.c.name, users.c.body_id).where(users.c.name.in_(["洪泽二", "洪泽三"]))).all()) == \
            {"洪泽二": web.bodies["淮安市洪泽区人民政府"], "洪泽三": web.bodies["淮安市洪泽区人民政府"]}


@pytest.mark.slow
def test_a_starting_server_reads_the_dashboards_facts(web: Web) -> None:
    """`warm` (run by a thread at start) fills the per-process facts; the charts are the same with them as without."""
    import threading

    from fastapi.testclient import TestClient

    from zfxxgk.store.schema import reports
    from zfxxgk.web.accounts import User
    from zfxxgk.web.views import dashboard

    engine = web.app.state.store.engine
    with engine.connect() as conn:
        dated = conn.execute(select(reports.c.id, reports.c.current).where(reports.c.year.is_not(None))).all()
        admin = User(1, "admin", "admin", None, None)
        years = sorted({y for (y,) in conn.execute(select(reports.c.year).where(reports.c.year.is_not(None)))})
        fresh = {chart: dashboard.chart_data(conn, admin, chart, "", years, "zh") for chart in dashboard.CHARTS}
    assert len(dated) == 7
    dashboard._FACTS.pop(engine, None)
    stopped = threading.Event()
    stopped.set()
    assert dashboard.warm(engine, stopped) == 0 and dashboard.facts_of(engine).dates == {}
    assert dashboard.warm(engine, limit=3) == 3 and len(dashboard.facts_of(engine).dates) == 3
    assert dashboard.warm(engine) == 7
    known = dashboard.facts_of(engine)
    assert set(known.dates) == {rid for rid, _current in dated}
    assert set(known.sums) == {rid for rid, current in dated if current}
    with engine.connect() as conn:
        assert {chart: dashboard.chart_data(conn, admin, chart, "", years, "zh") for chart in dashboard.CHARTS} == fresh
    dashboard._FACTS.pop(engine, None)
    with TestClient(web.app):  # the lifespan: the server's start runs `warm` in a thread
        for thread in threading.enumerate():
            if thread.name == "dashboard-warm":
                thread.join(30)
    assert set(dashboard.facts_of(engine).dates) == {rid for rid, _current in dated}

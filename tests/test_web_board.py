"""The year's board and the dashboard (issue 11 parts 1 and 3): an office's region of 20 bodies, some reports.

The region 测试县 (320899, under 淮安市 320800) is imported with `regions import`: its government and 19 bureaus.
Reports on 2024 are synthetic (tests/synth.py, seeded), stored with the body assigned; the upload time is set
in the database where a test needs it, and a printed date is added under the text where it needs one.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from zfxxgk.cli import app as cli
from zfxxgk.store import Store, file_item
from zfxxgk.store.schema import bodies, reports, users

from .synth import consistent_cells, render_report
from .web_helpers import Web, csrf_of

pytestmark = pytest.mark.slow

COUNTY = "320899"
GOVERNMENT = "测试县人民政府"
BUREAUS = [f"测试县第{n}局" for n in "一二三四五六七八九十"] + [f"测试县第十{n}局" for n in "一二三四五六七八九"]
NAMES = [GOVERNMENT, *BUREAUS]  # 20 bodies
YEAR = 2024


def write_region(path: Path) -> Path:
    lines = ["code,name,parent_code,level,aliases", f"{COUNTY},测试县,320800,county,"]
    lines += [f"{COUNTY}{i:03d},{name},{COUNTY},body," for i, name in enumerate(NAMES, start=1)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def cells_for(seed: int) -> dict[str, Any]:
    return consistent_cells("2021", random.Random(seed))


def report_file(tmp: Path, name: str, cells: dict[str, Any], *, signed: str | None = None, tag: str = "") -> Path:
    """A 2024 report of `name` as text; `signed` (2025-01-15) prints that date under the text."""
    text = render_report(cells, "2021", body=name, year=YEAR)
    if signed is not None:
        y, m, d = (int(p) for p in signed.split("-"))
        text += f"\n\n{name}\n{y}年{m}月{d}日\n"
    text += f"\n{tag}\n" if tag else ""
    path = tmp / f"{name}-{signed or 'x'}-{tag or 'a'}.txt"
    path.write_text(text, "utf-8")
    return path


def ingest(web: Web, tmp: Path, name: str, cells: dict[str, Any], *, signed: str | None = None,
           uploaded: datetime | None = None, tag: str = "") -> int:
    with Store(str(web.path)) as store:
        done = store.ingest(file_item(report_file(tmp, name, cells, signed=signed, tag=tag)), body=name)
        assert done.report_id is not None
        if uploaded is not None:
            with store.engine.begin() as conn:
                conn.execute(update(reports).where(reports.c.id == done.report_id).values(ingested_at=uploaded))
        return int(done.report_id)


def broken(cells: dict[str, Any]) -> dict[str, Any]:
    """One more 予以公开 from 自然人 than the totals say: APP-OUTCOME-SUM and APP-BALANCE are errors."""
    out = dict(cells)
    out["t3.granted.natural_person"] = int(out["t3.granted.natural_person"]) + 1
    return out


ON_TIME = datetime(2025, 1, 20, 3, 0, tzinfo=UTC)
AFTER = datetime(2025, 2, 10, 3, 0, tzinfo=UTC)
# 2025-01-31 23:30 in China is still the 31st there: on time; the same instant is 15:30 UTC.
LAST_MINUTE = datetime(2025, 1, 31, 15, 30, tzinfo=UTC)
JUST_LATE = datetime(2025, 1, 31, 16, 30, tzinfo=UTC)  # 2025-02-01 00:30 in China


@pytest.fixture
def office(web: Web, tmp_path: Path) -> dict[str, Any]:
    """The region imported, and 13 of its 20 bodies with a 2024 report (the other 7 have none)."""
    result = CliRunner().invoke(cli, ["regions", "import", str(write_region(tmp_path / "region.csv")),
                                      "--db", str(web.path)])
    assert result.exit_code == 0, result.output
    cells = {name: cells_for(i) for i, name in enumerate(NAMES)}
    ids: dict[str, int] = {}
    # clean, on time (upload date) / late (upload date) / the government: 31 March for it
    ids[BUREAUS[0]] = ingest(web, tmp_path, BUREAUS[0], cells[BUREAUS[0]], uploaded=ON_TIME)
    ids[BUREAUS[1]] = ingest(web, tmp_path, BUREAUS[1], cells[BUREAUS[1]], uploaded=AFTER)
    ids[GOVERNMENT] = ingest(web, tmp_path, GOVERNMENT, cells[GOVERNMENT], uploaded=AFTER)
    # a printed date decides over the upload time
    ids[BUREAUS[2]] = ingest(web, tmp_path, BUREAUS[2], cells[BUREAUS[2]], signed="2025-01-15")
    ids[BUREAUS[3]] = ingest(web, tmp_path, BUREAUS[3], cells[BUREAUS[3]], signed="2025-02-05", uploaded=ON_TIME)
    # the day in China decides
    ids[BUREAUS[4]] = ingest(web, tmp_path, BUREAUS[4], cells[BUREAUS[4]], uploaded=LAST_MINUTE)
    ids[BUREAUS[5]] = ingest(web, tmp_path, BUREAUS[5], cells[BUREAUS[5]], uploaded=JUST_LATE)
    # with errors: two on time, one late
    for i, when in ((6, ON_TIME), (7, ON_TIME), (8, AFTER)):
        ids[BUREAUS[i]] = ingest(web, tmp_path, BUREAUS[i], broken(cells[BUREAUS[i]]), uploaded=when)
    # three more clean ones on time (to be returned and passed)
    for i in (9, 10, 11):
        ids[BUREAUS[i]] = ingest(web, tmp_path, BUREAUS[i], cells[BUREAUS[i]], uploaded=ON_TIME)
    with Store(str(web.path)) as store, store.engine.connect() as conn:
        placed = dict(conn.execute(select(reports.c.id, bodies.c.name).join(bodies, bodies.c.id == reports.c.body_id)
                                   .where(reports.c.id.in_(ids.values()))).all())
    assert {placed[i] for i in ids.values()} == set(ids), "every report is placed under its body"
    return {"ids": ids, "cells": cells, "tmp": tmp_path}


def board(client: Any, query: str = "") -> dict[str, Any]:
    """The page's counts and rows, read from its data attributes."""
    import re

    page = client.get(f"/board?region={COUNTY}&year={YEAR}{query}")
    assert page.status_code == 200, page.text[:300]
    counts = {k: int(v) for k, v in re.findall(r'data-board-count="(\w+)" data-count="(\d+)"', page.text)}
    rows = re.findall(r'<tr data-body="\d+" data-state="(\w+)" data-late="(\d)"(?: data-report="(\d+)")?', page.text)
    return {"counts": counts, "rows": [(s, late == "1", int(r) if r else None) for s, late, r in rows],
            "text": page.text}


def test_board_counts_states_and_late_flags(web: Web, office: dict[str, Any]) -> None:
    ids = office["ids"]
    seen = board(web.client("reviewer"))
    assert seen["counts"] == {"missing": 7, "errors": 3, "review": 10, "returned": 0, "passed": 0, "late": 4}
    by_report = {r: (s, late) for s, late, r in seen["rows"] if r is not None}
    late = {name for name, rid in ids.items() if by_report[rid][1]}
    assert late == {BUREAUS[1], BUREAUS[3], BUREAUS[5], BUREAUS[8]}
    assert {name for name, rid in ids.items() if by_report[rid][0] == "errors"} == {BUREAUS[6], BUREAUS[7], BUREAUS[8]}
    assert len(seen["rows"]) == 20 and sum(1 for s, _l, r in seen["rows"] if r is None and s == "missing") == 7
    assert f'href="/reports/{ids[BUREAUS[0]]}"' in seen["text"]
    # filters: the counts follow the late and name filters, the rows also the state
    assert board(web.client("reviewer"), "&late=yes")["counts"] == \
        {"missing": 0, "errors": 1, "review": 3, "returned": 0, "passed": 0, "late": 4}
    only_errors = board(web.client("reviewer"), "&state=errors")
    assert sorted(r for _s, _l, r in only_errors["rows"]) == sorted(ids[BUREAUS[i]] for i in (6, 7, 8))
    named = board(web.client("reviewer"), "&body=第十")
    assert len(named["rows"]) == 10 and named["counts"]["missing"] == 7 and named["counts"]["review"] == 3


def test_decisions_change_the_state_and_a_resubmission_starts_again(web: Web, office: dict[str, Any]) -> None:
    from zfxxgk.web import decisions
    from zfxxgk.web.accounts import User

    ids = office["ids"]
    client = web.client("reviewer")
    token = csrf_of(client)
    back = f"region={COUNTY}&year={YEAR}"
    passed = client.post("/board/decide", data={"csrf": token, "report_id": ids[BUREAUS[9]], "action": "pass",
                                                "back": back})
    assert passed.status_code == 303 and passed.headers["location"].startswith(f"/board?{back}")
    with web.app.state.store.engine.connect() as conn:
        reviewer_id = conn.execute(select(users.c.id).where(users.c.name == "reviewer")).scalar_one()
    reviewer = User(reviewer_id, "reviewer", "reviewer", "320800", None)
    decisions.decide(web.app.state.store.engine, reviewer, ids[BUREAUS[10]], "return", note="表三合计有误")
    decisions.decide(web.app.state.store.engine, reviewer, ids[BUREAUS[6]], "return")
    assert board(client)["counts"] == {"missing": 7, "errors": 2, "review": 8, "returned": 2, "passed": 1, "late": 4}
    with web.app.state.store.engine.connect() as conn:
        assert decisions.state_of(conn, ids[BUREAUS[9]]) == "passed"
        assert decisions.states_of(conn, [ids[BUREAUS[10]], ids[BUREAUS[6]], ids[BUREAUS[11]]]) == \
            {ids[BUREAUS[10]]: "returned", ids[BUREAUS[6]]: "returned", ids[BUREAUS[11]]: "review"}
        assert decisions.state_of(conn, None) == "missing"
    # reopen from the board: back under review
    client.post("/board/decide", data={"csrf": token, "report_id": ids[BUREAUS[9]], "action": "reopen", "back": back})
    # the board refuses to return (the report page chooses the findings) and a forged form
    assert client.post("/board/decide", data={"csrf": token, "report_id": ids[BUREAUS[11]],
                                               "action": "return"}).status_code == 400
    assert client.post("/board/decide", data={"csrf": "forged", "report_id": ids[BUREAUS[11]],
                                               "action": "pass"}).status_code == 403
    # a correct re-submission of the returned report with errors: a new revision, no decision, no errors
    resubmitted = ingest(web, office["tmp"], BUREAUS[6], office["cells"][BUREAUS[6]], uploaded=AFTER, tag="修订")
    assert resubmitted != ids[BUREAUS[6]]
    seen = board(client)
    assert seen["counts"] == {"missing": 7, "errors": 2, "review": 10, "returned": 1, "passed": 0, "late": 4}
    # the first upload (on time) decides, not the re-submission's
    assert ("review", False, resubmitted) in seen["rows"]
    # a decision on the old revision is refused; on another region's report: not found
    with pytest.raises(Exception) as old:
        decisions.decide(web.app.state.store.engine, reviewer, ids[BUREAUS[6]], "pass")
    assert getattr(old.value, "status_code", None) == 409
    jilin = User(reviewer.id, "jilin", "reviewer", "220000", None)
    with pytest.raises(Exception) as hidden:
        decisions.decide(web.app.state.store.engine, jilin, resubmitted, "pass")
    assert getattr(hidden.value, "status_code", None) == 404


def test_board_excel_export_has_the_rows_shown(web: Web, office: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    ids = office["ids"]
    got = web.client("reviewer").get(f"/board.xlsx?region={COUNTY}&year={YEAR}&late=yes")
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(got.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["机关", "区划代码", "区划", "状态", "逾期", "日期", "日期依据", "期限", "报告编号", "修订版", "错误", "警告"]
    body_rows = {r[0]: r for r in rows[1:]}
    assert sorted(body_rows) == sorted([BUREAUS[1], BUREAUS[3], BUREAUS[5], BUREAUS[8]])
    assert body_rows[BUREAUS[3]][1:10] == [COUNTY, "测试县", "待审核", "是", datetime(2025, 2, 5), "发布日期",
                                          datetime(2025, 1, 31), ids[BUREAUS[3]], 1]
    assert body_rows[BUREAUS[5]][5:7] == [datetime(2025, 2, 1), "上传日期"]
    assert body_rows[BUREAUS[8]][3] == "有错误" and body_rows[BUREAUS[8]][10] >= 1
    everything = web.client("reviewer").get(f"/board.xlsx?region={COUNTY}&year={YEAR}&lang=en")
    all_rows = list(load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True))
    assert len(all_rows) == 21 and all_rows[0][0] == "Body"
    government = next(r for r in all_rows if r[0] == GOVERNMENT)
    assert government[3:8] == ("under review", None, datetime(2025, 2, 10), "uploaded", datetime(2025, 3, 31))


def test_board_access(web: Web, office: dict[str, Any]) -> None:
    jilin = web.client("jilin")
    assert jilin.get(f"/board?region={COUNTY}&year={YEAR}").status_code == 404
    assert jilin.get(f"/board.xlsx?region={COUNTY}&year={YEAR}").status_code == 404
    own = jilin.get(f"/board?year={YEAR}")
    assert own.status_code == 200 and "测试县" not in own.text
    assert jilin.get(f"/dashboard/data/applications.json?region={COUNTY}&years={YEAR}").status_code == 404
    jilin_own = jilin.get(f"/dashboard/data/submissions.json?years={YEAR}").json()
    assert jilin_own["region"] == "220000" and jilin_own["rows"] == [[YEAR, 1, 0, 0, 1]]
    hongze = web.client("hongze")
    assert hongze.get("/board").status_code == 403 and hongze.get("/dashboard").status_code == 403
    assert hongze.get(f"/dashboard/data/findings.json?region={COUNTY}&years={YEAR}").status_code == 403
    token = csrf_of(hongze)
    assert hongze.post("/board/decide", data={"csrf": token, "report_id": office["ids"][BUREAUS[0]],
                                              "action": "pass"}).status_code == 404
    assert web.client().get("/board").status_code == 303  # to the login page
    # the reviewer's default region is their own; an admin picks one (or sees every body)
    assert 'data-region="320800"' in web.client("reviewer").get(f"/board?year={YEAR}").text
    admin = board(web.client("admin"))
    assert admin["counts"]["missing"] == 7 and len(admin["rows"]) == 20


def test_dashboard_figures(web: Web, office: dict[str, Any]) -> None:
    cells = office["cells"]
    ok = [n for i, n in enumerate(NAMES) if n in office["ids"]]
    ok_cells = [broken(cells[n]) if n in (BUREAUS[6], BUREAUS[7], BUREAUS[8]) else cells[n] for n in ok]
    client = web.client("reviewer")

    def total(ids: list[str]) -> int:
        return sum(int(c[i]) for c in ok_cells for i in ids)

    apps = client.get(f"/dashboard/data/applications.json?region={COUNTY}&years=2023-2024").json()
    assert apps["columns"] == ["year", "reports", "received", "granted", "partially_granted", "withheld", "unable",
                               "rejected"]
    withheld = [f"t3.withheld.{k}.total" for k in ("state_secret", "law_prohibited", "security_stability",
                                                     "third_party", "internal_affairs", "process_info",
                                                     "enforcement_files", "query_matters")]
    assert apps["rows"] == [
        [2023, 0, 0, 0, 0, 0, 0, 0],
        [2024, 13, total(["t3.new_received.total"]), total(["t3.granted.total"]), total(["t3.partially_granted.total"]),
         total(withheld), total([f"t3.unable.{k}.total" for k in ("not_held", "needs_creation", "unclear")]),
         total([f"t3.rejected.{k}.total" for k in ("complaint", "duplicate", "publication", "excessive",
                                                    "confirmation")])]]
    corrected = client.get(f"/dashboard/data/corrections.json?region={COUNTY}&years={YEAR}").json()
    n, of = total(["t4.review.corrected"]), total([f"t4.review.{p}" for p in ("upheld", "corrected", "other")])
    row = corrected["rows"][0]
    assert row[:4] == [YEAR, float((Decimal(n) / Decimal(of)).quantize(Decimal("0.0001"))) if of else None, n, of]
    subs = client.get(f"/dashboard/data/submissions.json?region={COUNTY}&years=2023-2024").json()
    assert subs["rows"] == [[2023, 20, 0, 0, 20], [2024, 20, 13, 4, 7]]
    found = client.get(f"/dashboard/data/findings.json?region={COUNTY}&years={YEAR}").json()
    counts = {code: (count, n_reports) for code, _sev, count, n_reports in found["rows"]}
    assert counts["APP-OUTCOME-SUM"][1] == 3 and counts["META-DEADLINE"] == (1, 1)
    csv_text = client.get(f"/dashboard/data/submissions.csv?region={COUNTY}&years=2023-2024").text
    assert csv_text == "\ufeff年度,应报送机关,已报送,逾期,未报送\r\n2023,20,0,0,20\r\n2024,20,13,4,7\r\n"
    page = client.get(f"/dashboard?region={COUNTY}&years=2023-2024")
    assert page.status_code == 200 and 'src="/static/echarts/echarts.min.js"' in page.text
    assert f'data-src="/dashboard/data/findings.json?region={COUNTY}&amp;years=2023-2024"' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    assert client.get("/dashboard?years=2024-2020").status_code == 422
    assert client.get("/dashboard/data/nothing.json").status_code == 404
    echarts = client.get("/static/echarts/echarts.min.js")
    assert echarts.status_code == 200 and "Apache" in echarts.text[:400]


@pytest.mark.browser
def test_board_and_dashboard_in_chromium(web: Web, office: dict[str, Any]) -> None:
    from .web_helpers import browser_on

    with browser_on(web.app) as b:
        b.login("reviewer")
        b.go(f"/board?region={COUNTY}&year={YEAR}")
        assert b.page.locator("#board tr[data-body]").count() == 20
        assert b.page.get_attribute("[data-board-count=errors]", "data-count") == "3"
        b.page.select_option("#board-state", "errors")
        with b.page.expect_navigation():
            b.page.click("#board-filter")
        assert b.page.locator("#board tr[data-body]").count() == 3
        b.go(f"/board?region={COUNTY}&year={YEAR}")
        with b.page.expect_navigation():
            b.page.click(f"#body-report-{office['ids'][BUREAUS[0]]} button[data-decide=pass]")
        assert b.page.get_attribute("[data-board-count=passed]", "data-count") == "1"
        b.shot("board")
        b.go(f"/dashboard?region={COUNTY}&years=2022-2024")
        for chart in ("applications", "corrections", "findings", "submissions"):
            b.page.wait_for_selector(f"#chart-{chart}[data-ready='1']", timeout=10_000)
            assert b.page.locator(f"#chart-{chart} canvas").count() >= 1
        assert b.page.get_attribute("#chart-submissions", "data-rows") == "3"
        b.shot("dashboard")
        assert b.errors == [] and b.outside == []


def test_board_and_dashboard_queries_on_each_database(db_url: str, tmp_path: Path) -> None:
    """The same rows and figures from SQLite and PostgreSQL (substr of a bytea, NUMERIC sums, correlated counts)."""
    from zfxxgk.store.regions_import import import_regions, read_regions_csv
    from zfxxgk.web import decisions
    from zfxxgk.web.accounts import User, add_user
    from zfxxgk.web.views.board import board_rows
    from zfxxgk.web.views.dashboard import chart_data

    with Store(db_url) as store:
        import_regions(store, read_regions_csv(write_region(tmp_path / "region.csv")))
        clean, bad = cells_for(1), broken(cells_for(2))
        done = [store.ingest(file_item(report_file(tmp_path, BUREAUS[0], clean, signed="2025-02-03")), body=BUREAUS[0]),
                store.ingest(file_item(report_file(tmp_path, BUREAUS[1], bad)), body=BUREAUS[1])]
        with store.engine.begin() as conn:
            conn.execute(update(reports).where(reports.c.id == done[1].report_id).values(ingested_at=ON_TIME))
        add_user(store.engine, "boss", "a long enough password", "admin")
        with store.engine.connect() as conn:
            admin = User(conn.execute(select(users.c.id)).scalar_one(), "boss", "admin", None, None)
        decisions.decide(store.engine, admin, int(done[0].report_id or 0), "pass")
        with store.engine.connect() as conn:
            rows = {r["body"]: r for r in board_rows(conn, admin, COUNTY, YEAR)}
            assert len(rows) == 20
            assert [(rows[b]["state"], rows[b]["late"], rows[b]["basis"]) for b in BUREAUS[:3]] == \
                [("passed", True, "published"), ("errors", False, "uploaded"), ("missing", False, None)]
            assert chart_data(conn, admin, "submissions", COUNTY, [YEAR], "zh")["rows"] == [[YEAR, 20, 2, 1, 18]]
            apps = chart_data(conn, admin, "applications", COUNTY, [YEAR], "en")
            assert apps["rows"][0][:3] == [YEAR, 2, int(clean["t3.new_received.total"]) + int(bad["t3.new_received.total"])]
            assert apps["labels"]["received"] == "new applications"

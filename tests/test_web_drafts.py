"""Writing a report in the browser (issue 11, part 4): pre-fill from last year, the live check, save, submit,
the official .docx, access and CSRF.

Last year's report is a seed stored as 淮安市洪泽区人民政府's report for 2020, with distinct numbers carried
forward (the seeds all carry 0), so that the pre-fill of 2021's 上年结转 shows which value went where.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from zfxxgk.pipeline import parse_bytes, parse_file
from zfxxgk.report import Cell, Report
from zfxxgk.rules import run_checks
from zfxxgk.store.schema import drafts
from zfxxgk.templates import FORMATS
from zfxxgk.values import Kind

from .web_helpers import SHARED, Web, browser_on, csrf_of

pytestmark = pytest.mark.slow

HONGZE = "淮安市洪泽区人民政府"
HUAIAN = "淮安市人民政府"
SEED = SHARED / "seeds" / "001_61225cc98c41ed80.txt"
CELLS = FORMATS["2021"].cell_ids()
COLUMNS = [c.id for c in FORMATS["2021"].tables["t3"].columns]
CARRIED = dict(zip(COLUMNS, [4, 2, 0, 1, 0, 3, 10], strict=True))  # last year's 结转下年度继续办理, by column


def _last_year(web: Web) -> Report:
    """The seed as the body's 2020 report, carrying 4/2/0/1/0/3 (10) applications into 2021."""
    report = parse_file(SEED)
    for col, value in CARRIED.items():
        cid = f"t3.carried_forward.{col}"
        report.cells[cid] = Cell(cid, value, str(value), Kind.NUMBER)
    report.sha256 = hashlib.sha256(b"hongze 2020 from a seed").hexdigest()
    run_checks(report)
    web.app.state.store.store(report, "hongze-2020.txt", 1000, body=HONGZE, year=2020)
    return report


def _inputs(page: str) -> dict[str, str]:
    """The form's cells as the page shows them: cell id -> the input's value."""
    found = re.findall(r'<input type="text"[^>]*name="c-([^"]+)"[^>]*value="([^"]*)"', page)
    return {cid: html.unescape(value) for cid, value in found}


def _texts(page: str) -> dict[str, str]:
    found = re.findall(r'<textarea name="s-(\d)"[^>]*>(.*?)</textarea>', page, re.S)
    return {n: html.unescape(text) for n, text in found}


def _filled() -> tuple[dict[str, str], dict[str, str]]:
    """Every cell a distinct number (amounts with decimals), every section its own text."""
    cells = {cid: (f"{i}.25" if cid.endswith(".amount") else str(i)) for i, cid in enumerate(CELLS, start=1)}
    sections = {str(n): f"第{n}部分第一段：本年度工作按计划推进，共开展培训{n}次。\n第二段：下一步继续完善制度。"
                for n in range(1, 7)}
    return cells, sections


def _form(csrf: str, cells: dict[str, str], sections: dict[str, str]) -> dict[str, str]:
    return {"csrf": csrf, **{f"c-{cid}": v for cid, v in cells.items()}, **{f"s-{n}": t for n, t in sections.items()}}


def _number(text: str) -> Any:
    value = Decimal(text)
    return int(value) if "." not in text else value


# ------------------------------------------------------------------ pre-fill
def test_prefill_copies_last_years_carried_forward_into_carried_over(web: Web) -> None:
    last = _last_year(web)
    client = web.client("hongze")
    page = client.get("/drafts/2021")
    assert page.status_code == 200
    values = _inputs(page.text)
    assert len(values) == len(CELLS)
    assert {col: values[f"t3.carried_over.{col}"] for col in COLUMNS} == {c: str(v) for c, v in CARRIED.items()}
    assert all(values[cid] == "" for cid in CELLS if not cid.startswith("t3.carried_over."))  # 2019 has no in_force
    texts = _texts(page.text)
    assert texts["1"] == last.sections[1].text and texts["5"] == last.sections[5].text
    assert 'id="draft-prefill"' in page.text and "2020" in page.text
    for col in COLUMNS:  # shaded as carried from last year
        assert re.search(rf'<td class="value carried" data-cell="t3.carried_over.{col}"', page.text)
    assert web.app.state.store.engine.connect().execute(select(drafts)).first() is None  # nothing saved by looking


def test_prefill_carries_the_documents_in_force_of_a_2021_report(web: Web) -> None:
    """表二's stock: with nothing issued or repealed yet, this year's 现行有效件数 is last year's."""
    client = web.client("hongze")
    cells, sections = _filled()
    csrf = csrf_of(client, "/drafts/2021")
    assert client.post("/drafts/2021/submit", data=_form(csrf, cells, sections)).status_code == 303
    values = _inputs(client.get("/drafts/2022").text)
    assert values["t2.regulations.in_force"] == cells["t2.regulations.in_force"]
    assert values["t2.normative_docs.in_force"] == cells["t2.normative_docs.in_force"]
    assert {col: values[f"t3.carried_over.{col}"] for col in COLUMNS} == \
        {col: cells[f"t3.carried_forward.{col}"] for col in COLUMNS}
    assert values["t2.regulations.issued"] == "" and values["t3.granted.total"] == ""


# ------------------------------------------------------------------ the check
def test_one_cell_that_breaks_a_sum_is_found_before_saving(web: Web) -> None:
    _last_year(web)
    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    values = _inputs(client.get("/drafts/2021").text)
    texts = _texts(client.get("/drafts/2021").text)
    before = client.post("/drafts/2021/check", json={"sections": texts, "cells": values},
                         headers={"X-CSRF-Token": csrf}).json()
    assert not [f for f in before["findings"] if f["code"] == "APP-ROW-SUM"]
    values["t3.new_received.natural_person"] = "5"
    started = time.perf_counter()
    response = client.post("/drafts/2021/check", json={"sections": texts, "cells": values},
                           headers={"X-CSRF-Token": csrf})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    found = response.json()
    row_sum = [f for f in found["findings"] if f["code"] == "APP-ROW-SUM"]
    assert row_sum == [{"code": "APP-ROW-SUM", "severity": "error", "cells": [
        "t3.new_received.natural_person", "t3.new_received.commercial", "t3.new_received.research",
        "t3.new_received.nonprofit", "t3.new_received.legal_service", "t3.new_received.other_org",
        "t3.new_received.total"],
        "message": "“一、本年新收政府信息公开申请数量”行：各类申请人之和 5 + 0 + 0 + 0 + 0 + 0 = 5，但总计为 0"}]
    assert found["counts"]["error"] == len([f for f in found["findings"] if f["severity"] == "error"]) >= 1
    assert elapsed < 0.3 and found["ms"] < 300, (elapsed, found["ms"])
    with web.app.state.store.engine.connect() as conn:
        assert conn.execute(select(drafts)).first() is None  # checked, not saved


def test_the_check_reads_the_text_like_an_uploaded_report(web: Web) -> None:
    """Prose rules run on the text: required topics of 一 and 六, and the text repeated from last year."""
    last = _last_year(web)
    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    page = client.get("/drafts/2021").text
    found = client.post("/drafts/2021/check", json={"sections": _texts(page), "cells": _inputs(page)},
                        headers={"X-CSRF-Token": csrf}).json()["findings"]
    codes = {f["code"] for f in found}
    assert {"YOY-TEXT-REPEAT", "CNT-SECTION6-ITEMS", "CNT-OVERVIEW-TOPICS"} <= codes
    repeat = next(f for f in found if f["code"] == "YOY-TEXT-REPEAT")
    assert repeat["message"].startswith("正文 100% 的文字") and "2020 年报告" in repeat["message"]
    assert last.sections[1].text  # the pre-filled text is last year's, hence repeated
    cells, _ = _filled()
    typed = {**cells, "t3.granted.total": "x", "t3.granted.natural_person": "2.5", "t3.granted.commercial": ""}
    english = client.post("/drafts/2021/check?lang=en", json={"sections": {}, "cells": typed},
                          headers={"X-CSRF-Token": csrf}).json()["findings"]
    by_code = {f["code"]: f for f in english if f["code"].startswith("VAL-")}
    assert sorted(by_code) == ["VAL-BLANK", "VAL-NOT-COUNT", "VAL-UNREADABLE"]  # a blank is never taken as 0
    assert by_code["VAL-UNREADABLE"]["cells"] == ["t3.granted.total"]
    assert by_code["VAL-NOT-COUNT"]["cells"] == ["t3.granted.natural_person"]
    assert by_code["VAL-BLANK"]["cells"] == ["t3.granted.commercial"]


def test_a_draft_with_blank_cells_is_saved_but_not_submitted(web: Web) -> None:
    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    cells, sections = _filled()
    cells["t3.granted.commercial"] = ""
    refused = client.post("/drafts/2021/submit", data=_form(csrf, cells, sections))
    assert refused.status_code == 400
    assert re.search(r'id="draft-error"[^>]*>草稿已保存，但未报送：还有 1 个单元格空白或不是数字（没有的请填 0）：'
                     r'[^<]*商业企业', refused.text)
    assert _inputs(client.get("/drafts/2021").text) == cells  # kept as typed
    with web.app.state.store.engine.connect() as conn:
        assert conn.execute(select(drafts.c.report_id)).scalar_one() is None


# ------------------------------------------------------------------ save, submit, .docx
def test_save_and_reload_keep_every_cell_and_text(web: Web) -> None:
    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    cells, sections = _filled()
    saved = client.post("/drafts/2021", data=_form(csrf, cells, sections))
    assert (saved.status_code, saved.headers["location"]) == (303, "/drafts/2021")
    page = client.get("/drafts/2021").text
    assert _inputs(page) == cells and _texts(page) == sections
    assert 'id="draft-saved"' in page
    listing = client.get("/drafts").text
    assert re.search(r'<tr data-year="2021">', listing) and "草稿" in listing


def test_submit_stores_the_report_and_the_docx_parses_back(web: Web) -> None:
    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    cells, sections = _filled()
    done = client.post("/drafts/2021/submit", data=_form(csrf, cells, sections))
    assert done.status_code == 303
    report_id = int(done.headers["location"].rsplit("/", 1)[1])
    assert done.headers["location"] == f"/reports/{report_id}"
    store = web.app.state.store
    row = store.report_row(report_id)
    assert (row.body, row.year, row.revision) == (HONGZE, 2021, 1)
    stored = store.load(report_id)
    assert {cid: stored.number(cid) for cid in CELLS} == {cid: _number(v) for cid, v in cells.items()}
    assert {str(n): stored.sections[n].text for n in range(1, 7)} == sections
    with store.engine.connect() as conn:
        assert conn.execute(select(drafts.c.report_id)).scalar_one() == report_id
    assert client.get(f"/reports/{report_id}").status_code == 200

    docx = client.get("/drafts/2021.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx.headers["content-disposition"]
    parsed = parse_bytes(docx.content, "draft.docx")
    assert (parsed.year, parsed.version, parsed.body) == (2021, "2021", HONGZE)
    assert {cid: parsed.number(cid) for cid in CELLS} == {cid: _number(v) for cid, v in cells.items()}
    assert {str(n): parsed.sections[n].text for n in range(1, 7)} == sections

    cells["t4.review.upheld"] = "7"  # a second submission is a new revision
    again = client.post("/drafts/2021/submit", data=_form(csrf, cells, sections))
    second = int(again.headers["location"].rsplit("/", 1)[1])
    assert second != report_id and store.report_row(second).revision == 2
    assert store.load(second).number("t4.review.upheld") == 7


def test_a_resubmission_of_a_returned_report_tells_its_reviewer(web: Web) -> None:
    from zfxxgk.store.schema import notifications, users
    from zfxxgk.web.accounts import User
    from zfxxgk.web.decisions import decide

    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    cells, sections = _filled()
    first = int(client.post("/drafts/2021/submit", data=_form(csrf, cells, sections)).headers["location"].split("/")[-1])
    engine = web.app.state.store.engine
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == "reviewer")).one()
    decide(engine, User(row.id, row.name, row.role, row.region_code, row.body_id), first, "return", note="请更正")
    cells["t3.new_received.total"] = "1"
    second = int(client.post("/drafts/2021/submit", data=_form(csrf, cells, sections)).headers["location"].split("/")[-1])
    with engine.connect() as conn:
        told = conn.execute(select(notifications.c.user_id, notifications.c.kind, notifications.c.report_id)
                            .where(notifications.c.kind == "resubmitted")).all()
    assert [tuple(t) for t in told] == [(row.id, "resubmitted", second)]


# ------------------------------------------------------------------ access and CSRF
def test_another_bodys_draft_is_not_found(web: Web) -> None:
    client = web.client("hongze")
    csrf = csrf_of(client, "/drafts/2021")
    cells, sections = _filled()
    assert client.post("/drafts/2021", data=_form(csrf, cells, sections)).status_code == 303
    other = web.bodies[HUAIAN]
    assert client.get(f"/drafts/2021?body={other}").status_code == 404
    assert client.get(f"/drafts/2021.docx?body={other}").status_code == 404
    assert client.post(f"/drafts/2021/check?body={other}", json={}, headers={"X-CSRF-Token": csrf}).status_code == 404
    assert client.post(f"/drafts/2021?body={other}", data=_form(csrf, cells, sections)).status_code == 404
    huaian = web.client("huaian")
    assert _texts(huaian.get("/drafts/2021").text)["1"] == ""  # their own, empty: not hongze's
    assert huaian.get(f"/drafts/2021?body={web.bodies[HONGZE]}").status_code == 404
    jilin = web.client("jilin")  # a reviewer of another region
    assert jilin.get(f"/drafts/2021?body={web.bodies[HONGZE]}").status_code == 404
    reviewer = web.client("reviewer")  # this region's reviewer looks, but does not write
    assert _texts(reviewer.get(f"/drafts/2021?body={web.bodies[HONGZE]}").text) == sections
    token = csrf_of(reviewer)
    assert reviewer.post(f"/drafts/2021?body={web.bodies[HONGZE]}", data=_form(token, cells, sections)).status_code == 404
    assert client.get("/drafts/2019").status_code == 404  # the 2019 format: not written here
    assert web.client().get("/drafts/2021").status_code == 303  # to the login page


def test_csrf_is_refused_without_the_token(web: Web) -> None:
    client = web.client("hongze")
    cells, sections = _filled()
    form = {k: v for k, v in _form("", cells, sections).items() if k != "csrf"}
    assert client.post("/drafts/2021/check", json={"sections": {}, "cells": {}}).status_code == 403
    assert client.post("/drafts/2021/check", json={}, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/drafts/2021", data=form).status_code == 403
    assert client.post("/drafts/2021/submit", data=form).status_code == 403
    with web.app.state.store.engine.connect() as conn:
        assert conn.execute(select(drafts)).first() is None


# ------------------------------------------------------------------ in a real browser
@pytest.mark.browser
def test_typing_a_cell_that_breaks_a_sum_shows_the_finding(web: Web) -> None:
    _last_year(web)
    with browser_on(web.app) as b:
        b.login("hongze")
        b.go("/drafts")
        with b.page.expect_navigation():
            b.page.click("#drafts-open button[type=submit]")
        assert b.page.url.endswith(f"/drafts/{_default_year()}")
        b.go("/drafts/2021")
        b.page.wait_for_selector("#draft-check[data-state=done]")
        assert b.page.locator("#draft-findings li[data-code='APP-ROW-SUM']").count() == 0
        cell = "input[data-cell='t3.new_received.natural_person']"
        b.page.click(cell)
        b.page.keyboard.type("5")
        b.page.wait_for_selector("#draft-findings li[data-code='APP-ROW-SUM']")
        b.page.wait_for_selector("#draft-check[data-state=done]")
        finding = b.page.locator("#draft-findings li[data-code='APP-ROW-SUM']")
        assert finding.inner_text().endswith("各类申请人之和 5 + 0 + 0 + 0 + 0 + 0 = 5，但总计为 0")
        highlighted = b.page.locator("td.value[data-cell='t3.new_received.natural_person']")
        assert "hl-error" in (highlighted.get_attribute("class") or "")
        assert "hl-error" in (b.page.locator("td.value[data-cell='t3.new_received.total']").get_attribute("class") or "")
        b.shot("draft")
        with b.page.expect_navigation():
            b.page.click("#draft-save")
        assert b.page.input_value(cell) == "5"
        assert b.page.locator("#draft-saved").count() == 1
        assert b.errors == [] and b.outside == []


def _default_year() -> int:
    from zfxxgk.web.drafts import default_year

    return default_year()

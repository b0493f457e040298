"""Returns for correction, rectification notices (page and .docx), re-submissions and notifications (issue 11).

The reviewer of 淮安市 returns 洪泽区's 2023 report with its two LIT-SUM errors (表四 totals printed 0); the
district re-submits a corrected copy (the stored report written out as Markdown with the two totals fixed,
ingested as a new revision); the changes page and the notice show both errors resolved.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from .web_helpers import Web, csrf_of

pytestmark = pytest.mark.slow

HONGZE = "淮安市洪泽区人民政府"
HUAIAN = "淮安市人民政府"
NOTE = "请核对表四各项总计后重新报送"
REVIEW = "行政复议：结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 11，但总计为 0"
AFTER_REVIEW = "行政诉讼（复议后起诉）：结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 5，但总计为 0"
RULE = ("表四的行政复议、未经复议直接起诉、复议后起诉三组，每组的结果维持、结果纠正、其他结果、尚未审结之和必须等于该组总计。")
T4 = "表四（复议诉讼）"
# (table, row, column, value, message, what it must satisfy) for each cell of the two findings
EXPECTED_ROWS = [
    *[(T4, "", f"行政复议·{col}", value, REVIEW, RULE)
      for col, value in (("结果维持", "10"), ("结果纠正", "1"), ("其他结果", "0"), ("尚未审结", "0"), ("总计", "0"))],
    *[(T4, "", f"行政诉讼·复议后起诉·{col}", value, AFTER_REVIEW, RULE)
      for col, value in (("结果维持", "5"), ("结果纠正", "0"), ("其他结果", "0"), ("尚未审结", "0"), ("总计", "0"))],
]


def lit_sum(web: Web) -> list[int]:
    from zfxxgk.store.schema import findings

    with web.app.state.store.engine.connect() as conn:
        return [i for (i,) in conn.execute(select(findings.c.id).where(
            findings.c.report_id == web.reports[HONGZE], findings.c.code == "LIT-SUM").order_by(findings.c.id))]


def user_id(web: Web, name: str) -> int:
    from zfxxgk.store.schema import users

    with web.app.state.store.engine.connect() as conn:
        return int(conn.execute(select(users.c.id).where(users.c.name == name)).scalar_one())


def notes(web: Web) -> list[tuple[str, str, int | None, dict[str, Any], bool]]:
    from zfxxgk.store.schema import notifications, users

    with web.app.state.store.engine.connect() as conn:
        return [(r.name, r.kind, r.report_id, r.args, r.read_at is not None) for r in conn.execute(
            select(users.c.name, notifications).join(users, users.c.id == notifications.c.user_id)
            .order_by(notifications.c.id))]


def return_hongze(web: Web) -> tuple[Any, int, list[int]]:
    client = web.client("reviewer")
    report = web.reports[HONGZE]
    ids = lit_sum(web)
    response = client.post(f"/reports/{report}/return", data={"finding": ids, "note": NOTE, "csrf": csrf_of(client)})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/reports/{report}/notice"
    return client, report, ids


def resubmit_fixed(web: Web, tmp_path: Path) -> int:
    """The district's corrected copy: its stored report with the two 表四 totals fixed, as Markdown, ingested."""
    from zfxxgk.outputs.compose import compose
    from zfxxgk.outputs.generate import render_bytes
    from zfxxgk.report import Cell
    from zfxxgk.store import file_item

    store = web.app.state.store
    report = store.load(web.reports[HONGZE])
    for cid, value in (("t4.review.total", 11), ("t4.litigation_after_review.total", 5)):
        report.cells[cid] = Cell(cid, value, str(value), report.cells[cid].kind)
    path = tmp_path / "hongze-2023-corrected.md"
    path.write_bytes(render_bytes(compose(report), "md"))
    done = store.ingest(file_item(path), body=HONGZE)
    assert (done.status, done.revision, done.errors) == ("revision", 2, 1)  # FMT-VERSION (mixed tables) stays
    return done.report_id


def docx_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    (table,) = doc.tables
    return [p.text for p in doc.paragraphs], [[c.text for c in row.cells] for row in table.rows]


def test_return_records_the_decision_and_tells_the_submitter(web: Web) -> None:
    from zfxxgk.store.schema import decisions

    _client, report, ids = return_hongze(web)
    assert len(ids) == 2
    with web.app.state.store.engine.connect() as conn:
        rows = [(r.report_id, r.user_id, r.action, r.finding_ids, r.note) for r in conn.execute(select(decisions))]
        decision_id = conn.execute(select(decisions.c.id)).scalar_one()
    assert rows == [(report, user_id(web, "reviewer"), "return", ids, NOTE)]
    assert notes(web) == [("hongze", "returned", report, {"body": HONGZE, "year": 2023, "revision": 1,
                                                          "decision": decision_id, "by": "reviewer", "findings": 2},
                           False)]
    page = web.client("hongze").get("/notifications")
    assert page.status_code == 200
    assert f'<a href="/reports/{report}/notice">' in page.text
    assert "淮安市洪泽区人民政府 2023 年度报告（第 1 版）被 reviewer 退回整改，共 2 项问题" in page.text


def test_the_notice_names_each_cell_on_screen_and_in_word(web: Web) -> None:
    client, report, ids = return_hongze(web)
    heading = "关于《洪泽区人民政府2023年政府信息公开工作年度报告》的整改意见"
    page = client.get(f"/reports/{report}/notice")
    assert page.status_code == 200
    html = page.text
    assert f'<h1 id="notice-heading">{heading}</h1>' in html
    assert [int(i) for i in re.findall(r'<tbody class="notice-item severity-error" data-finding="(\d+)"', html)] == ids
    cells = re.findall(r'<tr data-cell="([^"]+)">.*?<td class="cell-column">([^<]*)</td>\s*'
                       r'<td class="cell-value n">([^<]*)</td>', html, re.S)
    assert [(c, v) for _cid, c, v in cells] == [(row[2], row[3]) for row in EXPECTED_ROWS]
    assert html.count(REVIEW) == 1 and html.count(AFTER_REVIEW) == 1
    assert f'<p class="notice-note" id="notice-note">审核意见：{NOTE}</p>' in html
    assert 'id="notice-waiting"' in html

    docx = client.get(f"/reports/{report}/notice.docx")
    assert docx.status_code == 200
    assert docx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    paragraphs, rows = docx_rows(docx.content)
    assert paragraphs[0] == heading
    assert paragraphs[1] == "淮安市洪泽区人民政府："
    assert f"审核意见：{NOTE}" in paragraphs and "审核人：reviewer" in paragraphs
    assert rows[0] == ["序号", "表格", "行", "列", "填报值", "问题", "应当满足"]
    assert rows[1:] == [[str(1 + n // 5), *row[:3], row[3], row[4], row[5]] for n, row in enumerate(EXPECTED_ROWS)]


def test_the_submitter_sees_the_notice_and_no_one_else_outside_the_region(web: Web) -> None:
    _client, report, _ids = return_hongze(web)
    hongze = web.client("hongze")
    assert hongze.get(f"/reports/{report}/notice").status_code == 200
    assert hongze.get(f"/reports/{report}/notice.docx").status_code == 200
    for other in ("huaian", "jilin"):
        client = web.client(other)
        assert client.get(f"/reports/{report}/notice").status_code == 404
        assert client.get(f"/reports/{report}/notice.docx").status_code == 404
        assert client.get(f"/reports/{report}/return").status_code == 404
    # a submitter may not return a report, not even its own; a report never returned has no notice
    assert hongze.get(f"/reports/{report}/return").status_code == 403
    assert hongze.post(f"/reports/{report}/return", data={"finding": lit_sum(web), "csrf": csrf_of(hongze)}) \
        .status_code == 403
    assert web.client("admin").get(f"/reports/{web.reports[HUAIAN]}/notice").status_code == 404


def test_the_return_form_lists_the_findings_and_refuses_an_empty_return(web: Web) -> None:
    client = web.client("reviewer")
    report = web.reports[HONGZE]
    page = client.get(f"/reports/{report}/return")
    assert page.status_code == 200
    boxes = re.findall(r'<input type="checkbox" name="finding" value="(\d+)" id="return-finding-\d+"( checked)?>',
                       page.text)
    from zfxxgk.store.schema import findings

    with web.app.state.store.engine.connect() as conn:
        expected = [(str(r.id), " checked" if r.severity in ("error", "warning") else "") for r in conn.execute(
            select(findings).where(findings.c.report_id == report).order_by(findings.c.id))]
    assert boxes == expected and len(boxes) == 5
    empty = client.post(f"/reports/{report}/return", data={"note": " ", "csrf": csrf_of(client)})
    assert empty.status_code == 400 and "请至少勾选一项问题或填写审核意见" in empty.text
    assert client.post(f"/reports/{report}/return", data={"finding": [999999], "csrf": csrf_of(client)}) \
        .status_code == 400  # a finding of no such report
    assert notes(web) == []


def test_csrf_is_required(web: Web) -> None:
    client = web.client("reviewer")
    report = web.reports[HONGZE]
    assert client.post(f"/reports/{report}/return", data={"finding": lit_sum(web)}).status_code == 403
    assert client.post(f"/reports/{report}/return", data={"finding": lit_sum(web), "csrf": "forged"}).status_code == 403
    assert client.post("/notifications/read").status_code == 403
    assert notes(web) == []


def test_a_resubmission_shows_what_changed_and_what_is_resolved(web: Web, tmp_path: Path) -> None:
    from zfxxgk.web import returns

    reviewer, report, ids = return_hongze(web)
    new = resubmit_fixed(web, tmp_path)
    engine = web.app.state.store.engine
    assert returns.after_store(engine, new) == 1  # jobs.py calls this after storing an upload
    assert returns.after_store(engine, new) == 0  # once
    assert returns.after_store(engine, report) == 0  # the first revision re-submits nothing
    assert notes(web)[1:] == [("reviewer", "resubmitted", new, {"body": HONGZE, "year": 2023, "revision": 2,
                                                                "since": report}, False)]

    page = reviewer.get(f"/reports/{new}/changes?since={report}")
    assert page.status_code == 200
    changed = re.findall(r'<tr data-cell="([^"]+)">.*?<td class="n old">([^<]*)</td><td class="n new">([^<]*)</td>',
                         page.text, re.S)
    assert changed == [("t4.review.total", "0", "11"), ("t4.litigation_after_review.total", "0", "5")]
    resolved = re.search(r'<ul class="change-findings" id="changes-resolved">(.*?)</ul>', page.text, re.S)
    assert resolved is not None
    assert [int(i) for i in re.findall(r'data-finding="(\d+)"', resolved.group(1))] == ids
    assert REVIEW in resolved.group(1) and AFTER_REVIEW in resolved.group(1)
    assert 'id="changes-open-none"' in page.text and 'id="changes-new-findings-none"' in page.text

    hongze = web.client("hongze")
    notice = hongze.get(f"/reports/{report}/notice").text
    assert re.findall(r'data-finding="(\d+)" data-code="LIT-SUM" data-resolved="(\w+)"', notice) == \
        [(str(i), "yes") for i in ids]
    assert f'<a href="/reports/{new}/changes?since={report}" class="notice-changes"' in notice
    _paragraphs, rows = docx_rows(hongze.get(f"/reports/{report}/notice.docx").content)
    assert rows[0][-1] == "整改情况" and [r[-1] for r in rows[1:]] == ["已整改"] * 10
    # the submitter sees the changes of its own body; another body's submitter does not
    assert hongze.get(f"/reports/{new}/changes?since={report}").status_code == 200
    assert web.client("huaian").get(f"/reports/{new}/changes?since={report}").status_code == 404
    assert reviewer.get(f"/reports/{report}/changes?since={new}").status_code == 404  # not a later revision


def test_a_resubmission_stored_elsewhere_is_noticed_on_read(web: Web, tmp_path: Path) -> None:
    _reviewer, report, _ids = return_hongze(web)
    new = resubmit_fixed(web, tmp_path)  # no after_store: as the CLI stores it
    client = web.client("reviewer")
    assert client.get("/notifications/count.json").json() == {"unread": 1, "reminders": 0, "total": 1}
    page = client.get("/notifications").text
    assert f'<a href="/reports/{new}/changes?since={report}">' in page
    assert "淮安市洪泽区人民政府 重新报送了 2023 年度报告（第 2 版）" in page
    assert [n[:3] for n in notes(web)] == [("hongze", "returned", report), ("reviewer", "resubmitted", new)]


def test_notifications_read_and_unread(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.web import returns

    monkeypatch.setattr(returns, "today", lambda: date(2024, 2, 1))  # no reminder: 淮安 is due 31 March
    return_hongze(web)
    hongze = web.client("hongze")
    assert hongze.get("/notifications/count.json").json() == {"unread": 1, "reminders": 0, "total": 1}
    page = hongze.get("/notifications").text
    assert page.count('data-read="no"') == 1 and 'id="notifications-read"' in page
    done = hongze.post("/notifications/read", data={"csrf": csrf_of(hongze)})
    assert done.status_code == 303 and done.headers["location"] == "/notifications"
    assert hongze.get("/notifications/count.json").json() == {"unread": 0, "reminders": 0, "total": 0}
    page = hongze.get("/notifications").text
    assert page.count('data-read="yes"') == 1 and 'id="notifications-read"' not in page
    assert [n[4] for n in notes(web)] == [True]
    assert web.client("huaian").get("/notifications/count.json").json() == {"unread": 0, "reminders": 0, "total": 0}
    assert web.client().get("/notifications/count.json").status_code == 401
    assert 'src="/static/notifications.js"' in page and 'id="nav-notifications"' in page


def test_a_pass_is_told_to_the_submitter(web: Web) -> None:
    from zfxxgk.web.accounts import user_by_name
    from zfxxgk.web.decisions import decide

    engine = web.app.state.store.engine
    reviewer = user_by_name(engine, "reviewer")
    assert reviewer is not None
    report = web.reports[HUAIAN]
    decision = decide(engine, reviewer, report, "pass")
    assert notes(web) == [("huaian", "passed", report, {"body": HUAIAN, "year": 2024, "revision": 1,
                                                        "decision": decision, "by": "reviewer"}, False)]
    decide(engine, reviewer, report, "reopen")  # a reopening tells no one
    assert len(notes(web)) == 1
    page = web.client("huaian").get("/notifications").text
    assert "淮安市人民政府 2024 年度报告（第 1 版）已由 reviewer 审核通过" in page


@pytest.mark.parametrize(("day", "expected"), [
    (date(2024, 3, 16), []),  # 15 days before 31 March
    (date(2024, 3, 17), [{"kind": "deadline", "year": 2023, "deadline": "2024-03-31", "days": 14, "body": HUAIAN}]),
    (date(2024, 4, 10), [{"kind": "deadline", "year": 2023, "deadline": "2024-03-31", "days": -10, "body": HUAIAN}]),
    (date(2025, 3, 20), []),  # its 2024 report is stored
])
def test_deadline_reminders(web: Web, monkeypatch: pytest.MonkeyPatch, day: date, expected: list[Any]) -> None:
    from zfxxgk.web import returns

    monkeypatch.setattr(returns, "today", lambda: day)
    huaian = web.client("huaian")
    assert huaian.get("/notifications/count.json").json() == {"unread": 0, "reminders": len(expected),
                                                               "total": len(expected)}
    page = huaian.get("/notifications").text
    texts = re.findall(r'<li class="reminder[^"]*"[^>]*><span class="text">([^<]*)</span>', page)
    words = {14: "2023 年度报告应于 2024-03-31 前报送，还有 14 天，尚未报送",
             -10: "2023 年度报告应于 2024-03-31 前报送，已逾期 10 天，尚未报送"}
    assert texts == [words[e["days"]] for e in expected]
    # reviewers get no deadline reminders; 洪泽区 has its 2023 report
    assert web.client("reviewer").get("/notifications/count.json").json()["reminders"] == 0
    if day.year == 2024:
        assert web.client("hongze").get("/notifications/count.json").json()["reminders"] == 0

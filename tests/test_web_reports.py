"""The web application's reports: the list and its filters, the report page (tables, source panel, findings,
last year), review actions with their history, page images, downloads and the reports API — and that
nobody sees or acts on another body's report by any id."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from .web_helpers import HONGZE_PDF, SHARED, Web, csrf_of

pytestmark = pytest.mark.slow

SEED_004 = SHARED / "seeds" / "004_88a6af14f6d602ea.txt"
HONGZE, HUAIAN, GUINAN, LUXIANG = "淮安市洪泽区人民政府", "淮安市人民政府", "贵南县沙沟乡人民政府", "双阳区鹿乡镇人民政府"


def bodies_listed(html: str) -> list[str]:
    """The body names of the list's rows, in order."""
    return re.findall(r'<tr data-report="\d+" data-state="\w+">\s*<td><a href="/reports/\d+">([^<]+)</a>', html)


def cells_with(html: str, cls: str, scope: str = 'id="tables"') -> set[str]:
    """The data-cell ids of the value cells carrying a class, in one part of the page."""
    part = html[html.index(scope):]
    part = part[:part.index("</section>")]
    return set(re.findall(rf'<td class="value[^"]*\b{cls}\b[^"]*" data-cell="([^"]+)"', part))


def finding_ids(web: Web, report: str, code: str) -> list[int]:
    from zfxxgk.store.schema import findings

    with web.app.state.store.engine.connect() as conn:
        return [i for (i,) in conn.execute(select(findings.c.id).where(
            findings.c.report_id == web.reports[report], findings.c.code == code).order_by(findings.c.id))]


def api_json(client: Any, method: str, url: str, **kwargs: Any) -> Any:
    response = client.request(method, url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


# ------------------------------------------------------------------ the list
def test_each_user_lists_exactly_the_reports_they_may_see(web: Web) -> None:
    page = web.client("reviewer").get("/reports")
    assert page.status_code == 200
    assert bodies_listed(page.text) == [HUAIAN, HONGZE]  # newest first: 2024, then 2023
    assert 'data-total="2"' in page.text
    assert bodies_listed(web.client("jilin").get("/reports").text) == [LUXIANG]
    assert bodies_listed(web.client("hongze").get("/reports").text) == [HONGZE]
    admin = web.client("admin").get("/reports").text
    assert 'data-total="7"' in admin  # the five seeds (two placed nowhere) and both PDFs
    assert bodies_listed(admin)[:2] == [HUAIAN, HONGZE]


@pytest.mark.parametrize(("query", "expected"), [
    ("year=2023", [HONGZE]),
    ("body=洪泽", [HONGZE]),
    ("region=320813", [HONGZE]),
    ("region=320800", [HUAIAN, HONGZE]),
    ("region=220000", [LUXIANG]),
    ("rule=APP-BALANCE", [GUINAN]),
    ("rule=LIT-SUM", [HONGZE]),
    ("state=errors", [HONGZE, GUINAN]),
    ("state=errors&year=2020", [GUINAN]),
    ("state=clean", []),
])
def test_list_filters(web: Web, query: str, expected: list[str]) -> None:
    page = web.client("admin").get(f"/reports?{query}")
    assert page.status_code == 200
    assert bodies_listed(page.text) == expected
    assert f'data-total="{len(expected)}"' in page.text


def test_a_reviewers_filters_stay_inside_their_region(web: Web) -> None:
    client = web.client("reviewer")
    assert bodies_listed(client.get("/reports?region=320813").text) == [HONGZE]
    assert bodies_listed(client.get("/reports?region=220000").text) == []  # another region: nothing of it
    assert bodies_listed(client.get("/reports?rule=APP-BALANCE").text) == []
    assert bodies_listed(client.get("/reports?year=99999999999999999999&page=99999999999999999999").text) == [
        HUAIAN, HONGZE]  # nonsense is ignored, never a database error
    assert client.get("/reports/99999999999999999999").status_code == 422
    assert client.get("/api/v1/reports?year=99999999999").status_code == 422


def test_state_counts_and_the_api_list(web: Web) -> None:
    client = web.client("admin")
    found = api_json(client, "GET", "/api/v1/reports")
    assert found["total"] == 7 and found["page"] == 1 and found["per_page"] == 50 and found["pages"] == 1
    assert found["states"] == {"unreadable": 0, "errors": 2, "warnings": 5, "reviewed": 0, "clean": 0}
    assert [(r["body"], r["year"], r["state"]) for r in found["items"][:2]] == [
        (HUAIAN, 2024, "warnings"), (HONGZE, 2023, "errors")]
    assert sorted(r["id"] for r in found["items"]) == list(range(1, 8))
    one = api_json(client, "GET", "/api/v1/reports", params={"rule": "LIT-SUM"})
    assert [r["body"] for r in one["items"]] == [HONGZE] and one["total"] == 1
    paged = api_json(client, "GET", "/api/v1/reports", params={"per_page": 3, "page": 3})
    assert paged["total"] == 7 and paged["pages"] == 3 and len(paged["items"]) == 1
    mine = api_json(web.client("reviewer"), "GET", "/api/v1/reports", params={"state": "errors"})
    assert [r["body"] for r in mine["items"]] == [HONGZE]
    assert mine["states"] == {"unreadable": 0, "errors": 1, "warnings": 1, "reviewed": 0, "clean": 0}


# ------------------------------------------------------------------ the report page
SEED_004_ERROR_ROWS = [
    "new_received", "carried_over", "granted", "partially_granted",
    *(f"withheld.{w}" for w in ("state_secret", "law_prohibited", "security_stability", "third_party",
                                "internal_affairs", "process_info", "enforcement_files", "query_matters")),
    "unable.not_held", "unable.needs_creation", "unable.unclear",
    *(f"rejected.{w}" for w in ("complaint", "duplicate", "publication", "excessive", "confirmation")),
    "other", "total", "carried_forward",
]


def test_report_page_highlights_the_cells_of_seed_004s_findings(web: Web) -> None:
    page = web.client("admin").get(f"/reports/{web.reports[GUINAN]}")
    assert page.status_code == 200
    # APP-BALANCE and APP-OUTCOME-SUM (the errors `zfxxgk check` finds) name the 其他 and 总计 columns of 表三
    assert cells_with(page.text, "hl-error") == {f"t3.{row}.{col}" for row in SEED_004_ERROR_ROWS
                                                 for col in ("other_org", "total")}
    # VAL-BLANK's blank cells where no error covers them, and VAL-UNIT's 元 amount
    assert cells_with(page.text, "hl-warning") == {
        *(f"t3.{row}.{col}" for row in ("granted", "partially_granted")
          for col in ("natural_person", "commercial", "research", "nonprofit", "legal_service")),
        "t2.procurement.amount"}
    assert cells_with(page.text, "hl-info") == {"t2.procurement.projects"}
    assert page.text.count('class="finding ') == 8
    assert "“其他”列：本年新收 2 + 上年结转 0 = 2，但（七）总计 0 + 结转下年度 0 = 0" in page.text
    assert '<a href="#" class="cell-link" data-cell-link="t3.total.other_org">（七）总计·其他</a>' in page.text
    assert 'id="report-state" data-state="errors"' in page.text
    assert '<script src="/static/report.js"></script>' in page.text and "<script>" not in page.text


def test_report_page_in_english(web: Web) -> None:
    page = web.client("admin").get(f"/reports/{web.reports[GUINAN]}?lang=en")
    assert "column 'other organisations': 2 new + 0 carried over = 2, but 0 handled + 0 carried forward = 0" in html.unescape(page.text)
    assert "Findings（8）" in page.text and "open errors" in page.text


def test_pdf_page_image_and_the_cells_box(web: Web) -> None:
    import pdfplumber
    from PIL import Image

    client = web.client("hongze")
    report = web.reports[HONGZE]
    source = api_json(client, "GET", f"/reports/{report}/cells/t2.fees.amount/source")
    assert source["raw"] == "7730.28" and source["page"] == 3 and source["where"] == "第3页表1第14行第2列"
    assert (source["page_width"], source["page_height"]) == (595.0, 842.0)
    assert source["image"] == f"/reports/{report}/pages/3.png" and source["file_kept"] is True
    x0, top, x1, bottom = source["box"]
    assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842
    with pdfplumber.open(HONGZE_PDF) as pdf:  # the text layer inside the box is the cell as printed
        assert pdf.pages[2].within_bbox((x0, top, x1, bottom)).extract_text().strip() == "7730.28"

    image = client.get(source["image"] + "?scale=1")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert "max-age" in image.headers["cache-control"] and image.headers["etag"]
    assert Image.open(io.BytesIO(image.content)).size == (595, 842)
    assert Image.open(io.BytesIO(client.get(source["image"]).content)).size == (1190, 1684)  # 2 px a point
    again = client.get(source["image"], headers={"If-None-Match": image.headers["etag"].replace("1.00", "2.00")})
    assert again.status_code == 304
    assert client.get(f"/reports/{report}/pages/9.png").status_code == 404  # the PDF has 5 pages
    assert client.get(f"/reports/{report}/pages/1.png?scale=50").status_code == 422


def test_text_cell_source_shows_its_line_and_neighbours(web: Web) -> None:
    source = api_json(web.client("admin"), "GET", f"/reports/{web.reports[GUINAN]}/cells/t2.procurement.amount/source")
    assert source["where"] == "第90行" and source["box"] is None and source["image"] is None
    assert [(line["n"], line["current"]) for line in source["lines"]] == [
        (88, False), (89, False), (90, True), (91, False), (92, False)]
    assert source["lines"][2]["text"] == "\t1066730.5元"
    assert source["lines"][1]["text"] == "\t137次"


def test_a_report_without_its_file_says_so(web: Web) -> None:
    from zfxxgk.store.schema import blobs

    with web.app.state.store.engine.begin() as conn:
        conn.execute(delete(blobs))  # as after `zfxxgk ingest`: no upload kept the bytes
    client = web.client("admin")
    report = web.reports[HONGZE]
    assert "原始文件未保存在系统中" in client.get(f"/reports/{report}").text
    source = api_json(client, "GET", f"/reports/{report}/cells/t2.fees.amount/source")
    assert source["file_kept"] is False and source["image"] is None and len(source["box"]) == 4
    assert client.get(f"/reports/{report}/pages/3.png").status_code == 404


# ------------------------------------------------------------------ review
def test_confirm_dismiss_comment_keep_who_and_when(web: Web) -> None:
    client = web.client("reviewer")
    token = csrf_of(client, "/reports")
    report = web.reports[HONGZE]
    finding = finding_ids(web, HONGZE, "LIT-SUM")[0]
    before = datetime.now(UTC) - timedelta(seconds=5)
    response = client.post(f"/reports/{report}/findings/{finding}/review", data={"action": "confirm", "csrf": token})
    assert response.status_code == 303 and response.headers["location"] == f"/reports/{report}#finding-{finding}"
    done = api_json(client, "POST", f"/api/v1/findings/{finding}/review", json={"action": "dismiss", "comment": "表四为 0"},
                    headers={"X-CSRF-Token": token})
    assert done["finding"]["review"] == "dismissed" and done["event"]["user"] == "reviewer"
    client.post(f"/reports/{report}/findings/{finding}/review",
                data={"action": "comment", "comment": "已电话核实", "csrf": token})
    (found,) = [f for f in api_json(client, "GET", f"/api/v1/reports/{report}/findings") if f["id"] == finding]
    assert found["review"] == "dismissed"  # a comment does not change the state
    assert [(e["action"], e["user"], e["comment"]) for e in found["events"]] == [
        ("confirm", "reviewer", None), ("dismiss", "reviewer", "表四为 0"), ("comment", "reviewer", "已电话核实")]
    for e in found["events"]:
        at = datetime.fromisoformat(e["at"])
        assert before <= (at if at.tzinfo else at.replace(tzinfo=UTC)) <= datetime.now(UTC)
    page = client.get(f"/reports/{report}").text
    assert f'id="finding-{finding}" data-finding="{finding}"' in page
    history = re.search(rf'<ol class="history" data-history="{finding}">(.*?)</ol>', page, re.S)
    assert history and [a for a in re.findall(r'data-action="(\w+)" data-user="reviewer"', history.group(1))] == [
        "confirm", "dismiss", "comment"]
    assert "已电话核实" in history.group(1)
    # a dismissed finding's cells are no longer highlighted; the other LIT-SUM's still are
    assert "t4.review.total" not in cells_with(page, "hl-error")
    assert "t4.litigation_after_review.total" in cells_with(page, "hl-error")
    # reopen brings it back
    api_json(client, "POST", f"/api/v1/findings/{finding}/review", json={"action": "reopen"},
             headers={"X-CSRF-Token": token})
    assert "t4.review.total" in cells_with(client.get(f"/reports/{report}").text, "hl-error")


def test_reviewing_every_warning_changes_the_reports_state_in_the_list(web: Web) -> None:
    client = web.client("reviewer")
    token = csrf_of(client, "/reports")
    (warning,) = finding_ids(web, HUAIAN, "CNT-OVERVIEW-TOPICS")
    client.post(f"/reports/{web.reports[HUAIAN]}/findings/{warning}/review", data={"action": "dismiss", "csrf": token})
    page = client.get("/reports").text
    assert re.search(rf'<tr data-report="{web.reports[HUAIAN]}" data-state="reviewed">', page)
    assert bodies_listed(client.get("/reports?state=reviewed").text) == [HUAIAN]
    assert bodies_listed(client.get("/reports?state=warnings").text) == []


def test_bad_review_actions_are_refused(web: Web) -> None:
    client = web.client("reviewer")
    token = csrf_of(client, "/reports")
    finding = finding_ids(web, HONGZE, "LIT-SUM")[0]
    headers = {"X-CSRF-Token": token}
    assert client.post(f"/api/v1/findings/{finding}/review", json={"action": "delete"}, headers=headers).status_code == 422
    assert client.post(f"/api/v1/findings/{finding}/review", json={"action": "comment", "comment": " "},
                       headers=headers).status_code == 422
    assert client.post(f"/api/v1/findings/{finding}/review", json={"action": "confirm"}).status_code == 403  # no CSRF
    assert api_json(client, "GET", f"/api/v1/reports/{web.reports[HONGZE]}/findings")[0]["events"] == []


def test_a_submitter_sees_the_state_but_cannot_act(web: Web) -> None:
    client = web.client("hongze")
    token = csrf_of(client, "/reports")
    report = web.reports[HONGZE]
    finding = finding_ids(web, HONGZE, "LIT-SUM")[0]
    page = client.get(f"/reports/{report}").text
    assert 'id="read-only"' in page and "data-review-form" not in page and 'data-review="open"' in page
    assert client.post(f"/reports/{report}/findings/{finding}/review",
                       data={"action": "confirm", "csrf": token}).status_code == 403
    assert client.post(f"/api/v1/findings/{finding}/review", json={"action": "dismiss"},
                       headers={"X-CSRF-Token": token}).status_code == 403
    assert api_json(client, "GET", f"/api/v1/reports/{report}/findings")[0]["review"] == "open"


def test_another_bodys_report_and_findings_are_not_found_by_any_id(web: Web) -> None:
    client = web.client("hongze")
    token = csrf_of(client, "/reports")
    other = web.reports[HUAIAN]
    (finding,) = finding_ids(web, HUAIAN, "CNT-OVERVIEW-TOPICS")
    for path in (f"/reports/{other}", f"/reports/{other}/pages/1.png", f"/reports/{other}/download.json",
                 f"/reports/{other}/download.docx", f"/reports/{other}/cells/t2.fees.amount/source",
                 f"/api/v1/reports/{other}", f"/api/v1/reports/{other}/cells", f"/api/v1/reports/{other}/findings",
                 "/reports/999999", "/api/v1/reports/999999"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/api/v1/findings/{finding}/review", json={"action": "confirm"},
                       headers={"X-CSRF-Token": token}).status_code == 404
    for report in (other, web.reports[HONGZE]):  # the finding's own report, and the user's own report's URL
        assert client.post(f"/reports/{report}/findings/{finding}/review",
                           data={"action": "confirm", "csrf": token}).status_code == 404
    # nor can a reviewer of another region act on it
    jilin = web.client("jilin")
    assert jilin.post(f"/api/v1/findings/{finding}/review", json={"action": "confirm"},
                      headers={"X-CSRF-Token": csrf_of(jilin, "/reports")}).status_code == 404
    assert api_json(web.client("admin"), "GET", f"/api/v1/reports/{other}/findings")[0]["events"] == []


def test_the_api_with_a_token(web: Web) -> None:
    from zfxxgk.web.accounts import add_token

    token = add_token(web.app.state.store.engine, 2, "script")  # user 2: reviewer
    script = web.client()
    headers = {"Authorization": f"Bearer {token}"}
    report = web.reports[HONGZE]
    detail = api_json(script, "GET", f"/api/v1/reports/{report}", headers=headers)
    assert (detail["body"], detail["year"], detail["version"], detail["revision"], detail["format"]) == (
        HONGZE, 2023, "2021", 1, "pdf")
    assert detail["revisions"] == [{"id": report, "revision": 1, "current": True}]
    assert detail["previous_report_id"] is None and (detail["errors"], detail["warnings"], detail["infos"]) == (3, 1, 1)
    cells = {c["id"]: c for c in api_json(script, "GET", f"/api/v1/reports/{report}/cells", headers=headers)}
    assert cells["t2.fees.amount"]["value"] == "7730.28" and cells["t2.fees.amount"]["box"][0] == 3
    assert cells["t2.fees.amount"]["source"] == {"page": 3, "table": 1, "row": 14, "col": 2}
    found = api_json(script, "GET", f"/api/v1/reports/{report}/findings", headers=headers)
    assert [f["code"] for f in found] == ["LIT-SUM", "LIT-SUM", "FMT-VERSION", "CNT-OVERVIEW-TOPICS",
                                         "FMT-LABEL-VARIANT"]
    assert found[0]["message"] == "行政复议：结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 11，但总计为 0"
    done = api_json(script, "POST", f"/api/v1/findings/{found[0]['id']}/review", headers=headers,
                    json={"action": "confirm", "comment": "属实"})  # a token needs no CSRF header
    assert done["finding"]["review"] == "accepted" and done["event"]["action"] == "confirm"
    schema = api_json(script, "GET", "/api/v1/openapi.json")
    for path in ("/api/v1/reports", "/api/v1/reports/{report_id}", "/api/v1/reports/{report_id}/cells",
                 "/api/v1/reports/{report_id}/findings", "/api/v1/findings/{finding_id}/review"):
        assert path in schema["paths"], path
    assert not any(p.startswith("/reports") for p in schema["paths"])  # the pages are not API


# ------------------------------------------------------------------ last year
def _store_last_year(web: Web, tmp_path: Path) -> int:
    """Seed 004 as the body's 2019 report, with 3 carried forward in 其他 and 总计 (this year carries over 0)."""
    from zfxxgk.store import file_item

    lines = SEED_004.read_text("utf-8").split("\n")
    lines[351] = lines[352] = "\t3"  # 四、结转下年度继续办理 · 其他 and 总计
    path = tmp_path / "guinan-2019.txt"
    path.write_text("\n".join(lines).replace("2020", "2019"), "utf-8")
    done = web.app.state.store.ingest(file_item(path), body=GUINAN)
    assert (done.status, done.year) == ("new", 2019)
    return done.report_id


def test_last_year_beside_this_year_with_the_differences_and_cross_year_findings(web: Web, tmp_path: Path) -> None:
    last = _store_last_year(web, tmp_path)
    page = web.client("admin").get(f"/reports/{web.reports[GUINAN]}").text
    assert f'<a href="/reports/{last}" id="previous-link">' in page
    diff = {"t3.carried_forward.other_org", "t3.carried_forward.total"}
    assert cells_with(page, "diff", 'data-side="this"') == diff
    assert cells_with(page, "diff", 'data-side="last"') == diff
    yoy = re.search(r'<ul id="yoy-findings">(.*?)</ul>', page, re.S)
    assert yoy and re.findall(r"<code>([\w-]+)</code>", yoy.group(1)) == ["YOY-CARRY", "YOY-CARRY", "YOY-TEXT-REPEAT"]
    assert "“其他”列：本年上年结转 0，但 2019 年报告结转下年度继续办理 3" in yoy.group(1)
    detail = api_json(web.client("admin"), "GET", f"/api/v1/reports/{web.reports[GUINAN]}")
    assert detail["previous_report_id"] == last
    found = api_json(web.client("admin"), "GET", f"/api/v1/reports/{web.reports[GUINAN]}/findings")
    assert {f["previous_report_id"] for f in found if f["code"].startswith("YOY-")} == {last}
    assert 'id="no-previous"' in web.client("admin").get(f"/reports/{web.reports[HONGZE]}").text


# ------------------------------------------------------------------ downloads
def test_docx_download_parses_back_to_the_same_cells(web: Web, tmp_path: Path) -> None:
    from zfxxgk.pipeline import parse_file

    from .outputs_helpers import mismatches

    client = web.client("hongze")
    report = web.reports[HONGZE]
    response = client.get(f"/reports/{report}/download.docx")
    assert response.status_code == 200
    assert response.headers["content-type"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''%E6%B7%AE" in response.headers["content-disposition"]  # 淮安市洪泽区人民政府-2023-r1
    path = tmp_path / "report.docx"
    path.write_bytes(response.content)
    cells = {c["id"]: c for c in api_json(client, "GET", f"/api/v1/reports/{report}/cells")}
    original = web.app.state.store.load(report)
    parsed = parse_file(path)
    assert parsed.error is None and parsed.version == "2021" and parsed.year == 2023
    assert mismatches(original, parsed) == []
    assert len(parsed.cells) == len(cells)


def test_xlsx_html_and_json_downloads(web: Web) -> None:
    import jsonschema
    from openpyxl import load_workbook

    from zfxxgk.report import Report

    client = web.client("admin")
    report = web.reports[GUINAN]
    (dismissed,) = finding_ids(web, GUINAN, "CNT-OVERVIEW-TOPICS")
    client.post(f"/reports/{report}/findings/{dismissed}/review",
                data={"action": "dismiss", "csrf": csrf_of(client, "/reports")})
    book = load_workbook(io.BytesIO(client.get(f"/reports/{report}/download.xlsx").content))
    findings_sheet = book.worksheets[0]
    rows = list(findings_sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 7  # the header, and the 8 findings but the dismissed one
    assert [r[3] for r in rows[1:]].count("APP-BALANCE") == 2 and "CNT-OVERVIEW-TOPICS" not in [r[3] for r in rows]
    review = client.get(f"/reports/{report}/download.html")
    assert review.status_code == 200 and review.headers["content-disposition"].startswith("attachment")
    assert len(re.findall(r'<td class="value[^"]*\bhl-error\b', review.text)) == 46  # the same cells as the page
    data = json.loads(client.get(f"/reports/{report}/download.json").content)
    schema = json.loads((Path(__file__).resolve().parents[1] / "docs" / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    back = Report.from_dict(data)
    stored = web.app.state.store.load(report)
    assert {cid: (c.value, c.raw) for cid, c in back.cells.items()} == {
        cid: (c.value, c.raw) for cid, c in stored.cells.items()}
    assert len(data["findings"]) == 7 and data["findings"][0]["message"].startswith("“其他”列")
    assert client.get(f"/reports/{report}/download.pdf").status_code == 404


def test_a_word_cell_shows_its_printed_row_and_revisions_link_each_other(web: Web, tmp_path: Path) -> None:
    from zfxxgk.store import file_item
    from zfxxgk.web import blobs

    client = web.client("hongze")
    first = web.reports[HONGZE]
    path = tmp_path / "hongze-2023.docx"  # the report written as Word, then uploaded again: revision 2
    path.write_bytes(client.get(f"/reports/{first}/download.docx").content)
    store = web.app.state.store
    done = store.ingest(file_item(path))
    with store.engine.begin() as conn:
        blobs.put(conn, path.read_bytes())
    assert (done.status, done.body, done.revision) == ("revision", HONGZE, 2)
    source = api_json(client, "GET", f"/reports/{done.report_id}/cells/t2.fees.amount/source")
    assert source["where"] == "表1第14行第2列" and source["box"] is None and source["lines"] == []
    assert source["row"] == {"cells": ["行政事业性收费", "7730.28"], "current": 1}
    page = client.get(f"/reports/{done.report_id}").text
    assert f'<a href="/reports/{first}" data-revision="1">1</a>' in page
    assert '<strong data-revision="2">2</strong>（当前版本）' in page
    old = client.get(f"/reports/{first}").text
    assert "这不是当前版本" in old and f'<a href="/reports/{done.report_id}" data-revision="2">2</a>' in old
    assert bodies_listed(client.get("/reports").text) == [HONGZE]
    listed = api_json(client, "GET", "/api/v1/reports", params={"revisions": True})
    assert [(r["id"], r["revision"], r["current"]) for r in listed["items"]] == [
        (done.report_id, 2, True), (first, 1, False)]


def test_an_unreadable_report_is_listed_as_such(web: Web, tmp_path: Path) -> None:
    from zfxxgk.store import file_item

    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    done = web.app.state.store.ingest(file_item(path))
    assert done.status == "unreadable"
    client = web.client("admin")
    found = api_json(client, "GET", "/api/v1/reports", params={"state": "unreadable"})
    assert [r["id"] for r in found["items"]] == [done.report_id] and found["states"]["unreadable"] == 1
    page = client.get(f"/reports/{done.report_id}")
    assert page.status_code == 200 and 'id="report-problem"' in page.text and 'id="tables"' in page.text
    assert 'data-state="unreadable"' in page.text
    assert client.get(f"/reports/{done.report_id}/download.docx").status_code == 409
    assert client.get(f"/reports/{done.report_id}/download.json").json()["problem"]["code"]


def test_a_scans_page_is_the_image_itself_with_its_size_in_points() -> None:
    from PIL import Image

    from zfxxgk.web import pages

    scan = io.BytesIO()
    Image.new("RGB", (1654, 2339), "white").save(scan, "PNG", dpi=(200, 200))  # A4 at 200 dpi
    size = pages.page_size(scan.getvalue(), 1)
    assert (round(size.width, 1), round(size.height, 1), size.pages) == (595.4, 842.0, 1)
    shown = Image.open(io.BytesIO(pages.render_png(scan.getvalue(), 1, 1.0)))
    assert shown.size == (595, 842)  # shrunk to 1 px a point; never enlarged past the scan
    assert Image.open(io.BytesIO(pages.render_png(scan.getvalue(), 1, 3.0))).size == (1654, 2339)
    with pytest.raises(pages.PageError):
        pages.page_size(scan.getvalue(), 2)
    with pytest.raises(pages.PageError):
        pages.render_png(b"not an image", 1)

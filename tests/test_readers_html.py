"""Web pages: the seeds re-drawn as HTML with the official spans read exactly like their text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from zfxxgk.document import Table
from zfxxgk.normalize import _T2S
from zfxxgk.pipeline import build_report, parse_bytes, parse_file
from zfxxgk.readers import read_bytes, sniff
from zfxxgk.rules import run_checks

from .office_helpers import SEEDS, distinct_values, html_table, layouts, seed_html

# simplified -> traditional for rendering mirror pages (the inverse of the matching map)
S2T = {chr(s): chr(t) for t, s in _T2S.items()}
S2T.update({"后": "後", "里": "裏", "众": "眾"})


def _same_cells(a, b) -> dict[str, tuple[object, object]]:  # type: ignore[no-untyped-def]
    assert set(a.cells) == set(b.cells)
    return {cid: ((a.cells[cid].value, a.cells[cid].kind), (b.cells[cid].value, b.cells[cid].kind))
            for cid in a.cells
            if (a.cells[cid].value, a.cells[cid].kind, a.cells[cid].raw)
            != (b.cells[cid].value, b.cells[cid].kind, b.cells[cid].raw)}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_as_html_reads_like_its_text(path: Path) -> None:
    text = parse_file(path)
    page = seed_html(path).encode("utf-8")
    assert sniff(page) == "html"
    web = parse_bytes(page)
    assert web.format == "html"
    assert (web.version, web.year, web.title, web.body) == (text.version, text.year, text.title, text.body)
    assert sorted(web.sections) == sorted(text.sections)
    assert len(web.cells) == 198
    assert _same_cells(text, web) == {}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_as_traditional_mirror_page(path: Path) -> None:
    text = parse_file(path)
    page = seed_html(path, S2T)
    assert "開" in page and "請" in page and "數" in page
    web = parse_bytes(page.encode("big5hkscs", errors="xmlcharrefreplace").replace(b'charset="utf-8"',
                                                                                   b'charset="big5"'))
    assert web.error is None
    assert web.version == text.version
    assert sorted(web.sections) == sorted(text.sections)
    assert _same_cells(text, web) == {}
    # raw text stays as printed
    doc = read_bytes(page.encode("utf-8"))
    assert any("開" in c.text for t in doc.tables for row in t.rows for c in row)


def test_spans_become_physical_cells_on_the_grid() -> None:
    values = distinct_values("2021")
    doc = read_bytes(("<html><body>" + html_table(layouts("2021")["t3"], values) + "</body></html>").encode())
    (table,) = doc.tables
    h0, h1, h2 = table.rows[:3]
    assert [(c.col, c.rowspan, c.colspan) for c in h0] == [(0, 3, 3), (3, 1, 7)]
    assert [(c.text, c.col, c.rowspan, c.colspan) for c in h1] == [
        ("自然人", 3, 2, 1), ("法人或其他组织", 4, 1, 5), ("总计", 9, 2, 1)]
    assert [c.col for c in h2] == [4, 5, 6, 7, 8]
    secret = table.rows[7]
    assert [c.text for c in secret][:3] == ["（三）不予公开", "1.属于国家秘密", values["t3.withheld.state_secret.natural_person"]]
    assert secret[0].rowspan == 8 and secret[1].col == 2
    law = table.rows[8]
    assert law[0].text == "2.其他法律行政法规禁止公开" and law[0].col == 2 and len(law) == 8
    assert law[3].source.to_json() == {"table": 1, "row": 9, "col": 6}


def test_word_html_tag_soup_and_nbsp() -> None:
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312"><style>p.MsoNormal{margin:0}</style></head>
<body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal><b><span style='font-size:16pt'>某某乡人民政府2021年政府信息公开工作年度报告<o:p></o:p></span></b></p>
<p class=MsoNormal>二、主动公开政府信息情况</p>
<table class=MsoTableGrid border=1>
<tr><td colspan=4><p class=MsoNormal>第二十条第（一）项</p>
<tr><td><p>信息内容<td><p>本年制发件数<td>本年废止件数<td>现行有效件数
<tr><td>规章<td><p class=MsoNormal align=center><span lang=EN-US>3<o:p></o:p></span></p><td>&nbsp;<td>/
<tr><td>行政规范性文件<td>1<td>0<td>12
</table>
<script>document.write("<p>三、收到和处理政府信息公开申请情况</p>")</script>
<p style="display:none">六、其他需要报告的事项</p>
</div></body></html>""".encode("gb18030")
    doc = read_bytes(page)
    assert doc.meta["encoding"] == "gb18030 (meta)"
    report = build_report(doc, "page.html")
    cells = {cid: (c.raw, c.kind) for cid, c in report.cells.items() if cid.startswith("t2.regulations")
             or cid.startswith("t2.normative")}
    assert cells == {"t2.regulations.issued": ("3", "number"), "t2.regulations.repealed": ("", "blank"),
                     "t2.regulations.in_force": ("/", "na"), "t2.normative_docs.issued": ("1", "number"),
                     "t2.normative_docs.repealed": ("0", "number"), "t2.normative_docs.in_force": ("12", "number")}
    assert report.title == "某某乡人民政府2021年政府信息公开工作年度报告"
    assert sorted(report.sections) == [2]  # script and hidden text are not content


@pytest.mark.parametrize(("encoded", "label"), [
    (codecs.BOM_UTF8 + "<p>年度报告</p>".encode(), "utf-8 (BOM)"),
    (codecs.BOM_UTF16_LE + "<p>年度报告</p>".encode("utf-16-le"), "utf-16 (BOM)"),
    ("<html><p>年度报告</p></html>".encode("gb18030"), "gb18030"),
    ("<html><p>年度报告</p></html>".encode(), "utf-8"),
    ('<meta charset="utf-8"><p>年度报告</p>'.encode("gb18030"), "gb18030"),  # declared wrongly
])
def test_charset_detection(encoded: bytes, label: str) -> None:
    assert sniff(encoded) == "html"
    doc = read_bytes(encoded)
    assert doc.meta["encoding"] == label
    assert [p.text for p in doc.paragraphs] == ["年度报告"]


def test_table_published_as_image_is_reported() -> None:
    path = SEEDS[0]
    page = seed_html(path)
    start = page.index("<table", page.index("三、收到和处理政府信息公开申请情况"))
    end = page.index("</table>", start) + len("</table>")
    page = page[:start] + '<p><img src="/upload/table3.png" alt="表三"></p>' + page[end:]
    doc = read_bytes(page.encode())
    assert doc.meta["images"] == [{"src": "/upload/table3.png", "alt": "表三",
                                   "after_paragraph": doc.meta["images"][0]["after_paragraph"],
                                   "block": doc.meta["images"][0]["block"]}]
    assert len([b for b in doc.blocks if isinstance(b, Table)]) == 2
    report = build_report(doc, "page.html")
    run_checks(report)
    missing = [f for f in report.findings if f.code == "FMT-TABLE-NOT-TEXT"]
    assert len(missing) == 1 and all(cid.startswith("t3.") for cid in missing[0].cells)
    assert report.tables["t3"].found is False
    assert report.tables["t2"].found and report.tables["t4"].found


def test_mht_single_file_page_saved_as_doc(tmp_path: Path) -> None:
    body = seed_html(SEEDS[2]).encode("utf-8")
    import base64

    mht = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"XX\"\r\n\r\n--XX\r\n"
           b"Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + base64.encodebytes(body) + b"\r\n--XX--\r\n")
    path = tmp_path / "report.doc"
    path.write_bytes(mht)
    assert sniff(mht) == "mht"
    report = parse_file(path)
    assert report.format == "mht"
    assert _same_cells(parse_file(SEEDS[2]), report) == {}

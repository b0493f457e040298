"""Test helpers: the official table grids (format.md §3) as span layouts, rendered to Word and HTML.

A layout is rows of Slot(text or cell id, rowspan, colspan), laid out like HTML (covered positions
omitted). The same layout renders as a python-docx table (merges) and as an HTML table
(rowspan/colspan), so every reader is checked against one independent description of the grid.
"""

from __future__ import annotations

import copy
import hashlib
import html
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from zfxxgk.templates import FORMATS

from .conftest import FIXTURES, fixture_files

TEMPLATE_2021 = FIXTURES / "real" / "template-2021-blank.docx"
SEEDS = fixture_files("seeds/*.txt", 5)


@dataclass(frozen=True)
class Slot:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    cid: str | None = None  # a value cell: its text comes from the values dict


Layout = list[list[Slot]]


def _v(cid: str, colspan: int = 1) -> Slot:
    return Slot(colspan=colspan, cid=cid)


def t2_2019() -> Layout:
    """§3.1 on the 5-column Word grid: 3-value rows end in a 2-wide cell, 2-value rows use 2+2."""
    rows: Layout = []
    docs = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
    items = ("上一年项目数量", "本年增/减", "处理决定数量")
    blocks = (
        ("第二十条第（一）项", docs, (("t2.regulations", "规章"), ("t2.normative_docs", "规范性文件")),
         ("new_made", "new_published", "total_published")),
        ("第二十条第（五）项", items, (("t2.licensing", "行政许可"), ("t2.other_services", "其他对外管理服务事项")),
         ("prev_items", "change", "decisions")),
        ("第二十条第（六）项", items, (("t2.punishment", "行政处罚"), ("t2.coercion", "行政强制")),
         ("prev_items", "change", "decisions")),
    )
    for caption, heads, data, cols in blocks:
        rows.append([Slot(caption, colspan=5)])
        rows.append([Slot("信息内容"), Slot(heads[0]), Slot(heads[1]), Slot(heads[2], colspan=2)])
        for rid, label in data:
            rows.append([Slot(label), _v(f"{rid}.{cols[0]}"), _v(f"{rid}.{cols[1]}"), _v(f"{rid}.{cols[2]}", 2)])
    rows.append([Slot("第二十条第（八）项", colspan=5)])
    rows.append([Slot("信息内容"), Slot("上一年项目数量", colspan=2), Slot("本年增/减", colspan=2)])
    rows.append([Slot("行政事业性收费"), _v("t2.fees.prev_items", 2), _v("t2.fees.change", 2)])
    rows.append([Slot("第二十条第（九）项", colspan=5)])
    rows.append([Slot("信息内容"), Slot("采购项目数量", colspan=2), Slot("采购总金额", colspan=2)])
    rows.append([Slot("政府集中采购"), _v("t2.procurement.projects", 2), _v("t2.procurement.amount", 2)])
    return rows


def t2_2021() -> Layout:
    """§3.2 on a 4-column grid; single-value blocks span c1–c3."""
    rows: Layout = [
        [Slot("第二十条第（一）项", colspan=4)],
        [Slot("信息内容"), Slot("本年制发件数"), Slot("本年废止件数"), Slot("现行有效件数")],
    ]
    for rid, label in (("t2.regulations", "规章"), ("t2.normative_docs", "行政规范性文件")):
        rows.append([Slot(label), _v(f"{rid}.issued"), _v(f"{rid}.repealed"), _v(f"{rid}.in_force")])
    for caption, head, data in (
        ("第二十条第（五）项", "本年处理决定数量", (("t2.licensing.decisions", "行政许可"),)),
        ("第二十条第（六）项", "本年处理决定数量", (("t2.punishment.decisions", "行政处罚"),
                                                  ("t2.coercion.decisions", "行政强制"))),
        ("第二十条第（八）项", "本年收费金额（单位：万元）", (("t2.fees.amount", "行政事业性收费"),)),
    ):
        rows.append([Slot(caption, colspan=4)])
        rows.append([Slot("信息内容"), Slot(head, colspan=3)])
        for cid, label in data:
            rows.append([Slot(label), _v(cid, 3)])
    return rows


def t3(version: str) -> Layout:
    """§3.3: three header rows and the label columns c0–c2 with their official merges."""
    template = FORMATS[version].tables["t3"]
    cols = [c.id for c in template.rows[0].columns]
    rows: Layout = [
        [Slot("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         Slot("申请人情况", colspan=7)],
        [Slot("自然人", rowspan=2), Slot("法人或其他组织", colspan=5), Slot("总计", rowspan=2)],
        [Slot("商业企业"), Slot("科研机构"), Slot("社会公益组织"), Slot("法律服务机构"), Slot("其他")],
    ]
    outer = ("t3.new_received", "t3.carried_over", "t3.carried_forward")
    inner = [r for r in template.rows if r.id not in outer]
    groups: dict[str | None, int] = {}
    for r in inner:
        groups[r.group] = groups.get(r.group, 0) + 1
    seen: set[str | None] = set()
    for r in template.rows:
        values = [_v(f"{r.id}.{c}") for c in cols]
        if r.id in outer:
            rows.append([Slot(r.label, colspan=3), *values])
            continue
        row: list[Slot] = []
        if r is inner[0]:
            row.append(Slot("三、本年度办理结果", rowspan=len(inner)))
        if r.group is None:
            row.append(Slot(r.label, colspan=2))
        else:
            if r.group not in seen:
                seen.add(r.group)
                row.append(Slot(r.group, rowspan=groups[r.group]))
            row.append(Slot(r.label))
        rows.append(row + values)
    return rows


def t4() -> Layout:
    """§3.4: two header levels, one unlabelled data row of 15 values."""
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ids = FORMATS["2021"].tables["t4"].cell_ids()
    return [
        [Slot("行政复议", colspan=5), Slot("行政诉讼", colspan=10)],
        [*(Slot(x, rowspan=2) for x in results), Slot("未经复议直接起诉", colspan=5), Slot("复议后起诉", colspan=5)],
        [Slot(x) for x in results * 2],
        [_v(cid) for cid in ids],
    ]


def layouts(version: str) -> dict[str, Layout]:
    return {"t2": t2_2019() if version == "2019" else t2_2021(), "t3": t3(version), "t4": t4()}


def positions(layout: Layout) -> list[tuple[int, int, Slot]]:
    """(row, grid column, slot) for every slot, placing spans as HTML does."""
    occupied: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(layout):
        col = 0
        for slot in row:
            while (r, col) in occupied:
                col += 1
            for dr in range(slot.rowspan):
                for dc in range(slot.colspan):
                    occupied.add((r + dr, col + dc))
            out.append((r, col, slot))
            col += slot.colspan
    return out


def width(layout: Layout) -> int:
    return max(c + s.colspan for _, c, s in positions(layout))


def distinct_values(version: str) -> dict[str, str]:
    """A different number in every value cell (amounts with decimals), so any shift shows."""
    values = {}
    for n, cid in enumerate(FORMATS[version].cell_ids(), start=1):
        amount = cid in ("t2.fees.amount", "t2.procurement.amount")
        values[cid] = f"{n}.25" if amount else str(n * 3 + 1000)
    return values


# ---------------------------------------------------------------- HTML
def html_table(layout: Layout, values: dict[str, str]) -> str:
    out = ['<table border="1" cellspacing="0">']
    for row in layout:
        out.append("<tr>")
        for slot in row:
            attrs = (f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else "") + (
                f' colspan="{slot.colspan}"' if slot.colspan > 1 else "")
            text = values.get(slot.cid, "") if slot.cid else slot.text
            out.append(f'<td{attrs}><p style="text-align:center">{html.escape(text) or "&nbsp;"}</p></td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


# ---------------------------------------------------------------- Word
def docx_table(document: object, layout: Layout, values: dict[str, str]) -> None:
    """Add the layout to a python-docx Document as a table with Word's own merges."""
    rows, cols = len(layout), width(layout)
    table = document.add_table(rows=rows, cols=cols)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    # The cells of the unmerged grid, listed once: table.cell() walks the whole table on every call.
    # Each corner a merge touches lies inside its own slot, so no other merge invalidates it.
    grid = table._cells
    for r, c, slot in positions(layout):
        cell = grid[r * cols + c]
        if slot.rowspan > 1 or slot.colspan > 1:
            cell = cell.merge(grid[(r + slot.rowspan - 1) * cols + c + slot.colspan - 1])
        cell.text = values.get(slot.cid, "") if slot.cid else slot.text


SECTION_TITLES = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def build_docx(version: str, values: dict[str, str], year: int = 2020) -> bytes:
    """A complete report in Word: title, six heading-styled sections, the three tables."""
    import docx

    document = docx.Document()
    document.add_heading(f"测试镇人民政府{year}年政府信息公开工作年度报告", level=0)
    tables = layouts(version)
    for n, title in enumerate(SECTION_TITLES, start=1):
        document.add_heading(title, level=1)
        key = {2: "t2", 3: "t3", 4: "t4"}.get(n)
        if key:
            docx_table(document, tables[key], values)
        else:
            document.add_paragraph("本机关认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好主动公开和依申请公开工作。")
    document.add_paragraph("测试镇人民政府")
    document.add_paragraph(f"{year + 1}年1月20日")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def fill_template(values: dict[str, str], source: Path = TEMPLATE_2021) -> bytes:
    """The official blank template with values written into its empty value cells, in grid order.

    Empty cells that start a cell (not vMerge continuations) are exactly the template's value
    cells, in the order of FORMAT_2021's cell ids (t2, t3, t4, row by row).
    """
    import docx
    from docx.oxml.ns import qn
    from docx.table import _Cell

    document = docx.Document(str(source))
    order = FORMATS["2021"].cell_ids()
    k = 0
    for tbl in document.element.body.iter(qn("w:tbl")):
        for tc in tbl.iter(qn("w:tc")):
            vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                continue
            if "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip():
                continue
            _Cell(tc, None).text = values[order[k]]  # type: ignore[arg-type]
            k += 1
    assert k == len(order), f"{k} empty value cells, expected {len(order)}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- seeds as HTML
def seed_html(path: Path, s2t: dict[str, str] | None = None) -> str:
    """A seed report as a web page: its paragraphs, and its three tables re-drawn on the official
    grid (format.md §3 spans) holding the raw value texts the text reader extracted."""
    from zfxxgk.document import Table
    from zfxxgk.locate import locate
    from zfxxgk.pipeline import build_report
    from zfxxgk.readers import read_bytes

    doc = read_bytes(path.read_bytes())
    report = build_report(doc, str(path))
    assert report.version is not None
    values = {cid: cell.raw or "" for cid, cell in report.cells.items()}
    kinds = {id(t): kind for kind, tables in locate(doc).tables.items() for t in tables}
    grids = layouts(report.version)
    body: list[str] = []
    drawn: set[str] = set()
    for block in doc.blocks:
        if isinstance(block, Table):
            kind = kinds.get(id(block))
            if kind and kind not in drawn:
                drawn.add(kind)
                body.append(html_table(grids[kind], values))
            continue
        tag = "h2" if block.level else "p"
        body.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
    page = ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>report</title></head><body>\n'
            + "\n".join(body) + "\n</body></html>\n")
    if s2t:
        page = "".join(s2t.get(ch, ch) for ch in page)
    return page


# ---------------------------------------------------------------- LibreOffice, one call for many files
@dataclass
class Batch:
    results: list[object]  # read_many's result for each item: a Document or a ReadError
    served: int = 0  # files the readers have taken from the batch


@contextmanager
def one_libreoffice_call(items: Sequence[tuple[bytes, str]]) -> Iterator[Batch]:
    """Convert many (data, kind) files in one LibreOffice call (readers.libreoffice.read_many), then
    serve those results while the block runs: parse_file / read_bytes on the same bytes go through
    sniffing and the reader as usual, but do not start LibreOffice once per file. Other inputs
    convert as usual. Starting LibreOffice costs far more than converting a report.
    """
    from zfxxgk.readers import libreoffice

    real = libreoffice.read_many
    batch = Batch(real(items))

    def key(data: bytes, kind: str) -> tuple[bytes, str]:
        return hashlib.sha256(data).digest(), kind

    done = {key(data, kind): result for (data, kind), result in zip(items, batch.results, strict=True)}

    def read_many(files: Sequence[tuple[bytes, str]], *, timeout: float | None = None) -> list[object]:
        keys = [key(data, kind) for data, kind in files]
        if all(k in done for k in keys):
            batch.served += len(keys)
            return [done[k] if isinstance(done[k], Exception) else copy.deepcopy(done[k]) for k in keys]
        return real(files, timeout=timeout)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(libreoffice, "read_many", read_many)
        yield batch

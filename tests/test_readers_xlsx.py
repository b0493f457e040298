"""Excel .xlsx: merged ranges, numbers stored as numbers or text, sheets and regions in order."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from zfxxgk.document import Paragraph, Table
from zfxxgk.pipeline import parse_bytes
from zfxxgk.readers import read_bytes, sniff

from .office_helpers import SECTION_TITLES, distinct_values, layouts, positions


def _workbook(values: dict[str, object], formats: dict[str, str]) -> bytes:
    """The 2021 report: a title sheet, then one sheet per table with its section title above it."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover["A1"] = "测试县统计局2022年政府信息公开工作年度报告"
    cover["A3"] = SECTION_TITLES[0]
    cover["A4"] = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
    for n, key in ((2, "t2"), (3, "t3"), (4, "t4")):
        sheet = book.create_sheet(f"表{key[1]}")
        sheet["A1"] = SECTION_TITLES[n - 1]
        for r, c, slot in positions(layouts("2021")[key]):
            row, col = r + 3, c + 1  # a blank row between title and table
            cell = sheet.cell(row, col)
            cell.value = values[slot.cid] if slot.cid else slot.text
            if slot.cid in formats:
                cell.number_format = formats[slot.cid]
            if slot.rowspan > 1 or slot.colspan > 1:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row + slot.rowspan - 1,
                                  end_column=col + slot.colspan - 1)
    last = book.create_sheet("其他")
    for i, title in enumerate(SECTION_TITLES[4:], start=1):
        last.cell(i * 2 - 1, 1, title)
        last.cell(i * 2, 1, "无。")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_every_cell_numbers_and_text() -> None:
    printed = distinct_values("2021")
    stored: dict[str, object] = {}
    for n, (cid, text) in enumerate(printed.items()):
        if cid == "t2.fees.amount":
            stored[cid] = 12.25
        elif n % 3 == 0:
            stored[cid] = text  # a number typed as text
        elif n % 3 == 1:
            stored[cid] = float(text)  # 1003.0 must read "1003"
        else:
            stored[cid] = int(text)
    expected = {cid: ("12.2500" if cid == "t2.fees.amount" else text) for cid, text in printed.items()}
    data = _workbook(stored, {"t2.fees.amount": "0.0000"})
    assert sniff(data) == "xlsx"
    report = parse_bytes(data)
    assert report.error is None
    assert (report.format, report.version, report.year) == ("xlsx", "2021", 2022)
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert {cid: c.raw for cid, c in report.cells.items()} == expected
    assert report.cells["t2.fees.amount"].value == Decimal("12.2500")
    assert all(c.kind == "number" for c in report.cells.values())


def test_xlsx_sheets_regions_and_spans() -> None:
    data = _workbook({cid: 1 for cid in distinct_values("2021")}, {})
    doc = read_bytes(data)
    assert doc.meta["sheets"] == ["封面", "表2", "表3", "表4", "其他"]
    shape = ["T" if isinstance(b, Table) else b.text for b in doc.blocks]
    assert shape == ["测试县统计局2022年政府信息公开工作年度报告", SECTION_TITLES[0], doc.blocks[2].text,
                     SECTION_TITLES[1], "T", SECTION_TITLES[2], "T", SECTION_TITLES[3], "T",
                     SECTION_TITLES[4], "无。", SECTION_TITLES[5], "无。"]
    t3 = doc.tables[1]
    h0 = t3.rows[0]
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in h0] == [(0, 0, 3, 3), (0, 3, 1, 7)]
    assert h0[1].source.to_json() == {"table": 2, "row": 3, "col": 4}
    law = next(r for r in t3.rows if r[0].text == "2.其他法律行政法规禁止公开")
    assert [c.col for c in law] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].source.paragraph == 1

"""A generated report as a Word document (.docx) in the official layout, via python-docx.

Conventions of Chinese official documents (GB/T 9704): A4, margins 3.7/3.5/2.8/2.6 cm; title in
方正小标宋简体 (宋体 where absent) 二号; section titles 黑体 三号; body 仿宋_GB2312 三号 with a two-character
indent. Tables as in the official template (real/template-2021-blank.docx): 宋体 10 pt, centred, with
real merged cells (gridSpan / vMerge) for every span of format.md §3.
"""

from __future__ import annotations

import io
from typing import Any

from .compose import Composed
from .layout import Grid, Role

TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312", "宋体"
_MARGINS_CM = {"top_margin": 3.7, "bottom_margin": 3.5, "left_margin": 2.8, "right_margin": 2.6}
_TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6


def render_docx(doc: Composed) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for name, cm in _MARGINS_CM.items():
        setattr(section, name, Cm(cm))
    _paragraph(document, doc.title, TITLE_FONT, 22, centre=True, indent=False)
    for p in doc.preamble:
        _paragraph(document, p, BODY_FONT, 16)
    for s in doc.sections:
        _paragraph(document, s.title, HEADING_FONT, 16, indent=True)
        for p in s.paragraphs:
            _paragraph(document, p, BODY_FONT, 16)
        if s.grid is not None:
            _table(document, s.grid, doc.values)
            _paragraph(document, "", BODY_FONT, 10, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraph(document: Any, text: str, font: str, size: float, centre: bool = False, indent: bool = True) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28) if size >= 16 else None
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        _run(p, text, font, size)
    return p


def _run(p: Any, text: str, font: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.name = font
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), font)


def _widths(g: Grid) -> list[float]:
    """Column widths in cm that fill the text width, wider where the labels are."""
    if g.key == "t3":
        label = [1.0, 1.9, 3.8]
        rest = (_TEXT_WIDTH_CM - sum(label)) / (g.width - 3)
        return label + [rest] * (g.width - 3)
    if g.key == "t2":
        label = 4.0
        return [label] + [(_TEXT_WIDTH_CM - label) / (g.width - 1)] * (g.width - 1)
    return [_TEXT_WIDTH_CM / g.width] * g.width


def _table(document: Any, g: Grid, values: dict[str, str]) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = document.add_table(rows=len(g.rows), cols=g.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, left_right_twips=45)
    widths = _widths(g)
    for i, column in enumerate(table.columns):
        column.width = Cm(widths[i])
    leading_headers = next(i for i, row in enumerate(g.rows) if any(s.role is not Role.HEADER for s in row))
    for r, row in enumerate(table.rows):
        for i, cell in enumerate(row.cells):
            cell.width = Cm(widths[i])
        _row_flags(row, repeat_header=r < leading_headers)
    # The unmerged grid's cells, listed once: table.cell() walks the whole table on every call (~0.8 s a
    # report). Each merge's corners lie inside its own slot, so no other merge invalidates them.
    cells = table._cells
    for grid_row in g.rows:
        for s in grid_row:
            cell = cells[s.row * g.width + s.col]
            if s.rowspan > 1 or s.colspan > 1:
                cell = cell.merge(cells[(s.row + s.rowspan - 1) * g.width + s.col + s.colspan - 1])
            text = values.get(s.cell_id or "", "") if s.role is Role.VALUE else s.text
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
            left = (s.role is Role.LABEL and g.key == "t3" and s.colspan >= 2) or (s.role is Role.LABEL and s.col == 2)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
            _run(p, text, TABLE_FONT, 10)


def _row_flags(row: Any, repeat_header: bool) -> None:
    """The header rows repeat on every page the table spans.

    No cantSplit: LibreOffice drops the rows of a tall vertical merge (三、本年度办理结果 spans 22 rows)
    when the rows may not split and the merge does not fit the rest of the page.
    """
    from docx.oxml import OxmlElement

    if repeat_header:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cell_margins(table: Any, left_right_twips: int) -> None:
    """Narrow left/right cell margins, so four-digit counts fit the 7 value columns of 表三."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(left_right_twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)

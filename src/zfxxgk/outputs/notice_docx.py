"""A rectification notice (整改意见) as a Word document, and where each cell sits in the official layout.

The notice tells a body, cell by cell, what is wrong in its report and why; the web application fills a
`Notice` from the store (web/returns.py) and shows it on screen, and this module writes the same content
as .docx. It knows nothing of the web or the store: outputs stay below both.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

from ..i18n import MESSAGES, t
from ..templates import FORMATS, TABLE_KEYS, table_name
from .layout import Grid, Role, Slot, grid
from .render_docx import BODY_FONT, HEADING_FONT, TABLE_FONT, TITLE_FONT, _paragraph, _run

# The notice's words, in the message catalogue as notice.*: the .docx is written in the language the reviewer chose,
# as the page is.
WORDS: dict[str, dict[str, str]] = {
    "heading": {"zh": "关于《{title}》的整改意见", "en": "Corrections required: {title}"},
    "to": {"zh": "{body}：", "en": "To {body}:"},
    "intro": {
        "zh": "经审核，你单位报送的《{title}》（{year} 年度，第 {revision} 版）存在以下问题，请逐项核实整改后重新报送。",
        "en": "Your report {title} (year {year}, revision {revision}) has the problems below; check and correct each "
              "of them, then submit the report again.",
    },
    "no": {"zh": "序号", "en": "No."},
    "table": {"zh": "表格", "en": "Table"},
    "row": {"zh": "行", "en": "Row"},
    "column": {"zh": "列", "en": "Column"},
    "value": {"zh": "填报值", "en": "Value"},
    "problem": {"zh": "问题", "en": "Problem"},
    "rule": {"zh": "应当满足", "en": "Must satisfy"},
    "state": {"zh": "整改情况", "en": "Corrected"},
    "whole": {"zh": "（全文）", "en": "(whole report)"},
    "blank": {"zh": "（空）", "en": "(blank)"},
    "note": {"zh": "审核意见：{note}", "en": "Reviewer's note: {note}"},
    "resolved": {"zh": "已整改", "en": "resolved"},
    "open": {"zh": "未整改", "en": "still open"},
    "resubmitted": {"zh": "已于 {at} 重新报送（第 {revision} 版）。",
                    "en": "Submitted again on {at} (revision {revision})."},
    "signed": {"zh": "审核人：{reviewer}", "en": "Reviewer: {reviewer}"},
}


MESSAGES.update({f"notice.{key}": texts for key, texts in WORDS.items()})


def word(key: str, lang: str, **args: object) -> str:
    return t(f"notice.{key}", lang, **args)


@dataclass(frozen=True, slots=True)
class Position:
    """A value cell in the official layout: its table, the labels left of it (row) and above it (column)."""

    table: str
    row: str
    column: str


@dataclass(slots=True)
class NoticeCell:
    cell_id: str
    table: str
    row: str
    column: str
    value: str  # as printed in the report; "" when blank or missing


@dataclass(slots=True)
class NoticeItem:
    finding_id: int
    code: str
    severity: str
    message: str  # the finding's words (messages.render)
    rule: str  # what the cells must satisfy (the rule's explanation in the catalogue)
    cells: list[NoticeCell] = field(default_factory=list)
    resolved: bool | None = None  # after a re-submission: gone from the new revision (None: not re-submitted yet)


@dataclass(slots=True)
class Notice:
    lang: str
    body: str
    title: str
    year: int | None
    revision: int
    date: str  # the decision's day, ISO
    reviewer: str
    note: str
    items: list[NoticeItem] = field(default_factory=list)
    resubmitted: list[tuple[str, int]] = field(default_factory=list)  # (day, revision) of later revisions

    @property
    def heading(self) -> str:
        return word("heading", self.lang, title=self.title)


# ------------------------------------------------------------------ cells in the official layout
def position(cell_id: str, version: str | None, lang: str = "zh") -> Position:
    """Where a cell is printed: the table's name, its row labels (left) and column labels (above), joined by ·.

    For a cell of no layout (an unknown id) the id itself stands as the row, so nothing is lost.
    """
    key = cell_id.split(".", 1)[0]
    versions = [v for v in (version, "2021", "2019") if v in FORMATS]
    for v in dict.fromkeys(versions):
        if key in TABLE_KEYS and (found := _positions(key, v).get(cell_id)) is not None:
            row, column = found
            return Position(table_name(key, v)[lang], row, column)
    return Position(table_name(key, version)[lang] if key in TABLE_KEYS else "", cell_id, "")


@cache
def _positions(key: str, version: str) -> dict[str, tuple[str, str]]:
    """Each value cell's labels in one table's official grid (outputs/layout.py), in Chinese as printed."""
    g = grid(key, version)
    out: dict[str, tuple[str, str]] = {}
    slots = [s for row in g.rows for s in row]
    for value in g.values():
        assert value.cell_id is not None
        start = max((s.row for s in slots if s.role is Role.CAPTION and s.row < value.row), default=-1)
        rows = [s.text for s in slots if s.role in (Role.CAPTION, Role.LABEL) and s.text
                and s.row <= value.row < s.row + s.rowspan and (s.role is Role.CAPTION or s.col < value.col)]
        headers = [s for s in slots if s.role is Role.HEADER and s.text and start < s.row < value.row
                   and s.col < value.col + value.colspan and value.col < s.col + s.colspan]
        if len(headers) > 1:  # a header over every value column (表三 申请人情况) says nothing of this one
            headers = [h for h in headers if not _spans_all(g, h)] or headers
        out[value.cell_id] = ("·".join(rows), "·".join(h.text for h in sorted(headers, key=lambda h: h.row)))
    return out


def _spans_all(g: Grid, header: Slot) -> bool:
    values = g.values()
    first = min(v.col for v in values)
    last = max(v.col + v.colspan for v in values)
    return header.col <= first and header.col + header.colspan >= last


# ------------------------------------------------------------------ the document
def notice_docx(notice: Notice) -> bytes:
    """The notice as .docx: heading, addressee, what was found cell by cell in a table, the note, the reviewer."""
    from docx import Document
    from docx.shared import Cm

    lang = notice.lang
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # landscape: the table has seven columns
    for name in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, name, Cm(2.0))
    heading = document.add_heading(level=1)
    _run(heading, notice.heading, TITLE_FONT, 18)
    _paragraph(document, word("to", lang, body=notice.body), BODY_FONT, 14, indent=False)
    _paragraph(document, word("intro", lang, title=notice.title, year=notice.year or "", revision=notice.revision),
               BODY_FONT, 14)
    headers = ["no", "table", "row", "column", "value", "problem", "rule"]
    resolved = any(item.resolved is not None for item in notice.items)
    if resolved:
        headers.append("state")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, headers, strict=True):
        _text(cell, word(key, lang), HEADING_FONT)
    for n, item in enumerate(notice.items, start=1):
        rows: list[NoticeCell | None] = list(item.cells) or [None]
        for c in rows:
            texts = [str(n), c.table if c else word("whole", lang), c.row if c else "", c.column if c else "",
                     (c.value or word("blank", lang)) if c else "", item.message, item.rule]
            if resolved:
                texts.append("" if item.resolved is None else word("resolved" if item.resolved else "open", lang))
            for cell, text in zip(table.add_row().cells, texts, strict=True):
                _text(cell, text, TABLE_FONT)
    if notice.note:
        _paragraph(document, word("note", lang, note=notice.note), BODY_FONT, 14)
    for at, revision in notice.resubmitted:
        _paragraph(document, word("resubmitted", lang, at=at, revision=revision), BODY_FONT, 14)
    _paragraph(document, word("signed", lang, reviewer=notice.reviewer), BODY_FONT, 14, indent=False)
    _paragraph(document, notice.date, BODY_FONT, 14, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(cell: object, text: str, font: str) -> None:
    p = cell.paragraphs[0]  # type: ignore[attr-defined]
    _run(p, text, font, 10.5)

"""Page geometry shared by the PDF text-layer path and the OCR path.

Both paths see a page as positioned pieces of text (glyphs from a text layer, boxes from OCR) and
as table cells with boxes (from ruling lines). This module turns them into the format-neutral
model: lines joined into paragraphs (wrapped lines, page breaks, page numbers dropped) and table
parts stitched across pages into one grid with spans. Coordinates are points, origin top-left.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..document import Paragraph, Source, Table, TableCell
from ..values import Kind, parse_value

# "- 4 -", "-3-", "— 12 —", "第 3 页", "第3页 共6页", "3/6": page furniture, never content.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_DIGITS_ONLY = re.compile(r"^[\d.,，]+$")
_SENTENCE_END = "。；;！？!?"


@dataclass(slots=True)
class Glyph:
    """One positioned character (text layer) or word (OCR)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float | None = None  # OCR confidence; None for a text layer

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class BoxCell:
    """A table cell with its box, before it is placed on the stitched grid."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    confidence: float | None = None


@dataclass(slots=True)
class Part:
    """The piece of one table that stands on one page."""

    page: int
    cells: list[BoxCell]
    x0: float
    top: float
    x1: float
    bottom: float
    tolerance: float = 2.0  # how far apart two boundaries may be and still be one grid line


@dataclass(slots=True)
class PageLayout:
    """What one page holds, top to bottom: lines (outside tables) and table parts."""

    page: int
    height: float
    width: float
    lines: list[Line] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    skipped: int = 0  # OCR: prose lines detected but not recognised (readers/ocr.py: _needed)


# ------------------------------------------------------------------------------------ lines
def group_lines(glyphs: Iterable[Glyph], gap_factor: float = 1.0) -> list[Line]:
    """Glyphs into lines: vertical overlap makes a line; a wide gap inside a line becomes a space."""
    ordered = sorted(glyphs, key=lambda g: (g.cy, g.x0))
    rows: list[list[Glyph]] = []
    extents: list[list[float]] = []  # top, bottom of each row's printing glyphs
    for g in ordered:
        h = max(g.bottom - g.top, 1e-3)
        for k in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            top, bottom = extents[k]
            overlap = min(bottom, g.bottom) - max(top, g.top)
            if overlap > 0.5 * min(h, max(bottom - top, 1e-3)):
                rows[k].append(g)
                if not g.text.isspace():
                    extents[k] = [min(top, g.top), max(bottom, g.bottom)]
                break
        else:
            rows.append([g])
            extents.append([g.top, g.bottom])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        parts: list[str] = []
        prev: Glyph | None = None
        for g in row:
            if prev is not None:
                size = max(prev.bottom - prev.top, g.bottom - g.top)
                gap = g.x0 - prev.x1
                digits = prev.text[-1:].isdigit() and g.text[:1].isdigit()
                if (gap > gap_factor * size or (digits and gap > 0.3 * size)) and not (parts and parts[-1].endswith(" ")):
                    parts.append(" ")
            parts.append(g.text)
            prev = g
        text = "".join(parts).strip()
        if not text:
            continue
        scores = [g.score for g in row if g.score is not None]
        lines.append(Line(text, min(g.x0 for g in row), min(g.top for g in row), max(g.x1 for g in row),
                          max(g.bottom for g in row), min(scores) if scores else None))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def drop_page_numbers(lines: list[Line], height: float) -> list[Line]:
    """Drop page-number lines ("- 4 -", "第3页"); bare numbers only in the top or bottom margin."""
    out = []
    for ln in lines:
        if PAGE_NUMBER.match(ln.text):
            continue
        if ln.text.isdigit() and len(ln.text) <= 3 and (ln.bottom < 0.08 * height or ln.top > 0.92 * height):
            continue
        out.append(ln)
    return out


def cell_text(glyphs: Sequence[Glyph]) -> str:
    """The text of one cell: its lines joined by newlines; a number wrapped over lines is rejoined."""
    lines = group_lines(glyphs, gap_factor=0.8)
    texts = [ln.text for ln in lines if not PAGE_NUMBER.match(ln.text)]
    if len(texts) > 1 and all(_DIGITS_ONLY.match(t.replace(" ", "")) for t in texts):
        return "".join(t.replace(" ", "") for t in texts)
    return "\n".join(texts)


# ------------------------------------------------------------------------------- paragraphs
def paragraphs(pages: Sequence[PageLayout]) -> list[tuple[float, int, Paragraph]]:
    """Lines into paragraphs: a full line continues into the next unindented one (also across pages).

    Returns (top, page, paragraph) so that the caller can interleave tables by position.
    """
    all_lines = [ln for p in pages for ln in p.lines]
    if not all_lines:
        return []
    size = statistics.median(ln.height for ln in all_lines) or 10.0
    left = statistics.median(ln.x0 for ln in all_lines)
    right = max(ln.x1 for ln in all_lines)
    out: list[tuple[float, int, Paragraph]] = []
    open_para: Paragraph | None = None
    last: Line | None = None
    for page in pages:
        blocked = [(p.top, p.bottom) for p in page.parts]
        for number, ln in enumerate(page.lines, start=1):
            joins = open_para is not None and last is not None and (
                _title_continues(last, ln, size, page.width)
                or (last.x1 >= right - 1.5 * size
                and ln.x0 <= left + 0.8 * size
                and not last.text.endswith(tuple(_SENTENCE_END))
                and not _table_between(blocked, last, ln, page.page, open_para)))
            if joins:
                assert open_para is not None
                open_para.text += ln.text
            else:
                open_para = Paragraph(ln.text, Source(page=page.page, line=number))
                out.append((ln.top, page.page, open_para))
            last = ln
        if page.parts and page.lines and page.parts[-1].bottom > page.lines[-1].top:
            open_para = None  # a table ends the page: the next page starts afresh
    return out


def _title_continues(last: Line, ln: Line, size: float, width: float) -> bool:
    """A title set in large type over two centred lines (机关 / 年度报告) is one paragraph."""
    big = last.height > 1.2 * size and abs(ln.height - last.height) <= 0.15 * last.height
    centred = all(abs((x.x0 + x.x1) / 2 - width / 2) <= 1.5 * size for x in (last, ln))
    return big and centred and 0 <= ln.top - last.bottom <= last.height


def _table_between(blocked: list[tuple[float, float]], last: Line, ln: Line, page: int, para: Paragraph) -> bool:
    if para.source.page != page:
        return any(top < ln.top for top, _ in blocked)
    return any(last.bottom <= top and bottom <= ln.top + 1 for top, bottom in blocked)


# --------------------------------------------------------------------------------- stitching
def continues(prev: Part, prev_page: PageLayout, nxt: Part, next_page: PageLayout) -> bool:
    """Whether nxt (first on its page) continues prev (last on its page) across the page break."""
    if nxt.page != prev.page + 1:
        return False
    if any(ln.top > prev.bottom - 1 for ln in prev_page.lines):
        return False  # text after the table on its page
    if any(ln.bottom < nxt.top + 1 for ln in next_page.lines):
        return False  # text before the continuation on the next page
    tol = 4 * max(prev.tolerance, nxt.tolerance)
    return abs(prev.x0 - nxt.x0) <= tol and abs(prev.x1 - nxt.x1) <= tol


def _cluster(values: Iterable[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def nearest_index(bounds: list[float], v: float) -> int:
    """The nearest boundary (bounds sorted): a bisection, as a page may hold thousands of rows."""
    i = bisect.bisect_left(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


def build_table(parts: list[Part], index: int) -> Table:
    """Parts of one table (consecutive pages) into one Table with spans on a common grid.

    Column boundaries are the union of all parts' boundaries; each part adds its own rows. At each
    page break a label cell cut in two (`（四）无` / `法提供`, or an empty remnant under a vertical
    merge) is joined back into the cell above it.
    """
    tol = max(max(p.tolerance for p in parts), 4.0)
    xs = _cluster((v for p in parts for c in p.cells for v in (c.x0, c.x1)), tol)
    placed: list[tuple[int, BoxCell, int, int, int, int]] = []  # page, cell, row, col, rowspan, colspan
    row_offset = 0
    for k, part in enumerate(parts):
        ys = _cluster((v for c in part.cells for v in (c.top, c.bottom)), part.tolerance)
        here = []
        for c in part.cells:
            r0, r1 = nearest_index(ys, c.top), nearest_index(ys, c.bottom)
            c0, c1 = nearest_index(xs, c.x0), nearest_index(xs, c.x1)
            if r1 <= r0 or c1 <= c0:
                continue
            here.append((part.page, c, r0 + row_offset, c0, r1 - r0, c1 - c0))
        if k and placed:
            here = _join_break(placed, here, row_offset)
        placed.extend(here)
        row_offset += max(len(ys) - 1, 0)
    placed.sort(key=lambda t: (t[2], t[3]))
    rows: dict[int, list[TableCell]] = {}
    for page, c, r, col, rs, cs in placed:
        cell = TableCell(c.text, r, col, Source(page=page, table=index, row=r + 1, col=col + 1), rs, cs)
        cell.confidence = c.confidence
        # Text layer or OCR: the box (points on the page) lets a reviewer see the cell on the page image.
        cell.box = (page, round(c.x0, 1), round(c.top, 1), round(c.x1, 1), round(c.bottom, 1))
        rows.setdefault(r, []).append(cell)
    first = parts[0]
    table = Table([rows[r] for r in sorted(rows)], Source(page=first.page, table=index), index)
    return table


def _join_break(placed: list[tuple[int, BoxCell, int, int, int, int]],
                here: list[tuple[int, BoxCell, int, int, int, int]], row_offset: int
                ) -> list[tuple[int, BoxCell, int, int, int, int]]:
    """Join cells cut by the page break into the cells above them."""
    bottom = {t[3]: i for i, t in enumerate(placed) if t[2] + t[4] == row_offset}
    spanning_cols = {t[3] for t in placed + here if t[4] > 1}
    top_row = [t for t in here if t[2] == row_offset]
    labels = [t for t in top_row if t[1].text.strip() and not _is_number(t[1].text)]
    rightmost_label = max((t[3] for t in labels), default=-1)
    keep = []
    for t in here:
        _page, c, r, col, rs, cs = t
        i = bottom.get(col)
        if r == row_offset and i is not None and placed[i][5] == cs and not _is_number(c.text):
            above = placed[i]
            empty = not c.text.strip()
            group = col in spanning_cols and not _is_number(above[1].text)
            if col < rightmost_label and (empty or group):
                merged = BoxCell(above[1].x0, above[1].top, above[1].x1, above[1].bottom,
                                 _join_text(above[1].text, c.text), _min_conf(above[1].confidence, c.confidence))
                placed[i] = (above[0], merged, above[2], above[3], above[4] + rs, above[5])
                continue
        keep.append(t)
    return keep


def _join_text(a: str, b: str) -> str:
    a, b = a.strip(), b.strip()
    return f"{a}\n{b}" if a and b else a or b


def _min_conf(a: float | None, b: float | None) -> float | None:
    values = [v for v in (a, b) if v is not None]
    return min(values) if values else None


def _is_number(text: str) -> bool:
    return parse_value(text).kind is Kind.NUMBER


def assemble(layouts: list[PageLayout]) -> list[Paragraph | Table]:
    """Paragraphs and stitched tables in reading order."""
    groups: list[list[Part]] = []
    last_part: tuple[Part, PageLayout] | None = None
    for layout in layouts:
        for k, part in enumerate(layout.parts):
            if k == 0 and last_part is not None and last_part[0] is groups[-1][-1] \
                    and continues(last_part[0], last_part[1], part, layout):
                groups[-1].append(part)
            else:
                groups.append([part])
            last_part = (part, layout)
    placed: list[tuple[int, float, int, Paragraph | Table]] = []
    for top, page, para in paragraphs(layouts):
        placed.append((page, top, 1, para))
    for index, group in enumerate(groups, start=1):
        placed.append((group[0].page, group[0].top, 0, build_table(group, index)))
    placed.sort(key=lambda t: (t[0], t[1], t[2]))
    return [b for *_, b in placed]

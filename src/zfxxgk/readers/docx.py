"""Word .docx reports (and everything LibreOffice converts to .docx: .doc, .wps, .rtf, .odt).

python-docx opens the package; the body is walked on its XML so nothing is lost or reordered:
- paragraphs and tables in body order, including content controls (w:sdt) and text boxes;
- tables rebuilt on Word's grid: w:gridBefore / w:gridAfter (WPS writes them), w:gridSpan as
  colspan, w:vMerge continuations folded into the rowspan of the cell above (not repeated);
- a one-cell table, or a narrow table holding other tables, is a layout frame: its content is read
  as if it stood in the body; other nested tables follow their outer table;
- headings from Word heading styles or outline levels (Paragraph.level).
Sources are 1-based: Source(paragraph=n) counts every body paragraph, Source(table, row, col)
gives the grid position of a cell.
"""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

from ..document import Document, Paragraph, Source, Table, TableCell
from ..errors import ReadError
from .optional import require
from .safety import MAX_NESTING, open_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_VML = "{urn:schemas-microsoft-com:vml}"
_KIND = "Word (.docx)"
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
# Subtrees whose text is not body text at this point: deleted revisions, field codes, the
# fallback copy of alternate content, and text boxes (read separately, after their paragraph).
_SKIP = {f"{W}delText", f"{W}instrText", f"{_MC}Fallback", f"{W}txbxContent", f"{W}del",
         f"{W}moveFrom", f"{W}footnoteReference", f"{W}endnoteReference"}
_LAYOUT_MAX_COLS = 2
_MAX_SPAN = 1000  # Word's grid has at most 63 columns; a larger span or offset is damage, not layout


def read_docx(data: bytes) -> Document:
    """Read a .docx file's paragraphs and tables in body order."""
    open_zip(data, _KIND).close()  # size, ratio and DTD checks before python-docx expands anything
    docx = require("docx", _KIND)
    try:
        word = docx.Document(io.BytesIO(data))
    except RecursionError:
        raise ReadError("too_deep", limit=MAX_NESTING) from None
    except Exception as exc:  # lxml XMLSyntaxError, PackageNotFoundError, KeyError of a missing part, zlib …
        raise ReadError("corrupt", kind=_KIND) from exc
    walker = _Walker(_heading_levels(word))
    walker.container(word.element.body)
    meta: dict[str, Any] = {"paragraphs": walker.paragraph_count, "tables": walker.table_count}
    if walker.images:
        meta["images"] = walker.images
    return Document(walker.blocks, "docx", meta)


def _heading_levels(word: Any) -> dict[str, int]:
    """style id -> heading level, from style names (Heading 2, 标题 2, Title) or outline levels."""
    styles_el = word.styles.element
    raw: dict[str, tuple[int | None, str | None]] = {}
    for style in styles_el.iterchildren(f"{W}style"):
        sid = style.get(f"{W}styleId")
        if not sid:
            continue
        name_el = style.find(f"{W}name")
        name = (name_el.get(f"{W}val") or "") if name_el is not None else ""
        level: int | None = None
        m = _HEADING_NAME.match(name.strip())
        if m:
            level = int(m.group(1))
        elif name.strip().lower() in ("title", "标题"):
            level = 1
        else:
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None and (val := outline.get(f"{W}val", "")).isdigit() and int(val) < 9:
                level = int(val) + 1
        based = style.find(f"{W}basedOn")
        raw[sid] = (level, based.get(f"{W}val") if based is not None else None)
    levels: dict[str, int] = {}
    for sid in raw:
        seen: set[str] = set()
        cur: str | None = sid
        while cur and cur in raw and cur not in seen:
            seen.add(cur)
            level, cur = raw[cur]
            if level is not None:
                levels[sid] = level
                break
    return levels


class _Walker:
    """Collects blocks from a body-like container (body, cell, text box, content control)."""

    def __init__(self, headings: dict[str, int]) -> None:
        self.headings = headings
        self.blocks: list[Paragraph | Table] = []
        self.paragraph_count = 0
        self.table_count = 0
        self.images: list[dict[str, int]] = []

    def container(self, el: Any) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                self.paragraph(child)
            elif tag == f"{W}tbl":
                self.table(child)
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}smartTag"):
                content = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
                if content is not None:
                    self.container(content)
            elif tag == f"{_MC}AlternateContent":
                choice = child.find(f"{_MC}Choice")
                if choice is not None:
                    self.container(choice)

    def paragraph(self, p: Any) -> None:
        self.paragraph_count += 1
        n = self.paragraph_count
        text = paragraph_text(p)
        if text.strip():
            self.blocks.append(Paragraph(text, Source(paragraph=n), self._level(p)))
        if _has_image(p):
            self.images.append({"paragraph": n, "block": len(self.blocks)})
        for box in _text_boxes(p):
            self.container(box)

    def _level(self, p: Any) -> int | None:
        ppr = p.find(f"{W}pPr")
        if ppr is None:
            return None
        outline = ppr.find(f"{W}outlineLvl")
        if outline is not None and (val := outline.get(f"{W}val", "")).isdigit() and int(val) < 9:
            return int(val) + 1
        style = ppr.find(f"{W}pStyle")
        return self.headings.get(style.get(f"{W}val", "")) if style is not None else None

    def table(self, tbl: Any) -> None:
        rows = list(_children(tbl, f"{W}tr"))
        cells = [list(_children(tr, f"{W}tc")) for tr in rows]
        nested = [t for tc in (c for row in cells for c in row) for t in tc.iterchildren(f"{W}tbl")]
        widths = [sum(_span(tc) for tc in row) for row in cells]
        single = sum(len(row) for row in cells) == 1
        if single or (nested and max(widths, default=0) <= _LAYOUT_MAX_COLS):
            for row in cells:  # a layout frame: its cells are body content
                for tc in row:
                    self.container(tc)
            return
        self.table_count += 1
        index = self.table_count
        out: list[list[TableCell]] = []
        above: dict[int, TableCell] = {}  # grid column -> the cell a vMerge continuation extends
        for r, (tr, row_cells) in enumerate(zip(rows, cells, strict=True)):
            col = _grid_before(tr)
            row: list[TableCell] = []
            for tc in row_cells:
                span = _span(tc)
                text = cell_text(tc)
                origin = above.get(col)
                if _vmerge(tc) == "continue" and origin is not None and origin.colspan == span:
                    origin.rowspan = r - origin.row + 1
                    if text.strip():  # Word hides it; we keep it rather than lose it
                        origin.text = f"{origin.text}\n{text}" if origin.text else text
                else:
                    cell = TableCell(text, r, col, Source(table=index, row=r + 1, col=col + 1), colspan=span)
                    row.append(cell)
                    above[col] = cell
                col += span
            out.append(row)
        self.blocks.append(Table(out, Source(table=index), index))
        for inner in nested:
            self.table(inner)


def _children(parent: Any, tag: str) -> Any:
    """Child elements with this tag (w:tr of a table, w:tc of a row), also inside content controls."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from _children(content, tag)


def _int_val(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return max(int(el.get(f"{W}val", default)), 0)
    except ValueError:
        return default


def _span(tc: Any) -> int:
    return min(max(_int_val(tc.find(f"{W}tcPr/{W}gridSpan"), 1), 1), _MAX_SPAN)


def _grid_before(tr: Any) -> int:
    return min(_int_val(tr.find(f"{W}trPr/{W}gridBefore"), 0), _MAX_SPAN)


def _vmerge(tc: Any) -> str | None:
    el = tc.find(f"{W}tcPr/{W}vMerge")
    if el is None:
        return None
    return "restart" if el.get(f"{W}val") == "restart" else "continue"


def cell_text(tc: Any) -> str:
    """A cell's own paragraphs (and their text boxes), one line each; nested tables excluded."""
    lines: list[str] = []
    for p in _cell_paragraphs(tc):
        lines.append(paragraph_text(p))
        for box in _text_boxes(p):
            lines.extend(paragraph_text(q) for q in box.iter(f"{W}p"))
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _cell_paragraphs(el: Any) -> Any:
    for child in el.iterchildren():
        if child.tag == f"{W}p":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
            yield from _cell_paragraphs(child)


def paragraph_text(p: Any) -> str:
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def _collect(el: Any, parts: list[str]) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}sym":
            char = child.get(f"{W}char", "")
            with contextlib.suppress(ValueError):
                code = int(char, 16) if char else 0
                if code:  # a surrogate half (D83D) is not a character: shown as U+FFFD
                    parts.append("\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code))
        else:
            _collect(child, parts)


def _text_boxes(p: Any) -> list[Any]:
    """Text boxes anchored in a paragraph, once each (not the VML fallback copy of a drawing)."""
    boxes = []
    for box in p.iter(f"{W}txbxContent"):
        ancestor = box.getparent()
        inside = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (f"{_MC}Fallback", f"{W}txbxContent"):
                inside = True
                break
            ancestor = ancestor.getparent()
        if not inside:
            boxes.append(box)
    return boxes


def _has_image(p: Any) -> bool:
    for el in p.iter(f"{W}drawing", f"{_VML}imagedata"):
        if el.tag == f"{_VML}imagedata" or el.find(f".//{_WP}inline") is not None or el.find(f".//{_WP}anchor") is not None:
            if el.tag == f"{W}drawing" and next(iter(el.iter(f"{W}txbxContent")), None) is not None:
                continue  # a text box drawn as a shape, not a picture
            return True
    return False

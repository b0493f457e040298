"""Web pages (.html, and "Word" downloads that are really HTML) read with selectolax (lexbor).

- Charset: BOM, then the page's own <meta charset> / http-equiv declaration, then UTF-8, then
  GB18030 (the usual fallback for 政府网站 pages that declare nothing).
- Tag soup is repaired by the HTML5 parser; Word's "Save as web page" output (inline styles,
  <o:p>, &nbsp;) reads like any page.
- Tables keep their spans: rowspan/colspan place each physical cell on the grid; covered
  positions are not repeated. A one-cell table, or a narrow table holding other tables, is a
  layout frame whose content is read as body content; other nested tables follow their table.
- Pictures are recorded in meta["images"] (with the paragraph they follow): a report whose tables
  were published as images then has sections without tables, which the checks report.
- Paragraphs: every block element or <br> ends a paragraph; headings <h1>..<h6> set the level.
Sources are 1-based: Source(paragraph=n) counts emitted paragraphs; cells Source(table, row, col).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ..document import Document, Paragraph, Source, Table, TableCell
from ..errors import ReadError
from .encoding import BOMS
from .optional import require
from .safety import MAX_NESTING, MAX_SPAN_AREA

MAX_ELEMENTS = 400_000  # a report page has a few thousand; refuse pathological input quickly
_KIND = "HTML"
_HTML_WS = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs", "x-user-defined": "windows-1252"}
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg",
                        "select", "textarea", "button", "-comment", "math"})
_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol",
                         "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address",
                         "center", "form", "fieldset", "figure", "figcaption", "hr", "caption", "body", "html",
                         "tr", "td", "th", "thead", "tbody", "tfoot"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_MAX_SPAN = 1000
_DIGITS = re.compile(r"\d+")


def decode_html(data: bytes) -> tuple[str, str]:
    """The page text and the encoding used (BOM, declared charset, UTF-8, GB18030)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name.replace("-sig", "") + " (BOM)"
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        name = _ALIASES.get(declared, declared)
        try:
            return data.decode(name), f"{name} (meta)"
        except (LookupError, UnicodeDecodeError):
            pass  # declared wrongly (a GB page saying utf-8, or the reverse): try the usual ones
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace"), "gb18030 (with replacements)"


def read_html(data: bytes) -> Document:
    """Read a web page's paragraphs and tables in document order."""
    lexbor = require("selectolax.lexbor", _KIND)
    text, encoding = decode_html(data)
    if text.count("<") > MAX_ELEMENTS * 2:
        raise ReadError("html_too_complex", limit=MAX_ELEMENTS)
    tree = lexbor.LexborHTMLParser(text)
    root = tree.body or tree.root
    walker = _Walker()
    if root is not None:
        walker.container(root, 0)
        walker.flush()
    meta: dict[str, Any] = {"encoding": encoding, "paragraphs": walker.paragraph_count,
                            "tables": walker.table_count}
    title = tree.css_first("head > title")
    if title is not None and (title_text := _HTML_WS.sub(" ", title.text(deep=True)).strip()):
        meta["html_title"] = title_text
    if walker.images:
        meta["images"] = walker.images
    return Document(walker.blocks, "html", meta)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.line: list[str] = []
        self.level: int | None = None
        self.paragraph_count = 0
        self.table_count = 0
        self.elements = 0
        self.images: list[dict[str, Any]] = []
        self.span_area = 0  # grid positions the tables' cells cover so far (MAX_SPAN_AREA)

    def _count(self) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise ReadError("html_too_complex", limit=MAX_ELEMENTS)

    def flush(self) -> None:
        text = "".join(self.line).strip(" \t\r\n\f")
        self.line = []
        if text:
            self.paragraph_count += 1
            self.blocks.append(Paragraph(text, Source(paragraph=self.paragraph_count), self.level))
        self.level = None

    def container(self, node: Any, depth: int) -> None:
        _deeper(depth)
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.line.append(_HTML_WS.sub(" ", child.text_content or ""))
                continue
            self._count()
            if tag in _SKIP_TAGS or _hidden(child):
                continue
            if tag == "br":
                self.flush()
            elif tag == "img":
                self.images.append({"src": (child.attributes.get("src") or "")[:300],
                                    "alt": child.attributes.get("alt") or "",
                                    "after_paragraph": self.paragraph_count, "block": len(self.blocks)})
            elif tag == "table":
                self.flush()
                self.table(child, depth + 1)
            elif tag in _BLOCK_TAGS:
                self.flush()
                if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                    self.level = int(tag[1])
                self.container(child, depth + 1)
                self.flush()
            else:
                self.container(child, depth + 1)

    def table(self, table: Any, depth: int) -> None:
        _deeper(depth)
        rows = [[c for c in tr.iter() if c.tag in ("td", "th")] for tr in _rows(table)]
        for row in rows:
            for _ in row:
                self._count()
        nested = [t for row in rows for cell in row for t in _own_tables(cell, depth)]
        attrs = [[c.attributes for c in row] for row in rows]  # a new dict each call: asked once a cell
        widths = [sum(_span(a.get("colspan")) for a in row) for row in attrs]
        single = sum(len(row) for row in rows) == 1
        if single or (nested and max(widths, default=0) <= 2):
            for row in rows:  # a layout frame: its cells are body content
                for cell in row:
                    self.container(cell, depth + 1)
                    self.flush()
            return
        # Spans are clamped to the table; their area is counted before any grid position is stored.
        spans = [[(min(_span(a.get("rowspan"), zero_means=len(rows) - r), len(rows) - r), _span(a.get("colspan")))
                  for a in row] for r, row in enumerate(attrs)]
        self.span_area += sum(rs * cs for row in spans for rs, cs in row)
        if self.span_area > MAX_SPAN_AREA:
            raise ReadError("table_too_large", cells=self.span_area, limit=MAX_SPAN_AREA)
        self.table_count += 1
        index = self.table_count
        occupied: set[tuple[int, int]] = set()
        out: list[list[TableCell]] = []
        for r, row in enumerate(rows):
            col = 0
            physical: list[TableCell] = []
            for cell, (rowspan, colspan) in zip(row, spans[r], strict=True):
                while (r, col) in occupied:
                    col += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        occupied.add((r + dr, col + dc))
                physical.append(TableCell(cell_text(cell, depth), r, col, Source(table=index, row=r + 1, col=col + 1),
                                          rowspan, colspan))
                col += colspan
            out.append(physical)
        self.blocks.append(Table(out, Source(table=index), index))
        for inner in nested:
            self.table(inner, depth + 1)


def _rows(table: Any) -> Any:
    """The table's own rows (inside thead/tbody/tfoot or direct), not those of nested tables."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child.iter() if tr.tag == "tr")


def _own_tables(cell: Any, depth: int) -> list[Any]:
    """Tables inside a cell that are not inside another table of that cell."""
    _deeper(depth)
    found: list[Any] = []
    for child in cell.iter():
        if child.tag == "table":
            found.append(child)
        elif child.tag not in _SKIP_TAGS:
            found.extend(_own_tables(child, depth + 1))
    return found


def _deeper(depth: int) -> None:
    """Refuse nesting beyond MAX_NESTING before the stack runs out (a page nested 1,000 deep)."""
    if depth > MAX_NESTING:
        raise ReadError("too_deep", limit=MAX_NESTING)


def _span(raw: str | None, zero_means: int = 1) -> int:
    """A rowspan or colspan attribute's value: its leading digits, 1 without any, clamped (0: to the end)."""
    if raw is None or raw == "1":
        return 1
    digits = _DIGITS.match(raw.strip())
    if not digits:
        return 1
    value = int(digits.group(0))
    if value == 0:
        return max(zero_means, 1)
    return min(value, _MAX_SPAN)


def _hidden(node: Any) -> bool:
    attrs = node.attributes
    return "hidden" in attrs or bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))


def cell_text(cell: Any, depth: int = 0) -> str:
    """A cell's text: block children and <br> become line breaks; nested tables are excluded."""
    first = cell.first_child
    if first is not None and first.next is None and first.tag == "-text":  # most cells: one piece of text
        return _HTML_WS.sub(" ", first.text_content or "").strip(" \t\r\n\f")
    lines: list[str] = []
    current: list[str] = []

    def walk(node: Any, depth: int) -> None:
        nonlocal current
        _deeper(depth)
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                current.append(_HTML_WS.sub(" ", child.text_content or ""))
            elif tag in _SKIP_TAGS or tag == "table" or _hidden(child):
                continue
            elif tag == "br" or tag in _BLOCK_TAGS:
                lines.append("".join(current))
                current = []
                if tag != "br":
                    walk(child, depth + 1)
                    lines.append("".join(current))
                    current = []
            else:
                walk(child, depth + 1)

    walk(cell, depth)
    lines.append("".join(current))
    cleaned = [line.strip(" \t\r\n\f") for line in lines]
    return "\n".join(line for line in cleaned if line)


def read_mht(data: bytes) -> Document:
    """A "single file web page" (.mht, often saved as .doc): the HTML part of the MIME message."""
    import email
    import email.policy

    try:  # the parser and walk() recurse into nested multiparts
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        parts = list(message.walk())
    except RecursionError:
        raise ReadError("too_deep", limit=MAX_NESTING) from None
    for part in parts:
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                if charset and b"charset" not in payload[:4096].lower():
                    with contextlib.suppress(LookupError, UnicodeDecodeError):
                        payload = payload.decode(_ALIASES.get(charset.lower(), charset)).encode("utf-8")
                doc = read_html(payload)
                doc.format = "mht"
                return doc
    raise ReadError("corrupt", kind="MHT")

"""PDF reports: text layer where it is sound, OCR where a page is a scan or its text is garbled.

Per page (the route is recorded in Document.meta["pages"]):
- text: pypdfium2 gives every glyph with its box (fast); pdfplumber finds ruled tables (cell boxes)
  on pages that draw lines; each glyph goes to the cell it stands in, the rest become lines and
  paragraphs. A page with a tabular text layer but no ruling lines falls back to word positions
  (rows by the lines that carry numbers, columns by the positions of the numbers).
- ocr: the page is rendered and read by readers/ocr.py (optional extra `zfxxgk[ocr]`).
Tables cut by a page break are stitched (pagegeom.build_table); page numbers are dropped.
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from ..errors import ReadError
from .optional import require
from .pagegeom import (
    BoxCell,
    Glyph,
    PageLayout,
    Part,
    assemble,
    cell_text,
    drop_page_numbers,
    group_lines,
)
from .wordtables import word_tables

MAX_PAGES = 300  # a report is a few dozen pages at most; more is a compilation or not a report
MAX_PAGE_GLYPHS = 200_000  # characters on one page; a dense report page has under 5,000
MAX_OCR_PAGES = 40  # pages read by OCR per file; the rest are listed as unread
MIN_TEXT_CHARS = 20  # fewer real characters than this: the page has no usable text layer
SUSPICIOUS_SHARE = 0.02  # share of suspicious code points above which the text layer is garbled
SUSPICIOUS_MIN = 5
_MIN_PATHS = 4  # drawn paths on a page before pdfplumber looks for ruled tables
_MAX_OBJECTS = 20000


@dataclass(slots=True)
class PageText:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    suspicious: int
    images: int
    paths: int
    edges: list[dict[str, Any]] = field(default_factory=list)  # ruling lines drawn on the page
    forms: int = 0  # form XObjects (their paths are not in edges)
    image_dpi: float = 0.0  # resolution of the largest image on the page (a scan's own resolution)

    @property
    def real_chars(self) -> int:
        return sum(1 for g in self.glyphs if not g.text.isspace())


@dataclass(slots=True)
class Routes:
    text: list[int] = field(default_factory=list)
    ocr: list[int] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)
    garbled: list[int] = field(default_factory=list)  # text layer judged garbled (read by OCR, or kept)
    prose_unread: list[int] = field(default_factory=list)  # OCR pages whose full-width prose lines were not recognised

    def to_json(self) -> dict[str, list[int]]:
        keys = ("text", "ocr", "empty", "unread", "garbled", "prose_unread")
        return {k: getattr(self, k) for k in keys if getattr(self, k)}


def is_suspicious(ch: str) -> bool:
    """Code points that betray a broken text layer (format.md: Kangxi radicals, U+FFFD, private use)."""
    o = ord(ch)
    return (0x2F00 <= o <= 0x2FDF or 0x2E80 <= o <= 0x2EFF or o == 0xFFFD or 0xE000 <= o <= 0xF8FF
            or (o < 0x20 and ch not in "\t\r\n"))


_CID = re.compile(r"\(cid:\d+\)")
_PAGES = re.compile(rb"/Type\s*/Pages\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def route_for(page: PageText) -> str:
    """text, ocr or empty: what a page needs, from its text layer alone."""
    real = page.real_chars
    if real < MIN_TEXT_CHARS:
        return "ocr" if page.images else ("empty" if real == 0 else "text")
    text = "".join(g.text for g in page.glyphs)
    bad = page.suspicious + len(_CID.findall(text))
    if bad >= SUSPICIOUS_MIN and bad > SUSPICIOUS_SHARE * real:
        return "ocr"
    return "text"


def read_pdf(data: bytes) -> Document:
    pdfium = require("pypdfium2", "PDF")
    if b"%%EOF" not in data[-2048:]:
        raise ReadError("pdf_truncated")
    with _open(pdfium, data) as pdf:
        count = len(pdf)
        if count == 0:
            raise ReadError("pdf_no_pages")
        if count > MAX_PAGES:
            raise ReadError("pdf_too_many_pages", pages=count, limit=MAX_PAGES)
        routes = Routes()
        texts = []
        for i in range(count):
            try:
                texts.append(_page_text(pdfium, pdf, i))
            except pdfium.PdfiumError:  # /Count larger than the page tree, a broken page object
                routes.unread.append(i + 1)
        if not texts:
            raise ReadError("corrupt", kind="PDF")
        layouts: list[PageLayout] = []
        table_pages: list[PageText] = []
        ocr_pages: list[PageText] = []
        for page in texts:
            route = route_for(page)
            if route == "ocr" and page.real_chars >= MIN_TEXT_CHARS:
                routes.garbled.append(page.number)
            if route == "empty":
                routes.empty.append(page.number)
            elif route == "ocr":
                ocr_pages.append(page)
            else:
                routes.text.append(page.number)
                if page.paths >= _MIN_PATHS:
                    table_pages.append(page)
        by_page: dict[int, PageLayout] = {}
        ocr_done = _ocr_pages(pdf, ocr_pages, routes, by_page)
        for page in ocr_pages:
            if page.number not in ocr_done and page.real_chars:
                # No OCR available: keep the (garbled) text layer, made as readable as NFKC can.
                routes.text.append(page.number)
                by_page[page.number] = _text_layout(page, [], nfkc=True)
        tables = _ruled_tables(data, table_pages)
        for page in texts:
            if page.number in routes.text and page.number not in by_page:
                by_page[page.number] = _text_layout(page, tables.get(page.number, []))
        layouts = [by_page[n] for n in sorted(by_page)]
    routes.text.sort()
    meta: dict[str, Any] = {"pages": routes.to_json(), "page_count": count}
    return Document(assemble(layouts), "pdf", meta)


@contextmanager
def _open(pdfium: Any, data: bytes) -> Iterator[Any]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # PDFium's error code is process-global and can be stale: confirm it from the bytes.
        code = getattr(exc, "err_code", None)
        if b"/Encrypt" in data and code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
            raise ReadError("encrypted") from exc
        if _PAGES.search(data) and not _PAGE.search(data):
            raise ReadError("pdf_no_pages") from exc  # PDFium refuses a well-formed document without pages
        raise ReadError("corrupt", kind="PDF") from exc
    try:
        yield pdf
    finally:
        pdf.close()


def _page_text(pdfium: Any, pdf: Any, index: int) -> PageText:
    raw = pdfium.raw
    page = pdf[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    handle = textpage.raw
    glyphs: list[Glyph] = []
    suspicious = 0
    rect = raw.FS_RECTF()
    left, right, low, high = (ctypes.c_double() for _ in range(4))
    count = raw.FPDFText_CountChars(handle)
    if count > MAX_PAGE_GLYPHS:  # work per page: a report page holds a few thousand characters
        textpage.close()
        page.close()
        raise ReadError("page_too_complex", page=index + 1, glyphs=count, limit=MAX_PAGE_GLYPHS)
    for i in range(count):
        if raw.FPDFText_IsGenerated(handle, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(handle, i)
        ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "\ufffd"  # no surrogate halves
        if ch in "\r\n":
            continue
        if is_suspicious(ch):
            suspicious += 1
        if not raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(rect)):
            continue
        x0, x1, top, bottom = rect.left, rect.right, height - rect.top, height - rect.bottom
        if raw.FPDFText_GetCharBox(handle, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(low),
                                   ctypes.byref(high)):
            tight_w, tight_h = right.value - left.value, high.value - low.value
            if x1 - x0 > 3 * tight_w + 4 or bottom - top > 3 * tight_h + 4:
                # Loose boxes of rotated or vertical text span far beyond the glyph: use the tight box.
                x0, x1, top, bottom = left.value, right.value, height - high.value, height - low.value
        if x1 <= x0 and not ch.isspace():
            continue
        glyphs.append(Glyph(ch, x0, top, x1, bottom))
    images = paths = forms = 0
    image_dpi = 0.0
    edges: list[dict[str, Any]] = []
    n_obj = min(raw.FPDFPage_CountObjects(page.raw), _MAX_OBJECTS)
    for i in range(n_obj):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            paths += 1
            edges.extend(_path_edges(raw, obj, height))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
            image_dpi = max(image_dpi, _image_dpi(raw, obj))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            forms += 1
    textpage.close()
    page.close()
    return PageText(index + 1, width, height, glyphs, suspicious, images, paths, edges, forms, image_dpi)


def _image_dpi(raw: Any, obj: Any) -> float:
    """An image object's resolution on the page (pixels per inch across its drawn width)."""
    w, h = ctypes.c_uint(), ctypes.c_uint()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not (raw.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(w), ctypes.byref(h))
            and raw.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                          ctypes.byref(top))):
        return 0.0
    inches = (right.value - left.value) / 72
    return w.value / inches if inches > 1 else 0.0


_THIN = 2.5  # a path this thin is a ruling line


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}


def _path_edges(raw: Any, obj: Any, height: float) -> list[dict[str, Any]]:
    """The ruling lines a path draws, as pdfplumber edges (top-left origin).

    A thin path is one line; a rectangle gives its four sides (as pdfplumber treats rects); a
    path of many segments gives its axis-parallel straight segments.
    """
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                     ctypes.byref(top)):
        return []
    x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
    w, h = x1 - x0, y1 - y0
    if h <= _THIN and w > _THIN:
        return [_edge(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2, "h")]
    if w <= _THIN and h > _THIN:
        return [_edge((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, "v")]
    count = raw.FPDFPath_CountSegments(obj)
    if count <= 5:
        return [_edge(x0, y0, x1, y0, "h"), _edge(x0, y1, x1, y1, "h"), _edge(x0, y0, x0, y1, "v"),
                _edge(x1, y0, x1, y1, "v")]
    matrix = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
    out: list[dict[str, Any]] = []
    px = py = None
    fx, fy = ctypes.c_float(), ctypes.c_float()
    for k in range(min(count, 5000)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(fx), ctypes.byref(fy))
        x = matrix.a * fx.value + matrix.c * fy.value + matrix.e
        y = height - (matrix.b * fx.value + matrix.d * fy.value + matrix.f)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_LINETO and px is not None and py is not None:
            if abs(y - py) <= 0.5 and abs(x - px) > _THIN:
                out.append(_edge(min(x, px), y, max(x, px), y, "h"))
            elif abs(x - px) <= 0.5 and abs(y - py) > _THIN:
                out.append(_edge(x, min(y, py), x, max(y, py), "v"))
        px, py = x, y
    return out


# --------------------------------------------------------------------------- ruled tables
def _ruled_tables(data: bytes, pages: list[PageText]) -> dict[int, list[list[BoxCell]]]:
    """Cell boxes of the ruled tables on the given pages (pdfplumber's lattice algorithm).

    The ruling lines come from PDFium's path objects (fast); only pages that draw inside form
    XObjects are parsed by pdfplumber itself.
    """
    if not pages:
        return {}
    require("pdfplumber", "PDF")
    from pdfplumber import table as lattice

    out: dict[int, list[list[BoxCell]]] = {}
    slow: list[PageText] = []
    for page in pages:
        if page.forms:
            slow.append(page)
            continue
        edges = lattice.merge_edges(page.edges, 3, 3, 3, 3)
        edges = [e for e in edges if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
        cells = lattice.intersections_to_cells(lattice.edges_to_intersections(edges, 3, 3))
        out[page.number] = [[BoxCell(*cell) for cell in group] for group in lattice.cells_to_tables(cells) if group]
    return out | _plumbed_tables(data, slow)


def _plumbed_tables(data: bytes, pages: list[PageText]) -> dict[int, list[list[BoxCell]]]:
    """pdfplumber's own table finder, for pages whose lines PDFium's page objects do not show."""
    if not pages:
        return {}
    pdfplumber = require("pdfplumber", "PDF")
    out: dict[int, list[list[BoxCell]]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pages:
                plumber_page = pdf.pages[page.number - 1]
                found = plumber_page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
                boxes = [[BoxCell(*cell) for cell in table.cells] for table in found]
                out[page.number] = [b for b in boxes if b]
                plumber_page.close()
    except Exception:
        return out
    return out


def _text_layout(page: PageText, tables: list[list[BoxCell]], nfkc: bool = False) -> PageLayout:
    """One text-layer page: glyphs into table cells and lines."""
    glyphs = page.glyphs
    if nfkc:
        glyphs = [Glyph(unicodedata.normalize("NFKC", g.text), g.x0, g.top, g.x1, g.bottom) for g in glyphs]
    layout = PageLayout(page.number, page.height, page.width)
    free = list(glyphs)
    for boxes in sorted(tables, key=lambda b: min(c.top for c in b)):
        part, free = _fill_part(page.number, boxes, free)
        if part is not None:
            layout.parts.append(part)
    lines = drop_page_numbers(group_lines(free), page.height)
    if not layout.parts:
        parts, lines = word_tables(page.number, lines, free)
        layout.parts.extend(parts)
    layout.lines = lines
    return layout


def _fill_part(page: int, boxes: list[BoxCell], glyphs: list[Glyph]) -> tuple[Part | None, list[Glyph]]:
    """Put glyphs into the cells of one ruled table; prose framed by a box is not a table.

    Leading rows that are one cell as wide as the table (a framed paragraph, a section title inside
    the frame) are given back as text, except the last one before the grid (a caption row).
    """
    x0, x1 = min(c.x0 for c in boxes), max(c.x1 for c in boxes)
    width = x1 - x0
    rows = sorted({round(c.top, 1) for c in boxes})
    full_rows = [t for t in rows if any(abs(c.top - t) < 1 and c.x1 - c.x0 > 0.95 * width for c in boxes)
                 and sum(1 for c in boxes if abs(c.top - t) < 1) == 1]
    lead = 0
    while lead < len(rows) and rows[lead] in full_rows:
        lead += 1
    if lead == len(rows):
        return None, glyphs  # one column: framed prose
    if lead:
        lead -= 1  # keep the caption row
    kept = [c for c in boxes if c.top >= rows[lead] - 1]
    top = min(c.top for c in kept)
    bottom = max(c.bottom for c in kept)
    inside: dict[int, list[Glyph]] = {}
    rest: list[Glyph] = []
    for g in glyphs:
        if not (top - 1 <= g.cy <= bottom + 1 and x0 - 1 <= g.cx <= x1 + 1):
            rest.append(g)
            continue
        for i, c in enumerate(kept):
            if c.x0 <= g.cx <= c.x1 and c.top <= g.cy <= c.bottom:
                inside.setdefault(i, []).append(g)
                break
        else:
            inside.setdefault(-1, []).append(g)
    cells = [BoxCell(c.x0, c.top, c.x1, c.bottom, cell_text(inside.get(i, []))) for i, c in enumerate(kept)]
    if -1 in inside:
        cells.extend(_uncovered(cells, inside[-1]))
    if lead == 0 and len(kept) == len(boxes) and all(not c.text for c in cells):
        return None, glyphs
    return Part(page, cells, x0, top, x1, bottom), rest


def _uncovered(cells: list[BoxCell], glyphs: list[Glyph]) -> list[BoxCell]:
    """Text inside the table frame but in no detected cell (a ruling line missing at a page top).

    It gets the grid box it stands in, so no text is dropped and the grid stays whole.
    """
    xs = sorted({v for c in cells for v in (c.x0, c.x1)})
    ys = sorted({v for c in cells for v in (c.top, c.bottom)})
    groups: dict[tuple[float, float, float, float], list[Glyph]] = {}
    for g in glyphs:
        left = max((x for x in xs if x <= g.cx), default=xs[0])
        right = min((x for x in xs if x > g.cx), default=xs[-1])
        up = max((y for y in ys if y <= g.cy), default=ys[0])
        down = min((y for y in ys if y > g.cy), default=ys[-1])
        # widen to the neighbours' edges: the box spans until a cell edge that exists in that band
        groups.setdefault((left, up, right, down), []).append(g)
    return [BoxCell(*key, text=cell_text(gs)) for key, gs in groups.items()]


# ------------------------------------------------------------------------------------ OCR
def pdfium_error() -> type[Exception]:
    import pypdfium2

    return pypdfium2.PdfiumError  # type: ignore[no-any-return]


def _ocr_pages(pdf: Any, pages: list[PageText], routes: Routes, by_page: dict[int, PageLayout]) -> set[int]:
    """Render and OCR the pages that need it; returns the page numbers read."""
    if not pages:
        return set()
    from . import ocr

    done: set[int] = set()
    if not ocr.available():
        if not any(p.real_chars for p in pages) and not routes.text:
            ocr.require_engine()  # raises the missing-extra message: nothing else can be read
        routes.unread.extend(p.number for p in pages if not p.real_chars)
        return done
    for k, page in enumerate(pages):
        if k >= MAX_OCR_PAGES:
            routes.unread.append(page.number)
            continue
        # A scan is not rendered finer than it was scanned (that only costs OCR time), nor under 150 dpi;
        # a huge page is rendered coarser so that it stays within MAX_OCR_PIXELS (checked before rendering).
        dpi = min(ocr.OCR_DPI, max(ocr.MIN_OCR_DPI, page.image_dpi or ocr.OCR_DPI))
        try:
            dpi *= min(1.0, ocr.page_scale(max(round(page.width * dpi / 72), 1), max(round(page.height * dpi / 72), 1)))
            image = pdf[page.number - 1].render(scale=dpi / 72).to_pil()
        except (ReadError, pdfium_error(), ValueError):  # a page of odd shape, a page PDFium cannot render
            routes.unread.append(page.number)
            continue
        by_page[page.number] = ocr.read_page(image, page.number, dpi)
        routes.ocr.append(page.number)
        if by_page[page.number].skipped:
            routes.prose_unread.append(page.number)
        done.add(page.number)
    return done


# ------------------------------------------------------------------------------- assembly

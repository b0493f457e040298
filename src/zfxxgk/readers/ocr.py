"""OCR of scanned pages and images (optional extra `zfxxgk[ocr]`: rapidocr 3.x + onnxruntime).

One page image goes through (docs/pdf.md, "Scanned pages and images"):
1. red ink (seals, red signatures) is made white; black print under it stays;
2. text detection, once, on a reduced copy: its boxes give the quarter turns and the tilt (any angle,
   refined by projection profile), the page is straightened once; an upside-down page is told by the
   direction classifier on a few long lines; a page of small print is enlarged (_zoom);
3. ruling lines: horizontal and vertical strokes (morphological opening of the ink, and of what lies
   well below the paper around it) form the table grids; every enclosed region is one cell, so merged
   cells come out as one box with spans; a cut by a glyph's stem inside a line of text is undone;
4. recognition, in one batch, of the boxes tables and metadata need (full-width prose lines are left
   out unless READ_PROSE, but for the top lines of page 1); each box goes to the cell that holds its
   centre (a box straddling cells is split by character position); a cell with ink but no box is
   recognised from its ink; boxes outside tables become lines and paragraphs (pagegeom); a page where no
   grid is found gets its tables from the boxes' positions (word_parts, as the text layer's word_tables),
   after boxes of several numbers are split at the gaps in their ink and unboxed numbers are read;
5. number cells: OCR confusions (O/o/〇 → 0, l/I/| → 1 …) are mapped only inside tokens that are
   otherwise digits, and a mapped cell's confidence is capped so that it is reported;
   a cell with ink but no text read gets confidence 0.
Each cell keeps its confidence (the lowest score of its boxes). Cells below Options.low_confidence (options.py)
are reported by VAL-LOW-CONFIDENCE; below Options.unreadable_confidence the extractor treats them
as unreadable.
The models ship inside the rapidocr wheel; nothing is downloaded at run time.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from ..document import Document
from ..errors import ReadError
from ..values import NUMERIC_TOKEN
from .optional import require
from .pagegeom import BoxCell, Glyph, Line, PageLayout, Part, assemble, cell_text, drop_page_numbers, group_lines
from .wordtables import word_tables

OCR_DPI = 200  # PDF pages are rendered at this resolution for OCR (at most; see MIN_OCR_DPI)
MIN_OCR_DPI = 150  # a page scanned coarser than OCR_DPI is rendered at its own resolution, not under this
MIN_IMAGE_WIDTH = 1240  # narrower page images (under ~150 dpi for A4) are scaled up before OCR
MAX_IMAGE_PIXELS = 80_000_000  # an image file (each frame) larger than this is refused before decoding
MAX_OCR_PIXELS = 4_200_000  # the page image OCR works on (A4 at 200 dpi is 3.9 MP): larger ones are scaled down
# Text detection works on at most this many pixels per side (an A4 page at 200 dpi is 2339 high): its
# memory grows with the image, and beyond this a page is scaled down for detection only.
DET_MAX_SIDE = 2048
MAX_ASPECT = 12.0  # longer/shorter side of a page image; beyond, it is a strip, not a page (scaling would explode)
MAX_IMAGE_FRAMES = 40
# Text detection of the whole page runs on a copy scaled to this many pixels high (text of a 200-dpi
# A4 page is then ~13 px high, ample for detection); recognition works on full-resolution crops.
DET_SIDE = min(1024, DET_MAX_SIDE)
# A page whose text lines (the median detected box) are under ZOOM_BELOW pixels high (a 150-dpi scan, a page shrunk
# onto a landscape sheet; 40-48 on an A4 page at 200 dpi) is enlarged, by at most MAX_ZOOM, so that they are
# TEXT_HEIGHT high before the ruling lines are found and the text is read (see _zoom).
TEXT_HEIGHT = 45.0
ZOOM_BELOW = 36.0
MAX_ZOOM = 1.6
FIRST_PAGE_LINES = 12  # the lines at the top of page 1 always recognised: title, opening paragraph (period)
READ_PROSE = False  # recognise the full-width lines of prose paragraphs too (see _needed); True costs ~2× the time
_INDENT = 2.6  # a prose line starts at most this many line heights right of the left margin (a 2-character indent)
_CROP_PAD = 2  # pixels of margin around each box recognised (steadier than the bare detected box)
_ORIENT_SAMPLE = 6  # longest lines the direction classifier looks at to tell an upside-down page
_SEAL_RIM = 200  # under red ink, lifted pixels lighter than this are the seal's own rims, not print
_RED_MARGIN = 16  # red ink: the red channel this much above green and blue (low: the pink halo of a stroke too)
_PAPER_SIDE = 15  # pixels around a pixel whose lightest is the paper it lies on (rule_ink)
_RULE_CONTRAST = 70  # this much darker than that paper is ink, for finding rules
_RULE_GAP = 2  # pixels missing along a faint rule that are bridged before rules are found (find_grids)
_SECOND_LOOK = 0.5  # number cells under a seal read with less confidence than this are read again
_SURE = 0.9  # ...and a second reading this confident replaces the first (still reported, see _under_seal)
_SEAL_PRINT = 170  # under a lifted seal, print is darker than this; lighter is the seal's own remains
MAPPED_CONFIDENCE = 0.85  # cap for a cell whose text needed a confusion mapping
_INK_SHARE = 0.004  # dark share of a cell's interior that means something is printed there

_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "〇": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                             "i": "1", "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9",
                             "，": ",", "。": ".", "·": "."})


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def require_engine(kind: str = "PDF") -> None:
    if not available():
        raise ReadError("no_ocr", kind=kind)


@cache
def engine() -> Any:
    """One engine per process, its ONNX Runtime sessions using the cores this process may run on."""
    import os

    from rapidocr import RapidOCR

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # The direction classifier runs only on a few lines per page (upside-down check), not on every box.
    return RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error", "Det.limit_type": "max",
                            "Det.limit_side_len": DET_MAX_SIDE, "Global.max_side_len": DET_MAX_SIDE,
                            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1})


# ------------------------------------------------------------------------------- image files
def page_scale(width: int, height: int) -> float:
    """The factor a page image is scaled by for OCR: narrow scans up to MIN_IMAGE_WIDTH, and never past
    MAX_OCR_PIXELS (checked before any pixel is allocated). A strip of odd shape is refused."""
    if min(width, height) < 1 or max(width, height) > MAX_ASPECT * min(width, height):
        raise ReadError("image_shape", width=width, height=height)
    factor = MIN_IMAGE_WIDTH / width if width < MIN_IMAGE_WIDTH else 1.0
    return min(factor, (MAX_OCR_PIXELS / (width * height)) ** 0.5)


def _check_frame(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise ReadError("image_too_large", pixels=width * height, limit=MAX_IMAGE_PIXELS)
    page_scale(width, height)


def read_image_bytes(data: bytes) -> Document:
    """A .png/.jpg/.tif scan: each frame is one page read by OCR (one decoded frame in memory at a time).

    Every frame is size-checked before it is decoded; a later frame that is too large or damaged is
    listed as unread and the frames read before it are kept.
    """
    image_module = require("PIL.Image", "PNG/JPEG/TIFF")
    sequence = require("PIL.ImageSequence", "PNG/JPEG/TIFF")
    try:
        image = image_module.open(io.BytesIO(data))
        _check_frame(image.width, image.height)
        image.load()  # decode the first frame now: a damaged file says so before any OCR
        kind = image.format or "image"
    except image_module.DecompressionBombError as exc:
        raise ReadError("image_too_large", pixels="?", limit=MAX_IMAGE_PIXELS) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ReadError("image_corrupt", kind="image") from exc
    require_engine(kind)
    layouts = []
    unread: list[int] = []
    frames = sequence.Iterator(image)
    for k in range(1, MAX_IMAGE_FRAMES + 1):
        try:
            frame = next(frames)
        except StopIteration:
            break
        except (OSError, ValueError, SyntaxError, EOFError, image_module.DecompressionBombError):
            unread.append(k)  # a damaged frame header: the frames after it cannot be found
            break
        try:
            _check_frame(frame.width, frame.height)
            dpi = _number(frame.info.get("dpi")) or _number(image.info.get("dpi"))
            if not dpi or dpi < 50:
                dpi = frame.width / 8.27  # assume an A4-wide page
            layouts.append(read_page(frame.convert("RGB"), k, float(dpi)))
        except (ReadError, OSError, ValueError, SyntaxError, EOFError, image_module.DecompressionBombError):
            unread.append(k)
    if not layouts:
        raise ReadError("image_corrupt", kind=kind)
    pages: dict[str, list[int]] = {"ocr": [p.page for p in layouts]}
    if unread:
        pages["unread"] = unread
    if any(p.skipped for p in layouts):
        pages["prose_unread"] = [p.page for p in layouts if p.skipped]
    meta = {"pages": pages, "page_count": len(layouts) + len(unread), "image_format": kind}
    return Document(assemble(layouts), "image", meta)


def _number(value: Any) -> float:
    """A resolution from image metadata (a number or an (x, y) pair), 0 when absent or nonsense."""
    if isinstance(value, tuple):
        value = value[0] if value else 0
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    return number if 0 < number < 100_000 else 0.0


# ---------------------------------------------------------------------------------- a page
def read_page(image: Any, page: int, dpi: float) -> PageLayout:
    """OCR one page image into lines and table parts (coordinates in points).

    Detection runs once, on a reduced copy (twice for a page turned a quarter); its boxes give the
    orientation and tilt, so the page is straightened once and only the boxes tables and metadata need
    are recognised, in one batch: the time goes to what the report uses.
    """
    import cv2
    import numpy as np

    factor = page_scale(image.width, image.height)
    rgb = np.asarray(image.convert("RGB"))
    if factor != 1.0:
        interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        rgb = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=interpolation)
        dpi *= factor
    gray, red = without_seals(rgb)
    # the red-ink mask rides along as a second image through every turn (255 where a seal was)
    seal = np.zeros_like(gray) if red is None else red.astype(np.uint8) * 255
    quads = detect(gray)
    turns, tilt = orientation(quads)
    if turns:
        gray, seal = (np.ascontiguousarray(np.rot90(a, -turns)) for a in (gray, seal))
        quads = detect(gray)
        tilt = orientation(quads)[1]
    (gray, seal), quads = _straighten([gray, seal], quads, tilt)
    zoom = _zoom(quads)
    if zoom > 1.0:
        gray = cv2.resize(gray, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        seal = cv2.resize(seal, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
        quads = quads * zoom
        dpi *= zoom
    boxes = _axis_boxes(quads, gray.shape)
    if _upside_down(gray, boxes):
        gray, seal = (np.ascontiguousarray(a[::-1, ::-1]) for a in (gray, seal))
        height, width = gray.shape
        boxes = [(width - x1, height - y1, width - x0, height - y0) for x0, y0, x1, y1 in boxes]
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    grids = [join_stems(cells, boxes) for cells in find_grids(rule_ink(gray, ink, seal if red is not None else None),
                                                               seal if red is not None else None)]
    wanted = boxes if READ_PROSE else _needed(boxes, grids, FIRST_PAGE_LINES if page == 1 else 0)
    texts = recognise(gray, wanted)
    scale = 72.0 / dpi
    height, width = gray.shape
    layout = PageLayout(page, height * scale, width * scale)
    layout.skipped = len(boxes) - len(wanted)
    free: list[Glyph] = []
    cell_glyphs: list[list[list[Glyph]]] = [[[] for _ in cells] for cells in grids]
    for (x0, y0, x1, y1), (text, score) in zip(wanted, texts, strict=True):
        if not text:
            continue
        placed = False
        for t, cells in enumerate(grids):
            for i, piece, px0, px1 in _place(cells, x0, y0, x1, y1, text):
                cell_glyphs[t][i].append(Glyph(piece, px0, y0, px1, y1, score))
                placed = True
            if placed:
                break
        if not placed:
            free.append(Glyph(text, x0 * scale, y0 * scale, x1 * scale, y1 * scale, score))
    _read_missed(gray, ink, grids, cell_glyphs)
    for t, cells in enumerate(grids):
        out = []
        for i, (cx0, cy0, cx1, cy1) in enumerate(cells):
            glyphs = cell_glyphs[t][i]
            text = cell_text(glyphs)
            conf = min((g.score for g in glyphs if g.score is not None), default=None)
            text, conf = _number_cell(text, conf)
            if not text and _has_ink(ink, cx0, cy0, cx1, cy1):
                conf = 0.0  # something is printed here that OCR did not read
            out.append(BoxCell(float(cx0 * scale), float(cy0 * scale), float(cx1 * scale), float(cy1 * scale), text, conf))
        if red is not None:
            _under_seal(gray, seal, cells, out)
        xs0, ys0 = min(c[0] for c in cells), min(c[1] for c in cells)
        xs1, ys1 = max(c[2] for c in cells), max(c[3] for c in cells)
        layout.parts.append(Part(page, out, xs0 * scale, ys0 * scale, xs1 * scale, ys1 * scale,
                                 tolerance=max(2.0, 10 * scale)))
    layout.parts.sort(key=lambda p: p.top)
    layout.lines = drop_page_numbers(group_lines(free, gap_factor=1.5), layout.height)
    if not grids:
        free = _split_numbers(free, ink, scale)
        layout.parts, layout.lines = word_parts(page, _word_lines(free, layout.height), free)
        if layout.parts:
            extra = _unboxed_numbers(gray, ink, boxes, layout.parts, scale)
            if extra:  # a lone digit detection missed would shift a row of values by a column
                free.extend(extra)
                layout.parts, layout.lines = word_parts(page, _word_lines(free, layout.height), free)
        _read_missed_words(gray, ink, scale, layout.parts)
    return layout


def _unboxed_numbers(gray: Any, ink: Any, boxes: list[tuple[int, int, int, int]], parts: list[Part], scale: float
                     ) -> list[Glyph]:
    """Numbers printed in a table without rules that text detection found no box for (a lone thin 0 or 1 on
    the reduced page): ink blobs of a text line's height in the tables' area, outside every detected box,
    recognised in one batch; those that read as a number become boxes of their own."""
    import cv2
    import numpy as np

    if not boxes:
        return []
    size = sorted(b[3] - b[1] for b in boxes)[len(boxes) // 2]
    rest = ink.copy()
    for x0, y0, x1, y1 in boxes:
        rest[max(0, y0 - 3):y1 + 3, max(0, x0 - 3):x1 + 3] = 0
    area = np.zeros_like(rest)
    for part in parts:
        area[int(part.top / scale):int(part.bottom / scale) + 1, int(part.x0 / scale):int(part.x1 / scale) + 1] = 255
    rest = cv2.bitwise_and(rest, area)
    joined = cv2.dilate(rest, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, size // 3), 1)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    found = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:n]
             if 0.4 * size <= h <= 1.5 * size and w <= 6 * h]
    pad = max(2, size // 5)
    height, width = gray.shape
    found = [(max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)) for x0, y0, x1, y1 in found]
    out = []
    for (x0, y0, x1, y1), (text, score) in zip(found, recognise(gray, found), strict=True):
        text, conf = _number_cell(text, score)
        if text and NUMERIC_TOKEN.match(text):
            out.append(Glyph(text, x0 * scale, y0 * scale, x1 * scale, y1 * scale, conf))
    return out


def _read_missed_words(gray: Any, ink: Any, scale: float, parts: list[Part]) -> None:
    """Empty cells of tables without rules that have ink (a lone digit detection missed): the ink's box is
    recognised, all in one batch; ink that reads as nothing leaves the cell at confidence 0 (unread)."""
    height, width = gray.shape
    missed: list[tuple[BoxCell, tuple[int, int, int, int]]] = []
    for part in parts:
        for cell in part.cells:
            if cell.text:
                continue
            box = (max(0, int(cell.x0 / scale)), max(0, int(cell.top / scale)),
                   min(width, int(cell.x1 / scale)), min(height, int(cell.bottom / scale)))
            if _has_ink(ink, *box) and (found := _ink_box(ink, box)):
                missed.append((cell, found))
    for (cell, _), (text, score) in zip(missed, recognise(gray, [m[1] for m in missed]), strict=True):
        cell.text, cell.confidence = _number_cell(text, score) if text else ("", 0.0)


def _word_lines(free: list[Glyph], height: float) -> list[Line]:
    """Lines of a page without rules; a box over two or more lines' height (a label beside several rows,
    printed downwards or wrapped) is a line of its own: grouped with the rest it would join the rows beside
    it into one line."""
    heights = sorted(g.bottom - g.top for g in free)
    size = heights[len(heights) // 2] if heights else 0.0
    tall = [g for g in free if g.bottom - g.top > 1.8 * size]
    lines = group_lines([g for g in free if g.bottom - g.top <= 1.8 * size], gap_factor=1.5)
    lines += [Line(g.text.replace("\n", ""), g.x0, g.top, g.x1, g.bottom, g.score) for g in tall]
    return drop_page_numbers(sorted(lines, key=lambda ln: (ln.top, ln.x0)), height)


def _split_numbers(free: list[Glyph], ink: Any, scale: float) -> list[Glyph]:
    """Boxes holding several numbers (`10 1 0`: detection joins close values) split into one box per number:
    at the gaps in the box's ink when there are as many pieces of ink as numbers, else by character position."""
    import numpy as np

    out: list[Glyph] = []
    for g in free:
        words = g.text.split()
        if len(words) < 2 or not all(NUMERIC_TOKEN.match(w) for w in words):
            out.append(g)
            continue
        x0, y0, x1, y1 = int(g.x0 / scale), int(g.top / scale), int(g.x1 / scale) + 1, int(g.bottom / scale) + 1
        columns = np.flatnonzero(ink[y0:y1, x0:x1].max(axis=0)) if y1 > y0 and x1 > x0 else np.zeros(0, int)
        gap = max(2, (y1 - y0) // 4)  # wider than the gap between two digits of one number
        runs = np.split(columns, np.flatnonzero(np.diff(columns) > gap) + 1) if len(columns) else []
        if len(runs) == len(words):
            out.extend(Glyph(w, (x0 + int(r[0])) * scale, g.top, (x0 + int(r[-1]) + 1) * scale, g.bottom, g.score)
                       for w, r in zip(words, runs, strict=True))
            continue
        step, at = (g.x1 - g.x0) / max(len(g.text), 1), 0
        for w in words:
            at = g.text.index(w, at)
            out.append(Glyph(w, g.x0 + at * step, g.top, g.x0 + (at + len(w)) * step, g.bottom, g.score))
            at += len(w)
    return out


def word_parts(page: int, lines: list[Line], free: list[Glyph]) -> tuple[list[Part], list[Line]]:
    """A page without ruling lines: tables from the positions of the text boxes, as the text-layer path
    reads them (wordtables.word_tables: rows by the lines that carry numbers, columns by the numbers' positions).
    Each cell keeps the lowest score of the boxes whose centre it holds (of those it overlaps when it holds
    none: a row's bottom is cut where the next row begins), and number cells go through the confusion
    mapping (_number_cell). A cell with text but no box to score it gets confidence 0: never taken unchecked."""
    parts, rest = word_tables(page, lines, free)
    for part in parts:
        for cell in part.cells:
            scores = [g.score for g in free if g.score is not None and cell.x0 <= g.cx <= cell.x1
                      and cell.top <= g.cy <= cell.bottom]
            if not scores:
                scores = [g.score for g in free if g.score is not None and g.x0 < cell.x1 and cell.x0 < g.x1
                          and g.top < cell.bottom and cell.top < g.bottom]
            conf = min(scores) if scores else (0.0 if cell.text.strip() else None)
            cell.text, cell.confidence = _number_cell(cell.text, conf)
    return parts, rest


def _under_seal(gray: Any, seal: Any, cells: list[tuple[int, int, int, int]], out: list[BoxCell]) -> None:
    """A number cell under a seal read with too little confidence to use is recognised once more with
    what is left of the seal (lighter than print) made white. When both readings agree, or the second
    is a number read with confidence, that value is used, its confidence capped at MAPPED_CONFIDENCE so
    that it is still reported (VAL-LOW-CONFIDENCE), never taken silently."""
    import numpy as np

    weak = [i for i, c in enumerate(out) if c.text and c.confidence is not None and c.confidence < _SECOND_LOOK
            and NUMERIC_TOKEN.match(c.text) and seal[cells[i][1]:cells[i][3], cells[i][0]:cells[i][2]].any()]
    if not weak:
        return
    clean = gray.copy()
    clean[(seal > 0) & (gray > _SEAL_PRINT)] = 255
    inset = 3  # the cell's own ruling lines stay out of the crop
    boxes = [(cells[i][0] + inset, cells[i][1] + inset, cells[i][2] - inset, cells[i][3] - inset) for i in weak]
    for i, (text, score) in zip(weak, recognise(clean, boxes), strict=True):
        again, score2 = _number_cell(text, score)
        cell = out[i]
        if score2 is None or cell.confidence is None or not NUMERIC_TOKEN.match(again):
            continue
        if again == cell.text:
            cell.confidence = float(np.clip(max(cell.confidence, score2), 0.0, MAPPED_CONFIDENCE))
        elif score2 >= _SURE:
            cell.text, cell.confidence = again, min(score2, MAPPED_CONFIDENCE)


def _read_missed(gray: Any, ink: Any, grids: list[list[tuple[int, int, int, int]]],
                 cell_glyphs: list[list[list[Glyph]]]) -> None:
    """Cells with ink that detection found no text in (a lone thin digit on a reduced page): the ink's
    own box inside the cell is recognised, all such cells in one batch."""
    missed: list[tuple[int, int, tuple[int, int, int, int]]] = []
    for t, cells in enumerate(grids):
        for i, cell in enumerate(cells):
            if not cell_glyphs[t][i] and _has_ink(ink, *cell):
                box = _ink_box(ink, cell)
                if box:
                    missed.append((t, i, box))
    for (t, i, (x0, y0, x1, y1)), (text, score) in zip(missed, recognise(gray, [m[2] for m in missed]), strict=True):
        if text:
            cell_glyphs[t][i].append(Glyph(text, x0, y0, x1, y1, score))


def _ink_box(ink: Any, cell: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The box of the ink inside a cell (its ruling lines left out), with a margin, or None."""
    import numpy as np

    x0, y0, x1, y1 = cell
    inset = 5  # the ruling line and its dilation
    inner = ink[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
    if inner.size == 0:
        return None
    rows, cols = np.nonzero(inner.max(axis=1))[0], np.nonzero(inner.max(axis=0))[0]
    if not len(rows) or not len(cols):
        return None
    margin = 6
    return (max(x0, x0 + inset + int(cols[0]) - margin), max(y0, y0 + inset + int(rows[0]) - margin),
            min(x1, x0 + inset + int(cols[-1]) + 1 + margin), min(y1, y0 + inset + int(rows[-1]) + 1 + margin))


def without_seals(rgb: Any) -> tuple[Any, Any]:
    """The page in gray with red ink (seals, red signatures) lifted off: in red pixels the red channel,
    scaled so that the seal's own colour becomes white, is what was printed under it — black print
    and ruling lines under a seal stay as dark as they were, so a stamped cell reads as if unstamped.
    Returns the gray page and the mask of red ink (None when there is none)."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    r = rgb[:, :, 0].astype(np.int16)
    red = r - np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16) > _RED_MARGIN
    if red.any():
        paper = max(float(np.percentile(r[red], 90)), 1.0)  # the seal's colour on blank paper
        # and the pixels around red ink: blur and JPEG's coarse colour leave them half red
        red = cv2.dilate(red.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        lifted = np.clip(r[red] * (255.0 / paper), 0, 255)
        lifted[lifted > _SEAL_RIM] = 255  # the rims of the seal's strokes, light after lifting
        gray[red] = lifted.astype(np.uint8)
        return gray, red
    return gray, None


def detect(gray: Any) -> Any:
    """Text boxes (quadrilaterals, N×4×2, pixels of `gray`) from one detection pass on a copy reduced to
    DET_SIDE pixels high: by height, so that the small print of a landscape sheet is not reduced further."""
    import cv2
    import numpy as np

    factor = min(1.0, DET_SIDE / gray.shape[0])
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else gray
    result = engine()(cv2.cvtColor(small, cv2.COLOR_GRAY2RGB), use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(result, "boxes", None)
    if boxes is None or not len(boxes):
        return np.zeros((0, 4, 2), np.float32)
    return np.asarray(boxes, np.float32) / factor


def orientation(quads: Any) -> tuple[int, float]:
    """Quarter turns (0 or 1) that make the text lines horizontal, and their tilt in degrees, from the
    long text boxes' long edges (a page turned by 270° is turned once more by the upside-down check)."""
    import numpy as np

    votes = [0.0, 0.0]
    tilts: list[tuple[float, float]] = []
    for quad in quads:
        (ax, ay), (bx, by), _, (dx, dy) = quad
        top, side = np.hypot(bx - ax, by - ay), np.hypot(dx - ax, dy - ay)
        if max(top, side) < 3 * min(top, side):
            continue  # a short box (a digit): no direction
        vx, vy = (bx - ax, by - ay) if top > side else (dx - ax, dy - ay)
        angle = float(np.degrees(np.arctan2(vy, vx))) % 180  # 0 = horizontal, 90 = vertical
        vertical = 45 <= angle < 135
        votes[vertical] += max(top, side)
        tilts.append((((angle - 90) if vertical else (angle if angle < 90 else angle - 180)), max(top, side)))
    if not tilts:
        return 0, 0.0
    return int(votes[1] > votes[0]), _weighted_median([a for a, _ in tilts], [w for _, w in tilts])


def _weighted_median(values: list[float], weights: list[float]) -> float:
    order = sorted(range(len(values)), key=values.__getitem__)
    half, acc = sum(weights) / 2, 0.0
    for k in order:
        acc += weights[k]
        if acc >= half:
            return values[k]
    return values[order[-1]]


def _straighten(images: list[Any], quads: Any, tilt: float) -> tuple[list[Any], Any]:
    """The page (and the seal mask with it) rotated so that its text is level (the tilt from the boxes,
    refined by the projection profile within ±1°), and the boxes rotated with it."""
    import cv2

    gray = images[0]
    angle = skew_angle(gray, around=tilt, mask=images[1] if len(images) > 1 else None)
    if abs(angle) < 0.05:
        return images, quads
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = [cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=255 if k == 0 else 0) for k, img in enumerate(images)]
    if len(quads):
        quads = cv2.transform(quads.reshape(-1, 1, 2), matrix).reshape(-1, 4, 2)
    return rotated, quads


def _zoom(quads: Any) -> float:
    """The factor a page with small print is enlarged by before ruling lines are found and text is read:
    in small print set in tight rows, a thin rule next to the glyphs fades in the ink threshold and a glyph's
    stem passes for a rule (a row lost, a label cut in two)."""
    import numpy as np

    if not len(quads):
        return 1.0
    heights = quads[:, :, 1].max(axis=1) - quads[:, :, 1].min(axis=1)
    widths = quads[:, :, 0].max(axis=1) - quads[:, :, 0].min(axis=1)
    lines = heights[widths > 2 * heights]  # text lines, not single digits
    if len(lines) < 5:
        return 1.0
    height = float(np.median(lines))
    return min(MAX_ZOOM, TEXT_HEIGHT / height) if 0 < height < ZOOM_BELOW else 1.0


def _axis_boxes(quads: Any, shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    h, w = shape
    out = []
    for quad in quads:
        x0, y0 = (max(0, int(v)) for v in quad.min(axis=0))
        x1, y1 = min(w, int(quad[:, 0].max()) + 1), min(h, int(quad[:, 1].max()) + 1)
        if x1 - x0 >= 3 and y1 - y0 >= 3:
            out.append((x0, y0, x1, y1))
    return out


def _upside_down(gray: Any, boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether the page stands on its head: the direction classifier's majority on the longest lines."""
    import cv2

    lines = sorted((b for b in boxes if b[2] - b[0] > 3 * (b[3] - b[1])), key=lambda b: b[0] - b[2])[:_ORIENT_SAMPLE]
    if not lines:
        return False
    crops = [cv2.cvtColor(gray[y0:y1, x0:x1], cv2.COLOR_GRAY2RGB) for x0, y0, x1, y1 in lines]
    _, result = engine().cls_and_rotate(crops)
    flipped = sum(1 for label, score in (result.cls_res or []) if str(label) == "180" and score > 0.5)
    return flipped * 2 > len(lines)


def _needed(boxes: list[tuple[int, int, int, int]], grids: list[list[tuple[int, int, int, int]]], first: int = 0
            ) -> list[tuple[int, int, int, int]]:
    """The boxes tables and metadata need: everything inside a table, and outside tables every line but
    the lines inside prose paragraphs: lines that run from the left margin (or a paragraph indent) to
    the right margin and go on in a line below that starts at the left margin. Titles, headings (a
    full-width heading is followed by an indented line or a table), captions, dates and the short last
    line of a paragraph are kept, and so are the `first` lines from the top whatever they are (on the
    first page: a title as wide as the page, and the opening paragraph that names the statistical period)."""
    frames = [(min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
              for cells in grids]

    def inside(b: tuple[int, int, int, int]) -> bool:
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        return any(f[0] <= cx <= f[2] and f[1] <= cy <= f[3] for f in frames)

    free = [b for b in boxes if not inside(b)]
    if not free:
        return boxes
    left, right = min(b[0] for b in free), max(b[2] for b in free)
    heights = sorted(b[3] - b[1] for b in free)
    body = heights[len(heights) // 2]

    def goes_on(b: tuple[int, int, int, int]) -> bool:
        return any(n[0] - left < body and b[3] <= n[1] < b[3] + 1.8 * body for n in free)

    prose = {b for b in free if b[0] - left < _INDENT * body and right - b[2] < body and b[3] - b[1] < 1.2 * body
             and goes_on(b)}
    prose.difference_update(sorted(free, key=lambda b: (b[1], b[0]))[:first])
    return [b for b in boxes if b not in prose]


def recognise(gray: Any, boxes: list[tuple[int, int, int, int]]) -> list[tuple[str, float]]:
    """Text and score of each box, recognised in batches (the recogniser sorts them by width)."""
    import cv2

    if not boxes:
        return []
    h, w = gray.shape
    pad = _CROP_PAD
    crops = [cv2.cvtColor(gray[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)], cv2.COLOR_GRAY2RGB)
             for x0, y0, x1, y1 in boxes]
    result = engine().recognize_txt(crops)
    return [(str(t).strip(), float(s)) for t, s in zip(result.txts, result.scores, strict=True)]


def _place(cells: list[tuple[int, int, int, int]], x0: float, y0: float, x1: float, y1: float, text: str
           ) -> list[tuple[int, str, float, float]]:
    """The cells an OCR box belongs to: by its centre, or split by character position across cells."""
    cy = (y0 + y1) / 2
    hits = [(i, c) for i, c in enumerate(cells) if c[1] <= cy <= c[3] and c[0] < x1 and x0 < c[2]]
    if not hits:
        return []
    if len(hits) == 1 or not text:
        cx = (x0 + x1) / 2
        best = min(hits, key=lambda h: 0 if h[1][0] <= cx <= h[1][2] else min(abs(h[1][0] - cx), abs(h[1][2] - cx)))
        return [(best[0], text, x0, x1)]
    step = (x1 - x0) / len(text)
    out: dict[int, list[Any]] = {}
    for k, ch in enumerate(text):
        mid = x0 + (k + 0.5) * step
        i = min(hits, key=lambda h: 0 if h[1][0] <= mid <= h[1][2] else min(abs(h[1][0] - mid), abs(h[1][2] - mid)))[0]
        entry = out.setdefault(i, ["", mid - step / 2, mid + step / 2])
        entry[0] += ch
        entry[2] = mid + step / 2
    return [(i, e[0].strip(), e[1], e[2]) for i, e in out.items() if e[0].strip()]


def _number_cell(text: str, conf: float | None) -> tuple[str, float | None]:
    """Map OCR confusions in a cell that is otherwise a number; a mapped cell is capped in confidence."""
    compact = text.replace(" ", "").replace("\n", "")
    if not compact or NUMERIC_TOKEN.match(compact):
        return (compact if NUMERIC_TOKEN.match(compact or "x") else text), conf
    if len(compact) > 14 or (not any(ch.isdigit() for ch in compact) and len(compact) > 1):
        return text, conf
    mapped = compact.translate(_CONFUSABLE)
    if NUMERIC_TOKEN.match(mapped) and (any(ch.isdigit() for ch in compact) or compact in "Oo〇lI|"):
        return mapped, min(conf if conf is not None else 1.0, MAPPED_CONFIDENCE)
    return text, conf


def _has_ink(ink: Any, x0: int, y0: int, x1: int, y1: int) -> bool:
    w, h = x1 - x0, y1 - y0
    if w < 6 or h < 6:
        return False
    inner = ink[y0 + h // 5 : y1 - h // 5, x0 + w // 8 : x1 - w // 8]
    return inner.size > 0 and float(inner.mean()) / 255 > _INK_SHARE


# ------------------------------------------------------------------------- geometry helpers
def skew_angle(gray: Any, around: float = 0.0, mask: Any = None) -> float:
    """The rotation (degrees) that makes horizontal structure sharpest, by projection profile: within
    ±1° of `around` (the tilt of the text boxes) in 0.1° steps, refined to 0.025°. The ink mask is
    turned without interpolation: a linear one smooths every angle but 0 and biased the answer to it."""
    import cv2
    import numpy as np

    # the shorter side to 600 pixels: a page laid on a landscape sheet keeps the scale of an upright one
    factor = 600 / min(gray.shape)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    bw = (small < 200).astype(np.float32)  # thin rules, gray at this scale, count too
    if mask is not None and mask.any():  # what is left of a lifted seal is no line of text
        bw[cv2.resize(mask, (bw.shape[1], bw.shape[0]), interpolation=cv2.INTER_NEAREST) > 0] = 0

    def sharpness(angle: float) -> float:
        rows = _rotate(bw, angle, border=0.0, nearest=True).sum(axis=1)
        return float((np.diff(rows) ** 2).sum())

    best = max((around + a / 10 for a in range(-10, 11)), key=sharpness)
    return max((best + a / 40 for a in range(-4, 5)), key=sharpness)


def _beyond(strokes: Any, seal: Any) -> Any:
    """The strokes less those lying (nine tenths or more) inside the seal mask."""
    import cv2
    import numpy as np

    n, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    inside = np.bincount(labels[seal > 0], minlength=n)
    drop = inside >= 0.9 * stats[:, cv2.CC_STAT_AREA]
    drop[0] = False
    strokes[drop[labels]] = 0
    return strokes


def _rotate(img: Any, angle: float, border: float = 255.0, nearest: bool = False) -> Any:
    import cv2

    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    flags = cv2.INTER_NEAREST if nearest else cv2.INTER_LINEAR
    return cv2.warpAffine(img, matrix, (w, h), flags=flags, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def rule_ink(gray: Any, ink: Any, seal: Any = None) -> Any:
    """Where ruling lines may be: the ink by the local mean, and also what lies well below the paper
    around it (the lightest pixel nearby). A thin rule blurred to gray between two rows of close-set
    glyphs is lighter than their mean and falls out of the first; the paper it lies on does not.
    Where red ink was (`seal` mask) only the first counts: the lifted seal leaves gray there."""
    import cv2
    import numpy as np

    paper = cv2.dilate(gray, np.ones((_PAPER_SIDE, _PAPER_SIDE), np.uint8))
    below = cv2.subtract(paper, gray) > _RULE_CONTRAST
    if seal is not None:
        below[seal > 0] = False
    return cv2.bitwise_or(ink, below.astype(np.uint8) * 255)


def join_stems(cells: list[tuple[int, int, int, int]], boxes: list[tuple[int, int, int, int]]
               ) -> list[tuple[int, int, int, int]]:
    """Two cells side by side cut apart by a glyph's stem, not a rule: in small print set in tight rows the
    stem of 件 or 条 runs from rule to rule and passes for one. The cut lies well inside one detected line
    of text (half its height from either end) and no rule continues it in the row above or below: the
    two cells are one."""
    tol = 4
    by_left: dict[int, list[int]] = {}
    for i, c in enumerate(cells):
        by_left.setdefault(c[0] // tol, []).append(i)

    def continued(x: int, top: int, bottom: int) -> bool:
        """A boundary at x in a row touching this one above or below."""
        return any(min(abs(c[0] - x), abs(c[2] - x)) <= tol and (abs(c[3] - top) <= tol or abs(c[1] - bottom) <= tol)
                   for c in cells)

    merged: dict[int, tuple[int, int, int, int]] = {}
    gone: set[int] = set()
    for i, a in enumerate(cells):
        if i in gone:
            continue
        for k in (a[2] // tol - 1, a[2] // tol, a[2] // tol + 1):
            for j in by_left.get(k, []):
                b = cells[j]
                if j == i or j in gone or abs(b[0] - a[2]) > tol or abs(b[1] - a[1]) > tol or abs(b[3] - a[3]) > tol:
                    continue
                cut = (a[2] + b[0]) // 2
                inside = any(bx0 + (by1 - by0) / 2 < cut < bx1 - (by1 - by0) / 2 and a[1] <= (by0 + by1) / 2 <= a[3]
                             and by1 - by0 <= 1.5 * (a[3] - a[1]) for bx0, by0, bx1, by1 in boxes)
                if inside and not continued(cut, a[1], a[3]):
                    a = merged[i] = (a[0], min(a[1], b[1]), b[2], max(a[3], b[3]))
                    gone.add(j)
    return [merged.get(i, c) for i, c in enumerate(cells) if i not in gone]


def find_grids(ink: Any, seal: Any = None) -> list[list[tuple[int, int, int, int]]]:
    """Tables from ruling lines: each grid is a list of cell boxes (x0, y0, x1, y1) in pixels. A stroke
    lying wholly where red ink was (`seal` mask) is what is left of the seal's own shapes, not a rule:
    a rule under a seal runs on beyond it."""
    import cv2
    import numpy as np

    h, w = ink.shape
    # A faint horizontal rule (a 150-dpi scan, close-set rows) breaks up in the threshold here and there by a
    # pixel or two; one such gap shortens the run below the opening's length and the rule is lost over a
    # whole cell (two label cells become one). Gaps of up to _RULE_GAP pixels along a row are closed first.
    # Not for vertical rules: there, bridged glyph stems of close-set rows would run from rule to rule.
    bridged = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (_RULE_GAP + 1, 1)))
    horiz = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, w // 30), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 70))))
    if seal is not None:
        horiz, vert = _beyond(horiz, seal), _beyond(vert, seal)
    lines = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8), iterations=1)
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    grids: list[list[tuple[int, int, int, int]]] = []
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        if bw < w // 5 or bh < 20:
            continue
        region = lines[y : y + bh, x : x + bw].copy()
        # Close the frame: a table cut by a page break has no rule under its last row (or above its first).
        cv2.rectangle(region, (0, 0), (bw - 1, bh - 1), 255, 3)
        free = (region == 0).astype(np.uint8)
        m, _, cstats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
        cells = []
        for j in range(1, m):
            cx, cy, cw, ch, area = cstats[j]
            if cx == 0 or cy == 0 or cx + cw >= bw or cy + ch >= bh:
                continue  # outside the frame
            if cw < 8 or ch < 8 or area < 0.5 * cw * ch:
                continue
            pad = 2  # half the dilated line: neighbours then share a boundary
            cells.append((x + cx - pad, y + cy - pad, x + cx + cw + pad, y + cy + ch + pad))
        if len(cells) >= 2:
            grids.append(cells)
    return grids

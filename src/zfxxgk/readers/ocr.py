"""OCR of scanned pages and images (optional extra `zfxxgk[ocr]`: rapidocr 3.x + onnxruntime).

One page image goes through:
1. deskew: the angle (±3°) that makes the rows of ink sharpest (projection profile) is undone;
2. ruling lines: horizontal and vertical strokes (morphological opening) form the table grids; every
   enclosed region is one cell, so merged cells come out as one box with spans;
3. OCR: rapidocr detects and reads text boxes on the whole page; each box goes to the cell that
   holds its centre (a box straddling cells is split by character position); boxes outside tables
   become lines and paragraphs (pagegeom);
4. number cells: OCR confusions (O/o/〇 → 0, l/I/| → 1 …) are mapped only inside tokens that are
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
from .pagegeom import BoxCell, Glyph, PageLayout, Part, assemble, cell_text, drop_page_numbers, group_lines

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
    from rapidocr import RapidOCR

    # Upright pages: the orientation classifier only costs time.
    return RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error", "Det.limit_type": "max",
                            "Det.limit_side_len": DET_MAX_SIDE})


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
    """OCR one page image into lines and table parts (coordinates in points)."""
    import cv2
    import numpy as np

    factor = page_scale(image.width, image.height)
    rgb = np.asarray(image.convert("RGB"))
    if factor != 1.0:
        interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        rgb = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=interpolation)
        dpi *= factor
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    angle = skew_angle(gray)
    if abs(angle) >= 0.05:
        gray = _rotate(gray, angle)
        rgb = cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    grids = find_grids(ink)
    result = engine()(rgb)
    boxes: list[tuple[float, float, float, float, str, float]] = []
    if result.boxes is not None:
        for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            boxes.append((min(xs), min(ys), max(xs), max(ys), str(text), float(score)))
    scale = 72.0 / dpi
    height, width = gray.shape
    layout = PageLayout(page, height * scale, width * scale)
    free: list[Glyph] = []
    cell_glyphs: list[list[list[Glyph]]] = [[[] for _ in cells] for cells in grids]
    for x0, y0, x1, y1, text, score in boxes:
        placed = False
        for t, cells in enumerate(grids):
            pieces = _place(cells, x0, y0, x1, y1, text)
            for i, piece, px0, px1 in pieces:
                cell_glyphs[t][i].append(Glyph(piece, px0, y0, px1, y1, score))
                placed = True
            if placed:
                break
        if not placed:
            free.append(Glyph(text, x0 * scale, y0 * scale, x1 * scale, y1 * scale, score))
    for t, cells in enumerate(grids):
        out = []
        for i, (cx0, cy0, cx1, cy1) in enumerate(cells):
            glyphs = cell_glyphs[t][i]
            text = cell_text(glyphs)
            conf = min((g.score for g in glyphs if g.score is not None), default=None)
            text, conf = _number_cell(text, conf)
            if not text and _has_ink(ink, cx0, cy0, cx1, cy1):
                conf = 0.0  # something is printed here that OCR did not read
            out.append(BoxCell(cx0 * scale, cy0 * scale, cx1 * scale, cy1 * scale, text, conf))
        xs0, ys0 = min(c[0] for c in cells), min(c[1] for c in cells)
        xs1, ys1 = max(c[2] for c in cells), max(c[3] for c in cells)
        layout.parts.append(Part(page, out, xs0 * scale, ys0 * scale, xs1 * scale, ys1 * scale,
                                 tolerance=max(2.0, 6 * scale)))
    layout.parts.sort(key=lambda p: p.top)
    layout.lines = drop_page_numbers(group_lines(free, gap_factor=1.5), layout.height)
    return layout


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
def skew_angle(gray: Any) -> float:
    """The rotation (degrees, ±3) that makes horizontal structure sharpest, by projection profile."""
    import cv2
    import numpy as np

    small = cv2.resize(gray, None, fx=600 / gray.shape[1], fy=600 / gray.shape[1], interpolation=cv2.INTER_AREA)
    bw = (small < 160).astype(np.float32)

    def sharpness(angle: float) -> float:
        rows = _rotate(bw, angle, border=0.0).sum(axis=1)
        return float((np.diff(rows) ** 2).sum())

    best = max((a / 4 for a in range(-12, 13)), key=sharpness)
    return max((best + a / 20 for a in range(-5, 6)), key=sharpness)


def _rotate(img: Any, angle: float, border: float = 255.0) -> Any:
    import cv2

    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def find_grids(ink: Any) -> list[list[tuple[int, int, int, int]]]:
    """Tables from ruling lines: each grid is a list of cell boxes (x0, y0, x1, y1) in pixels."""
    import cv2
    import numpy as np

    h, w = ink.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, w // 30), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 70))))
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

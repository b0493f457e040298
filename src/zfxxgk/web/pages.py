"""Page images of a report's original file, for the report page's source panel: a PDF page rendered with
pypdfium2, or a scan's frame as it is. Cell boxes are in points from the page's top-left, so each image comes
with its page size in points: the browser scales the box to whatever size the image is shown at.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

# A page image is for looking at one cell: 2 px per point (144 dpi) reads well; never more than this many
# pixels a side, whatever scale is asked (a page of 14400 points would otherwise be a 400 MP image).
DEFAULT_SCALE = 2.0
MIN_SCALE, MAX_SCALE = 0.5, 3.0
MAX_SIDE = 3000
MAX_PAGES = 2000


class PageError(Exception):
    """The page cannot be shown (no such page, or the file cannot be read): the view answers 404."""


@dataclass(frozen=True, slots=True)
class PageSize:
    width: float  # points
    height: float
    pages: int


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]


def page_size(data: bytes, page: int, sha256: str | None = None) -> PageSize:
    """The size in points of a page (1-based) of a PDF or a scan, and the number of pages; kept by the file's
    sha256 when given, as a reviewer clicks cell after cell of the same pages."""
    key = (sha256, page)
    if sha256 is not None:
        with _lock:
            if key in _sizes:
                return _sizes[key]
    if is_pdf(data):
        with _pdf(data) as doc:
            count = len(doc)
            _check(page, count)
            width, height = doc[page - 1].get_size()
            size = PageSize(float(width), float(height), count)
    else:
        frame, count, dpi = _frame(data, page)
        size = PageSize(frame.width * 72.0 / dpi, frame.height * 72.0 / dpi, count)
    if sha256 is not None:
        with _lock:
            if len(_sizes) >= 1000:
                _sizes.pop(next(iter(_sizes)))
            _sizes[key] = size
    return size


def render_png(data: bytes, page: int, scale: float = DEFAULT_SCALE, sha256: str | None = None) -> bytes:
    """The page as PNG; cached by (content, page, scale) as the same page is asked for cell after cell.
    `sha256`: the file's, when the caller knows it (else it is computed)."""
    import hashlib

    scale = min(MAX_SCALE, max(MIN_SCALE, scale))
    key = (sha256 or hashlib.sha256(data).hexdigest(), page, round(scale, 2))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    png = _render(data, page, scale)
    with _lock:
        _cache[key] = png
        while len(_cache) > 24:
            _cache.popitem(last=False)
    return png


_cache: OrderedDict[tuple[str, int, float], bytes] = OrderedDict()
_sizes: dict[tuple[str | None, int], PageSize] = {}
_lock = threading.Lock()


def _render(data: bytes, page: int, scale: float) -> bytes:
    if is_pdf(data):
        with _pdf(data) as doc:
            _check(page, len(doc))
            pdf_page = doc[page - 1]
            width, height = pdf_page.get_size()
            scale = min(scale, MAX_SIDE / max(width, height, 1.0))
            image = pdf_page.render(scale=scale).to_pil()
    else:
        frame, _count, dpi = _frame(data, page)
        image = frame.convert("RGB")
        factor = min(scale * 72.0 / dpi, MAX_SIDE / max(image.width, image.height, 1))  # image px per page px
        if factor < 1.0:  # a scan is never enlarged, only shrunk to the size asked
            image = image.resize((max(1, int(image.width * factor)), max(1, int(image.height * factor))))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


class _pdf:
    """A pypdfium2 document, closed after use (pdfium holds native memory)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __enter__(self):  # type: ignore[no-untyped-def]
        import pypdfium2  # type: ignore[import-untyped]

        try:
            self.doc = pypdfium2.PdfDocument(self.data)
        except Exception as exc:  # pdfium's errors for a damaged or encrypted file
            raise PageError(str(exc)) from None
        return self.doc

    def __exit__(self, *exc: object) -> None:
        self.doc.close()


def _check(page: int, count: int) -> None:
    if not 1 <= page <= min(count, MAX_PAGES):
        raise PageError(f"page {page} of {count}")


def _frame(data: bytes, page: int):  # type: ignore[no-untyped-def]
    """A scan's frame (1-based) with the frame count and its resolution, as the OCR reader takes it."""
    from PIL import Image, ImageSequence

    try:
        image = Image.open(io.BytesIO(data))
        count = getattr(image, "n_frames", 1)
        _check(page, count)
        frame = next(f for i, f in enumerate(ImageSequence.Iterator(image), start=1) if i == page)
        frame.load()
    except PageError:
        raise
    except Exception as exc:  # PIL's many errors for a file that is not an image it can read
        raise PageError(str(exc)) from None
    dpi = _number(frame.info.get("dpi")) or _number(image.info.get("dpi"))
    if not dpi or dpi < 50:
        dpi = frame.width / 8.27  # as readers/ocr.py: assume an A4-wide page
    return frame, count, float(dpi)


def _number(value: object) -> float | None:
    if isinstance(value, tuple) and value:
        value = value[0]
    try:
        return float(value) if value else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None

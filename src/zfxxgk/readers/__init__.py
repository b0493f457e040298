"""Readers: bytes in, a format-neutral Document out. One reader per input format.

The type is sniffed from the content, never from the file name. Adding a format means adding a
reader module and one entry in READERS.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..errors import ReadError
from .docx import read_docx
from .html import read_html, read_mht
from .image import read_image
from .libreoffice import read_doc, read_fodt, read_odt, read_rtf, read_wordml
from .pdf import read_pdf
from .safety import MAX_NESTING as MAX_NESTING  # the limit the CLI names in read.too_deep
from .sniff import sniff as sniff_content
from .sniff import unsupported
from .text import read_text
from .xlsx import read_xlsx

Reader = Callable[[bytes], Document]

READERS: dict[str, Reader] = {"text": read_text}
# Word, web pages and Excel (issue 3); their libraries are imported only when a file needs them.
READERS.update({"docx": read_docx, "html": read_html, "mht": read_mht, "xlsx": read_xlsx, "doc": read_doc,
                "rtf": read_rtf, "odt": read_odt, "fodt": read_fodt, "wordml": read_wordml})
# PDF (text layer, OCR for scanned pages) and scanned images (issue 4); pdf/ocr extras imported lazily.
READERS.update({"pdf": read_pdf, "png": read_image, "jpeg": read_image, "tiff": read_image})

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_NOT_BLANK = re.compile(rb"[^ \t\r\n\x00]")


def sniff(data: bytes) -> str:
    """The content kind (see readers/sniff.py); file names are never consulted."""
    return sniff_content(data)


def read_bytes(data: bytes) -> Document:
    if not _NOT_BLANK.search(data):  # a search stops at the first such byte; strip() copies the whole file
        raise ReadError("empty")
    kind = sniff(data)
    reader = READERS.get(kind)
    if reader is None:
        raise unsupported(kind)
    return reader(data)


def load(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing non-regular and oversized files before reading them."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("not_regular")
        if info.st_size > max_bytes:
            raise ReadError("too_large", size=_mb(info.st_size), limit=_mb(max_bytes))
        # O_NONBLOCK: a path swapped for a FIFO after the stat must not block the open.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ReadError("not_regular")
            # read() preallocates what it is asked for: ask for the size, not the limit.
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:  # grew since the stat: read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise ReadError("os", reason=exc.strerror or type(exc).__name__) from exc
    if len(data) > max_bytes:  # grew while we looked
        raise ReadError("too_large", size=f"> {_mb(max_bytes)}", limit=_mb(max_bytes))
    return data


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"

"""Readers: bytes in, a format-neutral Document out. One reader per input format.

The type is sniffed from the content, never from the file name. Adding a format means adding a
reader module and one entry in READERS.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..errors import ReadError
from .text import read_text

Reader = Callable[[bytes], Document]

READERS: dict[str, Reader] = {"text": read_text}

# Content kinds we can recognise but do not read yet, with what to tell the user.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip/ooxml"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2 (doc/wps/xls)"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "rar"),
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def sniff(data: bytes) -> str:
    head = data[:16]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    stripped = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    return "text"


def read_bytes(data: bytes) -> Document:
    if not data.strip(b" \t\r\n\x00"):
        raise ReadError("empty")
    kind = sniff(data)
    reader = READERS.get(kind)
    if reader is None:
        raise ReadError("unsupported", kind=kind)
    return reader(data)


def load(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing non-regular and oversized files before reading them."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("not_regular")
        if info.st_size > max_bytes:
            raise ReadError("too_large", size=_mb(info.st_size), limit=_mb(max_bytes))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError("os", reason=exc.strerror or type(exc).__name__) from exc
    if len(data) > max_bytes:  # grew while we looked
        raise ReadError("too_large", size=f"> {_mb(max_bytes)}", limit=_mb(max_bytes))
    return data


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"

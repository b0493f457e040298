"""Scanned report images (.png, .jpg, .tif): every page goes through OCR (readers/ocr.py)."""

from __future__ import annotations

from ..document import Document


def read_image(data: bytes) -> Document:
    from .ocr import read_image_bytes

    return read_image_bytes(data)

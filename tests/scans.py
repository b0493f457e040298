"""Scans made from the real PDF fixtures for the OCR tests: rendered, rotated, blurred, JPEG'd."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageFilter


def scan_pages(pdf_path: Path, pages: list[int], dpi: int, angle: float = 0.5, blur: float = 0.8) -> list[Image.Image]:
    """The given 1-based pages as a scanner would give them: at dpi, slightly rotated and blurred."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path.read_bytes())
    out = []
    for number in pages:
        image = pdf[number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
        image = image.filter(ImageFilter.GaussianBlur(blur))
        image.info["dpi"] = (dpi, dpi)
        out.append(image)
    return out


def jpeg_pdf(images: list[Image.Image], dpi: int, quality: int = 75) -> bytes:
    """Images as a PDF of JPEG pages (no text layer), as scanners save them."""
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality)
    return buf.getvalue()


def png_bytes(image: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def mixed_pdf(text_pdf: Path, scanned: dict[int, bytes]) -> bytes:
    """text_pdf with some pages replaced by the (single-page) scanned PDFs given by page number."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(text_pdf.read_bytes())
    out = pdfium.PdfDocument.new()
    for number in range(1, len(src) + 1):
        if number in scanned:
            out.import_pages(pdfium.PdfDocument(scanned[number]), [0])
        else:
            out.import_pages(src, [number - 1])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()

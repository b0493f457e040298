"""Scans made from the real PDF fixtures and from the seeds rendered as PDF (seed_pdf) for the OCR tests and
bench/bench_ocr.py: rendered, tilted, turned, laid on a landscape sheet, stamped with red seals, blurred,
JPEG'd, printed without ruling lines (VARIANTS)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def seed_pdf(seed: Path, folder: Path) -> tuple[Path, dict[str, object]]:
    """A seed report rendered as PDF (the official layout, LibreOffice), written to folder, with its cells as
    read from the PDF's text layer: what a scan of it must give."""
    from zfxxgk import parse_bytes
    from zfxxgk.outputs.compose import compose
    from zfxxgk.outputs.generate import render_bytes

    pdf = folder / f"{seed.stem[:3]}.pdf"
    pdf.write_bytes(render_bytes(compose(parse_bytes(seed.read_bytes(), seed.name)), "pdf"))
    report = parse_bytes(pdf.read_bytes(), pdf.name)
    return pdf, {cid: c.value for cid, c in report.cells.items() if c.kind != "missing"}


# Seals over table 三 of a rendered seed (it stands on page 3).
SEED_SEALS = [(3, 0.55, 0.4), (3, 0.8, 0.7)]


def scan_pages(pdf_path: Path, pages: list[int], dpi: int, angle: float = 0.5, blur: float = 0.8,
               rules: bool = True) -> list[Image.Image]:
    """The given 1-based pages as a scanner would give them: at dpi, slightly rotated and blurred (and with
    the tables' ruling lines erased when `rules` is False)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path.read_bytes())
    out = []
    for number in pages:
        image = pdf[number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
        if not rules:
            image = without_rules(image, dpi)
        # a large tilt widens the scan so that no corner of the page is cut off
        image = image.rotate(angle, resample=Image.BICUBIC, expand=abs(angle) > 1, fillcolor=(255, 255, 255))
        image = image.filter(ImageFilter.GaussianBlur(blur))
        image.info["dpi"] = (dpi, dpi)
        out.append(image)
    return out


def without_rules(image: Image.Image, dpi: int) -> Image.Image:
    """The page with its long horizontal and vertical strokes (ruling lines, over a third of an inch) made
    white: a table printed without rules."""
    import numpy as np

    gray = np.asarray(image.convert("L"))
    dark = gray < 250  # light gray rules too
    erase = np.zeros_like(dark)
    length = dpi // 3
    for axis in (0, 1):
        lines = dark if axis else dark.T
        marks = erase if axis else erase.T
        for k, row in enumerate(lines):
            edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
            for start, stop in zip(edges[::2], edges[1::2], strict=True):
                if stop - start >= length:
                    marks[k, start:stop] = True
    rgb = np.asarray(image).copy()
    rgb[erase] = 255
    return Image.fromarray(rgb)


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


def seal(image: Image.Image, cx: float, cy: float, dpi: int) -> Image.Image:
    """A round red office seal (4.2 cm, ring, star, arc of characters) stamped over (cx, cy), given as
    shares of the page: red ink multiplies the paper, so print under it stays dark."""
    r = round(2.1 / 2.54 * dpi)
    stamp = Image.new("RGB", (2 * r, 2 * r), (255, 255, 255))
    draw = ImageDraw.Draw(stamp)
    red = (214, 38, 44)
    draw.ellipse((4, 4, 2 * r - 4, 2 * r - 4), outline=red, width=max(3, r // 14))
    star = [(r + 0.32 * r * _cos(90 + 72 * k * 2), r - 0.32 * r * _sin(90 + 72 * k * 2)) for k in range(5)]
    draw.polygon(star, fill=red)
    for k in range(9):  # the office's name around the rim, as thick strokes
        a = 200 - 20 * k
        x, y = r + 0.72 * r * _cos(a), r - 0.72 * r * _sin(a)
        draw.rectangle((x - r / 12, y - r / 12, x + r / 12, y + r / 12), fill=red)
    draw.rectangle((r * 0.45, r * 1.45, r * 1.55, r * 1.55), fill=red)
    out = image.copy()
    box = (round(cx * image.width) - r, round(cy * image.height) - r)
    region = out.crop((box[0], box[1], box[0] + 2 * r, box[1] + 2 * r))
    out.paste(ImageChops.multiply(region, stamp), box)
    return out


def _cos(deg: float) -> float:
    import math

    return math.cos(math.radians(deg))


def _sin(deg: float) -> float:
    import math

    return math.sin(math.radians(deg))


def landscape(image: Image.Image) -> Image.Image:
    """The page laid on a landscape sheet of the same resolution (scaled to its height, centred)."""
    height = image.width
    width = image.height
    scaled = image.resize((round(image.width * height / image.height), height), Image.LANCZOS)
    sheet = Image.new("RGB", (width, height), (255, 255, 255))
    sheet.paste(scaled, ((width - scaled.width) // 2, 0))
    sheet.info["dpi"] = image.info.get("dpi")
    return sheet


def jpeg_again(image: Image.Image, quality: int) -> Image.Image:
    """The image after a round trip through JPEG at this quality (heavy compression artefacts)."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    out = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out.info["dpi"] = image.info.get("dpi")
    return out


# Seals over table 三 of each real fixture: (page, x share, y share).
SEALS = {"huaian-city-2024.pdf": [(4, 0.55, 0.45), (4, 0.8, 0.75), (5, 0.7, 0.3)],
         "hongze-district-2023.pdf": [(3, 0.55, 0.45), (3, 0.8, 0.7), (4, 0.7, 0.25)]}

# name: (dpi, tilt in degrees, what is done to the page image afterwards)
VARIANTS: dict[str, tuple[int, float, str]] = {
    "tilt+1": (200, 1.0, ""), "tilt-1": (200, -1.0, ""), "tilt+5": (200, 5.0, ""), "tilt-5": (200, -5.0, ""),
    "tilt+10": (200, 10.0, ""), "tilt-10": (200, -10.0, ""), "rot90": (200, 0.5, "rot90"),
    "rot180": (200, 0.5, "rot180"), "rot270": (200, 0.5, "rot270"), "landscape": (200, 0.5, "landscape"),
    "seal": (200, 0.5, "seal"), "jpeg30": (200, 0.5, "jpeg30"), "dpi150": (150, 0.5, ""), "dpi300": (300, 0.3, ""),
    "norules": (200, 0.5, "norules"),
}


def variant_pages(pdf_path: Path, pages: list[int], name: str,
                  seals: list[tuple[int, float, float]] | None = None) -> list[Image.Image]:
    """The given pages scanned as the variant `name` describes (see VARIANTS); seals default to SEALS."""
    dpi, tilt, after = VARIANTS[name]
    images = scan_pages(pdf_path, pages, dpi, angle=tilt, rules=after != "norules")
    out = []
    for number, image in zip(pages, images, strict=True):
        if after == "seal":
            for page, x, y in SEALS.get(pdf_path.name, []) if seals is None else seals:
                if page == number:
                    image = seal(image, x, y, dpi)
        elif after.startswith("rot"):
            image = image.rotate(int(after[3:]), expand=True)
        elif after == "landscape":
            image = landscape(image)
        elif after == "jpeg30":
            image = jpeg_again(image, 30)
        image.info["dpi"] = (dpi, dpi)
        out.append(image)
    return out

"""Crafted hostile and broken files for tests/test_hostile*.py and tests/test_fuzz.py, made in memory.

Nothing here is stored as a binary: every file is built from a few lines of code.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .conftest import SEEDS, seed


def seed_text(number: str = "000") -> str:
    return seed(number).read_text("utf-8")


def make_pdf(pages: list[tuple[float, float, bytes]], count: int | None = None) -> bytes:
    """A PDF whose pages draw the given content streams in Helvetica; `count` can lie about /Count."""
    objects: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b""]
    pages_id, kids = 2, []
    for width, height, content in pages:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << /Font << /F1 1 0 R >> >> "
                       b"/Contents %d 0 R >>" % (width, height, len(objects)))
        kids.append(len(objects))
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids) if count is None else count)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(objects), xref)
    return bytes(out)


def text_pdf(lines: list[str], size: float = 10) -> bytes:
    """One A4 page of ASCII lines (a text layer)."""
    content = b"".join(b"BT /F1 %g Tf 50 %g Td (%s) Tj ET\n" % (size, 800 - i * size * 1.4, line.encode("latin-1"))
                       for i, line in enumerate(lines))
    return make_pdf([(595, 842, content)])


def numeric_lines_pdf(n: int = 20_000) -> bytes:
    """Item 4: one tall page of n short numeric lines (segmenting used to rescan every glyph per line)."""
    content = b"".join(b"BT /F1 0.6 Tf %d %.1f Td (%d %d) Tj ET\n" % (50 + (i % 3) * 20, 14300 - i * 0.7, i % 97, i % 13)
                       for i in range(n))
    return make_pdf([(595, 14400, content)])


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(r) for r in table))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, edit: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    """The OOXML package with some parts replaced (None removes one) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in edit:
                if edit[info.filename] is not None:
                    target.writestr(info.filename, edit[info.filename])  # type: ignore[arg-type]
                continue
            target.writestr(info, source.read(info))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def docx_with_sym(char: str = "D83D") -> bytes:
    """A .docx whose paragraph holds `<w:sym w:char="D83D"/>`: a lone surrogate in the text."""
    data = docx_bytes(["政府信息公开工作年度报告", "PLACEHOLDER"])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    xml = xml.replace(b"<w:t>PLACEHOLDER</w:t>", b'<w:sym w:font="Segoe UI Emoji" w:char="%s"/>' % char.encode())
    return rezip(data, {"word/document.xml": xml})


def xlsx_bytes(cells: dict[str, object], merge: str | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if merge:
        name = "xl/worksheets/sheet1.xml"
        xml = zipfile.ZipFile(io.BytesIO(data)).read(name)
        xml = xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="%s"/></mergeCells>'
                          % merge.encode())
        data = rezip(data, {name: xml})
    return data


def png_bytes(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, "PNG")
    return buffer.getvalue()


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))

"""A generated report as PDF: the generated .docx converted by LibreOffice headless.

The conversion goes through readers/libreoffice.convert_files (private profile, timeout, process
group killed on timeout), so there is one place that starts LibreOffice.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..readers.libreoffice import convert_files
from .compose import Composed
from .render_docx import render_docx


def docx_to_pdf(docx: bytes, timeout: float | None = None) -> bytes:
    """Convert .docx bytes to PDF bytes; raises errors.ReadError when LibreOffice is absent or fails."""
    with tempfile.TemporaryDirectory(prefix="zfxxgk-render-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        (out,) = convert_files([source], "pdf", Path(tmp) / "out", timeout=timeout, kind="docx")
        if out is None:
            raise RuntimeError("LibreOffice produced no PDF")
        return out.read_bytes()


def render_pdf(doc: Composed, timeout: float | None = None) -> bytes:
    return docx_to_pdf(render_docx(doc), timeout)

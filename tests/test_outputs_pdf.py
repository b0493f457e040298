"""The generated .docx opens in LibreOffice and converts to PDF; its table pages render to PNG."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.render_docx import render_docx
from zfxxgk.outputs.render_pdf import docx_to_pdf
from zfxxgk.pipeline import parse_file

from .conftest import ROOT, SEEDS

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) or not shutil.which("pdftoppm"),
    reason="needs LibreOffice (libreoffice-writer-nogui) and pdftoppm (poppler-utils)")


def test_docx_converts_to_pdf_and_renders_table_pages(tmp_path: Path) -> None:
    doc = compose(parse_file(SEEDS / "001_61225cc98c41ed80.txt"))
    docx = render_docx(doc)
    pdf = docx_to_pdf(docx)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    # for this seed all of 表三 stands on one page (the header rows repeat when a table crosses pages)
    table3 = next(i for i, p in enumerate(pages, start=1) if "一、本年新收" in p and "结转下年度继续办理" in p)
    assert "四、政府信息公开行政复议、行政诉讼情况" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", str(table3), "-l", str(table3), str(path),
                    str(ARTIFACTS / "render-table3")], check=True)
    images = sorted(ARTIFACTS.glob("render-table3*.png"))
    assert images and images[-1].stat().st_size > 10_000
    assert images[-1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

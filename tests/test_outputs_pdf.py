"""The generated .docx opens in LibreOffice and converts to PDF; its table pages render to PNG."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.render_docx import render_docx
from zfxxgk.outputs.render_pdf import docx_to_pdf
from zfxxgk.pipeline import parse_file

from .conftest import ROOT, SEEDS, need_tool

ARTIFACTS = ROOT / "test-artifacts"


def _pdf_lines(pdf: bytes) -> list[str]:
    """The text lines of every page, as PDFium extracts them."""
    document = pdfium.PdfDocument(pdf)
    lines = []
    for i in range(len(document)):
        lines += document[i].get_textpage().get_text_range().splitlines()
    return lines


@pytest.mark.libreoffice
def test_docx_converts_to_pdf_and_renders_table_pages(tmp_path: Path) -> None:
    pdftotext, pdftoppm = need_tool("pdftotext"), need_tool("pdftoppm")
    doc = compose(parse_file(SEEDS / "001_61225cc98c41ed80.txt"))
    docx = render_docx(doc)
    pdf = docx_to_pdf(docx)
    assert pdf.startswith(b"%PDF")
    # the content, not only the header: title, table rows with their values (seed 001 buys 1 project for 2.3873 万元)
    lines = _pdf_lines(pdf)
    assert "".join(lines[:2]) == "平等乡人民政府 2020 年政府信息公开工作年度报告"
    for row in ("规章 0 0 0", "行政许可 0 0 0", "政府集中采购 1 2.3873 万元", "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0",
                "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0"):
        assert row in lines, row
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    # for this seed all of 表三 stands on one page (the header rows repeat when a table crosses pages)
    table3 = next(i for i, p in enumerate(pages, start=1) if "一、本年新收" in p and "结转下年度继续办理" in p)
    assert "四、政府信息公开行政复议、行政诉讼情况" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run([pdftoppm, "-r", "110", "-png", "-f", str(table3), "-l", str(table3), str(path),
                    str(ARTIFACTS / "render-table3")], check=True)
    images = sorted(ARTIFACTS.glob("render-table3*.png"))
    assert images and images[-1].stat().st_size > 10_000
    assert images[-1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(images[-1]) as image:  # an A4 page at 110 dpi with the ink of a table on it
        assert image.size == (910, 1287)
        gray = image.convert("L").histogram()
        assert sum(gray[:128]) > 0.02 * image.size[0] * image.size[1]

"""Scanned reports (readers/ocr.py, readers/image.py): scans made from both real PDFs at 150 and
200 dpi, rotated 0.5°, blurred and saved as JPEG-in-PDF and as PNG; a PDF mixing text pages with
scanned table pages; OCR confidence and the VAL-LOW-CONFIDENCE rule; routing and missing-OCR messages.

Only table pages are OCR'd (12 pages in all, about 15 s each on a small CI machine).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from zfxxgk.document import Document, Paragraph, Source, Table, TableCell
from zfxxgk.errors import ReadError
from zfxxgk.options import Options
from zfxxgk.pipeline import build_report
from zfxxgk.readers import read_bytes
from zfxxgk.readers.pagegeom import Glyph
from zfxxgk.readers.pdf import PageText, route_for
from zfxxgk.report import Report
from zfxxgk.rules import run_checks

from .pdf_truth import HONGZE, HONGZE_CELLS, HUAIAN, HUAIAN_CELLS

# Tests marked ocr run text recognition (rapidocr, onnxruntime): tests/conftest.py fails them with
# what to install when the extra is missing. Each scan is rendered and recognised once per module.


def _checked(doc: Document) -> Report:
    report = build_report(doc, "scan")
    run_checks(report)
    return report


def _assert_accuracy(report: Report, truth: dict) -> None:  # type: ignore[type-arg]
    """≥ 99 % of cells right, and every wrong cell flagged as low confidence (and reported)."""
    wrong = [cid for cid, value in truth.items() if report.cells[cid].value != value]
    assert len(wrong) <= 0.01 * len(truth), wrong
    flagged = {cid for f in report.findings if f.code == "VAL-LOW-CONFIDENCE" for cid in f.cells}
    for cid in wrong:
        cell = report.cells[cid]
        assert cell.confidence is not None and cell.confidence < Options().low_confidence, (cid, cell)
        assert cid in flagged


def _read(pages: dict[str, list[int]]) -> dict[str, list[int]]:
    """How pages were read, less `prose_unread` (OCR pages whose full-width prose lines were not
    recognised: a subset of the OCR pages, checked here)."""
    assert set(pages.get("prose_unread", [])) <= set(pages.get("ocr", []))
    return {k: v for k, v in pages.items() if k != "prose_unread"}


def _png_document(pngs: list[bytes]) -> Document:
    """Several PNG scans (one page each) read as one report: each file through the image reader."""
    from PIL import Image

    from zfxxgk.readers.ocr import read_page
    from zfxxgk.readers.pdf import assemble

    layouts = []
    for number, data in enumerate(pngs, start=1):
        image = Image.open(io.BytesIO(data))
        layouts.append(read_page(image, number, float(image.info["dpi"][0])))
    return Document(assemble(layouts), "image", {"pages": {"ocr": list(range(1, len(pngs) + 1))}})


@pytest.fixture(scope="module")
def huaian_mixed_150() -> Report:
    """淮安 with its table pages (3-5) replaced by 150-dpi JPEG scans: text and OCR page by page."""
    from .scans import jpeg_pdf, mixed_pdf, scan_pages

    pages = scan_pages(HUAIAN, [3, 4, 5], 150)
    data = mixed_pdf(HUAIAN, {n: jpeg_pdf([img], 150) for n, img in zip([3, 4, 5], pages, strict=True)})
    return _checked(read_bytes(data))


@pytest.fixture(scope="module")
def hongze_scans_200() -> list[Image.Image]:
    """洪泽's table pages (2-4) scanned at 200 dpi, rendered once for the tests below (none changes them)."""
    from .scans import scan_pages

    return scan_pages(HONGZE, [2, 3, 4], 200)


@pytest.fixture(scope="module")
def hongze_jpeg_200(hongze_scans_200: list[Image.Image]) -> Report:
    from .scans import jpeg_pdf

    return _checked(read_bytes(jpeg_pdf(hongze_scans_200, 200)))


@pytest.fixture(scope="module")
def huaian_png_200() -> Report:
    from .scans import png_bytes, scan_pages

    return _checked(_png_document([png_bytes(img, 200) for img in scan_pages(HUAIAN, [3, 4, 5], 200)]))


@pytest.fixture(scope="module")
def hongze_png_150() -> Report:
    from .scans import png_bytes, scan_pages

    return _checked(_png_document([png_bytes(img, 150) for img in scan_pages(HONGZE, [2, 3, 4], 150)]))


@pytest.mark.ocr
def test_mixed_pdf_is_read_page_by_page(huaian_mixed_150: Report) -> None:
    r = huaian_mixed_150
    assert _read(r.pages) == {"text": [1, 2, 6], "ocr": [3, 4, 5]}
    assert _read(r.to_dict()["pages"]) == {"text": [1, 2, 6], "ocr": [3, 4, 5]}
    assert (r.version, r.body, r.year) == ("2021", "淮安市人民政府", 2024)  # from the text pages
    assert r.cells["t3.new_received.total"].source.page == 4
    assert r.cells["t3.new_received.total"].confidence is not None  # read by OCR
    assert "confidence" in r.cells["t3.new_received.total"].to_dict()
    _assert_accuracy(r, HUAIAN_CELLS)
    assert [f.code for f in r.findings if f.code.startswith(("APP-", "LIT-"))] == []


@pytest.mark.ocr
def test_scanned_pdf_200dpi(hongze_jpeg_200: Report) -> None:
    r = hongze_jpeg_200
    assert r.format == "pdf" and _read(r.pages) == {"ocr": [1, 2, 3]}
    _assert_accuracy(r, HONGZE_CELLS)
    # the report's own arithmetic error is read as printed, never repaired
    assert r.cells["t4.review.total"].value == 0
    assert sorted(f.message() for f in r.findings if f.code == "LIT-SUM") == [
        "行政复议：结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 11，但总计为 0",
        "行政诉讼（复议后起诉）：结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 5，但总计为 0",
    ]
    assert r.tables["t3"].version == "2019"


@pytest.mark.ocr
def test_png_scans_200dpi(huaian_png_200: Report) -> None:
    _assert_accuracy(huaian_png_200, HUAIAN_CELLS)


@pytest.mark.ocr
def test_png_scans_150dpi(hongze_png_150: Report) -> None:
    _assert_accuracy(hongze_png_150, HONGZE_CELLS)


@pytest.mark.ocr
def test_png_file_through_the_reader(hongze_scans_200: list[Image.Image]) -> None:
    from .scans import png_bytes

    data = png_bytes(hongze_scans_200[2], 200)  # page 4
    doc = read_bytes(data)
    assert doc.format == "image" and _read(doc.meta["pages"]) == {"ocr": [1]}
    t4 = next(t for t in doc.tables if any(c.text == "复议后起诉" for row in t.rows for c in row))
    assert [c.text for c in t4.rows[-1]] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    assert all(c.confidence is not None for row in t4.rows for c in row)


# ------------------------------------------------------------------------- without OCR models
def test_scan_without_ocr_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.readers import ocr

    from .scans import jpeg_pdf, scan_pages

    monkeypatch.setattr(ocr, "available", lambda: False)
    data = jpeg_pdf(scan_pages(HONGZE, [4], 72), 72)
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert info.value.message("zh") == ("PDF没有文字层，需要文字识别（OCR）：请安装 pip install 'zfxxgk[ocr]'"
                                        "（rapidocr、onnxruntime）")
    assert "pip install 'zfxxgk[ocr]'" in info.value.message("en")


def test_mixed_pdf_without_ocr_keeps_the_text_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.readers import ocr

    from .scans import jpeg_pdf, mixed_pdf, scan_pages

    monkeypatch.setattr(ocr, "available", lambda: False)
    data = mixed_pdf(HUAIAN, {4: jpeg_pdf(scan_pages(HUAIAN, [4], 72), 72)})
    doc = read_bytes(data)
    assert doc.meta["pages"] == {"text": [1, 2, 3, 5, 6], "unread": [4]}


# ------------------------------------------------------------------------------ routing
def _page(text: str, images: int = 0) -> PageText:
    glyphs = [Glyph(ch, i, 0, i + 1, 1) for i, ch in enumerate(text)]
    suspicious = sum(1 for ch in text if 0x2F00 <= ord(ch) <= 0x2FDF or ch == "\ufffd")
    return PageText(1, 595, 842, glyphs, suspicious, images, 0)


@pytest.mark.parametrize(("text", "images", "route"), [
    ("本报告由淮安市人民政府办公室根据条例规定编制。报告所列统计期限自2024年1月1日", 0, "text"),
    ("", 1, "ocr"),  # a scanned page: an image and no text
    ("", 0, "empty"),
    ("本报告由淮安市⼈民政府办公室根据条例规定编制。⾏政许可⼀⼆三⼋⼗⼋⼋⼋", 1, "ocr"),  # Kangxi radicals
    ("本报告由淮安市人民政府办公室根据条例规定编制 (cid:12)(cid:13)(cid:14)(cid:15)(cid:16)", 0, "ocr"),
    ("本报告由淮安市人民政府办公室\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd根据条例规定编制", 0, "ocr"),
    ("本报告由淮安市人民政府办公室根据条例规定编制⼈", 0, "text"),  # one odd character is not garbled
])
def test_page_routing(text: str, images: int, route: str) -> None:
    assert route_for(_page(text, images)) == route


# ---------------------------------------------------------------- confidence and its rule
def test_number_cell_confusions_are_mapped_and_capped() -> None:
    from zfxxgk.readers.ocr import MAPPED_CONFIDENCE, _number_cell

    assert _number_cell("1O5", 0.99) == ("105", MAPPED_CONFIDENCE)
    assert _number_cell("l2", 0.99) == ("12", MAPPED_CONFIDENCE)
    assert _number_cell("O", 0.99) == ("0", MAPPED_CONFIDENCE)
    assert _number_cell("3 119", 0.99) == ("3119", 0.99)
    assert _number_cell("一", 0.99) == ("一", 0.99)  # a dash or a one: left alone (unreadable, reported)
    assert _number_cell("行政许可", 0.97) == ("行政许可", 0.97)


def test_low_confidence_cells_are_reported_never_silently_accepted() -> None:
    def row(r: int, label: str, values: list[tuple[str, float]]) -> list[TableCell]:
        cells = [TableCell(label, r, 0, Source(page=1, row=r + 1, col=1))]
        for k, (text, conf) in enumerate(values, start=1):
            cells.append(TableCell(text, r, k, Source(page=1, row=r + 1, col=k + 1), confidence=conf))
        return cells

    table = Table([row(0, "行政许可", [("12", 0.99)]), row(1, "行政处罚", [("7", 0.72)]),
                   row(2, "行政强制", [("8", 0.31)])], Source(page=1), 1)
    doc = Document([Paragraph("二、主动公开政府信息情况", Source(page=1, line=1)), table], "image")
    report = _checked(doc)
    assert report.cells["t2.licensing.decisions"].value == 12
    assert report.cells["t2.punishment.decisions"].value == 7  # used, but reported
    assert report.cells["t2.coercion.decisions"].value is None  # below the floor: unreadable
    assert report.cells["t2.coercion.decisions"].kind == "unreadable"
    low = {f.cells[0]: f.message() for f in report.findings if f.code == "VAL-LOW-CONFIDENCE"}
    assert low == {
        "t2.punishment.decisions": "“行政处罚·本年处理决定数量”经文字识别读作“7”，置信度 0.72（低于 0.90）：数值照常使用，请人工核对原件",
        "t2.coercion.decisions": "“行政强制·本年处理决定数量”经文字识别读作“8”，置信度 0.31（低于 0.90）：该值未采用，请人工核对原件",
    }
    assert "t2.coercion.decisions" in {c for f in report.findings if f.code == "VAL-UNREADABLE" for c in f.cells}
    assert report.cells["t2.punishment.decisions"].to_dict()["confidence"] == 0.72
    assert "confidence" not in report.cells["t2.fees.amount"].to_dict()


@pytest.mark.ocr
@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_jpeg_and_multiframe_tiff_scans(fmt: str, hongze_scans_200: list[Image.Image]) -> None:
    """A cut-out of table 四 (洪泽区) as a JPEG, and as a two-frame TIFF (both frames are read)."""
    page = hongze_scans_200[2]  # page 4
    crop = page.crop((150, 820, page.width - 150, 1345))  # title of section 四 and its table
    buf = io.BytesIO()
    if fmt == "TIFF":
        crop.save(buf, "TIFF", save_all=True, append_images=[crop], dpi=(200, 200))
    else:
        crop.save(buf, "JPEG", quality=80, dpi=(200, 200))
    doc = read_bytes(buf.getvalue())
    assert doc.format == "image"
    assert _read(doc.meta["pages"]) == {"ocr": [1, 2] if fmt == "TIFF" else [1]}
    rows = [[c.text for c in t.rows[-1]] for t in doc.tables]
    assert ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"] in rows


# ------------------------------------------------------------- labels OCR damaged (extract.py: _Index._damaged)
@pytest.mark.parametrize(("table", "text", "row"), [
    ("t3", "()总计", "（七）总计"),  # the numbering printed but unread: the row, never the 总计 column header
    ("t3", "（）总计", "（七）总计"),
    ("t2", "行政处", "行政处罚"),  # the last character lost, and no other row starts so
    ("t2", "行政许", "行政许可"),
    ("t3", "总计", None),  # the header
    ("t2", "行政", None),  # too short: 行政处罚, 行政强制, 行政许可 …
    ("t2", "行政处理", None),  # not 行政处罚: a character changed, not lost
])
def test_a_label_ocr_damaged_is_matched_only_where_it_cannot_be_another_row(table: str, text: str,
                                                                            row: str | None) -> None:
    from zfxxgk.extract import _INDEXES

    label = _INDEXES[("2021", table)].classify(text)
    assert (label.row.label if label is not None and label.kind == "row" and label.row else None) == row


def test_a_row_whose_label_lost_its_numbering_is_read() -> None:
    """Seed 002 tilted 5°: 表三's `（七）总计` read `()总计` and its seven cells were left unread."""
    doc = _t3_document("()总计")
    report = build_report(doc, "scan")
    assert [report.cells[f"t3.total.{c}"].value for c in ("natural_person", "commercial", "total")] == [3, 0, 3]


def _t3_document(total_label: str) -> Document:
    """A 表三 with its 新收 and 总计 rows only, as OCR gives it (confidence on every cell)."""
    heads = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    rows = [heads, ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"],
            ["（一）予以公开", "3", "0", "0", "0", "0", "0", "3"],
            [total_label, "3", "0", "0", "0", "0", "0", "3"]]
    cells = [[TableCell(text, r, c, Source(page=1, table=1, row=r + 1, col=c + 1), confidence=0.95)
              for c, text in enumerate(row)] for r, row in enumerate(rows)]
    return Document([Paragraph("三、收到和处理政府信息公开申请情况", Source(page=1, line=1)), Table(cells, Source(page=1, table=1), 1)],
                    "pdf", {"pages": {"ocr": [1]}})

"""PDF reports with a text layer (readers/pdf.py): every cell of the two real fixtures, tables that
cross pages, page numbers, the mixed-format 洪泽区 report, tables without ruling lines, and files
that cannot be read (encrypted, truncated, no pages, too many pages)."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2 as pdfium
import pytest

from zfxxgk.document import Document, Paragraph, Table
from zfxxgk.errors import ReadError
from zfxxgk.pipeline import check_file
from zfxxgk.readers import pdf as pdf_reader
from zfxxgk.readers import read_bytes
from zfxxgk.rules import catalogue

from .conftest import hang_guard
from .pdf_truth import HONGZE, HONGZE_CELLS, HUAIAN, HUAIAN_CELLS

# The arithmetic rules (rules.md): 表三 applications, 表四 review and litigation, 表二 active disclosure.
ARITHMETIC = ("APP-", "LIT-", "ACT-")


def test_arithmetic_prefixes_name_real_rules() -> None:
    """Each prefix matches catalogue codes, so the "no arithmetic finding" checks below can fail."""
    assert all(any(code.startswith(prefix) for code in catalogue()) for prefix in ARITHMETIC)


@pytest.fixture(scope="module")
def huaian_doc() -> Document:
    """The 淮安 PDF read once for the tests that only look at the Document (none changes it)."""
    return read_bytes(HUAIAN.read_bytes())


@pytest.fixture(scope="module")
def hongze_doc() -> Document:
    return read_bytes(HONGZE.read_bytes())


@pytest.fixture(scope="module")
def huaian():  # type: ignore[no-untyped-def]
    return check_file(HUAIAN)


@pytest.fixture(scope="module")
def hongze():  # type: ignore[no-untyped-def]
    return check_file(HONGZE)


# ------------------------------------------------------------------------------ 淮安市 2024
def test_huaian_every_cell(huaian) -> None:  # type: ignore[no-untyped-def]
    assert huaian.error is None
    assert set(huaian.cells) == set(HUAIAN_CELLS)
    wrong = {cid: (huaian.cells[cid].value, v) for cid, v in HUAIAN_CELLS.items() if huaian.cells[cid].value != v}
    assert wrong == {}
    assert all(c.kind == "number" and c.confidence is None for c in huaian.cells.values())


def test_huaian_metadata_and_no_arithmetic_finding(huaian) -> None:  # type: ignore[no-untyped-def]
    assert (huaian.format, huaian.version, huaian.body, huaian.year) == ("pdf", "2021", "淮安市人民政府", 2024)
    assert huaian.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert [f.code for f in huaian.findings if f.code.startswith(ARITHMETIC)] == []
    assert [f.code for f in huaian.findings if f.severity == "error"] == []
    assert huaian.pages == {"text": [1, 2, 3, 4, 5, 6]}
    assert huaian.to_dict()["pages"] == {"text": [1, 2, 3, 4, 5, 6]}


def test_huaian_sources_point_at_the_printed_cell(huaian) -> None:  # type: ignore[no-untyped-def]
    # t3 starts on page 4 and continues on page 5 (one stitched table)
    src = huaian.cells["t3.new_received.total"].source
    assert (src.page, src.table) == (4, 2)
    assert huaian.cells["t3.unable.needs_creation.natural_person"].source.page == 5
    assert huaian.cells["t3.unable.needs_creation.natural_person"].source.table == 2
    assert huaian.cells["t4.review.total"].source.page == 5
    assert huaian.cells["t2.fees.amount"].source.page == 4


def test_huaian_table_three_is_stitched_across_the_page_break(huaian_doc: Document) -> None:
    tables = huaian_doc.tables
    assert [t.source.page for t in tables] == [3, 4, 5]  # 二 (pages 3-4), 三 (pages 4-5), 四
    t3 = tables[1]
    cells = {c.text: c for row in t3.rows for c in row}
    # the label cut by the page break is one cell again, spanning its three rows
    cut = cells["（四）无\n法提供"]
    assert (cut.rowspan, cut.source.page) == (3, 4)
    assert "法提供" not in cells
    assert cells["三、\n本\n年\n度\n办\n理\n结\n果"].rowspan == 22
    # table 二 continues on page 4 without a header: one table
    t2_pages = {c.source.page for row in tables[0].rows for c in row}
    assert t2_pages == {3, 4}
    # no cell is repeated under a span: the grid is covered exactly once
    covered: set[tuple[int, int]] = set()
    for row in t3.rows:
        for c in row:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    assert (r, k) not in covered
                    covered.add((r, k))


def test_page_numbers_are_dropped(huaian_doc: Document) -> None:
    texts = [b.text for b in huaian_doc.blocks if isinstance(b, Paragraph)]
    texts += [c.text for t in huaian_doc.tables for row in t.rows for c in row]
    assert not any(t.strip() in {"- 1 -", "- 2 -", "- 3 -", "- 4 -", "- 5 -", "- 6 -"} for t in texts)
    assert not any("- 4 -" in t for t in texts)


def test_wrapped_paragraphs_are_joined_across_lines_and_pages(huaian_doc: Document) -> None:
    texts = [b.text for b in huaian_doc.paragraphs]
    assert "报告所列统计期限自2024年1月1日至2024年12月31日。" in texts[1]
    # the paragraph of section 五 continues on page 6
    five = next(t for t in texts if t.startswith("对照上级新要求"))
    assert "个别单位存在人员配备不足、兼职多、流动性过快的问题。" in five


# ------------------------------------------------------------------------------ 洪泽区 2023
def test_hongze_every_cell(hongze) -> None:  # type: ignore[no-untyped-def]
    assert hongze.error is None
    assert set(hongze.cells) == set(HONGZE_CELLS)
    wrong = {cid: (hongze.cells[cid].value, v) for cid, v in HONGZE_CELLS.items() if hongze.cells[cid].value != v}
    assert wrong == {}
    assert "t3.other.natural_person" in hongze.cells and "t3.other.no_correction.natural_person" not in hongze.cells


def test_hongze_mixed_format_is_reported(hongze) -> None:  # type: ignore[no-untyped-def]
    assert (hongze.version, hongze.year, hongze.body) == ("2021", 2023, "洪泽区人民政府")
    assert hongze.tables["t2"].version == "2021" and hongze.tables["t3"].version == "2019"
    (fmt,) = [f for f in hongze.findings if f.code == "FMT-VERSION"]
    assert fmt.message() == "表格混用两种格式：表二（主动公开）为2021年格式，表三（依申请公开）为2019年格式"


def test_hongze_table_four_error_survives_extraction(hongze) -> None:  # type: ignore[no-untyped-def]
    """The printed totals are 0 while their parts are not: reported, never repaired."""
    assert hongze.cells["t4.review.total"].value == 0
    assert hongze.cells["t4.litigation_after_review.total"].value == 0
    messages = sorted(f.message() for f in hongze.findings if f.code == "LIT-SUM")
    assert messages == [
        "行政复议：结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 11，但总计为 0",
        "行政诉讼（复议后起诉）：结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 5，但总计为 0",
    ]


def test_hongze_label_typo_and_vertical_label(hongze, hongze_doc: Document) -> None:  # type: ignore[no-untyped-def]
    variants = [f.message() for f in hongze.findings if f.code == "FMT-LABEL-VARIANT"]
    assert variants == ["“2.其他法律行政止公开”与官方文字“2.其他法律行政法规禁止公开”不同"]
    t3 = hongze_doc.tables[1]
    # vertical text (三、本年度办理结果) stays in its own merged cell
    assert t3.rows[5][0].text.replace("\n", "") == "三、本年度办理结果" and t3.rows[5][0].rowspan == 20


# ------------------------------------------------------------------ tables without rulings
def _without_rulings(path) -> bytes:  # type: ignore[no-untyped-def]
    pdf = pdfium.PdfDocument(path.read_bytes())
    for i in range(len(pdf)):
        page = pdf[i]
        for obj in [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_PATH]:
            page.remove_obj(obj)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_tables_without_ruling_lines_use_word_positions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "norules.pdf"
    path.write_bytes(_without_rulings(HUAIAN))
    report = check_file(path)
    wrong = {cid: (report.cells[cid].value, v) for cid, v in HUAIAN_CELLS.items() if report.cells[cid].value != v}
    assert wrong == {}


# ------------------------------------------------------------------------ unreadable PDFs
def _minimal_pdf(trailer: bytes = b"") -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref))
    return out.getvalue()


ENCRYPT = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> /P -4 >> "
           b"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")


@pytest.mark.parametrize(("data", "zh", "en"), [
    (_minimal_pdf(ENCRYPT), "文件有密码保护（已加密），请先解除密码后再检查", "password-protected"),
    (HUAIAN.read_bytes()[:60000], "PDF 文件不完整（文件末尾缺少 %%EOF 结束标记），可能下载中断，请重新获取完整文件",
     "the PDF is incomplete"),
    (_minimal_pdf(), "PDF 文件没有任何页面", "the PDF has no pages"),
    (b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", "文件已损坏或不完整，无法作为 PDF 打开", "damaged or incomplete"),
], ids=["encrypted", "truncated", "zero-pages", "garbage"])
def test_unreadable_pdfs_get_clear_messages(tmp_path, data: bytes, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert info.value.message("zh") == zh
    assert en in info.value.message("en")
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    report = check_file(path)
    assert report.error is not None and report.error.message() == zh and report.cells == {}


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Count the calls of owner.name (a list holding one number), calling through."""
    calls = [0]
    real = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.readers import ocr

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("no page of a text PDF may go to OCR")

    monkeypatch.setattr(ocr, "read_page", never)


def test_five_hundred_pages_are_refused_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused from the page count alone: not one page is read (timings: bench/bench_bad_input.py)."""
    pdf = pdfium.PdfDocument.new()
    for _ in range(500):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pages_read = _count_calls(monkeypatch, pdf_reader, "_page_text")
    with hang_guard(), pytest.raises(ReadError) as info:
        read_bytes(out.getvalue())
    assert pages_read == [0]
    assert info.value.message("zh") == "PDF 共 500 页，超过上限 300 页：年度报告不会这么长，已拒绝（可拆分后再检查）"


def test_many_blank_pages_within_the_limit_are_read_in_bounded_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page is looked at once, none goes to OCR or to pdfplumber (timings: bench/bench_bad_input.py)."""
    pdf = pdfium.PdfDocument.new()
    for _ in range(300):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pages_read = _count_calls(monkeypatch, pdf_reader, "_page_text")
    plumbed = _count_calls(monkeypatch, pdfplumber, "open")
    _no_ocr(monkeypatch)
    with hang_guard():
        doc = read_bytes(out.getvalue())
    assert pages_read == [300] and plumbed == [0]
    assert doc.blocks == [] and doc.meta["pages"] == {"empty": list(range(1, 301))}


def test_text_pdf_is_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeps a text PDF fast (target 0.5 s, measured by bench/bench_pdf.py): each page's text is
    taken once, the ruling lines come from PDFium (pdfplumber never parses the file), no OCR."""
    pages_read = _count_calls(monkeypatch, pdf_reader, "_page_text")
    plumbed = _count_calls(monkeypatch, pdfplumber, "open")
    _no_ocr(monkeypatch)
    with hang_guard():
        doc = read_bytes(HUAIAN.read_bytes())
    assert (pages_read, plumbed) == ([6], [0])
    assert doc.meta["pages"] == {"text": [1, 2, 3, 4, 5, 6]}


def test_tables_are_tables(hongze_doc: Document) -> None:
    assert all(isinstance(t, Table) for t in hongze_doc.tables)
    assert [len(t.rows) for t in hongze_doc.tables] == [15, 26, 4]

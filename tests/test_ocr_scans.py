"""Scans as offices make them (tests/scans.py VARIANTS), a representative subset: tilted 10°, turned
90°, red seals stamped over table 三, JPEG quality 30; `python bench/bench_ocr.py --variants` runs
the whole matrix (±1°, ±5°, ±10°, 90°/180°/270°, landscape, seals, JPEG 30, 150 and 300 dpi, no rules).
Each scan is read once per module (three table pages, a few seconds each)."""

from __future__ import annotations

import numpy as np
import pytest

from zfxxgk.options import Options
from zfxxgk.readers import read_bytes
from zfxxgk.readers.ocr import _needed, _split_numbers, find_grids, join_stems, orientation, without_seals
from zfxxgk.readers.pagegeom import Glyph
from zfxxgk.report import Cell, Report, ReportDataError

from .conftest import seed
from .pdf_truth import HONGZE, HONGZE_CELLS, HUAIAN, HUAIAN_CELLS
from .scans import SEALS, VARIANTS, jpeg_pdf, seed_pdf, variant_pages
from .test_ocr import _assert_accuracy, _checked


def _scan(path: object, pages: list[int], variant: str, dpi: int = 200) -> Report:
    return _checked(read_bytes(jpeg_pdf(variant_pages(path, pages, variant), dpi)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def huaian_tilt10() -> Report:
    return _scan(HUAIAN, [3, 4, 5], "tilt-10")


@pytest.fixture(scope="module")
def hongze_rot90() -> Report:
    return _scan(HONGZE, [2, 3, 4], "rot90")


@pytest.fixture(scope="module")
def huaian_seal() -> Report:
    return _scan(HUAIAN, [3, 4, 5], "seal")


@pytest.fixture(scope="module")
def hongze_jpeg30() -> Report:
    return _scan(HONGZE, [2, 3, 4], "jpeg30")


@pytest.mark.ocr
def test_tilted_10_degrees(huaian_tilt10: Report) -> None:
    _assert_accuracy(huaian_tilt10, HUAIAN_CELLS)


@pytest.mark.ocr
def test_page_scanned_sideways(hongze_rot90: Report) -> None:
    assert hongze_rot90.pages["ocr"] == [1, 2, 3]
    _assert_accuracy(hongze_rot90, HONGZE_CELLS)


@pytest.mark.ocr
def test_jpeg_quality_30(hongze_jpeg30: Report) -> None:
    _assert_accuracy(hongze_jpeg30, HONGZE_CELLS)


@pytest.mark.ocr
def test_seal_over_cells_does_not_change_their_values(huaian_seal: Report) -> None:
    """The cells of 表三 under the three seals read as printed; the two the seal's rim crosses a
    digit of are reported (low confidence or unread), never taken silently."""
    _assert_accuracy(huaian_seal, HUAIAN_CELLS)
    a4 = (595.3, 841.9)
    radius = 2.1 / 2.54 * 72
    under = []
    for cid, cell in huaian_seal.cells.items():
        if cell.box is None:
            continue
        page, x0, top, x1, bottom = cell.box
        for seal_page, sx, sy in SEALS[HUAIAN.name]:
            cx, cy = sx * a4[0], sy * a4[1]
            if page == seal_page - 2 and (max(x0, min(cx, x1)) - cx) ** 2 + (max(top, min(cy, bottom)) - cy) ** 2 < radius**2:
                under.append(cid)
    assert len(under) >= 15, under
    changed = [c for c in under if huaian_seal.cells[c].value != HUAIAN_CELLS[c]]
    assert len(changed) <= 2, changed
    low = Options().low_confidence
    assert [c for c in changed if (huaian_seal.cells[c].confidence or 0) >= low] == []


@pytest.mark.ocr
def test_ocr_cells_keep_their_box_in_the_record(huaian_tilt10: Report) -> None:
    cell = huaian_tilt10.cells["t3.new_received.total"]
    box = cell.to_dict()["box"]
    assert box["page"] == cell.source.page == 2 and box["x0"] < box["x1"] and box["top"] < box["bottom"]  # type: ignore[union-attr]
    assert Cell.from_dict(cell.id, cell.to_dict()) == cell


@pytest.mark.slow
@pytest.mark.ocr
def test_table_printed_without_rules_is_read_from_text_positions() -> None:
    """淮安's tables with every ruling line erased: no grid is found, so the tables come from the positions of
    the text boxes (rows by the lines that carry numbers, columns by the numbers), as for a text layer."""
    report = _scan(HUAIAN, [3, 4, 5], "norules")
    assert [report.cells[c].value for c in ("t3.new_received.total", "t3.unable.not_held.natural_person",
                                            "t4.review.upheld")] == [3119, 746, HUAIAN_CELLS["t4.review.upheld"]]
    assert {c: report.cells[c].value for c in HUAIAN_CELLS} == HUAIAN_CELLS


@pytest.mark.slow
@pytest.mark.ocr
def test_table_without_rules_never_shifts_a_value_silently() -> None:
    """洪泽 without rules: detection found one box for `10 1 0` and none for the lone 0 after it, and table
    四's single row of values came out one column short (a 5 read as the total of the row before it). Boxes of
    several numbers are split at the gaps in their ink and unboxed numbers are looked for: the row is right,
    and what is still not read (rows where labels run together) is unread, never wrong."""
    report = _scan(HONGZE, [2, 3, 4], "norules")
    t4 = [c for c in HONGZE_CELLS if c.startswith("t4.")]
    assert {c: report.cells[c].value for c in t4} == {c: HONGZE_CELLS[c] for c in t4}
    wrong = [c for c, v in HONGZE_CELLS.items() if report.cells[c].value != v]
    assert [c for c in wrong if report.cells[c].value is not None] == []
    assert len(wrong) <= 20, wrong


# ------------------------------------------------------------ rendered seeds (tighter rows, smaller print)
def _seed_scan(number: str, variant: str, folder: object) -> tuple[Report, dict[str, object]]:
    pdf, truth = seed_pdf(seed(number), folder)  # type: ignore[arg-type]
    import pypdfium2 as pdfium

    pages = list(range(1, len(pdfium.PdfDocument(pdf.read_bytes())) + 1))
    report = _checked(read_bytes(jpeg_pdf(variant_pages(pdf, pages, variant, []), VARIANTS[variant][0])))
    return report, truth


@pytest.mark.ocr
@pytest.mark.libreoffice
def test_seed_on_a_landscape_sheet_reads_every_cell(tmp_path: object) -> None:
    """Seed 002 shrunk onto a landscape sheet: the tilt was taken for 0° (the projection profile, on a
    reduced copy of the wide sheet, favoured the one angle a linear turn does not blur), glyph stems of
    the small print passed for rules (规范性文|件 in two columns) and 新公开 of 规范性文件 read 1, the
    new-made count, at full confidence. Now the page is measured and enlarged, and every cell is right."""
    report, truth = _seed_scan("002", "landscape", tmp_path)
    # the title and the statistical period come from the scan (page 1's top lines are read)
    assert (report.title, report.body, report.year, report.period_years) == (
        "波密县玉许乡人民政府2020年政府信息公开工作年度报告", "波密县玉许乡人民政府", 2020, [2020, 2020])
    assert [report.cells[c].value for c in ("t2.normative_docs.new_made", "t2.normative_docs.new_published",
                                            "t2.procurement.projects", "t2.procurement.amount")] == [1, 0, 0, 0]
    assert {c: report.cells[c].value for c in truth} == truth
    _assert_accuracy(report, truth)


@pytest.mark.ocr
@pytest.mark.libreoffice
def test_seed_scanned_at_150_dpi_reads_every_cell_and_its_title(tmp_path: object) -> None:
    """Seed 003 at 150 dpi: thin rules between close-set rows faded in the ink threshold, rows merged and
    two thirds of the cells were unread; the title took the tail of a prose line after it
    (`…年度报告84141316。`) and the statistical period was not read. The page is enlarged, rules are
    found against the paper, and page 1's top lines are read."""
    report, truth = _seed_scan("003", "dpi150", tmp_path)
    assert [report.cells[c].value for c in ("t2.licensing.prev_items", "t2.other_services.prev_items",
                                            "t2.punishment.prev_items", "t3.total.total")] == [2, 1, 109, 0]
    assert {c: report.cells[c].value for c in truth} == truth
    _assert_accuracy(report, truth)
    assert (report.title, report.body, report.year, report.period_years) == (
        "鹿乡镇2020年政府信息公开工作年度报告", "长春市双阳区鹿乡镇人民政府", 2020, [2020])


@pytest.mark.slow
@pytest.mark.ocr
@pytest.mark.libreoffice
def test_seed_002_at_150_dpi_keeps_the_faint_rule_between_two_label_rows(tmp_path: object) -> None:
    """Seed 002 at 150 dpi: the rule under `1.信访举报投诉类申请` (its glyphs almost touch it) broke up by a pixel
    here and there in the threshold, the opening lost it over the whole label cell, `1.信访…` and `2.重复申请`
    became one cell and both rows (14 cells) were unread. Gaps of a pixel or two along a row are bridged."""
    report, truth = _seed_scan("002", "dpi150", tmp_path)
    rows = ("t3.rejected.complaint", "t3.rejected.duplicate")
    cols = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
    assert [report.cells[f"{r}.{c}"].value for r in rows for c in cols] == [0] * 14
    assert {c: report.cells[c].value for c in truth} == truth
    _assert_accuracy(report, truth)


def test_a_page_with_small_print_is_enlarged() -> None:
    """Text lines 30 px high (150 dpi) are enlarged to TEXT_HEIGHT; lines of a 200-dpi page are left."""
    from zfxxgk.readers.ocr import MAX_ZOOM, TEXT_HEIGHT, _zoom

    def lines(height: float, n: int = 9) -> np.ndarray:
        return np.array([[[0, 100 * k], [400, 100 * k], [400, 100 * k + height], [0, 100 * k + height]]
                         for k in range(n)], np.float32)

    assert _zoom(lines(30)) == pytest.approx(TEXT_HEIGHT / 30)
    assert _zoom(lines(44)) == 1.0
    assert _zoom(lines(20)) == MAX_ZOOM
    assert _zoom(lines(30, n=3)) == 1.0  # too few lines to measure
    assert _zoom(np.zeros((0, 4, 2), np.float32)) == 1.0


@pytest.mark.ocr  # OpenCV comes with the OCR extra
def test_tilt_of_a_page_on_a_landscape_sheet_is_measured() -> None:
    """淮安 pages 1-3 tilted 0.5° on a landscape sheet: the projection profile found 0° (a linear turn blurs
    every other angle); turned without interpolation it finds the tilt."""
    import cv2

    from zfxxgk.readers.ocr import skew_angle

    for image in variant_pages(HUAIAN, [1, 2, 3], "landscape"):
        gray = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY)
        assert skew_angle(gray, around=-0.3) == pytest.approx(-0.5, abs=0.03)


@pytest.mark.ocr
@pytest.mark.libreoffice
def test_seed_tilted_5_degrees_reads_the_total_row(tmp_path: object) -> None:
    """Seed 002 tilted 5°: 表三's `（七）总计` was read `()总计`, taken for the 总计 column header, and its row
    left unread. A printed but unread numbering now leaves one reading: the row."""
    report, truth = _seed_scan("002", "tilt+5", tmp_path)
    assert [report.cells[f"t3.total.{c}"].value for c in ("natural_person", "commercial", "total")] == [0, 0, 0]
    assert {c: report.cells[c].value for c in truth} == truth
    _assert_accuracy(report, truth)


# ------------------------------------------------------------------ the steps, without models
def test_orientation_from_text_boxes() -> None:
    def line(x: float, y: float, length: float, angle: float) -> list[list[float]]:
        dx, dy = length * np.cos(np.radians(angle)), length * np.sin(np.radians(angle))
        nx, ny = -20 * np.sin(np.radians(angle)), 20 * np.cos(np.radians(angle))
        return [[x, y], [x + dx, y + dy], [x + dx + nx, y + dy + ny], [x + nx, y + ny]]

    tilted = np.array([line(100, 100 + 50 * k, 600, 5.0) for k in range(6)] + [line(50, 50, 20, 0)], np.float32)
    turns, tilt = orientation(tilted)
    assert turns == 0 and tilt == pytest.approx(5.0, abs=0.01)
    upright_quads = np.array([line(100 + 50 * k, 700, 600, -90.0) for k in range(6)], np.float32)
    assert orientation(upright_quads)[0] == 1  # lines running up the page: a page turned by a quarter
    assert orientation(np.zeros((0, 4, 2), np.float32)) == (0, 0.0)


def test_prose_lines_are_not_recognised_but_titles_headings_and_tables_are() -> None:
    title = (400, 100, 1200, 160)
    heading = (200, 300, 500, 340)
    first = (260, 400, 1450, 440)  # indented first line of a paragraph
    middle = (200, 460, 1450, 500)
    last = (200, 520, 700, 560)  # a paragraph's short last line
    cell_text = (220, 900, 1400, 940)  # inside the table below: always read
    grid = [[(200, 850, 800, 1000), (800, 850, 1450, 1000)]]
    kept = _needed([title, heading, first, middle, last, cell_text], grid)
    assert kept == [title, heading, last, cell_text]
    # on the first page the top lines are read whatever they are: a title as wide as the page, and the
    # opening paragraph naming the statistical period
    wide_title = (200, 100, 1450, 140)
    opening = (200, 200, 1450, 240)
    kept = _needed([wide_title, opening, heading, first, middle, last, cell_text], grid, first=4)
    assert kept == [wide_title, opening, heading, first, last, cell_text]
    assert _needed([wide_title, opening, heading, first, middle, last], grid) == [heading, last]


@pytest.mark.ocr  # OpenCV comes with the OCR extra
def test_red_seal_ink_is_removed_and_print_under_it_kept() -> None:
    """A seal multiplies the paper: its red becomes white, a black stroke and a gray rule under it keep
    their darkness; the page around it is untouched."""
    rgb = np.full((20, 40, 3), 255, np.uint8)
    rgb[:, :20] = (214, 38, 44)  # the seal's ink on paper
    rgb[5, :20] = (107, 19, 22)  # a rule of gray 128 under it
    rgb[10, 10] = (40, 8, 9)  # black print under it
    rgb[10, 30] = (0, 0, 0)  # black print beside it
    gray, red = without_seals(rgb)
    assert (gray[0, 0], gray[5, 3], gray[10, 10], gray[10, 30], gray[0, 39]) == (255, 127, 47, 0, 255)
    assert red[0, 0] and not red[0, 39]
    assert without_seals(np.full((4, 4, 3), 200, np.uint8))[1] is None


def test_a_box_in_the_record_must_be_whole() -> None:
    cell = Cell("t3.new_received.total", 3119, "3119", "number", confidence=0.99, box=(4, 470.2, 215.0, 520.9, 231.4))
    assert cell.to_dict()["box"] == {"page": 4, "x0": 470.2, "top": 215.0, "x1": 520.9, "bottom": 231.4}
    assert Cell.from_dict(cell.id, cell.to_dict()) == cell
    with pytest.raises(ReportDataError):
        Cell.from_dict(cell.id, {**cell.to_dict(), "box": {"page": 4, "x0": 1}})


def test_a_glyph_stem_between_rules_does_not_cut_a_cell() -> None:
    """规范性文|件: the cut lies inside one detected line and no rule continues it above or below, so the
    two cells are one; a real column rule (continued in the next row) stays."""
    label_l, label_r, value = (100, 100, 260, 130), (260, 100, 300, 130), (300, 100, 400, 130)
    below_l, below_r = (100, 130, 300, 160), (300, 130, 400, 160)
    line = (110, 102, 295, 128)  # the detected text 规范性文件, across the cut at x=260
    cells = join_stems([label_l, label_r, value, below_l, below_r], [line, (310, 102, 390, 128)])
    assert cells == [(100, 100, 300, 130), value, below_l, below_r]
    # a cut continued by a rule in the row below is a column rule
    assert join_stems([label_l, label_r, (100, 130, 260, 160), (260, 130, 400, 160)], [line]) == [
        label_l, label_r, (100, 130, 260, 160), (260, 130, 400, 160)]
    # a cut near the end of the text (half a line height from it) is a rule the text stops at
    assert join_stems([label_l, label_r], [(110, 102, 270, 128)]) == [label_l, label_r]


@pytest.mark.ocr  # OpenCV comes with the OCR extra
def test_a_rule_broken_by_a_pixel_here_and_there_still_divides_two_rows() -> None:
    """A faint rule between two close-set label rows comes out of the threshold with one-pixel gaps: each
    gap shortened the run under the opening's length and the two label cells became one."""
    ink = np.zeros((200, 900), np.uint8)
    for y in (20, 60, 100):
        ink[y : y + 2, 20:880] = 255
    for x in (20, 300, 880):
        ink[20:102, x : x + 2] = 255
    ink[60:62, 100:300:25] = 0  # the middle rule of the label column, broken every 25 pixels
    cells = sorted(find_grids(ink)[0], key=lambda c: (c[0], c[1]))
    assert [tuple(map(int, c)) for c in cells] == [(21, 21, 301, 61), (21, 61, 301, 101), (301, 21, 881, 61), (301, 61, 881, 101)]


@pytest.mark.ocr  # OpenCV comes with the OCR extra
def test_a_box_of_several_numbers_is_split_at_the_gaps_in_its_ink() -> None:
    """`10 1 0` detected as one box (a table without rules): one box per number, where its ink is; a box
    of one number, or of words, stays whole."""
    ink = np.zeros((40, 200), np.uint8)
    for x0, x1 in ((10, 20), (24, 34), (80, 88), (150, 160)):  # 1 0 … 1 … 0
        ink[10:30, x0:x1] = 255
    boxes = [Glyph("10 1 0", 5, 5, 165, 35, 0.9), Glyph("21", 5, 40, 30, 60, 0.8), Glyph("申请 数量", 5, 60, 80, 80, 0.9)]
    pieces = _split_numbers(boxes, ink, 1.0)
    assert [(g.text, g.x0, g.x1, g.score) for g in pieces] == [
        ("10", 10, 34, 0.9), ("1", 80, 88, 0.9), ("0", 150, 160, 0.9), ("21", 5, 30, 0.8), ("申请 数量", 5, 80, 0.9)]

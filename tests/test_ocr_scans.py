"""Scans as offices make them (tests/scans.py VARIANTS), a representative subset: tilted 10°, turned
90°, red seals stamped over table 三, JPEG quality 30; `python bench/bench_ocr.py --variants` runs
the whole matrix (±1°, ±5°, ±10°, 90°/180°/270°, landscape, seals, JPEG 30, 150 and 300 dpi).
Each scan is read once per module (three table pages, a few seconds each)."""

from __future__ import annotations

import numpy as np
import pytest

from zfxxgk.options import Options
from zfxxgk.readers import read_bytes
from zfxxgk.readers.ocr import _needed, join_stems, orientation, without_seals
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

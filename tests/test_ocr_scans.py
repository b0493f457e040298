"""Scans as offices make them (tests/scans.py VARIANTS), a representative subset: tilted 10°, turned
90°, red seals stamped over table 三, JPEG quality 30; `python bench/bench_ocr.py --variants` runs
the whole matrix (±1°, ±5°, ±10°, 90°/180°/270°, landscape, seals, JPEG 30, 150 and 300 dpi).
Each scan is read once per module (three table pages, a few seconds each)."""

from __future__ import annotations

import numpy as np
import pytest

from zfxxgk.options import Options
from zfxxgk.readers import read_bytes
from zfxxgk.readers.ocr import _needed, orientation, without_seals
from zfxxgk.report import Cell, Report, ReportDataError

from .pdf_truth import HONGZE, HONGZE_CELLS, HUAIAN, HUAIAN_CELLS
from .scans import SEALS, jpeg_pdf, variant_pages
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

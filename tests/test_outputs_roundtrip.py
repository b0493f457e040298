"""render → parse gives back the same cells, for md, html, docx and pdf.

Each source report is parsed once and rendered to .docx once for the module; the PDFs of all of
them come from one LibreOffice call (render_pdf is docx_to_pdf of render_docx, one call per report:
test_outputs_pdf.py runs docx_to_pdf itself).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from zfxxgk.errors import ReadError
from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.generate import render_bytes
from zfxxgk.outputs.render_docx import render_docx
from zfxxgk.pipeline import parse_bytes, parse_file
from zfxxgk.readers.libreoffice import convert_files
from zfxxgk.report import Report

from .conftest import SEEDS, fixture_files
from .outputs_helpers import mismatches, synthetic

SEED_FILES = fixture_files("seeds/*.txt", 5)
REAL_PDFS = fixture_files("real/*.pdf", 2)
SYNTHETIC = [("2019", 2020), ("2021", 2024)]
# python-docx takes about a second per report (outputs/render_docx.py); PDF needs LibreOffice.
TARGETS = ["md", "html", pytest.param("docx", marks=pytest.mark.slow), pytest.param("pdf", marks=pytest.mark.libreoffice)]
Case = tuple[str, object]  # ("seed" | "real", path) or ("synthetic", (version, year))
CASES: list[Case] = [*(("seed", p) for p in SEED_FILES), *(("synthetic", vy) for vy in SYNTHETIC),
                     *(("real", p) for p in REAL_PDFS)]


@functools.cache
def _original(case: Case) -> Report:
    """The source report, parsed once (the round trips only read it)."""
    kind, arg = case
    if kind == "synthetic":
        version, year = arg  # type: ignore[misc]
        return synthetic(version, year)
    return parse_file(arg)  # type: ignore[arg-type]


@functools.cache
def _docx(case: Case) -> bytes:
    return render_docx(compose(_original(case)))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[Case, bytes]:
    """Every case's .docx converted to PDF in one LibreOffice call."""
    root = tmp_path_factory.mktemp("roundtrip-pdf")
    sources = []
    for n, case in enumerate(CASES):
        path = root / f"report{n:02d}.docx"
        path.write_bytes(_docx(case))
        sources.append(path)
    outputs = convert_files(sources, "pdf", root / "out", kind="docx")
    assert all(outputs), list(zip(CASES, outputs, strict=True))
    return {case: out.read_bytes() for case, out in zip(CASES, outputs, strict=True) if out}


def _round_trip(case: Case, to: str, request: pytest.FixtureRequest) -> Report:
    if to == "pdf":
        data = request.getfixturevalue("pdfs")[case]
    elif to == "docx":
        data = _docx(case)
    else:
        data = render_bytes(compose(_original(case)), to)
    try:
        return parse_bytes(data, f"rendered.{to}")
    except ReadError as exc:  # pragma: no cover - shows which reader refused
        pytest.fail(f"{to}: {exc}")


@pytest.mark.parametrize("to", TARGETS)
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_round_trip(path: Path, to: str, request: pytest.FixtureRequest) -> None:
    original = _original(("seed", path))
    parsed = _round_trip(("seed", path), to, request)
    assert parsed.error is None
    assert (parsed.version, parsed.year, parsed.body) == (original.version, original.year, original.body)
    assert set(parsed.cells) == set(original.cells)
    assert mismatches(original, parsed) == []


@pytest.mark.parametrize("to", TARGETS)
@pytest.mark.parametrize(("version", "year"), SYNTHETIC)
def test_distinct_values_round_trip(version: str, year: int, to: str, request: pytest.FixtureRequest) -> None:
    """Every cell a different number: a value in the wrong cell cannot go unnoticed."""
    original = _original(("synthetic", (version, year)))
    parsed = _round_trip(("synthetic", (version, year)), to, request)
    assert parsed.version == version
    assert parsed.year == year
    assert parsed.title == f"测试县人民政府{year}年政府信息公开工作年度报告"
    assert mismatches(original, parsed) == []


@pytest.mark.parametrize("to", TARGETS)
@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.stem)
def test_real_pdf_data_round_trip(path: Path, to: str, request: pytest.FixtureRequest) -> None:
    original = _original(("real", path))
    assert original.error is None
    parsed = _round_trip(("real", path), to, request)
    assert set(parsed.cells) == set(original.cells)
    assert mismatches(original, parsed) == []


def test_md_layout_of_seed_004() -> None:
    md = render_bytes(compose(parse_file(SEEDS / "004_88a6af14f6d602ea.txt")), "md").decode()
    lines = md.splitlines()
    assert lines[0] == "# 贵南县沙沟乡2020年度政府信息公开工作年度报告"
    titles = [line for line in lines if line.startswith("## ")]
    assert titles == ["## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
                      "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况",
                      "## 六、其他需要报告的事项"]
    assert "| 政府集中采购 | 137次 | 1066730.5元 |  |" in lines
    assert "| 一、本年新收政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 2 | 2 |" in lines
    # blank cells of the source are printed as explicit zeros
    assert "| 三、本年度办理结果 | （一）予以公开 |  | 0 | 0 | 0 | 0 | 0 | 2 | 2 |" in lines

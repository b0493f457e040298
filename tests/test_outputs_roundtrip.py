"""render → parse gives back the same cells, for md, html, docx and pdf."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zfxxgk.errors import ReadError
from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.generate import render_bytes
from zfxxgk.pipeline import parse_bytes, parse_file
from zfxxgk.readers import READERS

from .conftest import FIXTURES, SEEDS
from .outputs_helpers import mismatches, synthetic

SEED_FILES = sorted(SEEDS.glob("*.txt"))
REAL_PDFS = sorted((FIXTURES / "real").glob("*.pdf"))


def _reader_ready(kind: str) -> bool:
    return kind in READERS


def _needs(to: str) -> None:
    reader = {"md": "text", "html": "html", "docx": "docx", "pdf": "pdf"}[to]
    if not _reader_ready(reader):
        pytest.skip(f"readers/{reader}.py is not registered in READERS yet")
    if to == "pdf" and not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) not installed")


def _round_trip(report, to: str):  # type: ignore[no-untyped-def]
    data = render_bytes(compose(report), to)
    try:
        return parse_bytes(data, f"rendered.{to}")
    except ReadError as exc:  # pragma: no cover - shows which reader refused
        pytest.fail(f"{to}: {exc}")


@pytest.mark.parametrize("to", ["md", "html", "docx", "pdf"])
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_round_trip(path: Path, to: str) -> None:
    _needs(to)
    original = parse_file(path)
    parsed = _round_trip(original, to)
    assert parsed.error is None
    assert (parsed.version, parsed.year, parsed.body) == (original.version, original.year, original.body)
    assert set(parsed.cells) == set(original.cells)
    assert mismatches(original, parsed) == []


@pytest.mark.parametrize("to", ["md", "html", "docx", "pdf"])
@pytest.mark.parametrize(("version", "year"), [("2019", 2020), ("2021", 2024)])
def test_distinct_values_round_trip(version: str, year: int, to: str) -> None:
    """Every cell a different number: a value in the wrong cell cannot go unnoticed."""
    _needs(to)
    original = synthetic(version, year)
    parsed = _round_trip(original, to)
    assert parsed.version == version
    assert parsed.year == year
    assert parsed.title == f"测试县人民政府{year}年政府信息公开工作年度报告"
    assert mismatches(original, parsed) == []


@pytest.mark.parametrize("to", ["md", "html", "docx", "pdf"])
@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.stem)
def test_real_pdf_data_round_trip(path: Path, to: str) -> None:
    if not _reader_ready("pdf"):
        pytest.skip("readers/pdf.py is not registered in READERS yet: the real PDFs cannot be extracted")
    _needs(to)
    original = parse_file(path)
    assert original.error is None
    parsed = _round_trip(original, to)
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

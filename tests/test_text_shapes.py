"""The text shapes of format.md §3.7 read to the same cells: one cell per line, tab rows, pipe tables."""

from __future__ import annotations

import random

import pytest

from zfxxgk import parse_bytes, run_checks
from zfxxgk.readers.text import read_text

from .synth import consistent_cells, render_report


def _rows(block: str) -> list[list[str]]:
    """The rows of a one-cell-per-line table block: tab-prefixed cells, blank line between rows."""
    rows: list[list[str]] = []
    current: list[str] = []
    for line in block.split("\n"):
        if line.startswith("\t"):
            current.append(line[1:])
        elif current:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    return rows


def _reshape(text: str, to_row) -> str:  # type: ignore[no-untyped-def]
    """Rewrite every table of a synthetic report, keeping the prose."""
    out: list[str] = []
    block: list[str] = []
    for line in [*text.split("\n"), "END"]:
        if line.startswith("\t") or (block and line == ""):
            block.append(line)
            continue
        if block:
            out += [to_row(r) for r in _rows("\n".join(block))] + [""]
            block = []
        out.append(line)
    return "\n".join(out[:-1])


@pytest.mark.parametrize("version", ["2019", "2021"])
@pytest.mark.parametrize("shape", ["tabs", "tabs-bare-captions", "pipes"])
def test_shapes_give_the_same_cells(version: str, shape: str) -> None:
    cells = consistent_cells(version, random.Random(7))
    text = render_report(cells, version)
    if shape == "tabs":
        other = _reshape(text, lambda r: "\t".join(r) + "\t" * (len(r) == 1))  # captions keep a tab
    elif shape == "tabs-bare-captions":  # a caption row without its tab splits the table: nothing may be lost
        other = _reshape(text, lambda r: "\t".join(r))
    else:
        other = _reshape(text, lambda r: "| " + " | ".join(r) + " |")
    a, b = parse_bytes(text.encode()), parse_bytes(other.encode())
    assert [(k, c.value, c.kind) for k, c in a.cells.items()] == [(k, c.value, c.kind) for k, c in b.cells.items()]
    assert sum(c.kind == "number" for c in b.cells.values()) == len(b.cells)
    assert run_checks(b) == []


def test_pipe_rows_with_colspan_remnants() -> None:
    """HTML-to-markdown output: a 2021 single-value row `| 行政许可 | 5 | ||`, a 表三 zero row that prints
    only its 总计 cell `| … | 0 | ||||||||` (柞水县凤凰镇 2021), half-width punctuation."""
    text = "\n".join([
        "某某镇人民政府2021年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "| 第二十条第(五)项 | | | |",
        "|---|---|---|---|",
        "| 信息内容 | 本年处理决定数量 | ||",
        "| 行政许可 | 5 | ||",
        "| 第二十条第(八)项 | | | |",
        "| 信息内容 | 本年收费金额(单位:万元) | ||",
        "| 行政事业性收费 | 1.25 | ||",
        "三、收到和处理政府信息公开申请情况",
        "| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||",
        "| 一、本年新收政府信息公开申请数量 | 0 | ||||||||",
        "| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    ])
    r = parse_bytes(text.encode())
    assert r.version == "2021"
    assert r.cells["t2.licensing.decisions"].value == 5
    assert r.cells["t2.fees.amount"].value == pytest.approx(1.25)
    assert r.cells["t2.fees.amount"].unit == "万元"
    new = [r.cells[f"t3.new_received.{c}"] for c in ("natural_person", "other_org", "total")]
    assert [(c.value, c.kind) for c in new] == [(None, "blank"), (None, "blank"), (0, "number")]
    assert r.cells["t3.carried_over.natural_person"].value == 1


def test_reader_keeps_wrapped_labels_and_row_breaks() -> None:
    doc = read_text("二、主动公开政府信息情况\n\t信息内容\n\t本年新\n制作数量\n\t上一年\n\n项目数量\n\n\t规章\n\t0\n".encode())
    (table,) = doc.tables
    assert table.texts() == [["信息内容", "本年新\n制作数量", "上一年\n项目数量"], ["规章", "0"]]
    assert [c.source.line for c in table.rows[0]] == [2, 3, 5]


def test_prose_with_tab_indent_is_not_a_table() -> None:
    text = "\t根据《中华人民共和国政府信息公开条例》的规定，现公布本机关2021年政府信息公开工作年度报告，请予监督。\n"
    doc = read_text(text.encode())
    assert doc.tables == [] and len(doc.paragraphs) == 1

"""Text that other tools make from the PDF fixtures and from the seeds rendered as PDF (issue 13 §2):
every cell read right or not read.

The converters run here: pdftotext (poppler) with and without -layout, pdfplumber's extract_text,
markitdown (its PDF converter; magika's model ships in its wheel, nothing is downloaded) and
markdownify over the rendered web pages. Their tables come apart (labels wrapped over lines, values
moved above their label, page footers between rows, colspans padded with empty cells, plain pdftotext
printing a table one cell a line, bands of rows column by column); a cell is read only where the text
leaves no doubt whose it is, and never taken from a neighbouring row or column. The counts of cells
read are pinned so a change that reads more (or fewer) shows.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from markdownify import markdownify

from zfxxgk import parse_bytes, run_checks
from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.generate import render_bytes
from zfxxgk.report import Report
from zfxxgk.values import Kind

from .conftest import fixture_files, need_tool
from .test_crawl import reference as page_reference

PDFS = fixture_files("real/*.pdf", 2)
SEEDS = fixture_files("seeds/*.txt", 5)
# Cells read (all right) of 洪泽 2023 (186 cells) and 淮安 2024 (200 cells), by converter. Plain pdftotext
# leaves unread 洪泽's 表四 (it does not add up, so no order of its values is certain) and 淮安's two 行政诉讼
# blocks of 表四 (each adds up whichever block it is; the text gives only their sum).
READ = {
    ("hongze-district-2023", "pdftotext-layout"): 186, ("hongze-district-2023", "pdftotext"): 171,
    ("hongze-district-2023", "pdfplumber"): 186, ("hongze-district-2023", "markitdown"): 186,
    ("huaian-city-2024", "pdftotext-layout"): 200, ("huaian-city-2024", "pdftotext"): 190,
    ("huaian-city-2024", "pdfplumber"): 200, ("huaian-city-2024", "markitdown"): 200,
}
# Cells read of the seeds rendered as PDF (198 each) by plain pdftotext; the other converters read all 198.
# Unread: two cells each of 002's and 003's 表二 (`2 0 1 0` under two headers and two rows: row by row and
# column by column differ, and the 2019 表二 has no sums). Read since 2026-12-01: 000's 表二 (values after the
# labels of other rows, but its 22 values are its 22 cells and all 0) and 004's 表三 (it does not balance; its
# right columns printed under their headers, `其他 2 0 2 总计 2 0 2`, leave one reading of its first band).
PLAIN_READ = {"000": 198, "001": 198, "002": 196, "003": 196, "004": 198}


def convert(path: Path, converter: str) -> str:
    if converter == "markitdown":
        from markitdown import MarkItDown

        return MarkItDown().convert(str(path)).text_content
    if converter == "pdfplumber":
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    args = [need_tool("pdftotext"), *(["-layout"] if converter == "pdftotext-layout" else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


@cache
def reference(path: Path) -> Report:
    return parse_bytes(path.read_bytes(), path.name)


@pytest.mark.parametrize("converter", ["pdftotext-layout", "pdftotext", pytest.param("pdfplumber", marks=pytest.mark.slow),
                                       pytest.param("markitdown", marks=pytest.mark.slow)])
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_converter_text_never_gives_a_wrong_cell(path: Path, converter: str) -> None:
    ref = reference(path)
    r = parse_bytes(convert(path, converter).encode("utf-8"), f"{converter}.{'md' if converter == 'markitdown' else 'txt'}")
    assert sorted(r.sections) == [1, 2, 3, 4, 5, 6]
    assert (r.body, r.year) == (ref.body, ref.year)
    read = {cid: c for cid, c in r.cells.items() if c.kind not in (Kind.UNREADABLE, "missing")}
    assert {cid: (c.value, c.kind) for cid, c in read.items()} == {cid: (ref.cells[cid].value, ref.cells[cid].kind)
                                                                   for cid in read}
    assert len(read) == READ[(path.stem, converter)]
    if len(read) == len(ref.cells):  # read whole: the reviewer sees what the PDF itself gets
        assert _findings(r) == _findings(ref)


@pytest.mark.parametrize("path", [*SEEDS, *PDFS], ids=lambda p: p.stem[:3] if p.suffix == ".txt" else p.stem)
def test_markdownify_pages_read_whole(path: Path) -> None:
    """markdownify (HTML → markdown) pads a cell spanning k columns with k-1 one-space cells and puts an
    empty header row above each table: neither is a blank value cell. Every cell as the page prints it."""
    ref, html = page_reference(path)
    r = parse_bytes(markdownify(html).encode("utf-8"), f"{path.stem}.md")
    assert {cid: (c.value, c.kind) for cid, c in r.cells.items()} == {cid: (c.value, c.kind) for cid, c in ref.cells.items()}


@pytest.mark.parametrize(("row", "cells"), [
    ("| 规章 | 5 | | 7 |", (5, None, 7)),  # one value per column: the one-space cell is a blank, not padding
    ("| 规章 | 5 | | 7 | |", (5, None, 7)),
    ("| 规章 | 5 | | 7 | | 9 | |", (5, 7, 9)),  # markdownify: each value spans two columns
])
def test_one_space_cell_is_padding_only_when_the_row_then_fits(row: str, cells: tuple[int | None, ...]) -> None:
    seed = SEEDS[0]
    md = render_bytes(compose(parse_bytes(seed.read_bytes(), seed.name)), "md").decode()
    md = re.sub(r"^\| 规章 \|.*$", row, md, count=1, flags=re.M)
    r = parse_bytes(md.encode("utf-8"), "x.md")
    assert tuple(r.cells[f"t2.regulations.{c}"].value for c in ("new_made", "new_published", "total_published")) == cells


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Report]]:
    """The seeds as Word files (`zfxxgk render`, blanks filled with 0) made PDF in one LibreOffice call,
    each with the Word file read as the reference."""
    from zfxxgk.readers.libreoffice import find_soffice

    soffice = find_soffice()
    assert soffice is not None
    out = tmp_path_factory.mktemp("seed-pdfs")
    refs = {}
    for seed in SEEDS:
        docx = render_bytes(compose(parse_bytes(seed.read_bytes(), seed.name)), "docx")
        (out / f"{seed.stem[:3]}.docx").write_bytes(docx)
        refs[seed.stem[:3]] = parse_bytes(docx, f"{seed.stem[:3]}.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "pdf",
                    "--outdir", str(out), *sorted(str(p) for p in out.glob("*.docx"))],
                   capture_output=True, check=True, timeout=300)
    return {name: (out / f"{name}.pdf", ref) for name, ref in refs.items()}


@pytest.mark.libreoffice
@pytest.mark.parametrize("converter", ["pdftotext-layout", "pdfplumber", "pdftotext", "markitdown"])
@pytest.mark.parametrize("name", sorted(PLAIN_READ))
def test_converter_text_of_rendered_seeds(seed_pdfs: dict[str, tuple[Path, Report]], name: str, converter: str) -> None:
    path, ref = seed_pdfs[name]
    r = parse_bytes(convert(path, converter).encode("utf-8"), f"{converter}.{'md' if converter == 'markitdown' else 'txt'}")
    read = {cid: (c.value, c.kind) for cid, c in r.cells.items() if c.kind not in (Kind.UNREADABLE, "missing")}
    assert read == {cid: (ref.cells[cid].value, ref.cells[cid].kind) for cid in read}
    assert len(read) == (PLAIN_READ[name] if converter == "pdftotext" else 198)
    if len(read) == 198:  # read whole: the reviewer sees what the Word file itself gets
        assert _findings(r) == _findings(ref)


def _findings(report: Report) -> list[tuple[str, str]]:
    return sorted((f.code, f.severity) for f in run_checks(report))


@pytest.mark.slow
def test_values_on_a_line_of_their_own_go_to_a_label_only_when_the_counts_match() -> None:
    """pdfplumber prints 洪泽's wrapped rows with their values on a line of their own; with one of those
    labels gone, which values are whose is no longer certain: those rows are unread, none is misread."""
    path = PDFS[0]
    text = convert(path, "pdfplumber")
    assert "\n1.属于国家秘密\n" in text
    r = parse_bytes(text.replace("\n1.属于国家秘密\n", "\n").encode("utf-8"), "pdfplumber.txt")
    ref = reference(path)
    read = {cid for cid, c in r.cells.items() if c.kind not in (Kind.UNREADABLE, "missing")}
    assert all((r.cells[cid].value, r.cells[cid].kind) == (ref.cells[cid].value, ref.cells[cid].kind) for cid in read)
    assert {cid.rsplit(".", 1)[0] for cid in set(ref.cells) - read} >= {"t3.partially_granted", "t3.withheld.state_secret"}


@pytest.mark.slow
def test_one_cell_a_line_with_a_value_lost_reads_no_cell_of_the_table() -> None:
    """Plain pdftotext prints 洪泽's 表三 one cell a line, bands of rows column by column. With one value line
    gone, the values are no longer the table's cells, so no order is certain: 表三 is unread, nothing misread."""
    path = PDFS[0]
    lines = convert(path, "pdftotext").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("（二）部分公开")) + 1
    at = next(i for i in range(at, len(lines)) if lines[i] == "0")
    r = parse_bytes("\n".join(lines[:at] + lines[at + 1:]).encode("utf-8"), "pdftotext.txt")
    ref = reference(path)
    read = {cid for cid, c in r.cells.items() if c.kind not in (Kind.UNREADABLE, "missing")}
    assert all((r.cells[cid].value, r.cells[cid].kind) == (ref.cells[cid].value, ref.cells[cid].kind) for cid in read)
    assert not any(cid.startswith("t3.") for cid in read)
    assert len(read) == READ[(path.stem, "pdftotext")] - 161


def test_cells_left_unread_by_the_printing_order_say_so_with_their_values() -> None:
    """淮安's 表四 under plain pdftotext: the two 行政诉讼 blocks add up whichever is which, so their cells are
    unread; the finding says the values go back in more than one order and lists the cell's values."""
    path = next(p for p in PDFS if p.stem == "huaian-city-2024")
    r = parse_bytes(convert(path, "pdftotext").encode("utf-8"), "pdftotext.txt")
    [finding] = [f for f in run_checks(r) if f.code == "VAL-UNREADABLE" and f.cells == ["t4.litigation_direct.upheld"]]
    assert (finding.severity, finding.args["kind"], finding.args["candidates"]) == ("error", "order", ["12", "13"])
    assert finding.message() == ("“行政诉讼·未经复议直接起诉·结果维持”所在表格的数字一格一行印出，能按不止一种顺序排回表格"
                                 "（每种都符合格式的勾稽关系），本格可能是 12 | 13；不作猜测")
    assert finding.message("en") == ("the values of the table of 'litigation without review: upheld' are printed one "
                                      "a line and go back into the table in more than one order (each meets the "
                                      "format's relations): the cell may be 12 | 13; none is guessed")


def test_cells_no_printing_order_places_say_so_with_the_values() -> None:
    """洪泽's 表四 under plain pdftotext: its 15 values, but its own table does not add up (总计 0 under 10 + 1), so no
    order puts them back; each cell's finding says so and shows the values as printed (not 内容…不是数字)."""
    path = next(p for p in PDFS if p.stem == "hongze-district-2023")
    r = parse_bytes(convert(path, "pdftotext").encode("utf-8"), "pdftotext.txt")
    found = [f for f in run_checks(r) if f.code == "VAL-UNREADABLE"]
    assert sorted(c for f in found for c in f.cells) == sorted(c for c in r.cells if c.startswith("t4."))
    assert {(f.severity, f.args["kind"], f.args["raw"]) for f in found} == {("error", "order_none", "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0")}
    finding = next(f for f in found if f.cells == ["t4.review.upheld"])
    assert finding.message() == ("“行政复议·结果维持”所在表格的数字一格一行印出（“10 1 0 0 0 0 0 0 0 0 5 0 0 0 0”），按哪种"
                                 "顺序排回表格都不符合格式的勾稽关系（报告本身的表格可能不平衡），本格无法确定；不作猜测")
    assert finding.message("en") == ("the values of the table of 'administrative review: upheld' are printed one a line "
                                      "('10 1 0 0 0 0 0 0 0 0 5 0 0 0 0') and no order puts them back into the table so "
                                      "that it meets the format's relations (the report's own table may not add up): the "
                                      "cell is not read; none is guessed")

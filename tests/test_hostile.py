"""Hostile and broken files (issue 14): nothing inside a file may kill a batch, exhaust the machine,
read outside its folder, or overwrite an input. One test (or more) per item of the issue; every
crafted file is made here, in tmp_path. The fuzz test is tests/test_fuzz.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from zfxxgk.cli import app
from zfxxgk.cli.common import guarded
from zfxxgk.i18n import t
from zfxxgk.pipeline import parse_bytes
from zfxxgk.readers import ocr
from zfxxgk.readers.encoding import decode
from zfxxgk.report import Report
from zfxxgk.rules import run_checks
from zfxxgk.sanitize import clean_text, console_text, json_line
from zfxxgk.values import Kind, parse_value

from .conftest import ROOT, hang_guard, seed
from .hostile_files import (
    docx_bytes,
    docx_with_sym,
    make_pdf,
    numeric_lines_pdf,
    png_bytes,
    rezip,
    seed_text,
    text_pdf,
    xlsx_bytes,
)
from .outputs_helpers import synthetic

GBK_NAME = os.fsdecode(b"\xb1\xa8\xb8\xe6.txt")  # 报告.txt in GBK, as Windows zips keep it
CELL_LINE = 16  # seed 000: the line of t2.regulations.new_made ("\t0")


# ------------------------------------------------------------------ helpers
def cli(*args: str | Path) -> Result:
    """The CLI in-process: never a traceback, exit codes 0/1/2 only."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exit_code in (0, 1, 2), result.exit_code
    return result


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def seed_with_cell(text: str, line: int = CELL_LINE) -> str:
    lines = seed_text().split("\n")
    assert lines[line - 1] == "\t0"
    lines[line - 1] = "\t" + text
    return "\n".join(lines)


def folder_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(seed("000").read_bytes())
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def problem(data: bytes) -> str | None:
    r = parse_bytes(data, "x")
    return r.error.code if r.error else None


# ------------------------------------------------------------------ 1. one bad string kills the batch
def test_surrogate_in_docx_does_not_stop_json_batch(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"sym.docx": docx_with_sym()})
    result = cli("check", folder, "--json")
    records = {Path(r["source"]).name: r for r in json_lines(result)}
    assert set(records) == {"good.txt", "sym.docx"}
    assert len(records["good.txt"]["cells"]) > 100
    assert "\ufffd" in json.dumps(records["sym.docx"], ensure_ascii=False)


def test_guard_cleans_the_name_and_the_error_of_a_report(tmp_path: Path) -> None:
    def fails() -> Report:
        raise ValueError("坏\x1b[2J\ud83d")

    report = guarded(tmp_path / "x\x1b.txt", tmp_path / "x\x1b.txt", fails)
    assert report.source == str(tmp_path / "x\ufffd.txt")
    assert report.error is not None and report.error.args == {"kind": "ValueError", "reason": "坏\ufffd[2J\ufffd"}


def test_text_is_cleaned_where_it_enters_and_no_output_carries_a_control(tmp_path: Path) -> None:
    """The reader's document is cleaned once (pipeline.build_report); the JSON line then needs no walk."""
    text = seed_with_cell("1\x1b2").replace("夹河子乡政府信息公开工作2020年度报告",
                                            "夹河子乡\x08政府信息公开工作\x9b2020年度报告\u202e", 1)
    report = tmp_path / "r\x7f.txt"
    report.write_text(text, "utf-8")
    result = cli("check", report, "--json")
    (record,) = json_lines(result)
    assert record["source"] == str(tmp_path / "r\ufffd.txt")
    assert record["title"] == "夹河子乡\ufffd政府信息公开工作\ufffd2020年度报告\ufffd"
    assert record["cells"]["t2.regulations.new_made"]["raw"] == "1\ufffd2"
    unsafe = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\\\\u00[01]|\\\\[bf]")
    assert unsafe.search(result.stdout) is None
    exported = tmp_path / "e.jsonl"
    cli("export", report, "--jsonl", exported)
    assert unsafe.search(exported.read_text("utf-8")) is None
    assert "夹河子乡\ufffd政府信息公开工作\ufffd2020年度报告\ufffd" in exported.read_text("utf-8")


def test_json_line_cleans_data_that_did_not_come_through_a_reader() -> None:
    dirty = {"title": "a\x1bb\x08", "name": "\udcb1.txt", "ok": "tab\tline\n", "key\x0c": [1, "\x9b"]}
    assert json_line(dirty) == '{"title":"a\ufffdb\ufffd","name":"\\\\xb1.txt","ok":"tab\\tline\\n",' \
                               '"key\ufffd":[1,"\ufffd"]}\n'
    assert json_line({"path": "C:\\\\b\\\\f"}) == '{"path":"C:\\\\\\\\b\\\\\\\\f"}\n'  # a false alarm, same bytes
    for code in [*range(0x300), *range(0x2000, 0x2070), *range(0xD800, 0xE000, 7), *range(0xFFB0, 0x10000),
                 0x1F600]:  # the check of the finished line agrees with clean_text, bidi controls and … too
        text = f"a{chr(code)}b"
        assert json_line({"x": text}) == json.dumps({"x": clean_text(text)}, ensure_ascii=False, separators=(",", ":")) \
            + "\n", hex(code)


def test_json_line_writes_what_orjson_refuses_in_the_same_form() -> None:
    # orjson refuses integers beyond 64 bits and keys that are not strings; json.dumps writes them compactly too
    assert json_line({"n": 2**70, "m": [-(2**63), 2**63 - 1]}) == '{"n":1180591620717411303424,"m":[-9223372036854775808,9223372036854775807]}\n'
    assert json_line({1: "a", "b": 0.5}) == '{"1":"a","b":0.5}\n'


@pytest.mark.slow
def test_non_utf8_file_name_in_json_html_and_export(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {GBK_NAME: seed("001").read_bytes()})
    result = cli("check", folder, "--json", "--html", tmp_path / "r.html", "--xlsx", tmp_path / "r.xlsx")
    sources = [r["source"] for r in json_lines(result)]
    assert any(s.endswith("\\xb1\\xa8\\xb8\\xe6.txt") for s in sources) and len(sources) == 2
    assert "\\xb1\\xa8\\xb8\\xe6.txt" in (tmp_path / "r.html").read_text("utf-8")
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    cli("export", folder, "--csv", tmp_path / "e.csv", "--jsonl", tmp_path / "e.jsonl")
    assert "\\xb1\\xa8\\xb8\\xe6.txt" in (tmp_path / "e.csv").read_text("utf-8-sig")
    assert len((tmp_path / "e.jsonl").read_text("utf-8").splitlines()) == 2


@pytest.mark.slow
def test_stdout_utf8_with_bad_name_and_surrogate(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {GBK_NAME: seed("001").read_bytes(), "sym.docx": docx_with_sym()})
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT / "src")}
    for extra in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-m", "zfxxgk", "check", str(folder), *extra], capture_output=True,
                              env=env, timeout=120)
        assert b"Traceback" not in done.stderr and done.returncode in (0, 1)
        if extra:
            sources = [json.loads(line)["source"] for line in done.stdout.decode("utf-8").splitlines()]
            assert len(sources) == 3 and sum(s.endswith("\\xb1\\xa8\\xb8\\xe6.txt") for s in sources) == 1
        else:
            assert "共 3 份报告".encode() in done.stdout


# ------------------------------------------------------------------ 2. control characters in Excel and Word
@pytest.mark.slow
def test_control_character_in_title_reaches_excel_and_word(tmp_path: Path) -> None:
    text = seed_text().replace("夹河子乡政府信息公开工作2020年度报告", "夹河子乡\x08政府信息公开工作2020年度报告", 1)
    report = tmp_path / "r.txt"
    report.write_text(text, "utf-8")
    cli("check", report, "--xlsx", tmp_path / "c.xlsx")
    cli("export", report, "--xlsx", tmp_path / "e.xlsx")
    result = cli("render", report, "--to", "docx", "-o", tmp_path / "r.docx", "--force")
    assert result.exit_code == 0, result.output
    for name in ("c.xlsx", "e.xlsx", "r.docx"):
        assert zipfile.is_zipfile(tmp_path / name)
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    assert sheet["F2"].value == "夹河子乡\ufffd政府信息公开工作2020年度报告"


# ------------------------------------------------------------------ 11. markup and escapes in the console
def test_console_shows_markup_as_printed_and_never_escape_sequences(tmp_path: Path) -> None:
    text = "[/]" + seed_text().replace("夹河子乡政府信息公开工作2020年度报告", "[bold red]夹河子乡\x1b[31m政府信息公开工作2020年度报告", 1)
    report = tmp_path / "r.txt"
    report.write_text(text, "utf-8")
    for command in ("check", "parse"):
        result = cli(command, report)
        assert result.exit_code in (0, 1)
        assert "[bold red]夹河子乡\ufffd[31m政府信息公开工作2020年度报告" in result.stdout
        assert "\x1b" not in result.stdout


def test_console_text_escapes_markup_and_controls() -> None:
    assert console_text("[/]a[bold]\x1b\x9b") == "\\[/]a\\[bold]\ufffd\ufffd"
    assert clean_text("ok\tline\n") == "ok\tline\n"


# ------------------------------------------------------------------ 8. output paths
@pytest.mark.parametrize("command", [
    ["check", "{in}", "--html", "{out}"], ["check", "{in}", "--xlsx", "{out}"], ["export", "{in}", "--csv", "{out}"],
    ["render", "{in}", "-o", "{out}"], ["form", "--year", "2023", "-o", "{out}"]])
def test_output_into_missing_folder_or_onto_folder_exits_2_before_reading(tmp_path: Path, command: list[str]) -> None:
    source = tmp_path / "r.txt"
    source.write_bytes(seed("000").read_bytes())
    missing = tmp_path / "nowhere" / "out.file"
    result = cli(*(a.format(**{"in": source, "out": missing}) for a in command))
    assert result.exit_code == 2
    assert result.stderr == f"输出文件所在的文件夹不存在：{missing.parent}（{missing}）\n"
    result = cli(*(a.format(**{"in": source, "out": tmp_path}) for a in command))
    assert result.exit_code == 2
    assert result.stderr == f"输出路径是一个文件夹，请给出文件名：{tmp_path}\n"


@pytest.mark.parametrize("command", [["export", "{x}", "--csv", "{x}"], ["check", "{x}", "--xlsx", "{x}"],
                                     ["render", "{x}", "-o", "{x}"], ["export", "{dir}", "--jsonl", "{x}"]])
def test_output_equal_to_an_input_is_refused(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    x = folder / "r.txt"
    original = seed("000").read_bytes()
    x.write_bytes(original)
    result = cli(*(a.format(x=x, dir=folder) for a in command))
    assert result.exit_code == 2
    assert result.stderr == f"输出文件就是输入文件之一，不能覆盖输入：{x}\n"
    assert x.read_bytes() == original
    result = cli(*(a.format(x=x, dir=folder) for a in command), "--lang", "en")
    assert result.stderr == f"the output file is one of the inputs; an input is never overwritten: {x}\n"


def _exact_report(tmp_path: Path) -> Path:
    r = synthetic("2021", 2023)
    amount = next(cid for cid in r.cells if cid.endswith(".amount"))
    count = next(cid for cid in r.cells if not cid.endswith(".amount"))
    second = [cid for cid in r.cells if not cid.endswith(".amount")][1]
    pi = Decimal("3.14159265358979323846264338327950288419716939937510")
    r.cells[amount].value, r.cells[amount].raw = pi, str(pi)
    r.cells[count].value, r.cells[count].raw = 10**31, str(10**31)
    r.cells[second].value, r.cells[second].raw = 2**63, str(2**63)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(r.to_dict()), "utf-8")
    return path


def test_exports_keep_exact_numbers_and_one_writer_does_not_stop_another(tmp_path: Path) -> None:
    import pyarrow.parquet as pq  # the parquet extra: its absence fails the test, it is never skipped

    data = _exact_report(tmp_path)
    out = {k: tmp_path / f"e.{k}" for k in ("csv", "xlsx", "parquet", "jsonl")}
    result = cli("export", data, *(a for k, p in out.items() for a in (f"--{k}", p)))
    assert result.exit_code == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(out["csv"].read_text("utf-8-sig"))))
    assert "3.14159265358979323846264338327950288419716939937510" in row.values()
    assert str(10**31) in row.values() and str(2**63) in row.values()
    import openpyxl

    values = [c.value for c in openpyxl.load_workbook(out["xlsx"]).active[2]]
    assert "3.14159265358979323846264338327950288419716939937510" in values and str(10**31) in values
    table = pq.read_table(out["parquet"]).to_pylist()[0]  # 51 digits: beyond decimal128, kept as text
    assert "3.14159265358979323846264338327950288419716939937510" in table.values()
    assert Decimal(10**31) in table.values() and Decimal(2**63) in table.values()
    assert out["jsonl"].read_text("utf-8").count("\n") == 1
    result = cli("export", data, "--shape", "long", "--parquet", out["parquet"], "--csv", out["csv"])
    assert result.exit_code == 0
    long = pq.read_table(out["parquet"]).column("value").to_pylist()
    assert "3.14159265358979323846264338327950288419716939937510" in long and str(10**31) in long


def test_a_failing_writer_does_not_stop_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.outputs import export

    def broken(self: export.CsvOut, row: dict[str, Any]) -> None:
        raise OverflowError("too big")

    monkeypatch.setattr(export.CsvOut, "row", broken)
    result = cli("export", seed("000"), "--csv", tmp_path / "e.csv", "--jsonl", tmp_path / "e.jsonl")
    assert result.exit_code == 2
    assert f"无法写出 {tmp_path / 'e.csv'}：OverflowError: too big" in result.stderr
    assert (tmp_path / "e.jsonl").read_text("utf-8").count("\n") == 1


# ------------------------------------------------------------------ 5. "internal error" instead of a message
def test_pdf_count_larger_than_its_kids() -> None:
    data = make_pdf([(595, 842, b"BT /F1 12 Tf 72 700 Td (Annual report of the county government) Tj ET")], count=3)
    r = parse_bytes(data, "x")
    assert r.error is None and r.pages == {"text": [1], "unread": [2, 3]}


def test_docx_with_damaged_deflate_data_is_corrupt() -> None:
    data = bytearray(docx_bytes(["政府信息公开工作年度报告"] * 50))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    codes = set()
    for offset in range(0, min(info.compress_size, 40), 3):
        mutant = bytearray(data)
        mutant[start + offset] ^= 0xFF
        codes.add(problem(bytes(mutant)))
    assert codes <= {"corrupt", None} and "corrupt" in codes
    r = parse_bytes(bytes(mutant), "x")
    assert r.error is None or r.error.message() == "文件已损坏或不完整，无法作为 Word (.docx) 打开"


@pytest.mark.parametrize("page", [
    "<html><body>" + "<div>" * 1000 + "x" + "</div>" * 1000 + "</body></html>",
    "<html><body>" + "<table><tr><td>a</td><td>" * 400 + "x" + "</td></tr></table>" * 400 + "</body></html>",
    "<table><tr><td>" + "<span>" * 1000 + "1" + "</span>" * 1000 + "</td><td>2</td></tr></table>",
])
def test_html_nested_too_deep(page: str) -> None:
    r = parse_bytes(page.encode(), "x")
    assert r.error is not None and r.error.code == "too_deep"
    assert r.error.message() == "文件嵌套层数过多（超过 200 层），无法作为报告读取"
    assert r.error.message("en") == "the file is nested too deeply (over 200 levels) to be read as a report"


@pytest.mark.slow  # 0.3-0.4 s: keeps the fast layer under 20 s
def test_mime_parts_nested_too_deep() -> None:
    data = b"MIME-Version: 1.0\r\n" + b"".join(
        b'Content-Type: multipart/related; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(3000))
    assert problem(data) == "too_deep"


def test_cell_of_5000_digits_is_unreadable_not_the_whole_report(tmp_path: Path) -> None:
    r = parse_bytes(seed_with_cell("7" * 5000).encode(), "x")
    assert r.error is None and len(r.cells) > 100
    cell = r.cells["t2.regulations.new_made"]
    assert cell.kind == Kind.UNREADABLE and cell.value is None
    assert parse_value("1" * 100).value == int("1" * 100) and parse_value("1" * 101).kind == Kind.UNREADABLE


# ------------------------------------------------------------------ 3. small files that take gigabytes
def test_html_spans_area_is_refused_before_allocating() -> None:
    page = "<table>" + "<tr><td rowspan=65535 colspan=50000>1</td></tr>" * 400 + "</table>"
    with hang_guard(60):  # refused before the grid is built (it once took 96 s and 11 GB)
        r = parse_bytes(page.encode(), "x")
    assert r.error is not None and r.error.code == "table_too_large"
    assert r.error.message() == "表格的合并单元格范围过大（80200000 个单元格位置，上限 1000000），不是年度报告的表格"
    assert r.error.message("en") == ("the table's merged cells cover too much (80200000 grid positions, limit 1000000); "
                                     "not a report table")


def test_xlsx_merged_range_is_refused_before_openpyxl() -> None:
    data = xlsx_bytes({"A1": "标题", "B2": 3}, merge="A1:XFD1048576")
    assert len(data) < 10_000
    with hang_guard(60):  # refused before openpyxl expands the merge
        r = parse_bytes(data, "x")
    assert r.error is not None and r.error.code == "table_too_large"
    assert r.error.message() == "表格的合并单元格范围过大（17179869184 个单元格位置，上限 250000），不是年度报告的表格"


@pytest.mark.slow
def test_xlsx_cell_count_is_refused_before_openpyxl() -> None:
    data = xlsx_bytes({"A1": 1})
    name = "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(io.BytesIO(data)).read(name)
    cells = b"".join(b'<row r="%d"><c r="A%d"/></row>' % (i, i) for i in range(1, 600_001))
    xml = xml.replace(b"</sheetData>", cells + b"</sheetData>").replace(b"<sheetData/>", b"<sheetData>" + cells +
                                                                         b"</sheetData>")
    r = parse_bytes(rezip(data, {name: xml}), "x")
    assert r.error is not None and r.error.code == "too_many_cells" and r.error.args["cells"] > 500_000
    assert r.error.message() == f"工作表单元格过多（{r.error.args['cells']} 个，上限 500000），不是年度报告"
    assert r.error.message("en") == f"too many worksheet cells ({r.error.args['cells']}, limit 500000); not an annual report"


def test_huge_pdf_page_is_rendered_within_the_pixel_limit() -> None:
    for width, height in ((8000, 8000), (14400, 14400), (595, 842)):
        pixels = (round(width * 200 / 72), round(height * 200 / 72))
        factor = min(1.0, ocr.page_scale(*pixels))
        assert pixels[0] * pixels[1] * factor**2 <= ocr.MAX_OCR_PIXELS * 1.001


def test_narrow_png_is_not_upscaled_to_gigapixels() -> None:
    r = parse_bytes(png_bytes(2, 3000), "x")
    assert r.error is not None and r.error.message() == "图片尺寸异常（2×3000 像素），不是报告页面的扫描件"
    assert r.error.message("en") == "odd image size (2×3000 pixels); not a scanned report page"
    assert ocr.page_scale(600, 800) == ocr.MIN_IMAGE_WIDTH / 600  # narrow pages still scale up
    assert ocr.MAX_OCR_PIXELS < 1240 * 1.86e6 and ocr.page_scale(1000, 10000) ** 2 * 1e7 <= ocr.MAX_OCR_PIXELS


def test_tiff_frames_after_the_first_are_size_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from zfxxgk.readers.pagegeom import PageLayout

    read: list[tuple[int, int]] = []
    monkeypatch.setattr(ocr, "require_engine", lambda kind="PDF": None)
    monkeypatch.setattr(ocr, "read_page", lambda image, page, dpi: read.append(image.size) or PageLayout(page, 10, 10))
    monkeypatch.setattr(ocr, "MAX_IMAGE_PIXELS", 300 * 300)
    buffer = io.BytesIO()
    frames = [Image.new("L", size, 255) for size in ((200, 280), (400, 560), (210, 290))]
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    r = parse_bytes(buffer.getvalue(), "x")
    assert r.error is None and read == [(200, 280), (210, 290)]
    assert r.pages == {"ocr": [1, 3], "unread": [2]}


@pytest.mark.slow
@pytest.mark.ocr
def test_huge_pdf_page_ocr_under_memory_limit(tmp_path: Path) -> None:
    """The 590-byte PDF with an 8000×8000 pt page: rendered for OCR within 1 GB (it took 8.3 GB)."""
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(make_pdf([(8000, 8000, b"q 8000 0 0 8000 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q")]))
    assert pdf.stat().st_size < 1000
    done, peak = measured_cli(["parse", str(pdf), "--json"], seconds=60)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert json.loads(done.stdout)["pages"] == {"ocr": [1]}
    assert peak < 1000, peak  # the bound; measured 0.48–0.53 GB (8.3 GB before the pixel limit)


def measured_cli(args: list[str], seconds: float) -> tuple[subprocess.CompletedProcess[bytes], float]:
    """The CLI in a subprocess with a time limit; its peak resident memory in MB.

    RLIMIT_AS would count onnxruntime's reserved (unused) address space, so the peak RSS is measured,
    with a 4 GB address-space cap only to protect the shared machine.
    """
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30)); "
            f"from zfxxgk.cli import app; sys.argv = ['zfxxgk', *{args!r}]\n"
            "try:\n    app()\nfinally:\n"
            "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=seconds, env=env)
    peak = [line for line in done.stderr.decode(errors="replace").splitlines() if line.startswith("PEAK ")]
    return done, int(peak[-1].split()[1]) / 1024 if peak else float("inf")


# ------------------------------------------------------------------ 4. work per page
@pytest.mark.slow
def test_pdf_of_20000_numeric_lines_is_fast(tmp_path: Path) -> None:
    data = numeric_lines_pdf()
    assert len(data) < 1024 * 1024
    with hang_guard(120):  # was 5½ minutes (lines × glyphs); about 2 s now
        r = parse_bytes(data, "x")
    assert r.error is None


def test_pdf_page_with_too_many_glyphs_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.readers import pdf

    monkeypatch.setattr(pdf, "MAX_PAGE_GLYPHS", 100)
    r = parse_bytes(text_pdf(["1 2 3 4 5 6 7 8 9"] * 20), "x")
    assert r.error is not None and r.error.message() == "PDF 第 1 页的文字过多（378 个字符，上限 100），不是年度报告的页面"
    assert r.error.message("en") == "PDF page 1 holds too much text (378 characters, limit 100); not a report page"


# ------------------------------------------------------------------ 6. --deadline
@pytest.mark.parametrize("value", ["02-29", "13-45", "00-10", "1-32", "01-31-1", "x"])
def test_bad_deadline_exits_2_before_reading(value: str) -> None:
    result = cli("check", seed("000"), "--deadline", value)
    assert result.exit_code == 2
    assert result.stderr == f"--deadline 应为 月-日（如 01-31）：{value}\n"


def test_good_deadline_is_used() -> None:
    assert cli("check", seed("000"), "--deadline", "3-1").exit_code in (0, 1)


# ------------------------------------------------------------------ 7. wrong numbers presented as right
@pytest.mark.parametrize("text", ["5²", "0¹", "12 3", "①", "⑫", "½", "3\u20024"])
def test_marks_and_separate_numbers_are_never_another_number(text: str) -> None:
    assert parse_value(text).kind == Kind.UNREADABLE
    r = parse_bytes(seed_with_cell(text).encode(), "x")
    assert r.cells["t2.regulations.new_made"].kind == Kind.UNREADABLE


def test_ordinary_numbers_still_read() -> None:
    for text, value in (("１２", 12), ("1,234", 1234), ("12\n3", 123), ("22（其中修订16件）", 22), ("12.50万元", Decimal("12.50"))):
        assert parse_value(text).value == value


def test_render_of_a_file_without_tables_is_refused(tmp_path: Path) -> None:
    hello = tmp_path / "hello.txt"
    hello.write_text("hello\n", "utf-8")
    result = cli("render", hello, "-o", tmp_path / "out.docx")
    assert result.exit_code == 2 and not (tmp_path / "out.docx").exists()


# ------------------------------------------------------------------ 9. links out of the folder
def test_file_links_out_of_the_folder_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密 root:x:0:0 政府信息公开", "utf-8")
    folder = folder_with(tmp_path, {})
    (folder / "r.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    result = cli("check", folder, "--json")
    records = {Path(r["source"]).name: r for r in json_lines(result)}
    assert "root:x" not in result.stdout
    assert records["r.txt"]["error"] == f"符号链接指向所检查文件夹之外（{secret}），未读取"
    assert records["r.txt"]["problem"] == {"code": "link_outside", "args": {"target": str(secret)}}
    assert records["inside.txt"]["error"] is None and len(records["inside.txt"]["cells"]) > 100
    result = cli("check", folder, "--lang", "en")
    shown = result.stdout.replace("\n", "").replace(" ", "")
    assert f"a symbolic link leading outside the folder being read ({secret}); not read".replace(" ", "") in shown
    assert cli("parse", folder / "r.txt", "--json").exit_code == 0  # named on the command line: the user's choice


# ------------------------------------------------------------------ 10. LibreOffice orphaned when killed
@pytest.mark.slow
def test_sigterm_kills_libreoffice_group_and_removes_temp_files(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    pids = tmp_path / "pids"
    fake.write_text('#!/bin/sh\necho $$ > "$ZFX_PIDS"\nsleep 120 &\necho $! >> "$ZFX_PIDS"\nwait\n')
    fake.chmod(0o755)
    temp = tmp_path / "tmp"
    temp.mkdir()
    report = tmp_path / "big.rtf"
    report.write_bytes(b"{\\rtf1 hello}")
    env = {**os.environ, "ZFXXGK_SOFFICE": str(fake), "ZFX_PIDS": str(pids), "TMPDIR": str(temp),
           "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "zfxxgk", "check", str(report)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and len(pids.read_text().split() if pids.exists() else []) < 2:
        time.sleep(0.05)
    assert any(temp.iterdir())  # the temporary copy of the input exists while converting
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err
    time.sleep(0.2)
    for pid in map(int, pids.read_text().split()):
        assert not _running(pid), pid
    assert list(temp.iterdir()) == []


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


# ------------------------------------------------------------------ 12. smaller
@pytest.mark.parametrize(("value", "field"), [('"1.5万"', "cells.{cid}.value"), ("[1]", "cells.{cid}.value"),
                                              ('{"x": 1}', "cells.{cid}.value")])
def test_badly_typed_report_json_is_a_message(tmp_path: Path, value: str, field: str) -> None:
    record = synthetic("2021", 2023).to_dict()
    cid = next(iter(record["cells"]))
    record["cells"][cid]["value"] = json.loads(value)
    bad = tmp_path / "d" / "bad.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    (tmp_path / "d" / "good.txt").write_bytes(seed("000").read_bytes())
    result = cli("render", bad, "-o", tmp_path / "out.docx")
    reason = f"报告数据的 {field.format(cid=cid)} 无效：{json.loads(value)!r}"
    assert result.exit_code == 2 and result.stderr == f"无法读取报告数据 {bad}：{reason}\n"
    result = cli("export", tmp_path / "d", "--jsonl", tmp_path / "e.jsonl")  # one bad file does not abort a folder
    assert result.exit_code == 0 and f"已跳过 {bad}：报告数据无效：{reason}" in result.stderr
    assert (tmp_path / "e.jsonl").read_text("utf-8").count("\n") == 2


def test_report_json_with_wrong_structure_is_a_message(tmp_path: Path) -> None:
    for change in ({"sections": [1]}, {"title": ["x"]}, {"pages": {"text": ["a"]}}):
        record = {**synthetic("2021", 2023).to_dict(), **change}
        path = tmp_path / "r.json"
        path.write_text(json.dumps(record), "utf-8")
        result = cli("render", path, "-o", tmp_path / "o.docx")
        assert result.exit_code == 2 and result.stderr.startswith(f"无法读取报告数据 {path}：报告数据的")


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_bad_max_size_exits_2(value: str) -> None:
    for command in (["check"], ["parse"]):
        result = cli(*command, seed("000"), "--max-size", value)
        assert result.exit_code == 2
        assert result.stderr == f"--max-size 应为大于 0 的有限数（MB）：{float(value)}\n"


def test_utf8_with_a_bad_byte_or_cut_character_is_read() -> None:
    data = seed("000").read_bytes()
    flipped = bytearray(data)
    flipped[400] = 0xFF
    for damaged in (bytes(flipped), data + "报".encode()[:2]):
        text, encoding = decode(damaged)
        assert "\ufffd" in text and encoding.startswith("utf-8 (") and encoding.endswith(" invalid bytes replaced)")
        r = parse_bytes(damaged, "x")
        assert r.error is None and len(r.cells) > 100 and r.encoding == encoding
        run_checks(r)
        (found,) = [f for f in r.findings if f.code == "FMT-DAMAGED-TEXT"]
        count = found.args["count"]
        assert found.severity == "warning" and 1 <= count <= text.count("\ufffd") and found.cells == []
        assert found.message() == f"文字中有 {count} 处“�”（无法解码的字节或字符，已替换），涉及单元格：无"
    assert decode(seed_text().encode("gb18030"))[1] == "gb18030"


def test_doctype_guard_holds_after_a_long_comment_and_in_any_part() -> None:
    data = docx_bytes(["报告"])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    head, body = xml.split(b"?>", 1)
    late = head + b"?><!--" + b"x" * 70_000 + b'--><!DOCTYPE d [<!ENTITY e "e">]>' + body
    r = parse_bytes(rezip(data, {"word/document.xml": late}), "x")
    assert r.error is not None and r.error.code == "xml_dtd"
    hidden = rezip(data, {}, add={"word/part.bin": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'})
    r = parse_bytes(hidden, "x")
    assert r.error is not None and r.error.code == "xml_dtd" and r.error.args["part"] == "word/part.bin"
    assert problem(rezip(data, {}, add={"word/chunk.htm": b"<!DOCTYPE html><html></html>"})) is None


# ------------------------------------------------------------------ messages
@pytest.mark.parametrize(("key", "args", "zh", "en"), [
    ("read.out_of_memory", {}, "读取此文件需要的内存过多，已放弃", "reading this file needs too much memory; given up"),
    ("read.report_data", {"reason": "x"}, "报告数据无效：x", "invalid report data: x"),
    ("data.bad_record", {"reason": "x"}, "报告数据的字段类型不对：x", "report data: a field of the wrong type: x"),
    ("export.failed", {"path": "p", "reason": "r"}, "无法写出 p：r", "cannot write p: r"),
    ("export.skipped", {"path": "p", "reason": "r"}, "已跳过 p：r", "skipped p: r"),
])
def test_messages(key: str, args: dict[str, str], zh: str, en: str) -> None:
    assert t(key, "zh", **args) == zh and t(key, "en", **args) == en


def test_memory_error_in_a_reader_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk import readers

    def exhausted(data: bytes) -> Any:
        raise MemoryError

    monkeypatch.setitem(readers.READERS, "text", exhausted)
    result = cli("check", seed("000"), "--json")
    assert json_lines(result)[0]["error"] == "读取此文件需要的内存过多，已放弃"

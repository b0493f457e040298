"""Bad input gets a clear message and no traceback (issue "core engine").

Every case is checked through the Python API (parse_file / check_file: Report.error holds the
Chinese message and cells is {}) and through the CLI (no "Traceback", the exact message, the exit
codes of spec/contract.md: 0 no error finding, 1 some report has one, 2 the command could not run).
"""

from __future__ import annotations

import codecs
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from zfxxgk import check_file, parse_bytes, parse_file
from zfxxgk.cli import app
from zfxxgk.errors import ReadError
from zfxxgk.readers import DEFAULT_MAX_BYTES, load, read_bytes
from zfxxgk.report import Report
from zfxxgk.rules import run_checks
from zfxxgk.templates import FORMAT_2019

from .conftest import ROOT, hang_guard, seed

EMPTY = "文件为空"
BINARY = "不是文本文件（含有二进制内容），也不是可识别的报告格式"
ENCODING = "无法确定文本编码（既不是 UTF-8/UTF-16，也不是 GB18030/GBK）"
NOT_REGULAR = "不是普通文件（设备、管道或套接字），已跳过"
NO_SUCH_FILE = "无法读取文件：No such file or directory"
PERMISSION = "无法读取文件：Permission denied"
TABLE_NOT_TEXT = "“{}”有标题，但没有找到文字形式的表格（可能是图片或附件），其单元格记为未读取"
NO_SECTIONS = ("缺少：一、总体情况、二、主动公开政府信息情况、三、收到和处理政府信息公开申请情况、"
               "四、政府信息公开行政复议、行政诉讼情况、五、存在的主要问题及改进情况、六、其他需要报告的事项")
MIB = 1024 * 1024


# ------------------------------------------------------------------ helpers
def cli(*args: str) -> Result:
    """Run the CLI in-process; an uncaught exception would be a traceback for the user."""
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_unreadable(report: Report, message: str) -> None:
    assert report.error is not None and report.error.message() == message
    assert report.cells == {}
    assert report.findings == []
    assert report.version is None


def assert_cli_unreadable(path: Path, message: str) -> None:
    """check --json: one object with error set and exit 0 (an unreadable file is not exit 2)."""
    result = cli("check", str(path), "--json")
    assert result.exit_code == 0
    (obj,) = json_lines(result)
    assert obj["source"] == str(path)
    assert obj["error"] == message
    assert obj["cells"] == {}
    assert obj["findings"] == []
    human = cli("check", str(path))
    assert human.exit_code == 0
    shown = human.stdout.replace("\n", "")  # rich wraps long lines at the console width
    assert f"无法读取: {message}" in shown
    assert "共 1 份报告：0 个错误，0 个警告，0 条提示，1 份无法读取" in human.stdout


def same_reading(report: Report, reference: Report) -> None:
    """Parsed exactly alike: metadata, every cell (value, raw, kind, source) and every finding."""
    assert report.error is None
    assert (report.version, report.year, report.body, report.title, report.published) == (
        reference.version, reference.year, reference.body, reference.title, reference.published)
    assert report.cells == reference.cells
    assert [f.to_dict() for f in report.findings] == [f.to_dict() for f in reference.findings]


# ------------------------------------------------------------------ empty
@pytest.mark.parametrize("data", [b"", b" \t\r\n\r\n   \n", b"\n" * 10_000, b"\x00\x00 \n"],
                         ids=["empty", "whitespace", "newlines", "nul-and-space"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "report.txt", data)
    assert_unreadable(parse_file(path), EMPTY)
    assert_unreadable(check_file(path), EMPTY)
    assert_cli_unreadable(path, EMPTY)
    english = cli("check", str(path), "--json", "--lang", "en")
    assert json_lines(english)[0]["error"] == "the file is empty"


def test_parse_command_on_an_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", b"")
    result = cli("parse", str(path), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["error"] == EMPTY
    human = cli("parse", str(path))
    assert human.exit_code == 0
    assert f"无法读取: {EMPTY}" in human.stdout.replace("\n", "")


# ------------------------------------------------------------------ binary
@pytest.mark.parametrize("data", [
    random.Random(1).randbytes(4096),  # holds NULs: not UTF-16 either
    random.Random(2).randbytes(300),
    bytes(range(32)) * 40,  # control bytes only
    b"%s\x00\x01\x02\x03" % b"\x7fELF" * 200,
], ids=["random-4k", "random-300", "control-bytes", "elf-like"])
def test_binary_garbage(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "report.txt", data)
    assert_unreadable(check_file(path), BINARY)
    assert_cli_unreadable(path, BINARY)


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04" + random.Random(3).randbytes(200), "暂不支持的文件类型：zip"),
    (b"7z\xbc\xaf\x27\x1c" + random.Random(4).randbytes(200), "暂不支持的文件类型：7z"),
    (b"Rar!\x1a\x07\x00" + random.Random(5).randbytes(200), "暂不支持的文件类型：rar"),
    (b"\x89PNG\r\n\x1a\n" + random.Random(6).randbytes(200), "图片文件已损坏或无法解码（image）"),
], ids=["zip", "7z", "rar", "png"])
def test_recognised_but_unreadable_types(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path / "report.txt", data)  # the name says .txt; the content decides
    assert_unreadable(check_file(path), message)
    assert_cli_unreadable(path, message)


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize(("number", "codec"), [
    ("001", "gbk"), ("002", "gbk"), ("000", "gb18030"), ("003", "gb18030"), ("004", "gb18030"),
])
def test_gbk_and_gb18030_read_like_utf8(tmp_path: Path, number: str, codec: str) -> None:
    original = seed(number)
    path = write(tmp_path / original.name, original.read_text("utf-8").encode(codec))
    report = check_file(path)
    same_reading(report, check_file(original))
    assert report.encoding == "gb18030"
    assert len(report.cells) == 198


@pytest.mark.parametrize(("encode", "encoding"), [
    (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8 (BOM)"),
    (lambda text: text.encode("utf-16"), "utf-16 (BOM)"),
    (lambda text: text.encode("utf-16-le"), "utf-16-le"),
    (lambda text: text.encode("utf-16-be"), "utf-16-be"),
    (lambda text: text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
], ids=["utf8-bom", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf8-crlf"])
@pytest.mark.parametrize("number", ["002", "004"])
def test_unicode_variants_read_like_utf8(tmp_path: Path, number: str, encode: Any, encoding: str) -> None:
    original = seed(number)
    path = write(tmp_path / original.name, encode(original.read_text("utf-8")))
    report = check_file(path)
    same_reading(report, check_file(original))
    assert report.encoding == encoding


BIG5_TEXT = (
    "夾河子鄉政府信息公開工作2020年度報告\n"
    "一、總體情況\n"
    "2020年，我鄉政府信息公開工作嚴格按照條例要求開展，主動公開政府信息情況良好。\n"
    "二、主動公開政府信息情況\n"
    "本年度沒有收到政府信息公開申請。\n"
)


def test_big5_is_decoded_as_big5(tmp_path: Path) -> None:
    data = BIG5_TEXT.encode("big5")
    data.decode("gb18030")  # the bytes also decode as GB18030: the choice is by content
    doc = read_bytes(data)
    assert doc.meta["encoding"] == "big5"
    assert [p.text for p in doc.paragraphs] == BIG5_TEXT.splitlines()
    report = check_file(write(tmp_path / "big5.txt", data))
    assert report.error is None
    assert report.encoding == "big5"


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", bytes(range(0x80, 0x100)) * 20)
    assert_unreadable(check_file(path), ENCODING)
    assert_cli_unreadable(path, ENCODING)
    english = cli("check", str(path), "--json", "--lang", "en")
    assert json_lines(english)[0]["error"] == "cannot determine the text encoding (not UTF-8/UTF-16, not GB18030/GBK)"


# ------------------------------------------------------------------ no tables, no sections
@pytest.mark.parametrize("number", ["001", "002"])  # tab-separated rows; one cell per line
def test_report_without_tables(tmp_path: Path, number: str) -> None:
    text = seed(number).read_text("utf-8")
    kept = "".join(line for line in text.splitlines(keepends=True) if "\t" not in line)
    path = write(tmp_path / "no_tables.txt", kept.encode("utf-8"))
    report = check_file(path)
    assert report.error is None
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.year == 2020
    assert report.version is None  # no standard table was found (contract.md)
    assert report.tables == {}
    assert report.cells == {}
    # Never a 0: every cell is unread, so no arithmetic rule can run on it.
    assert all(report.number(cid) is None for cid in FORMAT_2019.cell_ids())
    errors = [(f.code, f.message()) for f in report.findings if f.severity == "error"]
    assert errors == [("FMT-TABLE-NOT-TEXT", TABLE_NOT_TEXT.format(title)) for title in (
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")]
    assert not [f for f in report.findings if f.code.startswith(("APP-", "ACT-", "LIT-", "VAL-"))]
    result = cli("check", str(path), "--json")
    assert result.exit_code == 1  # FMT-TABLE-NOT-TEXT is an error finding
    (obj,) = json_lines(result)
    assert obj["error"] is None
    assert obj["version"] is None
    assert obj["cells"] == {}
    assert [f["code"] for f in obj["findings"] if f["severity"] == "error"] == ["FMT-TABLE-NOT-TEXT"] * 3


def test_prose_without_sections(tmp_path: Path) -> None:
    path = write(tmp_path / "prose.txt", "这是一段普通的文字，没有任何章节标题。\n".encode() * 50)
    report = check_file(path)
    assert report.error is None
    assert report.version is None
    assert report.cells == {}
    assert [(f.code, f.severity, f.message()) for f in report.findings] == [
        ("FMT-SECTIONS", "error", NO_SECTIONS),
        ("META-TITLE", "warning", "标题“”没有按常见格式写明机关和年度"),
    ]
    result = cli("check", str(path), "--json")
    assert result.exit_code == 1
    assert [f["code"] for f in json_lines(result)[0]["findings"]] == ["FMT-SECTIONS", "META-TITLE"]


# ------------------------------------------------------------------ 50 MB
def big_file(path: Path, size: int) -> Path:
    """Whole copies of seed 002 until the file is at least `size` bytes (valid UTF-8 throughout)."""
    data = seed("002").read_bytes()
    with path.open("wb") as handle:
        for _ in range(-(-size // len(data))):
            handle.write(data)
    return path


@pytest.fixture(scope="module")
def fifty_mb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = big_file(tmp_path_factory.mktemp("big") / "big.txt", 50 * MIB)
    assert 50 * MIB <= path.stat().st_size < 50 * MIB + 10_000
    return path


TOO_LARGE = "文件过大（50.0 MB，上限 20.0 MB）：年度报告不会这么大，请检查文件或调高 --max-size"


def test_50mb_file_is_refused_before_it_is_read(fifty_mb: Path) -> None:
    tracemalloc.start()
    try:
        report = parse_file(fifty_mb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_unreadable(report, TOO_LARGE)
    assert report.sha256 is None  # refused from its size alone: the bytes were never read
    assert peak < 30 * MIB
    assert DEFAULT_MAX_BYTES == 20 * MIB
    assert_cli_unreadable(fifty_mb, TOO_LARGE)
    english = cli("check", str(fifty_mb), "--json", "--lang", "en")
    assert json_lines(english)[0]["error"] == (
        "file too large (50.0 MB, limit 20.0 MB): an annual report is never this big; check the file or raise --max-size")


_MEASURE = """
import resource, sys, time
from zfxxgk.cli import app
import zfxxgk.pipeline, zfxxgk.rules
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux: the interpreter and its imports
start = time.perf_counter()
try:
    app(sys.argv[1:], standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"MEASURE {code} {time.perf_counter() - start:.1f} {peak} {base}", file=sys.stderr)
"""


@pytest.mark.slow
def test_file_over_the_limit_is_read_with_a_raised_limit(tmp_path: Path) -> None:
    """--max-size moves the limit: at 1 MB a 1.5 MB file is refused, at 2 MB it parses, in bounded memory.

    The CLI runs in a child process that reports its own peak resident memory (tracemalloc would
    multiply the run time by four here; test_memory_grows_linearly measures with tracemalloc); its
    timeout only catches a hang. The 50 MB file with --max-size 100 (about 20-45 s, 1.2 GB peak: 6,283
    copies of seed 002, 201,001 findings, a 100 MB JSON line) is measured by bench/bench_bad_input.py.
    """
    path = big_file(tmp_path / "big.txt", 3 * MIB // 2)
    size = path.stat().st_size
    refused = cli("check", str(path), "--json", "--max-size", "1")
    assert refused.exit_code == 0
    assert json_lines(refused)[0]["error"] == "文件过大（1.5 MB，上限 1.0 MB）：年度报告不会这么大，请检查文件或调高 --max-size"
    command = [sys.executable, "-c", _MEASURE, "check", str(path), "--json", "--max-size", "2"]
    done = subprocess.run(command, capture_output=True, timeout=300, check=False, cwd=ROOT)
    assert b"Traceback" not in done.stderr
    measure = [line for line in done.stderr.decode().splitlines() if line.startswith("MEASURE ")]
    (line,) = measure
    _, code, _seconds, peak_kib, base_kib = line.split()
    assert code == "0"  # seed 002 has no error finding, nor do its copies
    # above what the imports take, at most 50 bytes per input byte (measured: about 40; was < 2.5 GB for 50 MB)
    assert (int(peak_kib) - int(base_kib)) * 1024 < 50 * size
    (obj,) = [json.loads(x) for x in done.stdout.splitlines()]
    assert obj["error"] is None
    assert obj["version"] == "2019"
    assert len(obj["cells"]) == 198
    assert obj["cells"]["t3.new_received.total"]["value"] == 0
    assert obj["title"] == "波密县玉许乡人民政府2020年政府信息公开工作年度报告"


@pytest.mark.slow
def test_memory_grows_linearly(tmp_path: Path) -> None:
    """parse_file's peak (tracemalloc) stays under 20 bytes per input byte (measured: about 14)."""
    path = big_file(tmp_path / "two.txt", 2 * MIB)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        report = parse_file(path, max_bytes=100 * MIB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.error is None
    assert report.version == "2019"
    assert peak < 20 * size


# ------------------------------------------------------------------ a folder of good and bad files
def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(seed("000"), folder / "a_000.txt")
    shutil.copy(seed("002"), folder / "b_002.txt")
    shutil.copy(seed("003"), folder / "sub" / "c_003.txt")
    write(folder / "empty.txt", b"")
    write(folder / "garbage.bin", random.Random(1).randbytes(2048))
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(folder / "pipe.txt")
    locked = folder / "locked.txt"
    shutil.copy(seed("001"), locked)
    locked.chmod(0)
    write(folder / ".hidden.txt", b"")  # hidden files are skipped
    return folder


def _locked_expectation() -> tuple[str | None, int]:
    # Tests usually run as root here, and root reads a file whatever its mode bits: then the
    # mode-000 copy of seed 001 is simply checked. Any other user gets the permission message.
    return (None, 198) if os.geteuid() == 0 else (PERMISSION, 0)


@pytest.mark.slow  # a child process (python -m zfxxgk), then the CLI twice in-process
def test_folder_with_bad_files_among_good_ones(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    # A subprocess with a timeout: a FIFO that blocked the reader would hang an in-process run.
    done = subprocess.run([sys.executable, "-m", "zfxxgk", "check", str(folder), "--json"],
                          capture_output=True, timeout=120, check=False, cwd=ROOT)
    assert b"Traceback" not in done.stdout + done.stderr
    assert done.returncode == 0  # the good reports have no error finding; bad files are not exit 2
    objects = {Path(o["source"]).relative_to(folder).as_posix(): o
               for o in (json.loads(line) for line in done.stdout.decode().splitlines())}
    assert list(objects) == ["a_000.txt", "b_002.txt", "dangling.txt", "empty.txt", "garbage.bin", "locked.txt",
                             "pipe.txt", "sub/c_003.txt"]
    locked_error, locked_cells = _locked_expectation()
    errors = {name: o["error"] for name, o in objects.items()}
    assert errors == {"a_000.txt": None, "b_002.txt": None, "dangling.txt": NO_SUCH_FILE, "empty.txt": EMPTY,
                      "garbage.bin": BINARY, "locked.txt": locked_error, "pipe.txt": NOT_REGULAR,
                      "sub/c_003.txt": None}
    cells = {name: len(o["cells"]) for name, o in objects.items()}
    assert cells == {"a_000.txt": 198, "b_002.txt": 198, "dangling.txt": 0, "empty.txt": 0, "garbage.bin": 0,
                     "locked.txt": locked_cells, "pipe.txt": 0, "sub/c_003.txt": 198}
    # The good ones are checked as if alone.
    for name, number in (("a_000.txt", "000"), ("b_002.txt", "002"), ("sub/c_003.txt", "003")):
        alone = check_file(seed(number))
        assert [f["code"] for f in objects[name]["findings"]] == [f.code for f in alone.findings]
        assert objects[name]["findings"]
    assert all(not o["findings"] for o in objects.values() if o["error"])

    # The human output says the same and counts the unreadable files.
    human = cli("check", str(folder))
    assert human.exit_code == 0
    shown = human.stdout.replace("\n", "")  # rich wraps long lines at the console width
    for message in (EMPTY, BINARY, NOT_REGULAR, NO_SUCH_FILE):
        assert f"无法读取: {message}" in shown
    severities = [f["severity"] for o in objects.values() for f in o["findings"]]
    unreadable = sum(1 for o in objects.values() if o["error"])
    assert (f"共 8 份报告：{severities.count('error')} 个错误，{severities.count('warning')} 个警告，"
            f"{severities.count('info')} 条提示，{unreadable} 份无法读取") in shown

    # A report with error findings among them makes the exit status 1.
    shutil.copy(seed("004"), folder / "d_004.txt")
    with_errors = cli("check", str(folder), "--json")
    assert with_errors.exit_code == 1
    objects = {Path(o["source"]).name: o for o in json_lines(with_errors)}
    assert len(objects) == 9
    assert {f["code"] for f in objects["d_004.txt"]["findings"] if f["severity"] == "error"} == {
        "APP-BALANCE", "APP-OUTCOME-SUM"}


def test_fifo_and_dangling_symlink_through_the_api(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    reports: list[Report] = []
    worker = threading.Thread(target=lambda: reports.append(check_file(fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert_unreadable(reports[0], NOT_REGULAR)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    assert_unreadable(check_file(dangling), NO_SUCH_FILE)
    assert_cli_unreadable(dangling, NO_SUCH_FILE)  # it exists as a link: not a "no such path" exit 2


def test_unreadable_mode_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    shutil.copy(seed("001"), locked)
    locked.chmod(0)
    report = check_file(locked)
    error, cells = _locked_expectation()
    assert report.error_message() == error
    assert len(report.cells) == cells
    result = cli("check", str(locked), "--json")
    assert result.exit_code == 0
    assert json_lines(result)[0]["error"] == error


# ------------------------------------------------------------------ the command cannot run: exit 2
def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = cli("check", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"路径不存在：{missing}\n"
    # Even beside a good file: the command as given cannot run.
    mixed = cli("check", str(seed("000")), str(missing), "--json")
    assert mixed.exit_code == 2
    assert mixed.stdout == ""
    english = cli("check", str(missing), "--lang", "en")
    assert english.exit_code == 2
    assert english.stderr == f"no such path: {missing}\n"
    parse = cli("parse", str(missing))
    assert parse.exit_code == 2
    assert parse.stderr == f"路径不存在：{missing}\n"


def test_empty_folder(tmp_path: Path) -> None:
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"没有找到可检查的文件：{tmp_path}\n"


@pytest.mark.parametrize(("args", "shown"), [
    (["--lang", "fr"], "Invalid value for '--lang'"),
    (["--max-size", "abc"], "Invalid value for '--max-size'"),
    (["--deadline", "13x"], "--deadline 应为 月-日（如 01-31）：13x"),
    (["--no-such-option"], "No such option: --no-such-option"),
])
def test_bad_option_value(args: list[str], shown: str) -> None:
    result = cli("check", str(seed("000")), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert shown in result.stderr


# ------------------------------------------------------------------ hostile text
# Each runs under a generous hang guard that only catches hangs and super-linear work; the timings
# (all well under a few seconds) are measured by bench/bench_bad_input.py.
def _guarded_check(data: bytes) -> Report:
    with hang_guard(60):
        report = parse_bytes(data, "hostile.txt")
        assert report.error is None
        run_checks(report)
    return report


# Megabytes of input, 0.2-0.9 s each: the slow layer.
@pytest.mark.slow
@pytest.mark.parametrize("data", [
    "政".encode() * 5_000_000,
    b"a" * 5_000_000,
    "一、总体情况，主动公开".encode() * 500_000,
], ids=["cjk", "ascii", "title-words"])
def test_one_line_of_five_million_characters(data: bytes) -> None:
    report = _guarded_check(data)
    assert report.version is None
    assert report.cells == {}
    assert [f.code for f in report.findings] == ["FMT-SECTIONS", "META-TITLE"]


@pytest.mark.slow  # measured about 3-5 s: 2.5 million table cells are built
def test_one_line_of_two_and_a_half_million_tab_separated_cells() -> None:
    report = _guarded_check(b"1\t" * 2_500_000)
    assert report.version is None
    assert [f.code for f in report.findings] == ["FMT-SECTIONS", "META-TITLE"]


@pytest.mark.parametrize("filler", [b"\t\n", *(pytest.param(f, marks=pytest.mark.slow) for f in (b"\t\t\t\n", b"\t\n\n", b" \t \r\n"))],
                         ids=["tab", "tabs", "tab-blank", "crlf"])
@pytest.mark.parametrize("where", ["after", "before"])
def test_a_million_tab_only_lines(filler: bytes, where: str) -> None:
    original = seed("002").read_bytes()
    lines = filler * (1_000_000 // filler.count(b"\n"))
    data = original + lines if where == "after" else lines + original
    report = _guarded_check(data)
    reference = check_file(seed("002"))
    assert report.cells.keys() == reference.cells.keys()
    assert {cid: c.value for cid, c in report.cells.items()} == {cid: c.value for cid, c in reference.cells.items()}
    assert sorted(f.code for f in report.findings) == sorted(f.code for f in reference.findings)


def test_only_tab_lines_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "tabs.txt", b"\t\n" * 1_000_000)
    with hang_guard(60):
        assert_unreadable(check_file(path), EMPTY)


def test_a_few_nul_bytes_inside_utf8_text(tmp_path: Path) -> None:
    original = seed("002").read_bytes()
    path = write(tmp_path / "nul.txt", original.replace(b"\n", b"\x00\n", 3).replace(b"\t0\n", b"\t0\x00\n", 2))
    report = check_file(path)
    same_reading(report, check_file(seed("002")))
    assert report.encoding == "utf-8"


def test_many_nul_bytes_inside_utf8_text_is_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "nul.txt", seed("002").read_bytes().replace(b"\n", b"\x00\n"))
    with hang_guard(60):
        assert_unreadable(check_file(path), BINARY)


def test_file_larger_than_its_stat_size() -> None:
    """/proc files stat as 0 bytes: load reads them whole, and still stops at the limit."""
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    assert load(status).startswith(b"Name:")
    with pytest.raises(ReadError) as refused:
        load(status, max_bytes=100)
    assert str(refused.value) == "文件过大（> 0.0 MB，上限 0.0 MB）：年度报告不会这么大，请检查文件或调高 --max-size"

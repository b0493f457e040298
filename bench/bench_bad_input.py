"""Time and memory on hostile and oversized input: the timings the tests no longer assert.

Run from the repository root: python bench/bench_bad_input.py [--repeat N] [--no-50mb]

The tests (test_bad_input.py, test_readers_malformed.py, test_pdf.py) check the same inputs with
deterministic bounds (work counted, refusal before parsing, a generous hang guard), so a busy
machine cannot fail them; this script prints the seconds, next to the targets those tests used to
assert. Each line is the median of --repeat runs (the 50 MB file: one run in a child process, which
also reports its peak resident memory).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import seed  # noqa: E402
from tests.pdf_truth import HUAIAN  # noqa: E402

from timing import median_seconds  # noqa: E402
from zfxxgk import check_file, parse_bytes, run_checks  # noqa: E402
from zfxxgk.errors import ReadError  # noqa: E402
from zfxxgk.readers import read_bytes  # noqa: E402

MIB = 1024 * 1024
_MEASURE = """
import resource, sys, time
from zfxxgk.cli import app
start = time.perf_counter()
try:
    app(sys.argv[1:], standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
print(f"MEASURE {code} {time.perf_counter() - start:.2f} {peak}", file=sys.stderr)
"""


def _check(data: bytes) -> None:
    report = parse_bytes(data, "hostile.txt")
    run_checks(report)


def _refused(data: bytes) -> None:
    try:
        read_bytes(data)
    except ReadError:
        return
    raise AssertionError("not refused")


def _blank_pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _big_file(path: Path, size: int) -> Path:
    data = seed("002").read_bytes()
    with path.open("wb") as handle:
        for _ in range(-(-size // len(data))):
            handle.write(data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-50mb", action="store_true", help="leave out the 50 MB file (20-45 s, 1.2 GB)")
    args = parser.parse_args()

    seed2 = seed("002").read_bytes()
    row = "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>\n"
    para = "<p>本机关认真贯彻落实政府信息公开条例。</p>\n"
    # (what, the bound its test used to assert in seconds, the input, what is timed); inputs are built untimed
    cases: list[tuple[str, float, bytes, Callable[[bytes], object]]] = [
        ("text: one line of 5 million CJK characters", 5, "政".encode() * 5_000_000, _check),
        ("text: one line of 5 million ASCII characters", 5, b"a" * 5_000_000, _check),
        ("text: one line of title words (5.5 M chars)", 5, "一、总体情况，主动公开".encode() * 500_000, _check),
        ("text: 2.5 million tab-separated cells", 20, b"1\t" * 2_500_000, _check),
        ("text: seed 002 + a million tab-only lines", 5, seed2 + b"\t\n" * 1_000_000, _check),
        ("text: a million tab-only lines + seed 002", 5, b"\t\n" * 1_000_000 + seed2, _check),
        ("text: only tab lines (refused as empty)", 5, b"\t\n" * 1_000_000, parse_bytes),
        ("text: NUL before every newline (binary)", 5, seed2.replace(b"\n", b"\x00\n"), parse_bytes),
        ("html: 30 MB of table rows (refused)", 5,
         ("<table>" + row * (30 * MIB // len(row.encode())) + "</table>").encode(), _refused),
        ("html: 15 MB of paragraphs (read)", 30, ("<html><body>" + para * 250_000 + "</body></html>").encode(),
         read_bytes),
        ("pdf: 500 blank pages (refused)", 2, _blank_pdf(500), _refused),
        ("pdf: 300 blank pages (read)", 10, _blank_pdf(300), read_bytes),
        ("pdf: huaian 2024, 6 pages with a text layer", 0.5, HUAIAN.read_bytes(), read_bytes),
    ]
    read_bytes(HUAIAN.read_bytes())  # warm imports
    print(f"{'input':<50}{'median s':>10}{'was asserted <':>16}")
    for name, target, data, fn in cases:
        print(f"{name:<50}{median_seconds(lambda fn=fn, data=data: fn(data), args.repeat):>10.3f}{target:>16g}")

    with tempfile.TemporaryDirectory(prefix="zfxxgk-bench-") as tmp:
        two = _big_file(Path(tmp) / "two.txt", 2 * MIB)
        print(f"{'text: 2 MB (256 copies of seed 002), check_file':<50}"
              f"{median_seconds(lambda: check_file(two, max_bytes=100 * MIB), args.repeat):>10.3f}")
        if args.no_50mb:
            return
        big = _big_file(Path(tmp) / "big.txt", 50 * MIB)
        command = [sys.executable, "-c", _MEASURE, "check", str(big), "--json", "--max-size", "100"]
        done = subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
        line = next(x for x in done.stderr.decode().splitlines() if x.startswith("MEASURE "))
        _, code, seconds, peak_kib = line.split()
        (obj,) = [json.loads(x) for x in done.stdout.splitlines()]
        print(f"{'cli: check --max-size 100 on 50 MB (child process)':<50}{float(seconds):>10.1f}{300:>16g}"
              f"   exit {code}, peak {int(peak_kib) / 1024:.0f} MB (was asserted < 2500), "
              f"{len(obj['findings'])} findings, {len(done.stdout) / MIB:.0f} MB of JSON")


if __name__ == "__main__":
    main()

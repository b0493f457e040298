"""Reader cost: median ms per report for .docx and .html, and one LibreOffice call for 20 .doc files.

Run from the repository root: python bench/bench_readers.py [--repeat N] [--no-libreoffice]
The .docx is the official 2021 template filled with a number in every cell; the .html inputs are
the five seed reports re-drawn as web pages with the official spans (tests/office_helpers.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.office_helpers import SEEDS, distinct_values, fill_template, seed_html  # noqa: E402

from zfxxgk.pipeline import parse_bytes  # noqa: E402
from zfxxgk.readers import read_bytes  # noqa: E402
from zfxxgk.readers.libreoffice import convert_files, find_soffice, read_many  # noqa: E402


def _median_ms(inputs: list[bytes], fn: Callable[[bytes], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        for data in inputs:
            start = time.perf_counter()
            fn(data)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    docx_inputs = [fill_template(distinct_values("2021"))]
    html_inputs = [seed_html(p).encode("utf-8") for p in SEEDS]
    print(f"docx  read only      median {_median_ms(docx_inputs, read_bytes, args.repeat):8.1f} ms/report")
    print(f"docx  read+extract   median {_median_ms(docx_inputs, parse_bytes, args.repeat):8.1f} ms/report")
    print(f"html  read only      median {_median_ms(html_inputs, read_bytes, args.repeat):8.1f} ms/report "
          f"({len(html_inputs)} seed pages)")
    print(f"html  read+extract   median {_median_ms(html_inputs, parse_bytes, args.repeat):8.1f} ms/report")

    if args.no_libreoffice or find_soffice() is None:
        print("doc   LibreOffice not installed: skipped" if not args.no_libreoffice else "doc   skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "t.docx"
        src.write_bytes(docx_inputs[0])
        (doc_path,) = convert_files([src], "doc:MS Word 97", Path(tmp))
        assert doc_path is not None
        doc_bytes = doc_path.read_bytes()
    items = [(doc_bytes, "doc")] * 20
    start = time.perf_counter()
    results = read_many(items)
    total = time.perf_counter() - start
    failed = sum(1 for r in results if not hasattr(r, "blocks"))
    print(f"doc   20 files, one LibreOffice call: {total * 1000:8.0f} ms total, {total * 1000 / 20:6.0f} ms/report"
          f" ({failed} failed)")
    start = time.perf_counter()
    read_many(items[:1])
    print(f"doc   1 file, one LibreOffice call:   {(time.perf_counter() - start) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()

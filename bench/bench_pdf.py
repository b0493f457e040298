"""PDF cost, side by side with plain pdfplumber on the same files, in one run.

Run from the repository root: python bench/bench_pdf.py [--repeat N] [--ocr-pages N] [--no-ocr]

- text layer: median seconds per whole report (reader + locate + extract, i.e. parse_bytes) for the
  two real PDFs (target ≤ 0.5 s for the 6-page 淮安 report), next to `pdfplumber.open()` +
  `page.extract_tables()` on every page of the same file (which finds tables only: no text,
  no stitching, no extraction);
- OCR: seconds per scanned page (a table page rendered at 200 dpi, rotated 0.5°, blurred, saved as
  JPEG in a PDF), next to pdfplumber.extract_tables() on the same scanned file (which finds nothing:
  a scan has no text layer).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pdf_truth import HONGZE, HUAIAN  # noqa: E402

from timing import median_seconds  # noqa: E402
from zfxxgk.pipeline import parse_bytes  # noqa: E402


def _plumber_tables(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--ocr-pages", type=int, default=2, help="scanned pages to OCR (each ~10-20 s on 2 CPUs)")
    parser.add_argument("--no-ocr", action="store_true")
    args = parser.parse_args()

    print(f"{'file':<34}{'pages':>6}{'zfxxgk s/report':>17}{'pdfplumber s':>14}{'cells':>7}")
    for path in (HUAIAN, HONGZE):
        data = path.read_bytes()
        parse_bytes(data)  # warm imports
        ours = median_seconds(lambda data=data: parse_bytes(data), args.repeat)
        plumber = median_seconds(lambda data=data: _plumber_tables(data), args.repeat)
        report = parse_bytes(data)
        numbers = sum(1 for c in report.cells.values() if c.kind == "number")
        print(f"{path.name:<34}{report.pages and len(report.pages.get('text', [])):>6}{ours:>17.3f}{plumber:>14.3f}"
              f"{numbers:>7}")

    if args.no_ocr:
        return
    from zfxxgk.readers import ocr

    if not ocr.available():
        print("OCR: not installed (pip install 'zfxxgk[ocr]')")
        return
    from tests.scans import jpeg_pdf, scan_pages

    pages = [4, 5, 3][: max(1, args.ocr_pages)]
    scans = [jpeg_pdf([img], 200) for img in scan_pages(HUAIAN, pages, 200)]
    start = time.perf_counter()
    ocr.engine()  # importing rapidocr and loading its models: counted apart, once per process
    load = time.perf_counter() - start
    per_page = []
    plumber_scan = []
    for data in scans:
        start = time.perf_counter()
        report = parse_bytes(data)
        per_page.append(time.perf_counter() - start)
        plumber_scan.append(median_seconds(lambda data=data: _plumber_tables(data), 1))
        assert report.pages == {"ocr": [1]}, report.pages
    print(f"OCR (rapidocr, 200 dpi): {statistics.median(per_page):.1f} s per page over {len(scans)} pages "
          f"(model load {load:.1f} s once); pdfplumber.extract_tables() on the same scans: "
          f"{statistics.median(plumber_scan):.3f} s, 0 tables (no text layer)")


if __name__ == "__main__":
    main()

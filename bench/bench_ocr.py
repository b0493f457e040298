"""Scanned reports: the whole read against plain full-page rapidocr on the table pages alone, in one run.

Run from the repository root: python bench/bench_ocr.py [--repeat N] [--profile] [--variants [NAME ...]]

- speed: each real PDF fixture scanned whole (every page at 200 dpi, tilted 0.5°, blurred, JPEG in a
  PDF) is read by `parse_bytes` (reader + locate + extract); plain rapidocr (the same det/rec models,
  no direction classifier, default settings) reads only the table pages, rendered at 200 dpi. Model
  loading is excluded from both (one warm-up call each). Runs alternate; medians of wall and CPU
  seconds (CPU is steadier on a shared machine) and their ratios are printed with the load average.
- --profile: where the time of one read goes (cProfile, the OCR steps by cumulative time).
- --variants [NAME ...] [--inputs huaian 002 ...]: the accuracy matrix (tests/scans.py VARIANTS) on both
  fixtures' table pages and on the five seeds rendered as PDF (every page), as a Markdown table: cells
  right, unread, wrong but flagged VAL-LOW-CONFIDENCE, wrong and NOT flagged (must be 0), seconds per page.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pdf_truth import HONGZE, HONGZE_CELLS, HUAIAN, HUAIAN_CELLS  # noqa: E402
from tests.scans import SEED_SEALS, VARIANTS, jpeg_pdf, scan_pages, variant_pages  # noqa: E402

from zfxxgk.options import Options  # noqa: E402
from zfxxgk.pipeline import parse_bytes  # noqa: E402
from zfxxgk.rules import run_checks  # noqa: E402

TABLE_PAGES = {HUAIAN: [3, 4, 5], HONGZE: [2, 3, 4]}
TRUTH = {HUAIAN: HUAIAN_CELLS, HONGZE: HONGZE_CELLS}


def _timed(fn: Callable[..., object], *args: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def _plain_pages(plain: Callable[..., object], images: list[object]) -> None:
    for image in images:
        plain(image)


def _page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(path.read_bytes()))


def speed(repeat: int) -> None:
    import numpy as np
    import pypdfium2 as pdfium
    from rapidocr import RapidOCR

    from zfxxgk.readers import ocr

    plain = RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error"})
    for path, tables in TABLE_PAGES.items():
        pages = list(range(1, _page_count(path) + 1))
        scan = jpeg_pdf(scan_pages(path, pages, 200), 200)
        doc = pdfium.PdfDocument(scan)
        images = [np.asarray(doc[n - 1].render(scale=200 / 72).to_pil().convert("RGB")) for n in tables]
        plain(images[0])  # model load excluded
        ocr.engine()(images[0], use_det=True, use_cls=False, use_rec=False)
        ocr.engine().recognize_txt([images[0][:48, :200]])
        ours, theirs = [], []
        for _ in range(repeat):
            ours.append(_timed(parse_bytes, scan, path.name))
            theirs.append(_timed(_plain_pages, plain, images))
        wall = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in theirs)
        cpu = statistics.median(c for _, c in ours), statistics.median(c for _, c in theirs)
        print(f"{path.name}: {len(pages)} scanned pages read whole: {wall[0]:.1f} s wall, {cpu[0]:.1f} s CPU | "
              f"plain rapidocr on the {len(tables)} table pages: {wall[1]:.1f} s wall, {cpu[1]:.1f} s CPU | "
              f"ratio {wall[0] / wall[1]:.2f} wall, {cpu[0] / cpu[1]:.2f} CPU")


def profile() -> None:
    scan = jpeg_pdf(scan_pages(HUAIAN, list(range(1, 7)), 200), 200)
    parse_bytes(scan, "warm-up")
    profiler = cProfile.Profile()
    profiler.runcall(parse_bytes, scan, "huaian")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"readers/(ocr|pdf)\.py|rapidocr/main\.py|pipeline", 18)


def _kept(path: Path, inputs: list[str]) -> bool:
    return not inputs or any(part in path.name for part in inputs)


def _seed_pdfs(folder: Path, inputs: list[str]) -> dict[Path, dict[str, object]]:
    """The seed reports rendered as PDFs (`zfxxgk render`), with their cells read from the text layer."""
    out: dict[Path, dict[str, object]] = {}
    for seed in sorted((ROOT.parent / "shared" / "fixtures" / "seeds").glob("*.txt")):
        if not _kept(seed, inputs):
            continue
        pdf = folder / f"{seed.stem}.pdf"
        subprocess.run([sys.executable, "-m", "zfxxgk", "render", str(seed), "--to", "pdf", "-o", str(pdf), "--force"],
                       check=True, capture_output=True)
        report = parse_bytes(pdf.read_bytes(), pdf.name)
        out[pdf] = {cid: c.value for cid, c in report.cells.items() if c.kind != "missing"}
    return out


def variants(names: list[str], inputs: list[str]) -> int:
    """The accuracy matrix; returns the number of wrong cells not flagged (0 when all is well). `inputs`:
    parts of file names (huaian, 002 ...) to keep, all when empty."""
    low = Options().low_confidence
    silent_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        seeds = _seed_pdfs(Path(tmp), inputs)
        print("| variant | input | right | unread | wrong, flagged | wrong, NOT flagged | s/page |", flush=True)
        print("|---|---|---|---|---|---|---|", flush=True)
        for name in names:
            for path, truth in [*((p, TRUTH[p]) for p in TABLE_PAGES if _kept(p, inputs)), *seeds.items()]:
                silent_total += _variant(name, path, truth, low, path in seeds)
    return silent_total


def _variant(name: str, path: Path, truth: dict[str, object], low: float, seed: bool) -> int:
    """One scan variant of one report: prints cells right, unread and wrong but not flagged."""
    tables = list(range(1, _page_count(path) + 1)) if seed else TABLE_PAGES[path]
    start = time.perf_counter()
    images = variant_pages(path, tables, name, SEED_SEALS if seed else None)
    report = parse_bytes(jpeg_pdf(images, VARIANTS[name][0]), path.name)
    run_checks(report)
    seconds = (time.perf_counter() - start) / len(tables)
    wrong = [c for c, v in truth.items() if report.cells[c].value != v]
    flagged = {c for f in report.findings if f.code == "VAL-LOW-CONFIDENCE" for c in f.cells}
    unread = {c for c in wrong if report.cells[c].value is None}
    conf = {c: report.cells[c].confidence for c in wrong}
    silent = [c for c in wrong if c not in unread and not (c in flagged and conf[c] is not None and conf[c] < low)]
    right = len(truth) - len(wrong)
    print(f"| {name:10} | {path.name:26} | {right}/{len(truth)} ({100 * right / len(truth):.1f} %) | {len(unread)} "
          f"| {len(wrong) - len(unread) - len(silent)} | {len(silent)} {' '.join(silent[:4])} | {seconds:.1f} |",
          flush=True)
    return len(silent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--variants", nargs="*", help="variants to check (all when none is named)")
    parser.add_argument("--inputs", nargs="*", default=[], help="with --variants: inputs to keep (huaian, 002 ...)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}, {os.cpu_count()} CPUs", flush=True)
    if args.profile:
        profile()
    elif args.variants is not None:
        sys.exit(1 if variants(args.variants or list(VARIANTS), args.inputs) else 0)
    else:
        speed(args.repeat)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()

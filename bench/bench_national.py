"""A national year on one machine: `python bench/bench_national.py [N] [--forms text,html,docx,pdf,scan] [--jobs J]`.

1. Generates N synthetic 2021-format reports with distinct bodies and values (tests/synth.py), in the
   mix of forms seen in practice: text, HTML, .docx, text-layer PDF (LibreOffice, converted in one
   batch) and a few scans (PNG pages of the PDFs, read by OCR). `--forms text` gives text only.
2. Runs `zfxxgk check -j J --jsonl` over them (a child process, files on disk, the whole process counted)
   and prints reports per second, the parent's and the largest worker's peak memory (VmHWM / ru_maxrss),
   and the CPU time per report of the parent and of the workers (what a busy machine inflates least);
   with `--compare`, also `-j 1`, the speed-up and whether the sorted lines are identical; `--repeat R`
   runs them R times alternately and prints the medians (the VM's speed drifts from run to run).
3. Runs `zfxxgk ingest -j J` into a new SQLite store.
4. The time per form: `check -j J` over each form's files alone, reports per second.

`--src DIR` runs the commands from another source tree (e.g. `mkdir /tmp/old && git archive HEAD~3 src | tar -x
-C /tmp/old`, then `--src /tmp/old/src`), to compare two versions on the same files and the same machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.store_data import report_text  # noqa: E402
from tests.synth import consistent_cells, with_totals  # noqa: E402

MIX = {"text": 0.60, "html": 0.25, "docx": 0.12, "pdf": 0.025, "scan": 0.005}
EXT = {"text": "txt", "html": "html", "docx": "docx", "pdf": "pdf", "scan": "png"}

# Runs the CLI in a child and reports its own peak memory and its workers' at exit.
RUN = """
import atexit, resource, sys
def peaks():
    hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    sys.stderr.write(f"PEAK {hwm} {kids.ru_maxrss} {own.ru_utime + own.ru_stime} {kids.ru_utime + kids.ru_stime}\\n")
atexit.register(peaks)
from zfxxgk.cli import app
sys.argv = ['zfxxgk', *sys.argv[1:]]
app()
"""


def forms_of(n: int, forms: list[str]) -> list[str]:
    """Each report's form, in the mix's proportions (at least one of each form asked for)."""
    weights = [MIX[f] for f in forms]
    counts = [max(1, round(n * w / sum(weights))) for w in weights]
    counts[0] += n - sum(counts)
    return [f for f, c in zip(forms, counts, strict=True) for _ in range(c)]


def generate(folder: Path, n: int, forms: list[str], seed: int = 2024) -> dict[str, list[Path]]:
    from zfxxgk.outputs.generate import render_report
    from zfxxgk.report import Report
    from zfxxgk.values import json_number

    rng = random.Random(seed)
    by_form: dict[str, list[Path]] = {f: [] for f in forms}
    to_pdf: list[Path] = []
    for i, form in enumerate(forms_of(n, forms)):
        body = f"某某省某某市第{i}局"
        cells = with_totals(consistent_cells("2021", rng), "2021")
        sub = folder / form / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{i:06d}.{EXT[form]}"
        if form == "text":
            path.write_text(report_text(cells, "2021", 2024, body=body), "utf-8")
        else:
            numbers = {k: json_number(v) if isinstance(v, Decimal) else v for k, v in cells.items()}
            report = Report.from_dict({"cells": numbers, "year": 2024, "body": body})
            kind = "html" if form == "html" else "docx"
            content = render_report(report, kind, force=True).content
            if form in ("pdf", "scan"):
                path = path.with_suffix(".docx")
                to_pdf.append(path)
            path.write_bytes(content)
        by_form[form].append(path)
    if to_pdf:
        from zfxxgk.readers.libreoffice import convert_files

        for folder_of in {p.parent for p in to_pdf}:
            batch = [p for p in to_pdf if p.parent == folder_of]
            convert_files(batch, "pdf", folder_of, timeout=600)
            for p in batch:
                p.unlink()
        by_form = {f: [p.with_suffix(".pdf") if p in to_pdf else p for p in ps] for f, ps in by_form.items()}
    for pdf in by_form.get("scan", []):  # a scan: the page as a picture, no text layer
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
                       check=True)
        pdf.unlink()
    by_form["scan"] = [p.with_suffix(".png") for p in by_form.get("scan", [])]
    return {f: ps for f, ps in by_form.items() if ps}


SRC = ROOT / "src"  # --src: another source tree (an older checkout) to compare with


@dataclass
class Run:
    """One command: wall seconds, exit code, peak memory (MB) of the parent and the largest worker, CPU seconds."""

    secs: float
    code: int
    parent: int
    kids: int
    cpu_parent: float
    cpu_kids: float

    def cpu(self, n: int) -> str:
        """CPU per report: the measure a busy machine inflates least (wall time counts other people's work)."""
        return (f"CPU {(self.cpu_parent + self.cpu_kids) / n * 1000:.2f} ms/report (parent "
                f"{self.cpu_parent / n * 1000:.2f}, workers {self.cpu_kids / n * 1000:.2f})")


def run(args: list[str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)})
    elapsed = time.perf_counter() - start
    peak = [line.split()[1:] for line in proc.stderr.splitlines() if line.startswith("PEAK ")]
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-2000:])
    if not peak:
        return Run(elapsed, proc.returncode, 0, 0, 0.0, 0.0)
    hwm, kids, cpu_parent, cpu_kids = peak[-1]
    return Run(elapsed, proc.returncode, int(hwm) // 1024, int(kids) // 1024, float(cpu_parent), float(cpu_kids))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--forms", default=",".join(MIX))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--compare", action="store_true", help="also -j 1, and compare the lines")
    parser.add_argument("--repeat", type=int, default=1, help="check runs (with --compare: pairs), and their median")
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--src", type=Path, help="run the commands from this source tree (to compare versions)")
    args = parser.parse_args()
    if args.src is not None:
        global SRC
        SRC = args.src.resolve()
    forms = args.forms.split(",")
    work = args.keep or Path(tempfile.mkdtemp(prefix="zfxxgk-national-"))
    data = work / "reports"
    start = time.perf_counter()
    if not data.exists():
        generate(data, args.n, forms)
    files = {f: sorted((data / f).rglob("*.*")) for f in forms if (data / f).exists()}
    total = sum(len(v) for v in files.values())
    print(f"{total} reports ({', '.join(f'{f} {len(v)}' for f, v in files.items())}) in {work}, "
          f"generated in {time.perf_counter() - start:.0f} s")
    out, one = work / f"j{args.jobs}.jsonl", work / "j1.jsonl"
    rates: list[float] = []
    ratios: list[float] = []
    for _ in range(args.repeat):  # -j J and -j 1 alternately: this VM's speed drifts by ±10 % from run to run
        load = os.getloadavg()
        two = run(["check", "-j", str(args.jobs), "--jsonl", str(out), str(data)])
        rates.append(total / two.secs)
        print(f"check -j {args.jobs}: {total / two.secs:.0f} reports/s ({two.secs:.1f} s, exit {two.code}); peak memory: "
              f"parent {two.parent} MB, largest worker {two.kids} MB; {two.cpu(total)}; "
              f"load average before {load[0]:.2f} on {os.cpu_count()} cores")
        if args.compare:
            single = run(["check", "-j", "1", "--jsonl", str(one), str(data)])
            same = sorted(one.read_text("utf-8").splitlines()) == sorted(out.read_text("utf-8").splitlines())
            ratios.append(single.secs / two.secs)
            print(f"check -j 1: {total / single.secs:.0f} reports/s ({single.secs:.1f} s, parent {single.parent} MB); "
                  f"speed-up {single.secs / two.secs:.2f}x; sorted lines identical: {same}")
    if args.repeat > 1:
        print(f"check -j {args.jobs} over {args.repeat} runs: median {statistics.median(rates):.0f} reports/s "
              f"(least {min(rates):.0f}, most {max(rates):.0f})"
              + (f"; speed-up median {statistics.median(ratios):.2f}x" if ratios else ""))
    if not args.no_ingest:
        db = work / "store.db"
        db.unlink(missing_ok=True)
        stored = run(["ingest", "-j", str(args.jobs), "--db", str(db), str(data)])
        print(f"ingest -j {args.jobs}: {total / stored.secs:.0f} reports/s ({stored.secs:.1f} s, exit {stored.code}); "
              f"peak memory: parent {stored.parent} MB, largest worker {stored.kids} MB; {stored.cpu(total)}")
    if len(files) > 1:
        for form, paths in files.items():
            secs = run(["check", "-j", str(args.jobs), "--jsonl", os.devnull, str(data / form)]).secs
            print(f"  {form:5} {len(paths):6} files  {len(paths) / secs:8.1f} reports/s  "
                  f"{secs / len(paths) * 1000:8.1f} ms per report")
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()

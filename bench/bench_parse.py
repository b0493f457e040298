"""Throughput of parse and parse+check on the seed reports, on one core.

    python bench/bench_parse.py [--repeat 2000]

Runs in-process on a single thread: the five seed reports (already in memory, so disk time is not
measured) are parsed and checked `repeat` times each. Prints the median milliseconds per report
and reports per second for

- parse only: read (decode + text reader) + locate + extract, i.e. `parse_bytes`;
- parse+check: the same plus every rule of the catalogue (`run_checks`);
- cold: the first call of each kind in a fresh process, with every cache empty (catalogue not
  loaded, lru caches of normalisation and value parsing cold);
- warm: all later calls.

The target is at least 300 reports per second for warm parse+check.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "fixtures" / "seeds"
TARGET = 300.0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2000, help="times each seed is processed (default 2000)")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of .txt reports")
    args = parser.parse_args()

    t_import = time.perf_counter()
    from zfxxgk import parse_bytes, run_checks  # imported here so that import time is shown apart

    import_ms = (time.perf_counter() - t_import) * 1000
    files = sorted(args.seeds.glob("*.txt"))
    if not files:
        print(f"no .txt reports in {args.seeds}", file=sys.stderr)
        return 2
    blobs = [(f.name, f.read_bytes()) for f in files]

    # Cold: the very first parse, then the very first check (loads the catalogue), caches empty.
    name, data = blobs[0]
    start = time.perf_counter()
    report = parse_bytes(data, name)
    cold_parse = time.perf_counter() - start
    start = time.perf_counter()
    run_checks(report)
    cold_check = time.perf_counter() - start

    parse_times: list[float] = []
    full_times: list[float] = []
    findings = 0
    clock = time.perf_counter
    cpu_start = time.process_time()
    for _ in range(args.repeat):
        for name, data in blobs:
            start = clock()
            report = parse_bytes(data, name)
            parsed = clock()
            run_checks(report)
            done = clock()
            parse_times.append(parsed - start)
            full_times.append(done - start)
            findings += len(report.findings)
            if report.error is not None:
                print(f"{name}: {report.error}", file=sys.stderr)
                return 1
    cpu = time.process_time() - cpu_start
    n = len(full_times)
    total_parse, total_full = sum(parse_times), sum(full_times)

    print(f"zfxxgk parse benchmark: {len(blobs)} seed reports x {args.repeat} = {n} reports, one thread")
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} "
          f"{platform.machine()}, CPU: {cpu_model()}")
    print(f"import zfxxgk: {import_ms:.0f} ms; findings per report: {findings / n:.1f}")
    print()
    header = f"{'':<22}{'median ms':>10}{'p90 ms':>9}{'mean ms':>9}{'reports/s':>11}"
    print(header)
    print("-" * len(header))
    rows = [
        ("parse only, warm", parse_times, total_parse),
        ("parse+check, warm", full_times, total_full),
    ]
    for label, times, total in rows:
        ordered = sorted(times)
        print(f"{label:<22}{statistics.median(times) * 1000:>10.2f}{ordered[int(len(ordered) * 0.9)] * 1000:>9.2f}"
              f"{total / len(times) * 1000:>9.2f}{len(times) / total:>11.0f}")
    print(f"{'parse only, cold':<22}{cold_parse * 1000:>10.2f}{'':>9}{'':>9}{1 / cold_parse:>11.0f}")
    cold_full = cold_parse + cold_check
    print(f"{'parse+check, cold':<22}{cold_full * 1000:>10.2f}{'':>9}{'':>9}{1 / cold_full:>11.0f}")
    print()
    rate = n / total_full
    verdict = "meets" if rate >= TARGET else "BELOW"
    print(f"parse+check: {rate:.0f} reports/s ({verdict} the target of {TARGET:.0f}/s); "
          f"checks take {(total_full - total_parse) / total_full:.0%} of the time")
    print(f"CPU time of the warm loop: {cpu:.2f} s for {n} reports = {n / cpu:.0f} reports per CPU-second "
          f"(wall {total_full:.2f} s; a gap means the core was shared)")
    print("(cold = first call in this process, one sample; the machine may be shared, so compare runs on the same load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

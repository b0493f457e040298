"""Throughput of parse and parse+check on the seed reports, on one core.

    python bench/bench_parse.py [--repeat 2000]

Runs in-process on a single thread: the five seed reports (already in memory, so disk time is not
measured) are parsed and checked `repeat` times each. Prints the median milliseconds per report
and reports per second for

- parse only: read (decode + text reader) + locate + extract, i.e. `parse_bytes`;
- parse+check: the same plus every rule of the catalogue (`run_checks`);
- +JSON line: the same plus the line `check --jsonl` writes (`to_dict`, `json_line`): what a `check -j`
  worker does for each report, less reading the file and sending the line;
- cold: the first call of each kind in a fresh process, with every cache empty (catalogue not
  loaded, lru caches of normalisation and value parsing cold);
- warm: all later calls.

The target is at least 300 reports per second for warm parse+check. `--src DIR` imports zfxxgk from
another source tree (e.g. an older checkout made with `git archive`), to compare two versions on the same load.
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
    parser.add_argument("--src", type=Path, help="import zfxxgk from this source tree (to compare versions)")
    parser.add_argument("--stages", action="store_true", help="also the CPU time of each stage (reader, locator, …)")
    args = parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))

    t_import = time.perf_counter()
    from zfxxgk import parse_bytes, run_checks  # imported here so that import time is shown apart
    from zfxxgk.sanitize import json_line

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
    line_times: list[float] = []
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
            json_line(report.to_dict())
            lined = clock()
            parse_times.append(parsed - start)
            full_times.append(done - start)
            line_times.append(lined - start)
            findings += len(report.findings)
            if report.error is not None:
                print(f"{name}: {report.error}", file=sys.stderr)
                return 1
    cpu = time.process_time() - cpu_start
    n = len(full_times)
    total_parse, total_full, total_line = sum(parse_times), sum(full_times), sum(line_times)

    print(f"zfxxgk parse benchmark: {len(blobs)} seed reports x {args.repeat} = {n} reports, one thread"
          f"{f' (zfxxgk from {args.src})' if args.src else ''}")
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
        ("+JSON line, warm", line_times, total_line),
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
    print(f"CPU time of the warm loop (parse, check and JSON line): {cpu:.2f} s for {n} reports = "
          f"{cpu / n * 1000:.2f} ms a report (wall {total_line:.2f} s; a gap means the core was shared)")
    print("(cold = first call in this process, one sample; the machine may be shared, so compare runs on the same load)")
    if args.stages:
        print_stages([data for _, data in blobs], max(1, args.repeat // 10))
    return 0


def print_stages(blobs: list[bytes], repeat: int) -> None:
    """CPU milliseconds a report in each stage of a `check -j` worker, the least of three passes (a shared machine
    inflates every pass; the least is the closest to the work itself)."""
    from zfxxgk import parse_bytes, run_checks
    from zfxxgk.extract import detect_version, extract_table
    from zfxxgk.locate import locate
    from zfxxgk.readers import read_bytes
    from zfxxgk.sanitize import clean_document, json_line

    names = ["reader", "clean", "locate", "version", "extract", "check", "to_dict", "json_line"]
    clock = time.process_time
    best: list[float] = []
    for _ in range(3):
        sums = [0.0] * len(names)
        for _ in range(repeat):
            for data in blobs:
                t = [clock()]
                doc = read_bytes(data)
                t.append(clock())
                doc = clean_document(doc)
                t.append(clock())
                loc = locate(doc)
                t.append(clock())
                versions = {kind: detect_version(kind, tables) for kind, tables in loc.tables.items()}
                t.append(clock())
                for kind, tables in loc.tables.items():
                    extract_table(kind, versions[kind][0] or "2021", tables)
                t.append(clock())
                report = parse_bytes(data)  # the whole parse again (not timed), for the stages after it
                t.append(clock())
                run_checks(report)
                t.append(clock())
                record = report.to_dict()
                t.append(clock())
                json_line(record)
                t.append(clock())
                steps = [t[i + 1] - t[i] for i in range(len(t) - 1)]
                del steps[5]  # the untimed parse
                sums = [a + b for a, b in zip(sums, steps, strict=True)]
        best = sums if not best else [min(a, b) for a, b in zip(best, sums, strict=True)]
    n = repeat * len(blobs)
    print()
    print("CPU ms a report by stage (least of 3 passes of " + f"{n} reports): "
          + ", ".join(f"{name} {total / n * 1000:.3f}" for name, total in zip(names, best, strict=True))
          + f"; in all {sum(best) / n * 1000:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())

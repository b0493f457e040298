"""Report store benchmark: `python bench/bench_store.py [N] [--db URL] [--jobs J]`.

1. ingest: N synthetic text reports (tests/synth.py, 2021 format, year 2024, N bodies spread over
   淮安市's 7 districts and counties) into a new SQLite file, as `zfxxgk ingest` does it (parse +
   all checks + cross-year checks + store); target ≥ 200 reports/s.
2. cross-year lookup: for 1,000 bodies that also have a 2023 report, find the body by its printed
   name and load last year's report; target < 50 ms each (median and worst reported).
3. stats: `region_stats` over 淮安市 for 2024, i.e. all N reports; target < 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.store_data import report_text  # noqa: E402
from tests.synth import consistent_cells  # noqa: E402

from zfxxgk.cli.store import ingest_files  # noqa: E402
from zfxxgk.readers import DEFAULT_MAX_BYTES  # noqa: E402
from zfxxgk.store import Store  # noqa: E402
from zfxxgk.store.stats import region_stats  # noqa: E402

COUNTIES = ("淮安区", "淮阴区", "清江浦区", "洪泽区", "涟水县", "盱眙县", "金湖县")


def body(i: int) -> str:
    return f"淮安市{COUNTIES[i % len(COUNTIES)]}第{i}局"


def write_reports(folder: Path, n: int, year: int, rng: random.Random, start: int = 0) -> list[Path]:
    paths = []
    for i in range(start, start + n):
        path = folder / f"{year}-{i:05d}.txt"
        path.write_text(report_text(consistent_cells("2021", rng), "2021", year, body=body(i), fresh_prose=i % 2 == 0),
                        "utf-8")
        paths.append(path)
    return paths


def _cpu() -> float:
    """CPU seconds of this process and its finished children: the measure that a busy machine does not inflate."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    rng = random.Random(2024)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.db or str(folder / "bench.db")
        last_year = write_reports(folder, 1000, 2023, rng)
        this_year = write_reports(folder, args.n, 2024, rng)
        store = Store(url)
        for _ in ingest_files(store, last_year, DEFAULT_MAX_BYTES, None, None, args.jobs, lambda: None):
            pass
        cpu0 = _cpu()
        start = time.perf_counter()
        done = list(ingest_files(store, this_year, DEFAULT_MAX_BYTES, None, None, args.jobs, lambda: None))
        elapsed = time.perf_counter() - start
        cpu = _cpu() - cpu0
        assert sum(d.status == "new" for d in done) == args.n, "every report stored"
        print(f"ingest: {args.n} reports in {elapsed:.1f} s = {args.n / elapsed:.0f} reports/s "
              f"({args.jobs} parsing processes, {store.engine.dialect.name}); CPU {cpu / args.n * 1000:.2f} ms/report "
              f"in all processes, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        times = []
        for i in range(1000):
            t0 = time.perf_counter()
            found = store.find_body(body(i))
            assert found is not None
            prev = store.current(int(found["id"]), 2023)
            assert prev is not None and prev.year == 2023
            times.append(time.perf_counter() - t0)
        print(f"cross-year lookup: median {statistics.median(times) * 1000:.1f} ms, "
              f"worst {max(times) * 1000:.1f} ms (1,000 bodies)")

        start = time.perf_counter()
        result = region_stats(store, "320800", 2024)
        elapsed = time.perf_counter() - start
        assert result.region.reports == args.n
        print(f"stats: {result.region.reports} reports, {len(result.region.sums)} cells summed in {elapsed:.2f} s")
        store.close()


if __name__ == "__main__":
    main()

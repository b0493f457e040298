"""What splitting runs of digits costs: crawled page text with and without separators (issue 13).

    python bench/bench_crawl.py [--repeat 50]

Each seed (and the 淮安 2024 PDF) is rendered as a web page; its text is taken once with no separator
(`get_text("")`: table cells run together) and once with spaces between cells. Both are parsed
`repeat` times in-process; the difference of the medians is what finding the rows in running text
and splitting the runs under the format's constraints adds per report. Target: under 20 ms.
It prints CPU seconds per report too (the wall clock includes waiting on a shared machine).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import bs4

from zfxxgk import parse_bytes
from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.generate import render_bytes
from zfxxgk.runs import _summing

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
TARGET_MS = 20.0


def texts(path: Path) -> tuple[bytes, bytes]:
    html = render_bytes(compose(parse_bytes(path.read_bytes(), path.name)), "html").decode()
    soup = bs4.BeautifulSoup(re.sub(r">\s+<", "><", html), "html.parser")
    return soup.get_text("").encode(), soup.get_text(" ").encode()


def median_ms(data: bytes, repeat: int) -> tuple[float, float]:
    wall: list[float] = []
    cpu0 = time.process_time()
    for _ in range(repeat):
        _summing.cache_clear()  # every report pays for its own splitting
        t = time.perf_counter()
        parse_bytes(data, "crawl.txt")
        wall.append((time.perf_counter() - t) * 1000)
    return statistics.median(wall), (time.process_time() - cpu0) * 1000 / repeat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    paths = [*sorted((FIXTURES / "seeds").glob("*.txt")), FIXTURES / "real" / "huaian-city-2024.pdf"]
    worst = 0.0
    print(f"{'report':<28}{'no separator':>14}{'separated':>12}{'added':>9}{'added CPU':>11}  (ms per report)")
    for path in paths:
        run, spaced = texts(path)
        (a, a_cpu), (b, b_cpu) = median_ms(run, repeat), median_ms(spaced, repeat)
        worst = max(worst, a - b)
        print(f"{path.stem[:27]:<28}{a:>14.2f}{b:>12.2f}{a - b:>9.2f}{a_cpu - b_cpu:>11.2f}")
    print(f"worst added: {worst:.2f} ms (target < {TARGET_MS:.0f} ms): {'ok' if worst < TARGET_MS else 'OVER'}")


if __name__ == "__main__":
    main()

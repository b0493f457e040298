"""What `check`, `export` and `ingest` share for batches: -j, the per-file limits, --resume, and the runner glue."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ..batch import Fault, Limits, Pool, cpu_count, fault_problem, fault_report, file_sha256, read_done
from ..batch.office import office_groups
from ..i18n import t
from ..report import Report
from ..sanitize import clean_path, json_bytes
from .common import _write, say

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only by the commands that use it
    from ..store.sources import Item

JobsOpt = Annotated[int, typer.Option(
    "-j", "--jobs", min=0, help="并行进程数（0：文件多时用全部核心）/ worker processes (0: all cores for a batch)")]
ResumeOpt = Annotated[bool, typer.Option(
    "--resume", help="跳过输出中已有（按 sha256）的文件 / skip files already in the output (by sha256)")]
TimeoutOpt = Annotated[float, typer.Option(
    "--timeout", min=1, help="每个文件的时间上限（秒）/ per-file time limit (s)")]
DaskOpt = Annotated[str | None, typer.Option(
    "--dask", help="在 Dask 集群上运行：local 或 tcp://主机:8786 / run on a Dask cluster: local or tcp://HOST:8786")]
MemoryOpt = Annotated[int, typer.Option(
    "--memory", min=128, help="每个工作进程的内存上限（MB）/ per-worker memory limit (MB)")]

PARALLEL_FROM = 32  # files; with -j 0 a smaller batch runs in this process
R = TypeVar("R")
Task = tuple[Path, Path]  # a file and the path it was found under


def workers(jobs: int, files: int) -> int:
    """Worker processes for a batch; 0 means none (this process does the work)."""
    if jobs:
        return jobs
    return cpu_count() if files >= PARALLEL_FROM else 0


def run_files(files: list[Task], work: Callable[[Path, Path], R], fault: Callable[[Path, Fault], R], jobs: int,
              limits: Limits, dask: str | None = None, group: Callable[[list[Task]], list[R]] | None = None,
              max_bytes: int = 0, ordered: bool = False) -> Iterator[R]:
    """Each file's result, as it finishes: in worker processes (faults contained), on a Dask cluster, or here
    for a small batch. `group`: the results of files LibreOffice converts together (batch/office.py).
    ordered: worker processes take files at most a window ahead of the oldest unfinished one, and results
    come in file order (Dask: as chunks finish)."""
    n = workers(jobs, len(files))
    if n == 0 and dask is None:
        yield from (work(f, r) for f, r in files)
        return
    batches = [[task] for task in files]
    if group is not None:
        singles, groups = office_groups([f for f, _ in files], max_bytes)
        batches = [[files[i] for i in b] for b in sorted([[i] for i in singles] + groups)]  # by their first file

    def run(batch: list[Task]) -> list[R]:
        return [work(*batch[0])] if len(batch) == 1 or group is None else group(batch)

    def failed(batch: list[Task], why: Fault) -> list[R]:
        return [fault(f, why) for f, _ in batch]

    if dask is not None:
        from ..batch.cluster import run_on_dask

        done: Iterator[list[R]] = run_on_dask(dask, batches, run, failed, jobs, limits)
    else:
        done = (results for _, results in Pool(run, failed, n, limits).run(batches, ordered=ordered))
    for results in done:
        yield from results


@dataclass(slots=True)
class Outcome:
    """One checked file as the parent needs it: the JSON line, or the report itself (see `keep`)."""

    counts: dict[str, int]  # findings by severity
    unreadable: bool
    line: bytes = b""  # UTF-8, as written: the parent writes it without encoding it again
    report: Report | None = None

    def __reduce__(self) -> tuple[type[Outcome], tuple[Any, ...]]:
        # A thousand a second cross from the workers: a tuple pickles faster than the slots default.
        return Outcome, (self.counts, self.unreadable, self.line, self.report)


def outcome(report: Report, lang: str, keep: bool, line: bool) -> Outcome:
    """keep: the report itself (to compare, show or review); line: its finished JSON line."""
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return Outcome(counts, report.error is not None, json_line(report, lang) if line else b"", report if keep else None)


def json_line(report: Report, lang: str) -> bytes:
    """The line `--json` prints for a report (the same bytes as common.dump)."""
    return json_bytes(report.to_dict(lang))


def write_line(line: bytes) -> None:
    """A finished JSON line (clean UTF-8) on stdout; a terminal in another encoding gets it as text."""
    if (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8" and hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
    else:
        _write(sys.stdout, line.decode("utf-8"))


def resumed(files: list[Task], output: Path, max_bytes: int, lang: str) -> list[Task]:
    """The files not yet in an interrupted run's JSON Lines output (by sha256, else by name)."""
    done = read_done(output)
    rest = [(f, r) for f, r in files if not done.holds(clean_path(f), file_sha256(f, max_bytes))]
    say(t("batch.resumed", lang, skipped=len(files) - len(rest), rest=len(rest)))
    return rest


def faulted(max_bytes: int, lang: str, keep: bool) -> Callable[[Path, Fault], Outcome]:
    return lambda file, why: outcome(fault_report(file, why, max_bytes), lang, keep, not keep)


def ingest_on_dask(address: str, files: list[Path], limit: int, jobs: int, limits: Limits,
                   known: Callable[[str], bool], advance: Callable[[], None]) -> Iterator[tuple[Item, Report | None, bool]]:
    """`ingest --dask`: the Dask workers read, parse and check the files (they see the same paths); here, in
    file order, each input without its bytes, its report (None when the store holds it already, or when it
    could not be read: `Store.ingest` then says why) and whether it ends its file."""
    from ..batch.cluster import run_on_dask
    from ..store import items
    from ..store.core import parse_item

    def inputs(file: Path) -> list[Item]:
        return list(items([file], lambda p: [p], limit))

    def work(file: Path) -> list[tuple[Item, Report | None]]:
        return [(item.bare(), parse_item(item) if item.data is not None else None) for item in inputs(file)]

    def fault(file: Path, why: Fault) -> list[tuple[Item, Report | None]]:
        return [(item.bare(), Report(source=item.name, sha256=item.sha256, error=fault_problem(why)))
                for item in inputs(file)]

    for results in run_on_dask(address, files, work, fault, jobs, limits, ordered=True):
        if not results:
            advance()
        for n, (item, report) in enumerate(results):
            yield item, None if report is None or known(item.sha256) else report, n == len(results) - 1

"""`export`, `render`, `form`, and the review files of `check --html/--xlsx`.

Messages go to stderr, so stdout can carry a file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Limits, fault_report
from ..i18n import t
from ..report import Report, ReportDataError
from ..sanitize import clean_object, clean_text
from .batching import DaskOpt, JobsOpt, MemoryOpt, TimeoutOpt, run_files
from .common import (
    DEFAULT_MAX_MB,
    Lang,
    LangOpt,
    MaxSizeOpt,
    check_outputs,
    fail,
    files_under,
    guarded,
    max_bytes,
    problem_of,
    say,
)


class Shape(StrEnum):
    wide = "wide"
    long = "long"


class Target(StrEnum):
    docx = "docx"
    html = "html"
    pdf = "pdf"
    md = "md"


def write_review(reports: list[Report], html: Path | None, xlsx: Path | None, lang: str) -> None:
    if html is not None:
        from ..outputs.review_html import review_html

        html.write_text(clean_text(review_html(reports, lang)), "utf-8")
        say(t("review.written", lang, path=html))
    if xlsx is not None:
        from ..outputs.review_xlsx import review_xlsx

        xlsx.write_bytes(review_xlsx(reports, lang))
        say(t("review.written", lang, path=xlsx))


def _write_out(data: bytes, out: Path | None, binary: bool, to: str, lang: str) -> None:
    if out is not None:
        out.write_bytes(data)
        say(t("render.written", lang, path=out))
        return
    if binary and sys.stdout.isatty():
        fail(t("render.needs_out", lang, to=to))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def export(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="报告文件、文件夹或报告 JSON（给出 --db 时可省略）/ files, folders or report JSON")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="CSV 文件 / CSV file")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Excel 文件 / Excel file")] = None,
    parquet: Annotated[Path | None, typer.Option("--parquet", help="Parquet 文件 / Parquet file")] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="JSON Lines 文件 / JSON Lines file")] = None,
    shape: Annotated[Shape, typer.Option("--shape", help="wide：每份报告一行；long：每个单元格一行")] = Shape.wide,
    lang: LangOpt = Lang.zh,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    db: Annotated[str | None, typer.Option("--db", help="从报告库导出当前报告 / export the store's current reports")] = None,
    region: Annotated[str | None, typer.Option("--region", help="只导出该区划（配合 --db）/ only this region")] = None,
    year: Annotated[int | None, typer.Option("--year", help="只导出该年度（配合 --db）/ only this year")] = None,
    jobs: JobsOpt = 0,
    timeout: TimeoutOpt = DEFAULT_SECONDS,
    memory: MemoryOpt = DEFAULT_MEMORY_MB,
    dask: DaskOpt = None,
) -> None:
    """导出多份报告的单元格数据（CSV/Excel/Parquet/JSONL）。Export cells of many reports."""
    from ..inputs import read_report_data
    from ..outputs.export import Exporter
    from ..pipeline import parse_file

    outputs = {"csv": csv, "xlsx": xlsx, "parquet": parquet, "jsonl": jsonl}
    if not any(outputs.values()):
        fail(t("export.no_output", lang))
    limit = max_bytes(max_size, lang)
    if parquet is not None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            fail(t("export.needs_pyarrow", lang))
    paths = paths or []
    if not paths and db is None:
        fail(t("cli.no_files", lang, path="—"))
    for path in paths:
        if not path.exists():
            fail(t("cli.no_such_path", lang, path=path))
    files = [(f, p) for p in paths for f in files_under(p)]
    check_outputs(outputs.values(), [*paths, *(f for f, _ in files)], lang)
    # Reports go to the writers one at a time (outputs/export.py Exporter): memory stays flat, except Excel's.
    exporter = Exporter({kind: out for kind, out in outputs.items() if out is not None}, shape.value)
    order = {file: i for i, (file, _) in enumerate(files)}

    def read_one(file: Path, root: Path) -> tuple[int, list[Report]]:
        """A file's place and reports: one parsed document, or the reports of a report-data file."""
        extra: list[Report] = []

        def work() -> Report:
            loaded = read_report_data(file)
            if loaded is None:
                return parse_file(file, limit)
            if not loaded:
                raise ReportDataError("empty")
            extra.extend(loaded[1:])
            return clean_object(loaded[0])  # not a reader's document: cleaned whole

        return order[file], [guarded(file, root, work, lang), *(clean_object(r) for r in extra)]

    try:
        if db is not None:
            from .store import stored_reports

            for report in stored_reports(db, region, year, lang):
                exporter.add(report)
        # Workers finish in any order; the rows keep the order of the files.
        done = run_files(files, read_one, lambda f, why: (order[f], [fault_report(f, why, limit)]),
                         jobs, Limits(timeout, memory), dask, ordered=True)
        for first, *extra in in_order(done):
            if first.error is not None and first.error.code == "report_data":  # one bad JSON file: a row, and a word
                say(t("export.skipped", lang, path=first.source, reason=first.error.message(lang)))
            for report in (first, *extra):
                exporter.add(report)
        failures = exporter.finish()
    finally:
        exporter.close()
    for kind, out in outputs.items():
        if out is None:
            continue
        exc = failures[kind]
        if exc is not None:
            say(t("export.failed", lang, path=out, reason=f"{type(exc).__name__}: {exc}"))
            continue
        say(t("export.written", lang, reports=exporter.reports, shape=shape.value, path=out))
    if any(failures.values()):
        raise typer.Exit(2)


def in_order(done: Iterable[tuple[int, list[Report]]]) -> Iterator[list[Report]]:
    """Results by their index, as soon as each one's turn comes (only the early ones wait)."""
    waiting: dict[int, list[Report]] = {}
    turn = 0
    for index, reports in done:
        waiting[index] = reports
        while turn in waiting:
            yield waiting.pop(turn)
            turn += 1
    for index in sorted(waiting):  # indexes are 0..n-1, so nothing is left; kept for safety
        yield waiting.pop(index)


def render(
    data: Annotated[Path, typer.Argument(
        help="报告数据：报告 JSON、填报表（xlsx）或报告文件 / report JSON, form or report")],
    to: Annotated[Target, typer.Option("--to", help="输出格式 / output format")] = Target.docx,
    out: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件 / output file")] = None,
    force: Annotated[bool, typer.Option("--force", help="数据有错误也生成 / write even with errors")] = False,
    prefill: Annotated[Path | None, typer.Option("--prefill", help="上年报告 / last year's report")] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """按官方格式生成年度报告（Word/HTML/PDF/Markdown）。Write a report in the official layout."""
    from ..errors import ReadError
    from ..outputs.form import FormError
    from ..outputs.generate import render_report
    from ..outputs.prefill import prefill_from

    for path in (data, prefill):
        if path is not None and not path.exists():
            fail(t("cli.no_such_path", lang, path=path))
    check_outputs((out,), (data, prefill), lang)
    report, last = _load(data, lang), (prefill_from(_load(prefill, lang)) if prefill is not None else None)
    try:
        result = render_report(report, to.value, lang, force, last)
    except (ReadError, RuntimeError, OSError, ImportError) as exc:
        fail(t("render.failed", lang, reason=exc.message(lang) if isinstance(exc, ReadError) else exc))
    except FormError as exc:
        fail(str(exc))
    for note in result.notes:
        say(note)
    if result.blocking and not force:
        say(t("render.stopped", lang, n=len(result.blocking)))
        for f in result.blocking:
            say(f"  {f.code}  {f.message(lang, report.version)}")
        raise typer.Exit(1)
    _write_out(result.content, out, to.value in ("docx", "pdf"), to.value, lang)


def _load(path: Path, lang: str) -> Report:
    from ..inputs import load_report
    from ..outputs.form import FormError

    try:
        return clean_object(load_report(path))  # text from the file is written into the output
    except ReportDataError as exc:
        fail(t("render.bad_input", lang, path=path, reason=exc.message(lang)))
    except FormError as exc:
        fail(t("render.bad_input", lang, path=path, reason=exc))
    except Exception as exc:  # anything else in the file: its message, never a traceback
        fail(t("render.bad_input", lang, path=path, reason=problem_of(exc, lang).message(lang)))


def form(
    year: Annotated[int, typer.Option("--year", help="报告年度 / statistical year")],
    out: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件 / output file")] = None,
    body: Annotated[str, typer.Option("--body", help="机关名称 / body name")] = "",
    prefill: Annotated[Path | None, typer.Option("--prefill", help="上年报告 / last year's report")] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """生成填报用的 Excel 表（官方表格）。Write a fill-in Excel form."""
    from ..outputs.form import FormError, write_form
    from ..outputs.prefill import prefill_from

    if prefill is not None and not prefill.exists():
        fail(t("cli.no_such_path", lang, path=prefill))
    check_outputs((out,), (prefill,) if prefill is not None else (), lang)
    last = prefill_from(_load(prefill, lang)) if prefill is not None else None
    try:
        content = write_form(year, clean_text(body), last, lang)
    except (FormError, ValueError) as exc:
        fail(str(exc))
    _write_out(content, out, True, "xlsx", lang)

"""`parse`, `check` and `rules`: reading and checking reports (spec/contract.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from ..batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, BatchProgress, Limits
from ..batch.office import parse_group
from ..i18n import t
from ..pipeline import check_file, parse_file
from ..report import Report
from ..rules import Options, catalogue, run_checks
from .batching import (
    DaskOpt,
    JobsOpt,
    MemoryOpt,
    ResumeOpt,
    TimeoutOpt,
    faulted,
    outcome,
    resumed,
    run_files,
    write_line,
)
from .common import (
    DEFAULT_MAX_MB,
    JsonOpt,
    Lang,
    LangOpt,
    MaxSizeOpt,
    check_outputs,
    console,
    dump,
    fail,
    files_under,
    guarded,
    max_bytes,
    say,
)
from .show import print_findings, print_header, print_tables

FLUSH_EVERY = 0.5  # seconds between writes of the JSON Lines output (at most)


def parse(
    file: Annotated[Path, typer.Argument(help="报告文件 / report file")],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
) -> None:
    """提取一份报告的数据（不核对）。Extract one report (no checks)."""
    if not file.exists() and not file.is_symlink():
        fail(t("cli.no_such_path", lang, path=file))
    limit = max_bytes(max_size, lang)
    report = guarded(file, file, lambda: parse_file(file, limit), lang)
    if as_json:
        dump(report.to_dict(lang))
        return
    out = console()
    print_header(out, report, lang)
    if report.error is None:
        print_tables(out, report, lang)


def check(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="文件或文件夹（给出 --db 时可省略：核对库中全部当前报告）/ files or folders")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="每份报告一行 JSON / JSON Lines")] = False,
    lang: LangOpt = Lang.zh,
    deadline: Annotated[str, typer.Option("--deadline", help="发布期限（次年 月-日）/ deadline MM-DD")] = "01-31",
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    html: Annotated[Path | None, typer.Option("--html", help="核查报告网页 / review page (HTML)")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="核查结果工作簿 / review workbook (Excel)")] = None,
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="上年报告，用于跨年度核对 / last year's report, for the cross-year rules")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="报告库：从库中取上年报告；不给文件时核对库中全部当前报告 / report store")] = None,
    jobs: JobsOpt = 0,
    jsonl: Annotated[Path | None, typer.Option(
        "--jsonl", help="逐行写出 JSON Lines 文件（终端只显示进度和汇总）/ write JSON Lines to a file")] = None,
    resume: ResumeOpt = False,
    timeout: TimeoutOpt = DEFAULT_SECONDS,
    memory: MemoryOpt = DEFAULT_MEMORY_MB,
    dask: DaskOpt = None,
) -> None:
    """解析并核对报告（文件或文件夹）。Extract and check reports."""
    from .store import cross_year

    options = Options(deadline=parse_deadline(deadline, lang))
    limit = max_bytes(max_size, lang)
    paths = paths or []
    cross = cross_year(db, previous, options, limit, lang)
    for path in paths:
        if not path.exists() and not path.is_symlink():
            fail(t("cli.no_such_path", lang, path=path))
    files = [(f, p) for p in paths for f in files_under(p)]
    if not files and (db is None or paths):
        fail(t("cli.no_files", lang, path=", ".join(map(str, paths))))
    check_outputs((html, xlsx, jsonl), [*paths, *(f for f, _ in files)], lang)
    if resume and jsonl is None:
        fail(t("batch.resume_needs_output", lang))
    files = resumed(files, jsonl, limit, lang) if resume and jsonl is not None else files
    out = console()
    counts: Counter[str] = Counter()
    failed = reports_with_errors = 0
    checked: list[Report] = []
    # The parent needs each report itself only to compare it with last year's, to show it or for the review files;
    # otherwise the workers send the finished JSON line and nothing of the report stays in memory.
    keep = cross is not None or html is not None or xlsx is not None or not (as_json or jsonl)
    stored = cross.stored() if cross is not None and not paths else iter(())
    outcomes = itertools.chain(
        run_files(files, lambda f, r: outcome(safe_check(f, options, limit, r, lang), lang, keep, not keep),
                  faulted(limit, lang, keep), jobs, Limits(timeout, memory), dask,
                  lambda group: [outcome(r, lang, keep, not keep) for r in check_group(group, options, limit, lang)],
                  limit),
        (outcome(report, lang, True, False) for report in stored))
    # Lines go out in writes of up to 1 MB, at least every FLUSH_EVERY seconds: a write of its own for each line cost
    # the parent a tenth of its time. A kill loses at most those seconds' lines, which --resume does again.
    sink = jsonl.open("ab" if resume else "wb", buffering=1 << 20) if jsonl is not None else None
    flushed = time.monotonic()
    progress = BatchProgress(len(files), lang, enabled=jsonl is not None or (as_json and len(files) > 1))
    try:
        with progress:
            for result in outcomes:
                if result.report is not None:
                    report = result.report
                    if cross is not None and files:
                        cross.apply(report)
                    result = outcome(report, lang, keep=True, line=as_json or jsonl is not None)
                    if html or xlsx:
                        checked.append(report)
                if result.counts:  # most reports of a clean year have none
                    counts.update(result.counts)
                failed += result.unreadable
                errors = "error" in result.counts
                reports_with_errors += errors
                progress.advance(errors, result.unreadable)
                if sink is not None:
                    sink.write(result.line)
                    if time.monotonic() - flushed >= FLUSH_EVERY:
                        sink.flush()
                        flushed = time.monotonic()
                if as_json:
                    write_line(result.line)
                elif sink is None and result.report is not None:
                    print_header(out, result.report, lang)
                    print_findings(out, result.report, lang)
    except KeyboardInterrupt:
        say(t("batch.interrupted", lang, done=progress.done, total=len(files)))
        raise typer.Exit(130) from None
    finally:
        if sink is not None:
            sink.close()
    if not as_json:
        out.print(t("cli.summary", lang, reports=progress.done, errors=counts["error"], warnings=counts["warning"],
                    infos=counts["info"], failed=failed))
    if html or xlsx:
        from .outputs import write_review

        write_review(checked, html, xlsx, lang)
    raise typer.Exit(1 if reports_with_errors else 0)


_DEADLINE = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def parse_deadline(value: str, lang: str) -> tuple[int, int]:
    """--deadline MM-DD, a day every year has (02-29 is not): refused before any reading."""
    m = _DEADLINE.match(value.strip())
    try:
        if m is None:
            raise ValueError(value)
        day = dt.date(2001, int(m.group(1)), int(m.group(2)))  # 2001: not a leap year
    except ValueError:
        fail(t("cli.bad_deadline", lang, value=value))
    return day.month, day.day


def safe_check(file: Path, options: Options, limit: int, root: Path | None = None, lang: str = "zh") -> Report:
    """One file checked inside the per-file guard (common.guarded): never an exception."""
    return guarded(file, root or file, lambda: check_file(file, options, limit), lang)


def check_group(files: list[tuple[Path, Path]], options: Options, limit: int, lang: str) -> list[Report]:
    """Files LibreOffice converts together (batch/office.py), each then checked inside the per-file guard."""
    def checked(report: Report) -> Report:
        if report.error is None:
            run_checks(report, options)
        return report

    parsed = parse_group([f for f, _ in files], limit, options)
    return [guarded(f, root, lambda r=report: checked(r), lang)
            for (f, root), report in zip(files, parsed, strict=True)]


def rules(
    code: Annotated[str | None, typer.Argument(help="规则代码 / rule code")] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出规则，或解释一条规则。List the rules, or explain one."""
    cat = catalogue()
    if code is not None:
        rule = cat.get(code.upper())
        if rule is None:
            fail(t("cli.unknown_rule", lang, code=code))
        if as_json:
            dump({"code": rule.code, "severity": rule.severity, "versions": rule.versions, "title": rule.title,
                  "explanation": rule.explanation, "example": rule.example})
            return
        out = console()
        out.print(f"[bold]{rule.code}[/bold]  {rule.title[lang]}")
        out.print(f"{t('cli.col.severity', lang)}: {t('severity.' + rule.severity, lang)}    "
                  f"{t('cli.col.versions', lang)}: {', '.join(rule.versions)}")
        out.print(f"\n{rule.explanation[lang]}")
        out.print(f"\n{t('cli.example', lang)}: {rule.example[lang]}")
        return
    if as_json:
        for rule in cat.values():
            dump({"code": rule.code, "severity": rule.severity, "versions": rule.versions, "title": rule.title})
        return
    table = RichTable(show_lines=False)
    for key in ("cli.col.code", "cli.col.severity", "cli.col.versions", "cli.col.title"):
        table.add_column(t(key, lang))
    for rule in cat.values():
        table.add_row(rule.code, t("severity." + rule.severity, lang), ", ".join(rule.versions), rule.title[lang])
    console().print(table)

"""The zfxxgk command: parse, check, rules (spec/contract.md).

Exit status of check: 0 no report has an error finding, 1 at least one has, 2 the command could
not run. A file that cannot be read is reported in the output and does not stop the run.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from . import __version__
from .i18n import MESSAGES, t
from .pipeline import check_file, parse_file
from .readers import DEFAULT_MAX_BYTES
from .report import MISSING, Report
from .rules import Options, catalogue
from .rules.registry import TABLE_NAMES, cell_name
from .values import Kind

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="政府信息公开工作年度报告：解析、核对。 Parse and check annual disclosure reports.")


class Lang(StrEnum):
    zh = "zh"
    en = "en"


LangOpt = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON / JSON output")]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", help="单个文件大小上限（MB）/ file size limit (MB)")]
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _version(value: bool) -> None:
    if value:
        print(f"zfxxgk {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本 / show the version")] = False,
) -> None:
    """政府信息公开工作年度报告：解析、核对。"""


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="报告文件 / report file")],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
    max_size: MaxSizeOpt = DEFAULT_MAX_BYTES / 1024 / 1024,
) -> None:
    """提取一份报告的数据（不核对）。Extract one report (no checks)."""
    if not file.exists() and not file.is_symlink():
        _fail(t("cli.no_such_path", lang, path=file))
    report = parse_file(file, int(max_size * 1024 * 1024), lang)
    if as_json:
        _write_json(report)
        return
    console = _console()
    _print_header(console, report, lang)
    if report.error is None:
        _print_tables(console, report, lang)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="每份报告一行 JSON / JSON Lines")] = False,
    lang: LangOpt = Lang.zh,
    deadline: Annotated[str, typer.Option("--deadline", help="发布期限（次年 月-日）/ deadline MM-DD")] = "01-31",
    max_size: MaxSizeOpt = DEFAULT_MAX_BYTES / 1024 / 1024,
    html: Annotated[Path | None, typer.Option("--html", help="核查报告网页 / review page (HTML)")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="核查结果工作簿 / review workbook (Excel)")] = None,
) -> None:
    """解析并核对报告（文件或文件夹）。Extract and check reports."""
    try:
        month, day = (int(x) for x in deadline.split("-"))
        options = Options(deadline=(month, day))
    except ValueError:
        _fail(f"--deadline: {deadline}")
    for path in paths:
        if not path.exists() and not path.is_symlink():
            _fail(t("cli.no_such_path", lang, path=path))
    files = [f for p in paths for f in _files(p)]
    if not files:
        _fail(t("cli.no_files", lang, path=", ".join(map(str, paths))))
    console = _console()
    counts: Counter[str] = Counter()
    failed = reports_with_errors = 0
    checked: list[Report] = []
    for file in files:
        report = _safe_check(file, lang, options, int(max_size * 1024 * 1024))
        checked.append(report)
        severities = Counter(f.severity for f in report.findings)
        counts.update(severities)
        failed += report.error is not None
        reports_with_errors += severities["error"] > 0
        if as_json:
            _write_json(report)
        else:
            _print_header(console, report, lang)
            _print_findings(console, report, lang)
    if not as_json:
        console.print(t("cli.summary", lang, reports=len(files), errors=counts["error"], warnings=counts["warning"],
                        infos=counts["info"], failed=failed))
    if html or xlsx:
        from .outputs.commands import write_review

        write_review(checked, html, xlsx, lang)
    raise typer.Exit(1 if reports_with_errors else 0)


@app.command()
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
            _fail(t("cli.unknown_rule", lang, code=code))
        if as_json:
            _dump({"code": rule.code, "severity": rule.severity, "versions": rule.versions, "title": rule.title,
                   "explanation": rule.explanation, "example": rule.example})
            return
        console = _console()
        console.print(f"[bold]{rule.code}[/bold]  {rule.title[lang]}")
        console.print(f"{t('cli.col.severity', lang)}: {t('severity.' + rule.severity, lang)}    "
                      f"{t('cli.col.versions', lang)}: {', '.join(rule.versions)}")
        console.print(f"\n{rule.explanation[lang]}")
        console.print(f"\n{t('cli.example', lang)}: {rule.example[lang]}")
        return
    if as_json:
        for rule in cat.values():
            _dump({"code": rule.code, "severity": rule.severity, "versions": rule.versions, "title": rule.title})
        return
    table = RichTable(show_lines=False)
    for key in ("cli.col.code", "cli.col.severity", "cli.col.versions", "cli.col.title"):
        table.add_column(t(key, lang))
    for rule in cat.values():
        table.add_row(rule.code, t("severity." + rule.severity, lang), ", ".join(rule.versions), rule.title[lang])
    _console().print(table)


# ------------------------------------------------------------------ helpers
def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise typer.Exit(2)


def _files(path: Path) -> list[Path]:
    """A file as given; a folder's files recursively, sorted, skipping hidden ones."""
    if not path.is_dir():
        return [path]
    out: list[Path] = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return out


def _safe_check(file: Path, lang: str, options: Options, max_bytes: int) -> Report:
    """One bad file must not stop a batch: an unexpected failure becomes that report's error."""
    try:
        return check_file(file, lang, options, max_bytes)
    except Exception as exc:  # reported per file; the run goes on
        return Report(source=str(file), error=f"internal error: {type(exc).__name__}: {exc}")


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _write_json(report: Report) -> None:
    _dump(report.to_json())


def _print_header(console: Console, r: Report, lang: str) -> None:
    console.rule(f"[bold]{r.source}[/bold]", align="left")
    if r.error:
        console.print(f"[bold red]{t('cli.unreadable', lang)}[/bold red]: {r.error}")
        return
    version = r.version or t("cli.version_none", lang)
    console.print(f"{t('cli.version', lang)}: {version}    {t('cli.body', lang)}: {r.body or '—'}    "
                  f"{t('cli.year', lang)}: {r.year or '—'}    {t('cli.published', lang)}: {r.published or '—'}")
    if r.title:
        console.print(f"{t('cli.title', lang)}: {r.title}")
    kinds = Counter(c.kind for c in r.cells.values())
    console.print(f"{t('cli.cells', lang)}: " + t(
        "cli.cells_stat", lang, total=len(r.cells), numbers=kinds[Kind.NUMBER], blank=kinds[Kind.BLANK] + kinds[Kind.NA],
        unread=kinds[Kind.UNREADABLE], missing=kinds[MISSING]))
    if r.pages:  # PDF and scans: which pages were read from the text layer and which by OCR
        routes = "    ".join(f"{t('cli.pages.' + k, lang) if 'cli.pages.' + k in MESSAGES else k} "
                               f"{', '.join(map(str, v))}" for k, v in r.pages.items() if v)
        console.print(f"{t('cli.pages', lang)}: {routes}")


def _print_findings(console: Console, r: Report, lang: str) -> None:
    if r.error:
        return
    if not r.findings:
        console.print(f"[green]{t('cli.no_findings', lang)}[/green]\n")
        return
    for f in r.findings:
        style = _SEVERITY_STYLE[f.severity]
        where = f"  [dim]{f.source.describe(lang)}[/dim]" if f.source else ""
        console.print(f"[{style}]{t('severity.' + f.severity, lang)}[/{style}] [bold]{f.code}[/bold]{where}")
        console.print(f"    {escape(f.message)}", soft_wrap=True)
    console.print()


def _print_tables(console: Console, r: Report, lang: str) -> None:
    """The extracted values, table by table, as the report printed them."""
    for key in ("t2", "t3", "t4"):
        ids = [cid for cid in r.cells if cid.startswith(key + ".")]
        if not ids:
            continue
        table = RichTable(title=TABLE_NAMES[key][lang], title_justify="left")
        table.add_column(t("cli.col.cells", lang))
        table.add_column("值" if lang == "zh" else "value", justify="right")
        table.add_column("原文" if lang == "zh" else "raw")
        table.add_column(t("cli.col.where", lang))
        for cid in ids:
            cell = r.cells[cid]
            value = "" if cell.value is None else str(cell.value)
            raw = "（未找到）" if cell.raw is None and lang == "zh" else ("(not found)" if cell.raw is None else cell.raw)
            table.add_row(cell_name(cid, r.version)[lang], value, raw, cell.source.describe(lang) if cell.source else "")
        console.print(table)


from .outputs.commands import register as _register_outputs  # noqa: E402  (export, render, form)

_register_outputs(app)

"""`parse`, `check` and `rules`: reading and checking reports (spec/contract.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from ..i18n import t
from ..pipeline import check_file, parse_file
from ..report import Problem, Report
from ..rules import Options, catalogue
from .common import DEFAULT_MAX_MB, JsonOpt, Lang, LangOpt, MaxSizeOpt, console, dump, fail, files_under, max_bytes
from .show import print_findings, print_header, print_tables


def parse(
    file: Annotated[Path, typer.Argument(help="报告文件 / report file")],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
) -> None:
    """提取一份报告的数据（不核对）。Extract one report (no checks)."""
    if not file.exists() and not file.is_symlink():
        fail(t("cli.no_such_path", lang, path=file))
    report = parse_file(file, max_bytes(max_size))
    if as_json:
        dump(report.to_dict(lang))
        return
    out = console()
    print_header(out, report, lang)
    if report.error is None:
        print_tables(out, report, lang)


def check(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="每份报告一行 JSON / JSON Lines")] = False,
    lang: LangOpt = Lang.zh,
    deadline: Annotated[str, typer.Option("--deadline", help="发布期限（次年 月-日）/ deadline MM-DD")] = "01-31",
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    html: Annotated[Path | None, typer.Option("--html", help="核查报告网页 / review page (HTML)")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="核查结果工作簿 / review workbook (Excel)")] = None,
) -> None:
    """解析并核对报告（文件或文件夹）。Extract and check reports."""
    try:
        month, day = (int(x) for x in deadline.split("-"))
        options = Options(deadline=(month, day))
    except ValueError:
        fail(t("cli.bad_deadline", lang, value=deadline))
    for path in paths:
        if not path.exists() and not path.is_symlink():
            fail(t("cli.no_such_path", lang, path=path))
    files = [f for p in paths for f in files_under(p)]
    if not files:
        fail(t("cli.no_files", lang, path=", ".join(map(str, paths))))
    out = console()
    counts: Counter[str] = Counter()
    failed = reports_with_errors = 0
    checked: list[Report] = []
    for file in files:
        report = safe_check(file, options, max_bytes(max_size))
        checked.append(report)
        severities = Counter(f.severity for f in report.findings)
        counts.update(severities)
        failed += report.error is not None
        reports_with_errors += severities["error"] > 0
        if as_json:
            dump(report.to_dict(lang))
        else:
            print_header(out, report, lang)
            print_findings(out, report, lang)
    if not as_json:
        out.print(t("cli.summary", lang, reports=len(files), errors=counts["error"], warnings=counts["warning"],
                    infos=counts["info"], failed=failed))
    if html or xlsx:
        from .outputs import write_review

        write_review(checked, html, xlsx, lang)
    raise typer.Exit(1 if reports_with_errors else 0)


def safe_check(file: Path, options: Options, limit: int) -> Report:
    """One bad file must not stop a batch: an unexpected failure becomes that report's error."""
    try:
        return check_file(file, options, limit)
    except Exception as exc:  # reported per file; the run goes on
        return Report(source=str(file), error=Problem("internal", {"kind": type(exc).__name__, "reason": str(exc)}))


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

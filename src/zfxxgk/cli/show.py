"""A report on the terminal: its header, findings and extracted values, in the language asked.

Everything that comes from a file is printed through `esc` (sanitize.console_text): Rich markup in a
report (`[bold red]`, `[/]`) is shown as printed and control characters (ESC) never reach the terminal.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table as RichTable

from ..i18n import MESSAGES, t
from ..report import MISSING, Report
from ..sanitize import console_text as esc
from ..templates import TABLE_KEYS, cell_name, table_name
from ..values import Kind

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_header(console: Console, r: Report, lang: str) -> None:
    console.rule(f"[bold]{esc(r.source)}[/bold]", align="left")
    if r.error:
        console.print(f"[bold red]{t('cli.unreadable', lang)}[/bold red]: {esc(r.error.message(lang))}")
        return
    version = r.version or t("cli.version_none", lang)
    console.print(f"{t('cli.version', lang)}: {esc(version)}    {t('cli.body', lang)}: {esc(r.body or '—')}    "
                  f"{t('cli.year', lang)}: {esc(r.year or '—')}    {t('cli.published', lang)}: {esc(r.published or '—')}")
    if r.title:
        console.print(f"{t('cli.title', lang)}: {esc(r.title)}")
    kinds = Counter(c.kind for c in r.cells.values())
    console.print(f"{t('cli.cells', lang)}: " + t(
        "cli.cells_stat", lang, total=len(r.cells), numbers=kinds[Kind.NUMBER], blank=kinds[Kind.BLANK] + kinds[Kind.NA],
        unread=kinds[Kind.UNREADABLE], missing=kinds[MISSING]))
    if r.pages:  # PDF and scans: which pages were read from the text layer and which by OCR
        routes = "    ".join(f"{t('cli.pages.' + k, lang) if 'cli.pages.' + k in MESSAGES else esc(k)} "
                               f"{esc(', '.join(map(str, v)))}" for k, v in r.pages.items() if v)
        console.print(f"{t('cli.pages', lang)}: {routes}")


def print_findings(console: Console, r: Report, lang: str) -> None:
    if r.error:
        return
    if not r.findings:
        console.print(f"[green]{t('cli.no_findings', lang)}[/green]\n")
        return
    for f in r.findings:
        style = _SEVERITY_STYLE[f.severity]
        where = f"  [dim]{esc(f.source.describe(lang))}[/dim]" if f.source else ""
        console.print(f"[{style}]{t('severity.' + f.severity, lang)}[/{style}] [bold]{esc(f.code)}[/bold]{where}")
        console.print(f"    {esc(f.message(lang, r.version))}", soft_wrap=True)
    console.print()


def print_tables(console: Console, r: Report, lang: str) -> None:
    """The extracted values, table by table, as the report printed them."""
    for key in TABLE_KEYS:
        ids = [cid for cid in r.cells if cid.startswith(key + ".")]
        if not ids:
            continue
        table = RichTable(title=table_name(key, r.version)[lang], title_justify="left")
        table.add_column(t("cli.col.cells", lang))
        table.add_column(t("cli.col.value", lang), justify="right")
        table.add_column(t("cli.col.raw", lang))
        table.add_column(t("cli.col.where", lang))
        for cid in ids:
            cell = r.cells[cid]
            value = "" if cell.value is None else str(cell.value)
            raw = t("cli.not_found", lang) if cell.raw is None else cell.raw
            table.add_row(esc(cell_name(cid, r.version)[lang]), esc(value), esc(raw),
                          esc(cell.source.describe(lang)) if cell.source else "")
        console.print(table)

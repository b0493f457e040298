"""`zfxxgk render`: report data in, a report in the official layout out, after checking the data.

Input is a report object (contract JSON, e.g. from `zfxxgk parse X --json`), a filled form
(`zfxxgk form`), or any report file the readers understand (it is parsed first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from ..pipeline import parse_file
from ..report import Finding, Report
from ..rules import run_checks
from ..rules.registry import TABLE_NAMES, cell_name
from ..values import Kind
from .compose import Composed, compose
from .form import is_form, read_form
from .layout import format_number
from .prefill import Prefill, prefill_from
from .report_json import try_load_reports

FORMATS_OUT = ("docx", "html", "pdf", "md")
# Rules about the data itself; rules about the source document's structure do not apply to a new report.
DATA_RULE_PREFIXES = ("APP-", "LIT-", "ACT-", "VAL-")


@dataclass(slots=True)
class Rendered:
    content: bytes
    doc: Composed
    report: Report
    blocking: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_input(path: Path, lang: str = "zh") -> Report:
    reports = try_load_reports(path)
    if reports is not None:
        if not reports:
            raise ValueError(t("render.no_report", lang, path=path))
        return reports[0]
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and is_form(data):
        return read_form(data, str(path), lang)
    report = parse_file(path, lang=lang)
    if report.error:
        raise ValueError(report.error)
    return report


def apply_prefill(report: Report, prefill: Prefill, lang: str) -> list[str]:
    """Fill carried_over from last year where it is blank or absent; say where it differs."""
    from ..report import Cell

    notes: list[str] = []
    filled: list[str] = []
    for cid, value in prefill.values.items():
        cell = report.cells.get(cid)
        if cell is None or cell.kind != Kind.NUMBER or cell.value is None:
            report.cells[cid] = Cell(cid, value, format_number(value), Kind.NUMBER)
            filled.append(cid)
        elif cell.value != value:
            notes.append(t("render.prefill_differs", lang, cell=cell_name(cid)[lang], value=format_number(cell.value),
                           last=format_number(value)))
    if filled:
        notes.insert(0, t("render.prefilled", lang, cells=_names(filled, lang)))
    for cid, last in prefill.last_in_force.items():
        value = report.number(cid)
        if value is not None:
            notes.append(t("render.in_force", lang, cell=cell_name(cid)[lang], last=format_number(last),
                           value=format_number(value)))
    return notes


def render_report(report: Report, to: str, lang: str = "zh", force: bool = False,
                  prefill: Prefill | None = None) -> Rendered:
    notes = apply_prefill(report, prefill, lang) if prefill else []
    findings = run_checks(report, lang)
    blocking = [f for f in findings if f.severity == "error" and f.code.startswith(DATA_RULE_PREFIXES)]
    doc = compose(report)
    if doc.filled:
        notes.append(t("render.filled", lang, n=len(doc.filled), cells=_names(doc.filled, lang)))
    if doc.unreadable:
        notes.append(t("render.unreadable", lang, n=len(doc.unreadable), cells=_names(doc.unreadable, lang)))
    for key, version in doc.mixed.items():
        notes.append(t("render.mixed", lang, table=TABLE_NAMES[key][lang], version=version))
    if blocking and not force:
        return Rendered(b"", doc, report, blocking, notes)
    return Rendered(render_bytes(doc, to), doc, report, blocking, notes)


def render_bytes(doc: Composed, to: str) -> bytes:
    if to == "md":
        from .render_md import render_md

        return render_md(doc).encode("utf-8")
    if to == "html":
        from .render_html import render_html

        return render_html(doc).encode("utf-8")
    if to == "docx":
        from .render_docx import render_docx

        return render_docx(doc)
    if to == "pdf":
        from .render_pdf import render_pdf

        return render_pdf(doc)
    raise ValueError(to)


def load_prefill(path: Path, lang: str) -> Prefill:
    return prefill_from(load_input(path, lang))


def _names(cells: list[str], lang: str, limit: int = 8) -> str:
    sep = ", " if lang == "en" else "、"
    shown = sep.join(cell_name(c)[lang] for c in cells[:limit])
    return shown + (f"{sep}…（+{len(cells) - limit}）" if len(cells) > limit else "")


def dump(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False)

"""`zfxxgk render`: a report's data in, the report in the official layout out, after checking the data.

The report comes from `inputs.load_report` (report JSON, a filled form, or a parsed document).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import t
from ..report import Cell, Finding, Report
from ..rules import catalogue, run_checks
from ..templates import cell_name, table_name
from ..values import Kind
from .compose import Composed, compose
from .layout import format_number
from .prefill import Prefill

FORMATS_OUT = ("docx", "html", "pdf", "md")


@dataclass(slots=True)
class Rendered:
    content: bytes
    doc: Composed
    report: Report
    blocking: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def apply_prefill(report: Report, prefill: Prefill, lang: str) -> list[str]:
    """Fill carried_over from last year where it is blank or absent; say where it differs."""
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
    findings = run_checks(report)
    rules = catalogue()
    blocking = [f for f in findings if f.severity == "error" and rules[f.code].blocks_render]
    doc = compose(report)
    if doc.filled:
        notes.append(t("render.filled", lang, n=len(doc.filled), cells=_names(doc.filled, lang)))
    if doc.unreadable:
        notes.append(t("render.unreadable", lang, n=len(doc.unreadable), cells=_names(doc.unreadable, lang)))
    for key, version in doc.mixed.items():
        notes.append(t("render.mixed", lang, table=table_name(key)[lang], version=version))
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


def _names(cells: list[str], lang: str, limit: int = 8) -> str:
    sep = ", " if lang == "en" else "、"
    shown = sep.join(cell_name(c)[lang] for c in cells[:limit])
    return shown + (f"{sep}…（+{len(cells) - limit}）" if len(cells) > limit else "")

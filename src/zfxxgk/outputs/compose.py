"""What a generated report says, before any file format: title, preamble, six sections, three tables.

The layout follows the version that fits the report's year (format.md §0); a table whose cells are
the other version's (a mixed report) keeps its own layout so no value is lost. Every value cell is
printed as an explicit number (format.md §6.4): blank and N/A cells become 0 and are listed in
`filled`, so the caller can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report import Report
from ..templates import FORMATS, Format, SectionTemplate, version_for_year
from ..values import Kind
from .layout import TABLE_KEYS, Grid, cell_text, grid, table_version

PLACEHOLDER = "（文字描述）"
_NONE = "无。"  # a prose section with nothing required to report
_ITEM_NUMERALS = "一二三四五六七八九"


@dataclass(slots=True)
class ComposedSection:
    number: int
    title: str
    paragraphs: list[str]
    grid: Grid | None = None


@dataclass(slots=True)
class Composed:
    title: str
    version: str
    preamble: list[str]
    sections: list[ComposedSection]
    values: dict[str, str]  # cell id -> printed text
    filled: list[str] = field(default_factory=list)  # cells printed as 0 because they were blank/N/A
    unreadable: list[str] = field(default_factory=list)  # cells without a number (unreadable or missing)
    mixed: dict[str, str] = field(default_factory=dict)  # table key -> the other version used for it


def compose(report: Report) -> Composed:
    version = version_for_year(report.year) or report.version or "2021"
    fmt = FORMATS[version]
    year = report.year
    title = report.title or f"{report.body or ''}{year or ''}年政府信息公开工作年度报告"
    grids: dict[str, Grid] = {}
    mixed: dict[str, str] = {}
    for key in TABLE_KEYS:
        used = table_version(report, key, version)
        if used != version:
            mixed[key] = used
        grids[key] = grid(key, used)
    values: dict[str, str] = {}
    filled: list[str] = []
    unreadable: list[str] = []
    for g in grids.values():
        for slot in g.values():
            cid = slot.cell_id or ""
            cell = report.cells.get(cid)
            if cell is None or cell.kind not in (Kind.NUMBER, Kind.BLANK, Kind.NA) or (
                    cell.kind == Kind.NUMBER and cell.value is None):
                unreadable.append(cid)
            elif cell.kind != Kind.NUMBER:
                filled.append(cid)
            values[cid] = cell_text(cell, slot.column)
    sections: list[ComposedSection] = []
    for spec in fmt.sections:
        section = report.sections.get(spec.number)
        text = section.text if section else ""
        paragraphs = [_clean(p) for p in text.split("\n") if p.strip()] or _default_text(spec)
        table = grids[spec.table] if spec.table else None
        sections.append(ComposedSection(spec.number, spec.official, paragraphs, table))
    preamble = [_clean(p) for p in report.preamble.split("\n") if p.strip()] or _default_preamble(fmt, year)
    return Composed(title, version, preamble, sections, values, filled, unreadable, mixed)


def _default_text(spec: SectionTemplate) -> list[str]:
    """What a section says when the report gave no text: its items to fill in, or a placeholder.

    Sections holding a table need no text; a section that requires nothing says 无.
    """
    if spec.itemised:
        return [f"（{_ITEM_NUMERALS[i]}）{t.heading or t.name.zh}：{t.default or PLACEHOLDER}"
                for i, t in enumerate(spec.topics)]
    if spec.table:
        return []
    return [_NONE] if spec.optional else [PLACEHOLDER]


def _default_preamble(fmt: Format, year: int | None) -> list[str]:
    y = year if year is not None else "    "
    parts = "、".join(s.title for s in fmt.sections)
    return [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《{fmt.name}》（{fmt.document}）要求编制。",
        f"全文包括{parts}等六个部分。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
    ]


def _clean(text: str) -> str:
    """Prose must stay prose: no tabs or leading pipes that a reader would take for a table row."""
    return text.replace("\t", " ").strip().lstrip("|").strip()

"""What a generated report says, before any file format: title, preamble, six sections, three tables.

The layout follows the version that fits the report's year (format.md §0); a table whose cells are
the other version's (a mixed report) keeps its own layout so no value is lost. Every value cell is
printed as an explicit number (format.md §6.4): blank and N/A cells become 0 and are listed in
`filled`, so the caller can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..locate import OFFICIAL_TITLES
from ..report import Report
from ..templates import FORMATS, version_for_year
from ..values import Kind
from .layout import TABLE_KEYS, TABLE_SECTION, Grid, cell_text, grid, table_version

PLACEHOLDER = "（文字描述）"
_SECTION6_2021 = (
    "（一）收取信息处理费情况：本年度未收取信息处理费。",
    "（二）落实上级年度政务公开工作要点情况：（文字描述）",
    "（三）人大代表建议和政协提案办理结果公开情况：（文字描述）",
    "（四）年度政务公开工作创新情况：（文字描述）",
)


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
    for number in range(1, 7):
        section = report.sections.get(number)
        text = section.text if section else ""
        paragraphs = [_clean(p) for p in text.split("\n") if p.strip()]
        if not paragraphs and number in (1, 5):
            paragraphs = [PLACEHOLDER]
        if not paragraphs and number == 6:
            paragraphs = list(_SECTION6_2021) if version == "2021" else ["无。"]
        table = next((grids[k] for k, n in TABLE_SECTION.items() if n == number), None)
        sections.append(ComposedSection(number, OFFICIAL_TITLES[number], paragraphs, table))
    preamble = [_clean(p) for p in report.preamble.split("\n") if p.strip()] or _default_preamble(fmt.document,
                                                                                                  fmt.name, year)
    return Composed(title, version, preamble, sections, values, filled, unreadable, mixed)


def _default_preamble(document: str, name: str, year: int | None) -> list[str]:
    y = year if year is not None else "    "
    return [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《{name}》（{document}）要求编制。",
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
        "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六个部分。"
        f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
    ]


def _clean(text: str) -> str:
    """Prose must stay prose: no tabs or leading pipes that a reader would take for a table row."""
    return text.replace("\t", " ").strip().lstrip("|").strip()

"""The official table layouts (format.md §3) as grids of slots, derived from templates/formats.py.

Every output that draws a table in the official layout (Word, HTML, Markdown, the review page,
the fill-in form) uses these grids, so labels and merges are declared once. A grid lists the
physical cells row by row; cells covered by another cell's span are left out, as in document.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from ..report import Cell, Report
from ..templates import FORMATS, TABLE_KEYS, RowRole
from ..templates.model import Column, Row, TableTemplate
from ..values import Kind, format_number

__all__ = ["TABLE_KEYS", "Grid", "Role", "Slot", "cell_text", "format_number", "grid", "table_version"]


class Role(StrEnum):
    CAPTION = "caption"  # 第二十条第（一）项
    HEADER = "header"  # column labels
    LABEL = "label"  # row labels and group labels
    VALUE = "value"  # a number cell; cell_id is set


@dataclass(frozen=True, slots=True)
class Slot:
    text: str
    row: int
    col: int
    role: Role
    rowspan: int = 1
    colspan: int = 1
    cell_id: str | None = None
    column: Column | None = None  # for value slots: the template column (kind, unit)


@dataclass(frozen=True, slots=True)
class Grid:
    key: str
    version: str
    title: str
    width: int
    rows: tuple[tuple[Slot, ...], ...]

    def values(self) -> list[Slot]:
        return [s for row in self.rows for s in row if s.role is Role.VALUE]



def grid(key: str, version: str) -> Grid:
    table = FORMATS[version].tables[key]
    if key == "t2":
        return _t2(table)
    if key == "t3":
        return _t3(table)
    return _t4(table)


def table_version(report: Report, key: str, preferred: str) -> str:
    """The layout to draw a table in: the preferred version unless the cells are the other version's."""
    ids = set(report.cells)
    for version in (preferred, *(v for v in FORMATS if v != preferred)):
        wanted = FORMATS[version].tables[key].cell_ids()
        if all(cid in ids for cid in wanted):
            return version
    return preferred


def _t2(table: TableTemplate) -> Grid:
    # Physical value columns: every row's values span them evenly (2019 mixes 3- and 2-value blocks: 6).
    width = math.lcm(*(len(row.columns) for row in table.rows))
    info_label = table.corner or ""
    rows: list[tuple[Slot, ...]] = []
    block: str | None = None
    for row in table.rows:
        if row.group != block:  # a new block: its caption (第二十条第（…）项) and header row
            block = row.group
            r = len(rows)
            rows.append((Slot(block or "", r, 0, Role.CAPTION, colspan=width + 1),))
            r += 1
            span = width // len(row.columns)
            rows.append((Slot(info_label, r, 0, Role.HEADER),
                         *(Slot(c.label, r, 1 + i * span, Role.HEADER, colspan=span)
                           for i, c in enumerate(row.columns))))
        r = len(rows)
        span = width // len(row.columns)
        rows.append((Slot(row.label, r, 0, Role.LABEL),
                     *(Slot("", r, 1 + i * span, Role.VALUE, colspan=span, cell_id=f"{row.id}.{c.id}", column=c)
                       for i, c in enumerate(row.columns))))
    return Grid(table.key, table.version, table.title, width + 1, tuple(rows))


def _t3(table: TableTemplate) -> Grid:
    columns = table.columns
    results = table.outcome_label or ""
    # Header rows: the corner note and 申请人情况 over everything; columns under a shared header
    # (法人或其他组织) on the third row, the others spanning the two lower rows.
    h1: list[Slot] = []
    h2: list[Slot] = []
    for i, c in enumerate(columns):
        if c.header is None:
            h1.append(Slot(c.label, 1, 3 + i, Role.HEADER, rowspan=2))
            continue
        if i == 0 or columns[i - 1].header != c.header:
            span = next((j for j in range(i, len(columns)) if columns[j].header != c.header), len(columns)) - i
            h1.append(Slot(c.header, 1, 3 + i, Role.HEADER, colspan=span))
        h2.append(Slot(c.label, 2, 3 + i, Role.HEADER))
    rows: list[tuple[Slot, ...]] = [
        (Slot(table.corner or "", 0, 0, Role.HEADER, rowspan=3, colspan=3),
         Slot(table.header or "", 0, 3, Role.HEADER, colspan=len(columns))),
        tuple(h1),
        tuple(h2),
    ]
    in_results = [_is_result(row) for row in table.rows]
    results_total = sum(in_results)
    group_sizes: dict[str, int] = {}
    for row in table.rows:
        if row.group:
            group_sizes[row.group] = group_sizes.get(row.group, 0) + 1
    seen_results = False
    seen_groups: set[str] = set()
    for row, is_result in zip(table.rows, in_results, strict=True):
        r = len(rows)
        labels: list[Slot] = []
        if not is_result:
            labels.append(Slot(row.label, r, 0, Role.LABEL, colspan=3))
        else:
            if not seen_results:
                labels.append(Slot(results, r, 0, Role.LABEL, rowspan=results_total))
                seen_results = True
            if row.group:
                if row.group not in seen_groups:
                    labels.append(Slot(row.group, r, 1, Role.LABEL, rowspan=group_sizes[row.group]))
                    seen_groups.add(row.group)
                labels.append(Slot(row.label, r, 2, Role.LABEL))
            else:
                labels.append(Slot(row.label, r, 1, Role.LABEL, colspan=2))
        rows.append((*labels, *_values(row, r, 3)))
    return Grid(table.key, table.version, table.title, 3 + len(columns), tuple(rows))


def _is_result(row: Row) -> bool:
    """Rows inside 三、本年度办理结果: the outcome rows and their total."""
    return row.role in (RowRole.OUTCOME, RowRole.TOTAL)


def _t4(table: TableTemplate) -> Grid:
    (row,) = table.rows
    parts = [c.label.split("·") for c in row.columns]
    h0: list[Slot] = []
    h1: list[Slot] = []
    h2: list[Slot] = []
    col = 0
    while col < len(parts):
        top = parts[col][0]
        end = col
        while end < len(parts) and parts[end][0] == top:
            end += 1
        h0.append(Slot(top, 0, col, Role.HEADER, colspan=end - col))
        c = col
        while c < end:
            if len(parts[c]) == 2:
                h1.append(Slot(parts[c][1], 1, c, Role.HEADER, rowspan=2))
                c += 1
                continue
            sub = parts[c][1]
            stop = c
            while stop < end and parts[stop][1] == sub:
                h2.append(Slot(parts[stop][2], 2, stop, Role.HEADER))
                stop += 1
            h1.append(Slot(sub, 1, c, Role.HEADER, colspan=stop - c))
            c = stop
        col = end
    rows = (tuple(h0), tuple(h1), tuple(h2), tuple(_values(row, 3, 0)))
    return Grid(table.key, table.version, table.title, len(parts), rows)


def _values(row: Row, r: int, first_col: int) -> list[Slot]:
    return [Slot("", r, first_col + i, Role.VALUE, cell_id=f"{row.id}.{c.id}", column=c)
            for i, c in enumerate(row.columns)]


# ------------------------------------------------------------------ values as printed
def cell_text(cell: Cell | None, column: Column | None, fill_blank: str = "0") -> str:
    """The text a generated report prints: an explicit number, with the unit when it is not the template's."""
    if cell is None or cell.kind != Kind.NUMBER or cell.value is None:
        return fill_blank
    text = format_number(cell.value)
    if cell.unit and cell.unit not in (column.label if column else ""):  # the header does not say it
        text += cell.unit
    return text

"""A generated report as Markdown: headings, prose, and pipe tables in the official layout.

Pipe tables cannot merge cells: a label spanning several columns or rows is printed once, in its
first position, and the cells it covers are left empty (as Word-to-text exports do, format.md §3.7).
Table 二 is printed in its logical grid (label + up to three values, format.md §3.1/3.2): values and
headers spanning several physical columns are printed once, short rows padded at the end.
"""

from __future__ import annotations

from .compose import Composed
from .layout import Grid, Role


def render_md(doc: Composed) -> str:
    lines = [f"# {doc.title}", ""]
    for p in doc.preamble:
        lines += [p, ""]
    for section in doc.sections:
        lines += [f"## {section.title}", ""]
        for p in section.paragraphs:
            lines += [p, ""]
        if section.grid is not None:
            lines += [*_table(section.grid, doc.values), ""]
    return "\n".join(lines).rstrip() + "\n"


def _table(g: Grid, values: dict[str, str]) -> list[str]:
    covered: set[tuple[int, int]] = set()
    for row in g.rows:
        for s in row:
            if s.role is not Role.VALUE:
                covered |= {(s.row + dr, s.col + dc) for dr in range(s.rowspan) for dc in range(s.colspan)}
    out: list[list[str]] = []
    for r, row in enumerate(g.rows):
        cells: list[str] = []
        by_col = {s.col: s for s in row}
        col = 0
        while col < g.width:
            slot = by_col.get(col)
            if slot is None:
                if (r, col) in covered:
                    cells.append("")
                col += 1
                continue
            cells.append(values.get(slot.cell_id or "", "") if slot.role is Role.VALUE else _one_line(slot.text))
            if slot.role is Role.LABEL or (slot.role is Role.HEADER and g.key != "t2"):
                cells += [""] * (slot.colspan - 1)
            col += slot.colspan
        out.append(cells)
    width = max(len(c) for c in out)
    lines = ["| " + " | ".join(c + [""] * (width - len(c))) + " |" for c in out]
    return [lines[0], "|" + "---|" * width, *lines[1:]]


def _one_line(text: str) -> str:
    return text.replace("\n", "").replace("|", "｜")

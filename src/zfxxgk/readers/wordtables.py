"""Tables printed without ruling lines, read from the positions of their words (a text layer's glyphs or a
scan's recognised boxes): rows anchored on the lines that carry numbers, columns from the numbers' positions.

Shared by the text-layer reader (pdf.py) and OCR (ocr.py), which otherwise would import each other.
"""

from __future__ import annotations

import bisect
import itertools
from typing import Any

from ..templates import section_number  # a section title ends a table
from ..values import NUMERIC_TOKEN
from .pagegeom import PAGE_NUMBER, BoxCell, Glyph, Line, Part, nearest_index


def word_tables(page: int, lines: list[Line], glyphs: list[Glyph]) -> tuple[list[Part], list[Line]]:
    """Tables printed without ruling lines, from word positions; one per stretch between section titles.

    Rows are anchored on the lines that carry numbers (a label followed by values, or a row of
    values); label text wrapped onto lines just above or below joins that row; other lines in the
    stretch (captions, headers) are rows of their own. Columns come from the positions of the
    numbers, so a blank cell keeps its place. Returns the parts and the lines left as text.
    """
    parts: list[Part] = []
    used: set[int] = set()
    stretch: list[Line] = []
    index = _GlyphIndex(glyphs)
    for ln in [*lines, None]:
        if ln is None or section_number(ln.text) is not None:
            part, taken = _word_table(page, stretch, index)
            if part is not None:
                parts.append(part)
                used.update(taken)
            stretch = []
        else:
            stretch.append(ln)
    return parts, [ln for ln in lines if id(ln) not in used]


class _GlyphIndex:
    """Glyphs sorted by their centre's height, so a line finds its own glyphs by bisection (not a scan
    of the page per line: 20,000 lines × 60,000 glyphs took minutes)."""

    def __init__(self, glyphs: list[Glyph]) -> None:
        self.glyphs = sorted(glyphs, key=lambda g: g.cy)
        self.keys = [g.cy for g in self.glyphs]

    def between(self, top: float, bottom: float) -> list[Glyph]:
        return self.glyphs[bisect.bisect_left(self.keys, top) : bisect.bisect_right(self.keys, bottom)]


def _word_table(page: int, lines: list[Line], glyphs: list[Glyph] | _GlyphIndex) -> tuple[Part | None, set[int]]:
    if not lines:
        return None, set()
    index = glyphs if isinstance(glyphs, _GlyphIndex) else _GlyphIndex(glyphs)
    segs = {id(ln): _segments(ln, index) for ln in lines}
    numeric = [ln for ln in lines if not PAGE_NUMBER.match(ln.text)
               and (n := sum(1 for s in segs[id(ln)] if NUMERIC_TOKEN.match(s[2]))) >= 1
               and (len(segs[id(ln)]) >= 2 or (n == len(segs[id(ln)]) and n >= 3))]
    if not numeric or (len(numeric) < 2 and sum(1 for s in segs[id(numeric[0])] if NUMERIC_TOKEN.match(s[2])) < 5):
        return None, set()  # one row of values is a table only when it is a long one (table 四)
    size = sorted(ln.height for ln in lines)[len(lines) // 2]
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    first = lines.index(numeric[0])
    head = lines[max(0, first - 8) : first]
    while head and (len(segs[id(head[0])]) == 1 and head[0].x1 - head[0].x0 > 0.8 * width):
        head = head[1:]  # prose above the table
    region = head + [ln for ln in lines[first:] if ln.top <= numeric[-1].bottom + 2 * size]
    # Columns from rows with several values; a row with one value spans them all (2021 table 二).
    multi = [s for ln in numeric if len(v := [s for s in segs[id(ln)] if NUMERIC_TOKEN.match(s[2])]) >= 2 for s in v]
    cols = _columns(multi or [s for ln in numeric for s in segs[id(ln)] if NUMERIC_TOKEN.match(s[2])], size)
    label_x1 = cols[0] - 1.5 * size
    rows: list[list[Line]] = [[ln] for ln in numeric]
    is_numeric = {id(ln) for ln in numeric}
    mids = [_mid(ln) for ln in numeric]
    ordered = all(a <= b for a, b in itertools.pairwise(mids))
    for ln in region:
        if id(ln) in is_numeric:
            continue
        k = nearest_index(mids, _mid(ln)) if ordered else min(range(len(numeric)), key=lambda i: abs(mids[i] - _mid(ln)))
        if abs(_mid(numeric[k]) - _mid(ln)) <= 2.2 * size and ln.x1 <= label_x1 + size:
            rows[k].append(ln)  # a wrapped line of the row's labels
        else:
            rows.append([ln])
    rows.sort(key=lambda r: min(x.top for x in r))
    cells: list[BoxCell] = []
    for row in rows:
        top, bottom = min(x.top for x in row), max(x.bottom for x in row)
        anchor = row[0]
        if id(anchor) not in is_numeric:  # a caption or header row: its pieces as they stand
            for x0, x1, text in segs[id(anchor)]:
                cells.append(BoxCell(x0, top, x1, bottom, text))
            continue
        values: dict[int, str] = {}
        labels: list[list[Any]] = []
        single = sum(1 for s in segs[id(anchor)] if NUMERIC_TOKEN.match(s[2])) == 1 and len(cols) > 1
        for ln in sorted(row, key=lambda x: x.top):
            for x0, x1, text in segs[id(ln)]:
                if ln is anchor and NUMERIC_TOKEN.match(text):
                    values[-1 if single else nearest_index(cols, (x0 + x1) / 2)] = text
                    continue
                for lab in labels:
                    if x0 < lab[1] and lab[0] < x1:  # overlapping: a wrapped line of the same label
                        lab[0], lab[1], lab[2] = min(lab[0], x0), max(lab[1], x1), f"{lab[2]}\n{text}"
                        break
                else:
                    labels.append([x0, x1, text])
        for x0, x1, text in sorted(labels, key=lambda lab: lab[0]):
            cells.append(BoxCell(x0, top, min(x1, label_x1) if x0 < label_x1 else x1, bottom, text))
        if single:
            right_end = cols[-1] + 3 * size
            cells.append(BoxCell(label_x1, top, right_end, bottom, values[-1]))
            continue
        for j, centre in enumerate(cols):
            left = (cols[j - 1] + centre) / 2 if j else label_x1
            right = (cols[j + 1] + centre) / 2 if j + 1 < len(cols) else centre + 3 * size
            cells.append(BoxCell(left, top, right, bottom, values.get(j, "")))
    # rows must not overlap on the grid: each row ends where the next begins
    tops = sorted({c.top for c in cells})
    for c in cells:
        k = bisect.bisect_right(tops, c.top)
        if k < len(tops) and c.bottom > tops[k]:
            c.bottom = tops[k]
    part = Part(page, cells, min(c.x0 for c in cells), min(c.top for c in cells), max(c.x1 for c in cells),
                max(c.bottom for c in cells), tolerance=size / 2)
    return part, {id(ln) for r in rows for ln in r}


def _mid(line: Line) -> float:
    return (line.top + line.bottom) / 2


def _segments(line: Line, index: _GlyphIndex) -> list[tuple[float, float, str]]:
    """A line split into (x0, x1, text) pieces at wide gaps, and between numbers at any clear gap."""
    own = sorted((g for g in index.between(line.top - 0.5, line.bottom + 0.5) if line.x0 - 0.5 <= g.cx
                  <= line.x1 + 0.5 and not g.text.isspace()), key=lambda g: g.x0)
    out: list[list[Any]] = []
    size = max(line.height, 1.0)
    for g in own:
        gap = g.x0 - out[-1][1] if out else 0.0
        digits = bool(out) and out[-1][2][-1:].isdigit() and g.text.isdigit()
        if out and gap <= 0.9 * size and not (digits and gap > 0.25 * size):
            out[-1][1] = g.x1
            out[-1][2] += g.text
        else:
            out.append([g.x0, g.x1, g.text])
    return [(a, b, t) for a, b, t in out]


def _columns(segs: list[tuple[float, float, str]], size: float) -> list[float]:
    centres = sorted((a + b) / 2 for a, b, _ in segs)
    cols: list[list[float]] = []
    for c in centres:
        if cols and c - cols[-1][-1] <= 1.2 * size:
            cols[-1].append(c)
        else:
            cols.append([c])
    return [sum(c) / len(c) for c in cols]

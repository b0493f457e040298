"""Crawled page text: the body in one or a few lines, table cells run together (issue 13).

Archives keep a report as the page's text taken without separators:
`…规章000行政规范性文件6233440第二十条第（五）项…一、本年新收政府信息公开申请数量21710000218…`.
This module finds the numbered section titles and the tables' printed labels inside the running
text (in the template's order), and gives the values after each label as cells: separate cells
where the crawler kept a separator, one run of digits where it did not. Splitting a run is
format knowledge with constraints, so it is left to the extractor (`Table.runs`, runs.py).
Short header lines before the body (`标题: …`, `发布时间: …`) stay paragraphs of their own.
Text that PDF converters make (pdftotext -layout, pdfplumber, markitdown) is read the same way, after
dropping page footers and moving a wrapped row's values onto its label's line (`_values_to_labels`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Paragraph, Source, Table, TableCell
from ..templates import FORMATS

_UNIT = r"(?:万元|元|次|件|个|项|条|份)"  # a unit printed after a value also separates it from the next
# A unit may stand apart from its value (`137 次   1066730.5 元` in pdftotext -layout).
_VALUE = re.compile(r"-?\d+(?:\.\d+)?(?:[ \u3000]?" + _UNIT + ")?")
# Atomic: a run of digits is one value here, never re-cut (that backtracking is exponential in the run's length).
_VALUES = re.compile(r"[\s\u3000\u00a0]*(?>-?\d+(?:\.\d+)?(?:[ \u3000]?" + _UNIT + r")?[\s\u3000\u00a0]*)+")
_UNKNOWN = "…"  # a row's values that cannot be told apart from its neighbour's
_HEADER_LINE_MAX = 120  # a line before the body longer than this is part of the body
_TITLE_END = "年度报告"
_HEADER_FIELD = re.compile(r"[^\s:：]{2,8}[:：]")  # 标题: …, 发布时间: …
_WRAPPED = re.compile(r"[，、；].*[\u4e00-\u9fff，、“”（）]$")  # a sentence cut at the line's end, not a title
_TITLE_SEARCH = 80
# A page footer on a line of its own (`-3-`, `— 4 —`, `第 3 页`): converters leave it between table rows,
# where `-3` would read as a value.
_PAGE_FOOTER = re.compile(r"[\s\u3000]*(?:[-—–－]+[\s\u3000]*\d{1,3}[\s\u3000]*[-—–－]+|第[\s\u3000]*\d{1,3}[\s\u3000]*页"
                          r"(?:[\s\u3000]*共[\s\u3000]*\d{1,3}[\s\u3000]*页)?)[\s\u3000]*")


@lru_cache(maxsize=1)
def _titles() -> list[tuple[int, tuple[str, ...], str | None]]:
    """The numbered section titles (official and variants) in order, with the table each holds."""
    out = []
    for section in FORMATS["2021"].sections:
        titles = tuple(t for t in (section.official, *section.variants) if t[:1] in "一二三四五六")
        out.append((section.number, tuple(sorted(titles, key=len, reverse=True)), section.table))
    return out


@lru_cache(maxsize=8)
def _labels(kind: str) -> dict[str, tuple[tuple[tuple[tuple[str, ...], int], ...], tuple[str, ...]]]:
    """Per format: the table's rows in order (label and variants, longest first; number of values), and every
    other label."""
    out = {}
    for version, fmt in FORMATS.items():
        template = fmt.tables[kind]
        rows = tuple((tuple(sorted((r.label, *r.variants), key=len, reverse=True)), len(r.columns))
                     for r in template.rows if r.label)
        other = {*template.header_labels, *template.structure_labels}
        other.update(x for r in template.rows for c in r.columns for x in (c.label, *c.variants))
        out[version] = (rows, tuple(sorted(other, key=len, reverse=True)))
    return out


@lru_cache(maxsize=1)
def _row_then_value() -> re.Pattern[str]:
    labels = {x for fmt in FORMATS.values() for r in fmt.tables["t3"].rows[:2] for x in (r.label, *r.variants)}
    return re.compile("(?:" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")[\s\u3000]*\d")


def looks_run_together(lines: list[str]) -> bool:
    """Whether 表三's first rows are printed with their values in running text, or on the next line (not a
    table), or section titles run on inside lines."""
    text = "\n".join(lines)
    inside = sum(1 for _, titles, _ in _titles() if any(at > 0 and text[at - 1] != "\n"
                                                        for t in titles if (at := text.find(t)) >= 0))
    return inside >= 2 or bool(_row_then_value().search(text))


def read_run_together(lines: list[str]) -> list[Paragraph | Table]:
    """Paragraphs and tables of a crawled text; header lines first, then the body's sections."""
    blocks: list[Paragraph | Table] = []
    start = 0  # lines before the body: blank or short header lines (标题: …, 发布时间: …)
    while start < len(lines) and (not lines[start].strip() or (len(lines[start]) <= _HEADER_LINE_MAX
                                                               and not _find_title(lines[start], 0, 1))):
        line = lines[start].strip()
        if line and blocks and _WRAPPED.search(blocks[-1].text) and not _HEADER_FIELD.match(line):
            blocks[-1].text += line  # a sentence of the preamble wrapped over lines (a PDF's text)
        elif line:
            blocks.append(Paragraph(line, Source(line=start + 1)))
        start += 1
    header = len(blocks)
    kept = [line.strip() for line in lines[start:] if line.strip() and not _PAGE_FOOTER.fullmatch(line)]
    body = " ".join(_values_to_labels(kept))
    source = Source(line=start + 1)
    pos = 0
    current_table: str | None = None
    for number, titles, table in _titles():
        found = _find_title(body, pos, number, titles)
        if found is None:
            continue
        at, title = found
        blocks.extend(_content(body[pos:at], current_table, source, preamble=not pos))
        blocks.append(Paragraph(title, source))
        pos, current_table = at + len(title), table
    blocks.extend(_content(body[pos:], current_table, source, preamble=not pos))
    return _number(blocks, header)


_ENDS_IN_VALUE = re.compile(r"\d[\s\u3000]*$")
_ROW_START = 4  # characters of a row label (after its number) that identify it on a line


@lru_cache(maxsize=1)
def _wide_rows() -> tuple[int, tuple[str, ...]]:
    """表三's width and the starts of its row labels (both formats), spaces and numbering removed."""
    starts = set()
    for rows, _ in _labels("t3").values():
        for labels, _width in rows:
            for x in labels:
                core = x[2:] if re.match(r"\d[.、．]", x) else x
                if len(core) >= _ROW_START:
                    starts.add(core[:_ROW_START])
    return len(FORMATS["2021"].tables["t3"].rows[0].columns), tuple(sorted(starts))


def _values_to_labels(lines: list[str]) -> list[str]:
    """表三 as pdfplumber prints it: a row whose label wraps has its values on a line of their own, above,
    inside or below the label's lines. Rows and their values keep the page's top-to-bottom order, so when
    the rows with a label and no values are as many as the lines of a row's values and nothing else, the
    k-th such values belong to the k-th such label; they are moved onto its line. Otherwise nothing moves
    (the rows stay unread)."""
    width, starts = _wide_rows()
    labels, values, rows = [], [], []  # lines of: a label without values, a row's values alone, any label
    for i, line in enumerate(lines):
        if _VALUES.fullmatch(line):
            if len(_VALUE.findall(line)) == width:
                values.append(i)
        elif any(s in line.replace(" ", "") for s in starts):
            rows.append(i)
            if not _ENDS_IN_VALUE.search(line):
                labels.append(i)
    if not values or len(labels) != len(values):
        return lines
    for i, j in zip(labels, values, strict=True):  # each pair next to each other: no other row between them
        if abs(i - j) > 3 or any(min(i, j) < r < max(i, j) for r in rows):
            return lines
    out = list(lines)
    for i, j in zip(labels, values, strict=True):
        out[i], out[j] = f"{out[i]} {lines[j]}", ""
    return [line for line in out if line]


def _number(blocks: list[Paragraph | Table], header: int) -> list[Paragraph | Table]:
    """Sources for the body's blocks: its line, and the block's place in it as `paragraph` (they share a line)."""
    for k, block in enumerate(blocks[header:], start=1):
        if isinstance(block, Table):
            for row in block.rows:
                for c in row:
                    c.source = Source(line=block.source.line, paragraph=k, row=c.row + 1, col=c.col + 1)
        block.source = Source(line=block.source.line, paragraph=k)
    return blocks


def _find_title(text: str, pos: int, number: int, titles: tuple[str, ...] | None = None) -> tuple[int, str] | None:
    titles = titles if titles is not None else _titles()[number - 1][1]
    hits = [(at, t) for t in titles if (at := text.find(t, pos)) >= 0]
    return min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else None


def _content(text: str, table: str | None, source: Source, preamble: bool) -> list[Paragraph | Table]:
    text = text.strip()
    if not text:
        return []
    if table is None:
        if preamble and (end := text.find(_TITLE_END, 0, _TITLE_SEARCH)) >= 0:
            end += len(_TITLE_END)  # the report's title runs into its first sentence
            return [Paragraph(text[:end], source), *_content(text[end:], None, source, False)]
        return [Paragraph(text, source)]
    return _table(text, table, source)


def _table(text: str, kind: str, source: Source) -> list[Paragraph | Table]:
    """The section's text as prose before the table, the table, and prose after it (in the format whose labels fit best)."""
    scans = [_scan(text, *labels) for labels in _labels(kind).values()]
    first, rows, tail = max(scans, key=lambda s: (sum(len(r) > 1 for r in s[1] if r[0] in s[3]), sum(map(len, s[3]))))[:3]
    if first < 0:
        return [Paragraph(text, source)]
    blocks: list[Paragraph | Table] = [Paragraph(text[:first].strip(), source)] if text[:first].strip() else []
    blocks.append(Table([_cells(r, i, source) for i, r in enumerate(rows)], source, runs=True))
    if tail.strip():
        blocks.append(Paragraph(tail.strip(), source))
    return blocks


_NUMBERING = re.compile(r"\d[.、．]$")


def _scan(text: str, row_labels: tuple[tuple[tuple[str, ...], int], ...], other: tuple[str, ...]
          ) -> tuple[int, list[list[str]], str, list[str]]:
    """Where the table starts, its rows as texts, the text after it, and the row labels found."""
    first = min((at for label in (*other, *(x for r, _ in row_labels for x in r)) if (at := text.find(label)) >= 0),
                default=-1)
    if first < 0:
        return first, [], text, []
    hits: list[tuple[int, int, str, list[str], int]] = []  # each row found: start, end, label, values inside, width
    pos = first
    for labels, width in row_labels:
        exact = min(((at, x) for x in labels if (at := text.find(x, pos)) >= 0), default=None,
                    key=lambda h: (h[0], -len(h[1])))
        if exact is not None:
            at, label = exact
            end = at + len(label)
            if not label[0].isdigit() and _NUMBERING.search(text, 0, at):
                at = at - 2  # 2、其他… printed with another numbering mark
            hits.append((at, end, text[at:end], [], width))
            pos = end
            continue
        # A label wrapped over lines, values printed between its lines, or numbered 1、 for 1.
        found = [(m, x) for x in labels if (m := _tolerant(x).search(text, pos))]
        if found:
            m, label = min(found, key=lambda f: f[0].start())
            inner = _VALUE.findall(m.group()[2 if label[0].isdigit() else 0:])
            hits.append((m.start(), m.end(), label, inner, width))
            pos = m.end()
    rows: list[list[str]] = []
    pos = first
    shifted, before = False, []  # once values stood right above a label, any row may own the values above it
    for n, (at, end, label, inner, width) in enumerate(hits):
        pieces = _pieces(text[pos:at], other)
        groups = [_VALUE.findall(p) if _VALUES.fullmatch(p) else None for p in pieces]
        if words := [p for p, g in zip(pieces, groups, strict=True) if g is None]:
            rows.append(words)
        if groups and groups[-1] is not None and len(groups[-1]) > 1:
            # Values right above a label, after no label of their own: a converter moved them there.
            shifted, before = True, groups[-1]
        values = _VALUES.match(text, end, hits[n + 1][0] if n + 1 < len(hits) else len(text))
        own = [*inner, *(_VALUE.findall(values.group()) if values else [])]
        # Once shifted, whose values are whose is not known: the row gets both candidates (too many
        # for its columns, or … for the one that is not there), so it is not read.
        rows.append([label, *before, *own, *([_UNKNOWN] if not (before and own) else [])] if shifted else [label, *own])
        shifted |= len(own) > width  # more values than columns: some are the next row's, printed above it
        before = own
        pos = values.end() if values else end
    tail = text[pos:]
    if not row_labels:  # 表四 has no row labels: its header, then all values
        head = _pieces(tail, other)
        at = next((i for i, p in enumerate(head) if _VALUES.fullmatch(p)), None)
        if at is not None:
            rows += [head[:at], _VALUE.findall(head[at])]
            tail = " ".join(head[at + 1:])
    return first, rows, tail, [hit[2] for hit in hits]


@lru_cache(maxsize=512)
def _tolerant(label: str) -> re.Pattern[str]:
    """The label with spaces, line breaks or values anywhere inside it, and any numbering mark after its number.

    A few characters standing alone between its lines are the wrapped label of the column beside it
    (`…通知要 （六）其 他处理 求缴纳费用…` in pdftotext -layout): they are skipped too.
    """
    number = re.match(r"\d[.、．]", label)
    head = re.escape(label[0]) + r"\s*[.、．]\s*" if number else ""
    rest = label[2:] if number else label
    return re.compile(head + r"(?:[\s\d.\-]|\s[\u4e00-\u9fff（）()]{1,4}(?=\s))*".join(map(re.escape, rest)))


def _pieces(text: str, labels: tuple[str, ...]) -> list[str]:
    """Text cut at the known labels it contains (longest first) and at runs of values."""
    return [p.strip() for p in _cutter(labels).split(text) if p and p.strip()]


@lru_cache(maxsize=16)
def _cutter(labels: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(" + "|".join(map(re.escape, labels)) + "|" + _VALUES.pattern + ")")


def _cells(texts: list[str], row: int, source: Source) -> list[TableCell]:
    return [TableCell(t, row, c, source) for c, t in enumerate(texts) if t]

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
from ..runs import agreed, block_readings, choices, grid_readings, order_text, stated, unplaced_text, unplaced_values
from ..templates import FORMATS, ColumnKind, Row, TableTemplate

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
        last = blocks[-1] if blocks else None
        if line and isinstance(last, Paragraph) and _WRAPPED.search(last.text) and not _HEADER_FIELD.match(line):
            last.text += line  # a sentence of the preamble wrapped over lines (a PDF's text)
        elif line:
            blocks.append(Paragraph(line, Source(line=start + 1)))
        start += 1
    header = len(blocks)
    kept = [line.strip() for line in lines[start:] if line.strip() and not _PAGE_FOOTER.fullmatch(line)]
    body = " ".join(_values_to_labels(kept))
    source = Source(line=start + 1)
    pos = 0
    current_table: str | None = None
    parts: list[tuple[str, str | None, bool, str | None]] = []  # each section's text, its table, preamble, next title
    for number, titles, table in _titles():
        found = _find_title(body, pos, number, titles)
        if found is None:
            continue
        at, title = found
        parts.append((body[pos:at], current_table, not pos, title))
        pos, current_table = at + len(title), table
    parts.append((body[pos:], current_table, not pos, None))
    for k in range(1, len(parts)):
        (before, kind, first, head), (after, next_kind, _, next_head) = parts[k - 1], parts[k]
        if kind and next_kind and (kind, next_kind) in (("t2", "t3"), ("t3", "t4")) and (
                spill := _spill(after, kind, next_kind)):
            parts[k - 1] = (f"{before} {after[:spill]}", kind, first, head)
            parts[k] = (after[spill:], next_kind, False, next_head)
    for text, table, preamble, heading in parts:
        blocks.extend(_content(text, table, source, preamble=preamble, prose=body))
        if heading is not None:
            blocks.append(Paragraph(heading, source))
    return _number(blocks, header)


def _spill(text: str, kind: str, next_kind: str) -> int:
    """Where a table's cells printed after the next section's title end (0: none are). poppler prints a page's
    right columns after its rows, so 表三's last columns (`其他 总计 0 0 …`) may follow the title of section 四, and
    表二's (`对外公开总数量 0 0 …`) that of section 三: text before the next table's first label that holds only
    this table's column labels and values is this table's."""
    own = {x for _, other in _labels(kind).values() for x in other}
    following = {x for _, other in _labels(next_kind).values() for x in other} - own  # 总计 is both 表三's and 表四's
    at = min((i for x in following if (i := text.find(x)) >= 0), default=-1)
    if at <= 0:
        return 0
    tokens = text[:at].split()
    if tokens and all(_VALUE.fullmatch(t) or _UNIT_TOKEN.fullmatch(t) or t in own for t in tokens) \
            and any(_VALUE.fullmatch(t) for t in tokens):
        return at
    return 0


_UNIT_TOKEN = re.compile(_UNIT)


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


def _content(text: str, table: str | None, source: Source, preamble: bool, prose: str = "") -> list[Paragraph | Table]:
    text = text.strip()
    if not text:
        return []
    if table is None:
        if preamble and (end := text.find(_TITLE_END, 0, _TITLE_SEARCH)) >= 0:
            end += len(_TITLE_END)  # the report's title runs into its first sentence
            return [Paragraph(text[:end], source), *_content(text[end:], None, source, False)]
        return [Paragraph(text, source)]
    return _table(text, table, source, prose)


def _table(text: str, kind: str, source: Source, prose: str = "") -> list[Paragraph | Table]:
    """The section's text as prose before the table, the table, and prose after it (in the format whose labels fit best)."""
    scans = [_scan(text, *labels) for labels in _labels(kind).values()]
    first, rows, tail = max(scans, key=lambda s: (sum(len(r) > 1 for r in s[1] if r[0] in s[3]), sum(map(len, s[3]))))[:3]
    if first < 0:
        return [Paragraph(text, source)]
    if kind == "t3" and (grid := _one_value_a_line(text[first:], _whole_rows(rows))) is not None:
        rows, tail = grid, ""
    elif kind == "t2" and (chunks := _chunks_one_value_a_line(text[first:], rows)) is not None:
        rows, tail = chunks, ""
    elif kind == "t4" and (values := _blocks_one_value_a_line(text[first:], rows, prose)) is not None:
        # Cells that no order places have no value to show what table this is: its header words stay with them.
        words = [r for r in rows if r and not any(_VALUE.fullmatch(x) for x in r)] if unplaced_values(values[0]) else []
        rows, tail = [*words, values], ""
    blocks: list[Paragraph | Table] = [Paragraph(text[:first].strip(), source)] if text[:first].strip() else []
    blocks.append(Table([_cells(r, i, source) for i, r in enumerate(rows)], source, runs=True))
    if tail.strip():
        blocks.append(Paragraph(tail.strip(), source))
    return blocks


_NUMBERING = re.compile(r"\d[.、．]$")
_COUNT_TOKEN = re.compile(r"\d+")


def _counts(text: str) -> list[str] | None:
    """The counts printed one a line (as words of the text), or None when an amount or a value with its unit is
    among them (not a table of counts laid out so)."""
    tokens = text.split()
    if any(_VALUE.fullmatch(t) for t in tokens if not _COUNT_TOKEN.fullmatch(t)):
        return None
    return [t for t in tokens if _COUNT_TOKEN.fullmatch(t)]


def _chunks_one_value_a_line(text: str, scanned: list[list[str]]) -> list[list[str]] | None:
    """表二 as poppler prints it without -layout: each value printed after the header of its column, a
    sub-table's (第二十条第（五）项) column or columns at a time (`上一年项目数量 本年增/减 2 0 1 0`), the sub-tables
    that share a header (上一年项目数量) in their order, or after its row's label (`行政处罚 4119`). When every
    value follows such headers or label and each run of values is exactly the cells under them, the table is
    read; a run of several rows and columns may be printed row by row or column by column, so a value the two
    orders disagree on is `…` (unread).
    None otherwise, or when this reads no more cells than the scan did."""
    tokens = text.split()
    best: tuple[int, list[list[str]]] | None = None
    for fmt in FORMATS.values():
        template = fmt.tables["t2"]
        read = _chunks(tokens, template)
        if read is None:
            read = _all_alike(tokens, template)
        if read is None:
            continue
        rows = [[row.label, *(read[cid] for cid in row.cell_ids())] for row in template.rows]
        count = sum(1 for cid in template.cell_ids() if not read[cid].startswith(_UNKNOWN))
        if best is None or count > best[0]:
            best = (count, rows)
    whole = sum(len(r) - 1 for r in scanned if len(r) > 1 and r[1:] and all(_VALUE.fullmatch(x) for x in r[1:]))
    return best[1] if best is not None and best[0] > whole else None


def _chunks(tokens: list[str], template: TableTemplate) -> dict[str, str] | None:
    """Each cell's value (`…[a|b]`: the orders disagree) from header-then-values chunks, or None when the tokens
    are not all such chunks or do not fill the table exactly."""
    groups: dict[str | None, list[Row]] = {}
    for row in template.rows:
        groups.setdefault(row.group, []).append(row)
    headers: dict[str, list[tuple[str | None, int]]] = {}  # header label -> (group, column) in the groups' order
    for group, rows in groups.items():
        for i, column in enumerate(rows[0].columns):
            for label in (column.label, *column.variants):
                headers.setdefault(label, []).append((group, i))
    named = {x: row for row in template.rows for x in (row.label, *row.variants)}
    used: dict[str, int] = {}
    out: dict[str, str] = {}
    labels: list[str] = []
    owner: Row | None = None  # the row whose label was printed last, when values follow it directly
    pending: list[str] = []  # headers printed with no values after them (a table's head, or values printed later)
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if token in headers:
            labels, owner = [*labels, token], None
            k += 1
            continue
        if not _VALUE.fullmatch(token):
            # a row label (`行政处罚 4119`: its values follow it) or a sub-table label; headers before it are
            # the table's head, not a chunk's
            pending += labels
            labels, owner = [], named.get(token)
            k += 1
            continue
        values: list[str] = []
        while k < len(tokens) and (_VALUE.fullmatch(tokens[k]) or (values and _UNIT_TOKEN.fullmatch(tokens[k]))):
            if _UNIT_TOKEN.fullmatch(tokens[k]):
                values[-1] += tokens[k]
            else:
                values.append(tokens[k])
            k += 1
        if owner is not None and not labels:  # a row label and its values, as printed in a row
            if len(values) != len(owner.columns):
                return None
            # Headers printed before with no values yet must be this row's own (its sub-table's head): else
            # the values may be theirs, printed after a label of another row.
            for x in pending:
                if used.get(x, 0) >= len(headers[x]) or headers[x][used.get(x, 0)][0] != owner.group:
                    return None
                used[x] = used.get(x, 0) + 1
            pending = []
            for cid, value, column in zip(owner.cell_ids(), values, owner.columns, strict=True):
                if cid in out or _value_kind(value, column.kind) is None:
                    return None
                out[cid] = value
            owner = None
            continue
        if not labels:
            return None  # values after no header: whose they are is not known
        places = [headers[x][used.get(x, 0)] if used.get(x, 0) < len(headers[x]) else None for x in labels]
        if None in places or len({g for g, _ in places}) != 1:  # type: ignore[misc]
            return None
        rows = groups[places[0][0]]  # type: ignore[index]
        columns = [c for _, c in places]  # type: ignore[misc]
        if len(values) != len(rows) * len(columns):
            return None
        by_row = {(r, c): values[r * len(columns) + j] for r in range(len(rows)) for j, c in enumerate(columns)}
        by_column = {(r, c): values[j * len(rows) + r] for r in range(len(rows)) for j, c in enumerate(columns)}
        for (r, c), value in by_row.items():
            cid = rows[r].cell_ids()[c]
            if cid in out or _value_kind(value, rows[r].columns[c].kind) is None:
                return None
            out[cid] = value if value == by_column[(r, c)] else order_text((value, by_column[(r, c)]))
        for x in labels:
            used[x] = used.get(x, 0) + 1
        labels = []
    return out if set(out) == set(template.cell_ids()) else None


def _all_alike(tokens: list[str], template: TableTemplate) -> dict[str, str] | None:
    """Every cell's value when the table's values are exactly its cells and all the same (seed 000's 表二, all
    0): whatever order they were printed in, each cell has that value. None otherwise."""
    values: list[str] = []
    for token in tokens:
        if values and _UNIT_TOKEN.fullmatch(token):
            values[-1] += token
        elif _VALUE.fullmatch(token):
            values.append(token)
    cells = [(cid, column) for row in template.rows for cid, column in zip(row.cell_ids(), row.columns, strict=True)]
    if len(values) != len(cells) or len(set(values)) != 1:
        return None
    if any(_value_kind(values[0], column.kind) is None for _, column in cells):
        return None
    return {cid: values[0] for cid, _ in cells}


def _value_kind(text: str, kind: ColumnKind) -> str | None:
    """The text when a column of this kind prints such a value (counts: whole, `137次`; 本年增/减: a sign too)."""
    number = re.fullmatch(r"(-?)(\d+(?:\.\d+)?)(" + _UNIT + ")?", text)
    if number is None:
        return None
    sign, digits, _ = number.groups()
    if kind is ColumnKind.AMOUNT:
        return text if not sign else None
    if "." in digits or (sign and kind is not ColumnKind.SIGNED):
        return None
    return text


def _blocks_one_value_a_line(text: str, rows: list[list[str]], prose: str) -> list[str] | None:
    """表四 as poppler prints it without -layout (each block's parts in order, its 总计 later, header words between):
    its values in the template's order where every reading that adds up (and agrees with the figures the
    report's text gives: 行政复议351件，其中结果维持72件…) agrees (runs.block_readings), `…[a|b]` where
    they differ, `…(values)` in every cell when the values are as many as the cells but none adds up; None when
    they are not, or when the scan found the values in one row already."""
    row = FORMATS["2021"].tables["t4"].rows[0]
    if any(len(r) == len(row.columns) and all(_VALUE.fullmatch(x) for x in r) for r in rows):
        return None
    values = _counts(text)
    template = FORMATS["2021"].tables["t4"]
    readings = stated(template, row.id, block_readings(values, row), prose) if values is not None else []
    if not readings and values is not None and len(values) == len(row.columns):
        return [unplaced_text(values)] * len(row.columns)  # its values, but in no order do the blocks add up (洪泽)
    if not readings:
        return None
    unsettled = choices(readings, len(row.columns))
    return [x if x is not None else order_text(u)  # …[a|b] is read as unreadable
            for x, u in zip(agreed(readings, len(row.columns)), unsettled, strict=True)]


def _whole_rows(rows: list[list[str]]) -> int:
    """How many of the scanned rows hold a value per column (each read as printed)."""
    width = len(FORMATS["2021"].tables["t3"].rows[0].columns)
    return sum(1 for r in rows if len(r) == width + 1 and all(_VALUE.fullmatch(x) for x in r[1:]))


def _one_value_a_line(text: str, whole: int) -> list[list[str]] | None:
    """表三 as poppler prints it without -layout: one cell a line, labels apart from their values, a band of rows
    printed column by column or in a left and a right part (runs.grid_readings). When the table's values are
    exactly its cells, each row is its label and its values; a value the readings disagree on is `…` (unread).
    None when this reads no more whole rows than the scan did (`whole`)."""
    values = _counts(text)
    if values is None:
        return None
    best: list[list[str]] | None = None
    for fmt in FORMATS.values():
        template = fmt.tables["t3"]
        if whole >= len(template.rows):
            continue  # the scan read every row already: no reading here could be kept (and the search is costly)
        grids = grid_readings(values, template, _anchors(text, template))
        if not grids:
            continue
        rows = []
        for i, row in enumerate(template.rows):
            readings = [g[i] for g in grids]
            pieces = agreed(readings, len(row.columns))
            unsettled = choices(readings, len(row.columns))
            rows.append([row.label, *(p if p is not None else order_text(u)  # …[a|b] is read as unreadable
                                      for p, u in zip(pieces, unsettled, strict=True))])
        read = sum(1 for r in rows if not any(x.startswith(_UNKNOWN) for x in r))
        if read > whole and (best is None or read > sum(1 for r in best if not any(x.startswith(_UNKNOWN) for x in r))):
            best = rows
    return best


def _anchors(text: str, template: TableTemplate) -> dict[int, int]:
    """Values whose column the layout gives: a column's header printed between values, then its column's values
    (`… 0 其他 2 0 2 总计 2 0 2 申请人情况`: poppler printed those columns top to bottom under their headers). Each
    value of the run after such a header, up to the next word, is in that column (as value index -> column)."""
    columns = {x: i for i, c in enumerate(template.rows[0].columns) for x in (c.label, *c.variants)}
    tokens = text.split()
    out: dict[int, int] = {}
    index = 0  # how many values came before tokens[k]
    for k, token in enumerate(tokens):
        if _COUNT_TOKEN.fullmatch(token):
            index += 1
            continue
        if token in columns and 0 < k < len(tokens) - 1 and _COUNT_TOKEN.fullmatch(tokens[k - 1]) \
                and _COUNT_TOKEN.fullmatch(tokens[k + 1]):
            end = k + 1
            while end < len(tokens) and _COUNT_TOKEN.fullmatch(tokens[end]):
                end += 1
            out.update((index + j, columns[token]) for j in range(end - k - 1))
    return out


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
        first_values = next((i for i, p in enumerate(head) if _VALUES.fullmatch(p)), None)
        if first_values is not None:
            rows += [head[:first_values], _VALUE.findall(head[first_values])]
            tail = " ".join(head[first_values + 1:])
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

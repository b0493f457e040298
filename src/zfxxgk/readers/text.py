"""Plain-text reports: text extracted from Word, tab-separated rows, markdown pipe tables.

Shapes handled (format.md §3.7):
- one cell per line: each cell a tab-prefixed line, rows separated by blank lines, labels wrapped
  onto untabbed continuation lines (`本年新` / `制作数量`), vertical-merge continuations as empty cells;
- tab-separated rows: one row per line (seed 001);
- markdown pipe tables: `| 行政许可 | 0 | ||` (markdownify's empty header row above the rule is dropped);
- crawled page text whose table cells run together (crawl.py), when no table is found otherwise.
Everything else is a paragraph. Source positions are 1-based line numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document, Paragraph, Source, Table, TableCell
from .crawl import looks_run_together, read_run_together
from .encoding import decode

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_CELL_LINE = re.compile(r"^[ \u3000\u00a0]*\t([^\t]*)$")
# A pipe-table row; converters (html2text) also print rows without the outer bars: `规章 | 1 | 0 | 11`.
_PIPE_LINE = re.compile(r"^\s*\||^[^|\n]{1,200}(?:\s\|\s[^|\n]*){1,40}$|^\s*-{3,}(?:\|-{3,})+\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_MERGED_VALUES = r"\s*\d+(?:\.\d+)?(?:\s+\d+(?:\.\d+)?)+\s*"  # one cell, several values: `3001 53`
# A cell that is _MERGED_VALUES as a whole, searched in the cells' texts joined by NULs (read_text drops NULs, and no
# part of the pattern matches one): one search instead of a fullmatch per cell.
_MERGED_CELL = re.compile(rf"(?:^|(?<=\x00)){_MERGED_VALUES}(?=\x00|\Z)")
_DIGITS_APART = re.compile(r"\d\s+\d")  # what every such cell holds: a quick search first
# A continuation of a wrapped label: short, no sentence punctuation, not a numbered heading.
_SENTENCE = re.compile(r"[。；;：:，,！？]")
_NUMBERED = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
_CONTINUATION_MAX = 12


def read_text(data: bytes) -> Document:
    text, encoding = decode(data)
    if "\x00" in text:  # stray NULs (a broken export) are not text; drop them, keep the lines
        text = text.replace("\x00", "")
    # The same lines as _LINE_SPLIT gives; str.split is several times faster where no CR is.
    lines = text.split("\n") if "\r" not in text else _LINE_SPLIT.split(text)
    del text  # the lines hold it now; do not keep two copies of a large file
    blocks: list[Paragraph | Table] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _CELL_LINE.match(line):
            table, i = _cell_per_line_table(lines, i)
            blocks.extend(_demote_prose(table))
        elif "\t" in line:
            table, i = _delimited_table(lines, i, _split_tabs, lambda s: "\t" in s)
            blocks.append(table)
        elif "|" in line and _PIPE_LINE.match(line):  # each of its forms prints a bar
            table, i = _delimited_table(lines, i, _split_pipes, lambda s: bool(_PIPE_LINE.match(s)))
            blocks.append(table)
        else:
            m = _MD_HEADING.match(line)
            blocks.append(Paragraph(line.rstrip(), _line_source(i + 1), len(m.group(1)) if m else None))
            i += 1
    joined = "\x00".join([c.text for b in blocks if isinstance(b, Table) for row in b.rows for c in row])
    if _DIGITS_APART.search(joined) and _MERGED_CELL.search(joined):
        # Pipe tables from a PDF converter (markitdown): cells of several values, values moved to the next
        # cell or line. Their grid means nothing; read the text as running text instead.
        lines = [_PIPE_RULE.sub("", line).replace("|", " ") for line in lines]
        blocks = read_run_together(lines)
    elif not any(isinstance(b, Table) for b in blocks) and looks_run_together(lines):
        blocks = read_run_together(lines)  # crawled page text: sections and table rows inside running lines
    tables = [b for b in blocks if isinstance(b, Table)]
    for index, table in enumerate(tables, start=1):
        table.index = index
    return Document(blocks, "text", {"encoding": encoding, "lines": n})


def _cell_per_line_table(lines: list[str], i: int) -> tuple[Table, int]:
    start = i
    rows: list[list[TableCell]] = []
    row: list[TableCell] = []
    blanks = 0
    n = len(lines)
    match, cell, source = _CELL_LINE.match, TableCell, _line_source  # locals: this loop runs for every cell
    while i < n:
        line = lines[i]
        if line[:1] == "\t" and line.count("\t") == 1:  # the common shape of _CELL_LINE, without the expression
            text: str | None = line[1:]
        else:
            m = match(line)
            text = m.group(1) if m else None
        if text is not None:
            if blanks and row:
                rows.append(row)
                row = []
            blanks = 0
            row.append(cell(text, len(rows), len(row), source(i + 1)))
        elif not line.strip(" \u3000\u00a0\t"):
            blanks += 1
        elif row and blanks <= 1 and _is_continuation(line):
            last = row[-1]
            last.text = f"{last.text}\n{line.strip()}"
            blanks = 0
        else:
            break
        i += 1
    if row:
        rows.append(row)
    return Table(rows, Source(line=start + 1)), i


@lru_cache(maxsize=8192)
def _line_source(number: int) -> Source:
    """Source(line=number), shared: it is immutable, and building one costs more than the cell it is for."""
    return Source(line=number)


def _is_continuation(line: str) -> bool:
    text = line.strip(" \u3000\u00a0")
    return len(text) <= _CONTINUATION_MAX and not _SENTENCE.search(text) and not _NUMBERED.match(text)


def _delimited_table(lines, i, split, belongs) -> tuple[Table, int]:  # type: ignore[no-untyped-def]
    start = i
    rows: list[list[TableCell]] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if j < n and belongs(lines[j]):
                i = j
                continue
            break
        if not belongs(line):
            break
        if _PIPE_RULE.match(line):
            if rows and not any(c.text.strip() for c in rows[-1]):
                rows.pop()  # an empty header row above the rule: markdownify's placeholder, not a row of blanks
        else:
            r = len(rows)
            source = _line_source(i + 1)  # one for the line: Source is immutable, its cells share it
            rows.append([TableCell(text, r, c, source) for c, text in enumerate(split(line))])
        i += 1
    return Table(rows, Source(line=start + 1)), i


def _split_tabs(line: str) -> list[str]:
    return line.rstrip("\r\n").split("\t")


def _split_pipes(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return text.split("|")


def _demote_prose(table: Table) -> list[Paragraph | Table]:
    """Tab-indented prose is not a table: give such "tables" back as paragraphs."""
    cells: list[TableCell] = []
    for row in table.rows:
        for c in row:
            text = c.text.strip()
            if not text:
                continue
            if len(text) < 30 or not _SENTENCE.search(text):  # a table's first cell usually tells
                return [table]
            cells.append(c)
    return [Paragraph(c.text.strip(), c.source) for c in cells] if cells else [table]

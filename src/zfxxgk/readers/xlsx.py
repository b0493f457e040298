"""Excel .xlsx reports read with openpyxl.

Sheets are read in workbook order. Within a sheet, blank rows split it into regions; a region whose
rows each hold at most one piece of text is prose (paragraphs), any other region is one Table with
its merged ranges as spans (covered cells not repeated) and every other grid position inside
the region a cell, blank or not, as Word and HTML tables have. Leading rows of a table region that hold
one unmerged text only (a title typed in A1) are paragraphs.

Numbers are written as a person sees them: a whole number stored as 2.0 reads "2"; a decimal
takes the decimals of its number format (0.0000 → 4 places), else its shortest exact form.
Sources are 1-based: Source(table, row, col) with the sheet's own row and column numbers,
Source(paragraph=n) counting emitted paragraphs.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from ..document import Document, Paragraph, Source, Table, TableCell
from ..errors import ReadError
from .optional import require
from .safety import MAX_MERGED_CELLS, open_zip

_KIND = "Excel (.xlsx)"
_DECIMALS = re.compile(r"0\.(0+)")
MAX_CELLS = 2_000_000  # grid positions of one sheet (max_row × max_column) we walk
MAX_STORED_CELLS = 500_000  # <c> elements of all sheets: openpyxl makes an object of each
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref\s*=\s*["\']'
                    rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?")


def _count_cells(archive: zipfile.ZipFile) -> None:
    """Cells and merged positions of every sheet, counted in the XML before openpyxl expands them.

    openpyxl creates a cell object for every position of a merged range when it loads a sheet:
    `<mergeCell ref="A1:XFD1048576"/>` in a 5 KB file would take gigabytes.
    """
    stored = merged = 0
    for info in archive.infolist():
        if not info.filename.startswith("xl/worksheets/"):
            continue
        with archive.open(info) as handle:
            rest = b""
            while chunk := handle.read(1024 * 1024):
                buffer = rest + chunk
                cut = buffer.rfind(b">") + 1  # whole tags only; the rest waits for the next chunk
                done, rest = buffer[:cut], buffer[cut:]
                stored += len(_CELL_TAG.findall(done))
                for m in _MERGE.finditer(done):
                    merged += _area(*m.groups())
                if stored > MAX_STORED_CELLS:
                    raise ReadError("too_many_cells", cells=stored, limit=MAX_STORED_CELLS)
                if merged > MAX_MERGED_CELLS:
                    raise ReadError("table_too_large", cells=merged, limit=MAX_MERGED_CELLS)


def _area(col0: bytes, row0: bytes, col1: bytes | None, row1: bytes | None) -> int:
    def column(letters: bytes) -> int:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ch - 64
        return n

    if col1 is None or row1 is None:
        return 1
    return (abs(column(col1) - column(col0)) + 1) * (abs(int(row1) - int(row0)) + 1)


def read_xlsx(data: bytes) -> Document:
    """Read every sheet's regions as tables and paragraphs."""
    with open_zip(data, _KIND) as archive:
        _count_cells(archive)
    openpyxl = require("openpyxl", _KIND)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl's InvalidFileException, XML parse errors, KeyError of a missing part …
        raise ReadError("corrupt", kind=_KIND) from exc
    reader = _Reader()
    sheets = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise ReadError("zip_bomb", kind=_KIND, reason=f"{sheet.title}: {sheet.max_row}×{sheet.max_column}")
        sheets.append(sheet.title)
        reader.sheet(sheet)
    return Document(reader.blocks, "xlsx", {"sheets": sheets, "paragraphs": reader.paragraph_count,
                                            "tables": reader.table_count})


def cell_text(cell: Any) -> str:
    """A cell's value as printed: integers without .0, decimals to the format's places."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        fmt = cell.number_format or "General"
        if "%" in fmt:
            value *= 100
        m = _DECIMALS.search(fmt)
        if m:
            text = f"{value:.{len(m.group(1))}f}"
        elif value.is_integer():
            text = str(int(value))
        else:
            text = format(Decimal(repr(value)), "f")
        return text + ("%" if "%" in fmt else "")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _bordered(cell: Any) -> bool:
    border = cell.border
    return any(getattr(border, side).style for side in ("left", "right", "top", "bottom"))


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.paragraph_count = 0
        self.table_count = 0

    def paragraph(self, text: str) -> None:
        self.paragraph_count += 1
        self.blocks.append(Paragraph(text, Source(paragraph=self.paragraph_count)))

    def sheet(self, sheet: Any) -> None:
        merged: dict[tuple[int, int], tuple[int, int]] = {}  # top-left (row, col) -> (rowspan, colspan)
        covered: set[tuple[int, int]] = set()
        for rng in sheet.merged_cells.ranges:
            merged[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered.add((r, c))
        grid: dict[int, dict[int, str]] = {}
        ruled: set[int] = set()  # rows with cell borders: an all-blank data row still belongs to its table
        for row in sheet.iter_rows():
            for cell in row:
                if (cell.row, cell.column) in covered:
                    continue
                text = cell_text(cell)
                if text or (cell.row, cell.column) in merged:
                    grid.setdefault(cell.row, {})[cell.column] = text
                elif cell.has_style and _bordered(cell):
                    ruled.add(cell.row)
        # A row is part of a region when it has text, borders, or is spanned by a merge from above.
        occupied = set(grid) | ruled | {r for r, _ in covered}
        region: list[int] = []
        for r in range(1, (max(occupied) if occupied else 0) + 2):
            if r in occupied:
                region.append(r)
            elif region:
                self.region(region, grid, merged, covered)
                region = []

    def region(self, rows: list[int], grid: dict[int, dict[int, str]],
               merged: dict[tuple[int, int], tuple[int, int]], covered: set[tuple[int, int]]) -> None:
        def texts(r: int) -> list[tuple[int, str]]:
            return [(c, t) for c, t in sorted(grid.get(r, {}).items()) if t.strip()]

        if all(len(texts(r)) <= 1 for r in rows) and not any(
                merged.get((r, c), (1, 1))[0] > 1 for r in rows for c, _ in texts(r)):
            for r in rows:
                for _, text in texts(r):
                    self.paragraph(text)
            return
        while rows and len(texts(rows[0])) <= 1 and all((rows[0], c) not in merged for c, _ in texts(rows[0])):
            for _, text in texts(rows.pop(0)):
                self.paragraph(text)
        if not rows:
            return
        self.table_count += 1
        index = self.table_count
        first = rows[0]
        left = min((c for r in rows for c in grid.get(r, {})), default=1)
        right = max((c + merged.get((r, c), (1, 1))[1] - 1 for r in rows for c in grid.get(r, {})), default=1)
        out: list[list[TableCell]] = []
        for r in rows:
            physical = []
            for c in range(left, right + 1):
                if (r, c) in covered:
                    continue
                text = grid.get(r, {}).get(c, "")  # an empty cell of the grid is a blank cell, kept
                rowspan, colspan = merged.get((r, c), (1, 1))
                physical.append(TableCell(text, r - first, c - left, Source(table=index, row=r, col=c),
                                          rowspan, colspan))
            out.append(physical)
        self.blocks.append(Table(out, Source(table=index, row=first), index))

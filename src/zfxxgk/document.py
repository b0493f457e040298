"""The format-neutral document every reader produces.

Readers turn bytes into ordered blocks (paragraphs and tables) and record where each piece came
from. Nothing after this point knows whether the report was text, Word, HTML or PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """Where a piece of text sits in the original file; unset fields do not apply."""

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    paragraph: int | None = None

    def __reduce__(self) -> tuple[type[Source], tuple[int | None, ...]]:
        # Pickled with every cell when reports cross processes: a tuple is 3x faster than the slots default.
        return Source, (self.line, self.page, self.table, self.row, self.col, self.paragraph)

    def to_json(self) -> dict[str, int]:
        # Spelled out: called for every cell of every stored report, where the generic loop showed in profiles.
        out: dict[str, int] = {}
        if self.line is not None:
            out["line"] = self.line
        if self.page is not None:
            out["page"] = self.page
        if self.table is not None:
            out["table"] = self.table
        if self.row is not None:
            out["row"] = self.row
        if self.col is not None:
            out["col"] = self.col
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        return out

    def describe(self, lang: str = "zh") -> str:
        parts: list[str] = []
        labels = _SOURCE_LABELS[lang]
        for key in ("page", "line", "paragraph", "table", "row", "col"):
            value = getattr(self, key)
            if value is not None:
                parts.append(labels[key].format(value))
        return ", ".join(parts) if lang == "en" else "".join(parts)


_SOURCE_LABELS = {
    "zh": {
        "page": "第{}页",
        "line": "第{}行",
        "paragraph": "第{}段",
        "table": "表{}",
        "row": "第{}行",
        "col": "第{}列",
    },
    "en": {
        "page": "page {}",
        "line": "line {}",
        "paragraph": "paragraph {}",
        "table": "table {}",
        "row": "row {}",
        "col": "col {}",
    },
}


@dataclass(slots=True)
class Paragraph:
    text: str
    source: Source
    # Heading level when the input marks headings (markdown #, Word styles); None otherwise.
    level: int | None = None


@dataclass(slots=True)
class TableCell:
    """One physical cell; spans say how many grid rows/columns it covers."""

    text: str
    row: int
    col: int
    source: Source
    rowspan: int = 1
    colspan: int = 1
    # Recognition confidence 0..1 when the text was read by OCR; None when read from text.
    confidence: float | None = None
    # OCR: where the cell was printed, (page, x0, top, x1, bottom) in points, so that a reviewer can be
    # shown the crop; None when read from text.
    box: tuple[int, float, float, float, float] | None = None


@dataclass(slots=True)
class Table:
    """A table as rows of physical cells.

    Cells covered by a span of another cell are not repeated, so a row may hold fewer cells than
    the grid is wide. Text readers cannot see spans; their cells all have span 1.
    """

    rows: list[list[TableCell]]
    source: Source
    index: int = 0
    # A row's values may be one run of digits (crawled text without separators): extract.py splits them.
    runs: bool = False

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    format: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

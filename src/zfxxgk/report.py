"""The report object: extracted cells with provenance, sections, metadata, and findings.

This is what every output (JSON, tables, exports, database) is made from. Its JSON form is the
contract in spec/contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .document import Source
from .values import Kind, Number

MISSING = "missing"  # the cell was not found at all (its row or table is absent)


@dataclass(slots=True)
class Cell:
    id: str
    value: Number | None
    raw: str | None
    kind: str  # values.Kind or MISSING
    unit: str | None = None
    note: str | None = None
    source: Source | None = None
    confidence: float | None = None  # OCR recognition confidence 0..1; None when read from text

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": _json_number(self.value),
            "raw": self.raw,
            "unit": self.unit,
            "source": self.source.to_json() if self.source else None,
        }
        if self.kind != Kind.NUMBER:
            out["status"] = self.kind
        if self.note:
            out["note"] = self.note
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
        return out

    @property
    def number(self) -> Number | None:
        """The value for arithmetic: blank and N/A count as 0; unreadable and missing are None."""
        if self.kind == Kind.NUMBER:
            return self.value
        if self.kind in (Kind.BLANK, Kind.NA):
            return 0
        return None


@dataclass(slots=True)
class Finding:
    code: str
    severity: str
    cells: list[str]
    args: dict[str, Any]
    source: Source | None = None
    locations: dict[str, Source] = field(default_factory=dict)  # where each named cell was printed
    message: str = ""  # rendered in the report's language by the rule engine

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "cells": self.cells,
            "message": self.message,
            "source": self.source.to_json() if self.source else None,
            "locations": {cid: src.to_json() for cid, src in self.locations.items()},
        }


@dataclass(slots=True)
class Section:
    number: int  # 1..6
    title: str  # as printed
    source: Source
    text: str = ""  # the prose under the title, joined


@dataclass(slots=True)
class Prose:
    """One paragraph of prose: its section (0 = preamble), text and source."""

    section: int
    text: str
    source: Source


@dataclass(slots=True)
class LabelVariant:
    printed: str
    official: str
    cells: list[str]
    source: Source | None


@dataclass(slots=True)
class ExtraRow:
    label: str
    values: list[str]
    source: Source | None


@dataclass(slots=True)
class TableInfo:
    """What the extractor saw of one standard table."""

    key: str  # t2, t3, t4
    version: str | None  # the layout actually printed
    found: bool
    source: Source | None = None
    fingerprints: dict[str, list[str]] = field(default_factory=dict)  # version -> labels seen
    missing_headers: list[str] = field(default_factory=list)
    missing_rows: list[str] = field(default_factory=list)
    extra_rows: list[ExtraRow] = field(default_factory=list)
    variants: list[LabelVariant] = field(default_factory=list)
    subtotal_columns: list[dict[str, Any]] = field(default_factory=list)
    subtotal_rows: list[dict[str, Any]] = field(default_factory=list)
    header_units: dict[str, str] = field(default_factory=dict)  # cell id -> unit printed in the header

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "found": self.found,
            "source": self.source.to_json() if self.source else None,
            "missing_headers": self.missing_headers,
            "missing_rows": self.missing_rows,
            "extra_rows": [{"label": e.label, "values": e.values,
                            "source": e.source.to_json() if e.source else None} for e in self.extra_rows],
        }


@dataclass(slots=True)
class Report:
    source: str
    sha256: str | None = None
    format: str | None = None
    encoding: str | None = None
    version: str | None = None
    year: int | None = None
    body: str | None = None
    title: str | None = None
    title_source: Source | None = None
    published: str | None = None
    published_basis: str | None = None  # "metadata" (page says 发布日期) or "signature" (date under the text)
    signed: str | None = None
    period_years: list[int] = field(default_factory=list)  # years named by the statistical period sentence
    preamble: str = ""
    prose: list[Prose] = field(default_factory=list)
    sections: dict[int, Section] = field(default_factory=dict)
    section_variants: list[LabelVariant] = field(default_factory=list)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    pages: dict[str, list[int]] = field(default_factory=dict)  # PDF/scan: pages read as "text", by "ocr", …

    def cell(self, cell_id: str) -> Cell | None:
        return self.cells.get(cell_id)

    def number(self, cell_id: str) -> Number | None:
        cell = self.cells.get(cell_id)
        return cell.number if cell else None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
            **({"pages": self.pages} if self.pages else {}),
            "version": self.version,
            "year": self.year,
            "body": self.body,
            "title": self.title,
            "published": self.published,
            "published_basis": self.published_basis,
            "signed": self.signed,
            "preamble": self.preamble,
            "sections": {str(n): {"title": s.title, "source": s.source.to_json(), "text": s.text}
                         for n, s in sorted(self.sections.items())},
            "tables": {k: v.to_json() for k, v in self.tables.items()},
            "cells": {cid: c.to_json() for cid, c in self.cells.items()},
            "findings": [f.to_json() for f in self.findings],
            "error": self.error,
        }


def _json_number(value: Number | None) -> int | float | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value

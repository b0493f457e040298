"""The report object: extracted cells with provenance, sections, metadata, and findings.

This is what every output (JSON, tables, exports, database) is made from. `Report.to_dict()` is
the lossless record (schema "zfxxgk.report/1", docs/report.schema.json): everything the engine
knows, as plain JSON data, so that `Report.from_dict()` gives back a report that checks to the same
findings. Words for people (finding messages, read errors) are not stored: they are rendered from
codes and arguments in the language asked, when shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from .document import Source, TableCell
from .i18n import t
from .messages import render
from .templates import FORMATS, version_for_year
from .values import Kind, Number, from_json_number, json_data, json_number, parse_value

SCHEMA = "zfxxgk.report/1"

MISSING = "missing"  # the cell was not found at all (its row or table is absent)


def _box(cell_id: str, data: Any) -> tuple[int, float, float, float, float] | None:
    """A PDF or scanned cell's box from the record: {"page", "x0", "top", "x1", "bottom"} in points, or None."""
    if data is None:
        return None
    keys = ("page", "x0", "top", "x1", "bottom")
    values = [data.get(k) for k in keys] if isinstance(data, dict) else []
    if len(values) != 5 or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values) \
            or not isinstance(values[0], int):
        raise ReportDataError("bad_field", field=f"cells.{cell_id}.box", reason=repr(data)[:80])
    return values[0], float(values[1]), float(values[2]), float(values[3]), float(values[4])


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
    box: tuple[int, float, float, float, float] | None = None  # PDF and OCR: (page, x0, top, x1, bottom) in points

    def to_dict(self) -> dict[str, Any]:
        # json_number and source_dict spelled out: called for each of a report's 200 cells on every line written.
        value, source, kind = self.value, self.source, self.kind
        out: dict[str, Any] = {
            "value": value if value.__class__ is not Decimal else json_number(value),
            "raw": self.raw,
            "unit": self.unit,
            "source": source.to_json() if source is not None else None,
        }
        if kind is not Kind.NUMBER and kind != Kind.NUMBER:  # the member itself, nearly always
            out["status"] = str(kind)
        if self.note:
            out["note"] = self.note
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.box is not None:
            out["box"] = dict(zip(("page", "x0", "top", "x1", "bottom"), self.box, strict=True))
        return out

    @classmethod
    def from_dict(cls, cell_id: str, data: Any) -> Cell:
        """A cell of the record, or a bare value (number, numeric string, null) of a hand-written object."""
        if not isinstance(data, dict):
            if isinstance(data, str):
                parsed = parse_value(data)
                return cls(cell_id, parsed.value, data, parsed.kind, parsed.unit, parsed.note)
            value = _json_value(cell_id, data)
            return cls(cell_id, value, "" if value is None else str(data), Kind.NUMBER if value is not None else Kind.BLANK)
        raw, unit, note, status = data.get("raw"), data.get("unit"), data.get("note"), data.get("status")
        for key, text in (("raw", raw), ("unit", unit), ("note", note), ("status", status)):
            if text is not None and text.__class__ is not str:
                raise ReportDataError("bad_field", field=f"cells.{cell_id}.{key}", reason=repr(text)[:80])
        confidence = data.get("confidence")
        if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))):
            raise ReportDataError("bad_field", field=f"cells.{cell_id}.confidence", reason=repr(confidence)[:80])
        status = status or Kind.NUMBER
        value = data.get("value")
        value = value if value is None or value.__class__ is int else _json_value(cell_id, value)  # the common cases
        if isinstance(value, Decimal) and isinstance(raw, str):
            # The JSON number is a float; the printed text keeps the exact decimal (trailing zeros too).
            exact = parse_value(raw).value
            if isinstance(exact, Decimal) and float(exact) == float(value):
                value = exact
        if status not in _STATUSES:
            raise ReportDataError("bad_field", field=f"cells.{cell_id}.status", reason=repr(status)[:80])
        return cls(cell_id, value, raw, status, unit, note, source_from(data.get("source")), confidence,
                   _box(cell_id, data.get("box")))

    def __reduce__(self) -> tuple[type[Cell], tuple[Any, ...]]:
        # Reports cross processes by the thousand (ingest -j); a plain tuple pickles 3x faster than slots.
        return Cell, (self.id, self.value, self.raw, self.kind, self.unit, self.note, self.source, self.confidence,
                      self.box)

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

    def message(self, lang: str = "zh", version: str | None = None) -> str:
        """The words for people, from the catalogue; `version` picks the labels that report prints."""
        return render(self, lang, version)

    def to_dict(self) -> dict[str, Any]:
        """The finding as data; its message is rendered from code and args where it is shown."""
        return {
            "code": self.code,
            "severity": self.severity,
            "cells": list(self.cells),
            "args": json_data(self.args),
            "source": source_dict(self.source),
            "locations": {cid: src.to_json() for cid, src in self.locations.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(data["code"], data["severity"], list(data.get("cells") or []), dict(data.get("args") or {}),
                   source_from(data.get("source")),
                   {k: s for k, v in (data.get("locations") or {}).items() if (s := source_from(v))})


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a file could not be read, as data: a message key (i18n `read.<code>`) and its arguments."""

    code: str
    args: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        return t(f"read.{self.code}", lang, **self.args)


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

    def to_dict(self) -> dict[str, Any]:
        return {"printed": self.printed, "official": self.official, "cells": list(self.cells),
                "source": source_dict(self.source)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelVariant:
        return cls(data["printed"], data["official"], list(data.get("cells") or []), source_from(data.get("source")))


@dataclass(slots=True)
class ExtraRow:
    label: str
    values: list[str]
    source: Source | None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "values": list(self.values), "source": source_dict(self.source)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtraRow:
        return cls(data["label"], list(data.get("values") or []), source_from(data.get("source")))


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "found": self.found,
            "source": source_dict(self.source),
            "fingerprints": {v: list(labels) for v, labels in self.fingerprints.items()},
            "missing_headers": list(self.missing_headers),
            "missing_rows": list(self.missing_rows),
            "extra_rows": [e.to_dict() for e in self.extra_rows],
            "variants": [v.to_dict() for v in self.variants],
            "subtotal_columns": [{"row": s["row"], "raw": s["raw"], "value": json_number(s["value"]),
                                  "source": source_dict(s["source"])} for s in self.subtotal_columns],
            "subtotal_rows": [{"group": s["group"], "source": source_dict(s["source"]),
                               "cells": [_table_cell_dict(c) for c in s["cells"]]} for s in self.subtotal_rows],
            "header_units": dict(self.header_units),
        }

    @classmethod
    def from_dict(cls, key: str, data: dict[str, Any]) -> TableInfo:
        return cls(
            key, data.get("version"), bool(data.get("found")), source_from(data.get("source")),
            fingerprints={v: list(labels) for v, labels in (data.get("fingerprints") or {}).items()},
            missing_headers=list(data.get("missing_headers") or []),
            missing_rows=list(data.get("missing_rows") or []),
            extra_rows=[ExtraRow.from_dict(e) for e in data.get("extra_rows") or []],
            variants=[LabelVariant.from_dict(v) for v in data.get("variants") or []],
            subtotal_columns=[{"row": s["row"], "raw": s["raw"], "value": from_json_number(s.get("value")),
                               "source": source_from(s.get("source"))} for s in data.get("subtotal_columns") or []],
            subtotal_rows=[{"group": s["group"], "source": source_from(s.get("source")),
                            "cells": [_table_cell_from(c) for c in s.get("cells") or []]}
                           for s in data.get("subtotal_rows") or []],
            header_units=dict(data.get("header_units") or {}),
        )


@dataclass(slots=True)
class Report:
    source: str
    sha256: str | None = None
    format: str | None = None
    encoding: str | None = None
    version: str | None = None
    year: int | None = None
    body: str | None = None
    body_printed: str | None = None  # the body as printed (spaces, traditional characters); `body` is normalised
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
    error: Problem | None = None
    pages: dict[str, list[int]] = field(default_factory=dict)  # PDF/scan: pages read as "text", by "ocr", …

    def cell(self, cell_id: str) -> Cell | None:
        return self.cells.get(cell_id)

    def number(self, cell_id: str) -> Number | None:
        cell = self.cells.get(cell_id)
        return cell.number if cell else None

    def error_message(self, lang: str = "zh") -> str | None:
        return self.error.message(lang) if self.error else None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The lossless record. `lang` only chooses the words added for people (messages, error)."""
        return {
            "schema": SCHEMA,
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
            "pages": {k: list(v) for k, v in self.pages.items()},
            "version": self.version,
            "year": self.year,
            "body": self.body,
            "body_printed": self.body_printed,
            "title": self.title,
            "title_source": source_dict(self.title_source),
            "published": self.published,
            "published_basis": self.published_basis,
            "signed": self.signed,
            "period_years": list(self.period_years),
            "preamble": self.preamble,
            "prose": [{"section": p.section, "text": p.text, "source": source_dict(p.source)} for p in self.prose],
            "sections": {str(n): {"title": s.title, "source": source_dict(s.source), "text": s.text}
                         for n, s in sorted(self.sections.items())},
            "section_variants": [v.to_dict() for v in self.section_variants],
            "tables": {k: v.to_dict() for k, v in self.tables.items()},
            "cells": {cid: c.to_dict() for cid, c in self.cells.items()},
            "findings": [{**f.to_dict(), "message": f.message(lang, self.version)} for f in self.findings],
            "error": self.error_message(lang),
            "problem": {"code": self.error.code, "args": json_data(self.error.args)} if self.error else None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Report:
        """A report from its record, or from any object with `cells` and a `version` or `year`.

        Raises ReportDataError naming what is missing or wrong; words (messages) are not read back.
        """
        _require_report_object(data)
        try:
            return cls._from_checked(data)
        except ReportDataError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError, IndexError) as exc:
            # A field of the wrong type (a list where an object belongs, a word where a number does).
            raise ReportDataError("bad_record", reason=f"{type(exc).__name__}: {exc}"[:200]) from None

    @classmethod
    def _from_checked(cls, data: dict[str, Any]) -> Report:
        for key in ("source", "sha256", "format", "encoding", "body", "body_printed", "title", "published",
                    "published_basis", "signed", "preamble"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ReportDataError("bad_field", field=key, reason=repr(data[key])[:80])
        version = data.get("version")
        year = _optional_int(data, "year")
        r = cls(
            source=str(data.get("source") or "<data>"),
            sha256=data.get("sha256"),
            format=data.get("format"),
            encoding=data.get("encoding"),
            version=version if version is not None else version_for_year(year),
            year=year,
            body=data.get("body"),
            body_printed=data.get("body_printed"),
            title=data.get("title"),
            title_source=source_from(data.get("title_source")),
            published=data.get("published"),
            published_basis=data.get("published_basis"),
            signed=data.get("signed"),
            period_years=[int(y) for y in data.get("period_years") or []],
            preamble=data.get("preamble") or "",
            pages={k: [int(p) for p in v] for k, v in (data.get("pages") or {}).items()},
        )
        for number, s in sorted((data.get("sections") or {}).items(), key=lambda item: int(item[0])):
            r.sections[int(number)] = Section(int(number), s.get("title", ""), source_from(s.get("source")) or Source(),
                                              s.get("text") or "")
        if "prose" in data:
            r.prose = [Prose(int(p["section"]), p["text"], source_from(p.get("source")) or Source())
                       for p in data["prose"]]
        else:  # a hand-written object: its section texts are the prose
            r.prose = [Prose(n, para, s.source) for n, s in r.sections.items() for para in s.text.split("\n")
                       if para.strip()]
        r.section_variants = [LabelVariant.from_dict(v) for v in data.get("section_variants") or []]
        r.tables = {k: TableInfo.from_dict(k, v) for k, v in (data.get("tables") or {}).items()}
        r.cells = {cid: Cell.from_dict(cid, c) for cid, c in data["cells"].items()}
        r.findings = [Finding.from_dict(f) for f in data.get("findings") or []]
        problem = data.get("problem")
        if problem:
            r.error = Problem(problem["code"], dict(problem.get("args") or {}))
        elif data.get("error"):  # a record from before problems were data: keep its words
            r.error = Problem("message", {"message": str(data["error"])})
        return r


def _json_value(cell_id: str, value: Any) -> Number | None:
    """A cell's value from JSON: a number, a numeric string or null; anything else ("1.5万", a list) is named."""
    try:
        if isinstance(value, str) and parse_value(value).kind is not Kind.NUMBER and value.strip():
            raise ValueError(value)
        number = from_json_number(value)
    except (ValueError, TypeError, ArithmeticError):
        raise ReportDataError("bad_field", field=f"cells.{cell_id}.value", reason=repr(value)[:80]) from None
    if isinstance(number, Decimal) and not number.is_finite():
        raise ReportDataError("bad_field", field=f"cells.{cell_id}.value", reason=repr(value)[:80])
    return number


class ReportDataError(ValueError):
    """JSON that is not a report object; the message (i18n `data.<key>`) says what is missing."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key, self.args_ = key, args

    def message(self, lang: str = "zh") -> str:
        args = {k: v.message(lang) if isinstance(v, Problem) else v for k, v in self.args_.items()}
        return t(f"data.{self.key}", lang, **args)

    def __str__(self) -> str:
        return self.message("zh")


def _require_report_object(data: Any) -> None:
    if not isinstance(data, dict):
        raise ReportDataError("not_object", kind=type(data).__name__)
    missing = [k for k in ("cells",) if k not in data]
    if "version" not in data and "year" not in data:
        missing.append("version/year")
    if missing:
        raise ReportDataError("missing", fields=", ".join(missing))
    if not isinstance(data["cells"], dict):
        raise ReportDataError("bad_field", field="cells", reason="not an object")
    version = data.get("version")
    if version is not None and version not in FORMATS:
        raise ReportDataError("bad_field", field="version", reason=repr(version))
    unknown = sorted(set(data["cells"]) - _known_cell_ids())
    if unknown and not data.get("error"):
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise ReportDataError("unknown_cells", n=len(unknown), cells=shown)


def _optional_int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ReportDataError("bad_field", field=key, reason=repr(value)) from None


# ------------------------------------------------------------------ sources and table cells as data
def source_dict(source: Source | None) -> dict[str, int] | None:
    return source.to_json() if source else None


def source_from(data: Any) -> Source | None:
    if not data:
        return None
    return Source(**{k: int(v) for k, v in data.items() if k in _SOURCE_KEYS})


_SOURCE_KEYS = frozenset(Source.__slots__)
_STATUSES = frozenset({*Kind, MISSING})


@cache
def _known_cell_ids() -> frozenset[str]:
    return frozenset(cid for fmt in FORMATS.values() for cid in fmt.cell_ids())


def _table_cell_dict(cell: TableCell) -> dict[str, Any]:
    out: dict[str, Any] = {"text": cell.text, "row": cell.row, "col": cell.col, "source": source_dict(cell.source)}
    if cell.confidence is not None:
        out["confidence"] = cell.confidence
    return out


def _table_cell_from(data: dict[str, Any]) -> TableCell:
    return TableCell(data["text"], int(data["row"]), int(data["col"]), source_from(data.get("source")) or Source(),
                     confidence=data.get("confidence"))

"""Extractor: map the cells of located tables to canonical cell ids, template-aware.

Rows are found by their labels (normalised, with the variants of format.md §3.8), values are read
positionally after the label. This survives what extraction does to tables: missing row breaks,
merged label cells repeated or dropped, rows that print fewer values than columns, header rows
that are missing or split. Each value keeps its raw text and source.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from .document import Source, Table, TableCell
from .normalize import core, norm
from .report import MISSING, Cell, ExtraRow, LabelVariant, Report, TableInfo
from .runs import agreed, candidates_note, solve
from .templates import FORMATS, ColumnKind, Row, TableTemplate
from .values import Kind, Parsed, parse_value

_UNIT_IN_HEADER = re.compile(r"单位[:：]?\s*(万元|元)")
_BLANK_CHARS = " \t\r\n\u00a0\u3000\u200b\ufeff"
_FUZZY_MIN = 0.82
_RUN = re.compile(r"(\d[\d.]*)(万元|元)?")  # a row's values run together, a money unit after them


@dataclass(frozen=True, slots=True)
class _Label:
    kind: str  # "row", "structure", "header"
    row: Row | None = None
    official: str | None = None


class _Index:
    """Label lookup for one table template."""

    def __init__(self, template: TableTemplate) -> None:
        self.template = template
        self.seen: dict[str, _Label | None] = {}
        self.rows: dict[str, Row] = {}
        for row in template.rows:
            for key in row.match_keys():
                if key:
                    self.rows.setdefault(key, row)
        self.structure = {norm(x): x for x in template.structure_labels}
        self.headers: dict[str, str] = {}
        for label in template.header_labels:
            for text in (label, *template.header_variants.get(label, ())):
                self.headers[norm(text)] = label
                self.headers.setdefault(core(text), label)
        for row in template.rows:
            for col in row.columns:
                for text in (col.label, *col.variants):
                    self.headers.setdefault(norm(text), col.label)
                    self.headers.setdefault(core(text), col.label)
        self._fuzzy_keys = [k for k in self.rows if len(k) >= 4]

    def label(self, text: str) -> _Label | None:
        """What a cell's text is in this table, or None for values (numbers, blanks, N/A, unreadable).

        Kept by text in `seen` (labels and values repeat across reports), which hot loops look up inline."""
        if len(self.seen) >= 8192:
            self.seen.clear()
        found = self.seen[text] = self._label(text)
        return found

    def _label(self, text: str) -> _Label | None:
        stripped = text.strip(_BLANK_CHARS)
        if not stripped or parse_value(stripped).kind is not Kind.UNREADABLE:
            return None
        return self.classify(text)

    @lru_cache(maxsize=8192)  # noqa: B019 - one index per template, kept for the process
    def classify(self, text: str) -> _Label | None:
        n, c = norm(text), core(text)
        if not n:
            return None
        if n in self.structure:
            return _Label("structure", official=self.structure[n])
        row = self.rows.get(n) or self.rows.get(c)
        if row is not None:
            return _Label("row", row)
        if n.startswith("()") and (damaged := self._damaged(n, c)):
            return damaged
        if n in self.headers or c in self.headers:
            return _Label("header", official=self.headers.get(n) or self.headers.get(c))
        if len(c) >= 4:
            best = difflib.get_close_matches(c, self._fuzzy_keys, n=1, cutoff=_FUZZY_MIN)
            if best:
                return _Label("row", self.rows[best[0]])
        return self._damaged(n, c)

    def _damaged(self, n: str, c: str) -> _Label | None:
        """A label OCR damaged in a way that leaves one reading: its numbering printed but unread (`()总计`
        is （七）总计, never the 总计 header, which has no numbering), or its last character lost
        (`行政处` is 行政处罚) where no other row of the table starts so."""
        if n.startswith("()") and c:
            rows = {id(r): r for r in self.template.rows if any(core(x) == c for x in (r.label, *r.variants))}
            return _Label("row", next(iter(rows.values()))) if len(rows) == 1 else None
        if len(c) >= 3 and c not in self.headers:
            rows = {id(r): r for k, r in self.rows.items() if len(k) == len(c) + 1 and k.startswith(c)}
            others = any(k.startswith(c) and len(k) != len(c) + 1 for k in self.rows)
            if len(rows) == 1 and not others:
                return _Label("row", next(iter(rows.values())))
        return None


_INDEXES = {(v, k): _Index(t) for v, fmt in FORMATS.items() for k, t in fmt.tables.items()}
# Each table's cell ids in the template's order, made once (TableTemplate.cell_ids builds a new list).
_CELL_IDS = {(v, k): tuple(t.cell_ids()) for v, fmt in FORMATS.items() for k, t in fmt.tables.items()}


def detect_version(kind: str, tables: list[Table]) -> tuple[str | None, dict[str, list[str]]]:
    """The version a table's own labels show (format.md §3.6), and the fingerprints seen."""
    seen: dict[str, list[str]] = {}
    hits: dict[str, list[str]] = {}
    known = _FINGERPRINTS_SEEN.setdefault(kind, {})
    for label in {c.text for t in tables for row in t.rows for c in row}:
        versions = known.get(label)
        for version in versions if versions is not None else _fingerprint_versions(kind, label):  # mostly none
            hits.setdefault(version, []).append(label)
    for version in FORMATS:
        if version in hits:
            seen[version] = sorted(hits[version])
    for version, fmt in FORMATS.items():
        if any(v != version for v in seen):
            continue  # a row fingerprint only counts where no other version's labels were seen
        template = fmt.tables[kind]
        rows = [r.label for r in template.rows if r.id in template.fingerprint_rows and _has_row_values(r.label, tables)]
        if rows:
            seen[version] = [*seen.get(version, []), *rows]
    if len(seen) > 1 and any(fmt.tables[kind].majority_fingerprints for fmt in FORMATS.values()):
        # 行政规范性文件 alone does not make a 2019 表二 2021; count the stronger evidence.
        return (max(seen, key=lambda v: len(seen[v])), seen)
    if len(seen) == 1:
        return next(iter(seen)), seen
    return None, seen


# Whether a fingerprint is all ASCII digits (or empty): then plain digits could hold it.
_DIGIT_FINGERPRINTS = any(norm(p) == "" or (norm(p).isdigit() and norm(p).isascii())
                          for fmt in FORMATS.values() for t in fmt.tables.values() for p in t.fingerprints)


_FINGERPRINTS_SEEN: dict[str, dict[str, tuple[str, ...]]] = {}  # by table kind, then text: looked up inline


def _fingerprint_versions(kind: str, label: str) -> tuple[str, ...]:
    """The versions one of whose strings only that version's table prints a label holds (kept: labels repeat)."""
    known = _FINGERPRINTS_SEEN.setdefault(kind, {})
    if len(known) >= 16384:
        known.clear()
    versions = known[label] = _fingerprints_in(kind, label)
    return versions


def _fingerprints_in(kind: str, label: str) -> tuple[str, ...]:
    if not label.strip() or (label.isdigit() and label.isascii() and not _DIGIT_FINGERPRINTS):
        return ()  # a blank, or plain digits (most cells), which hold no fingerprint
    n = norm(label)
    return tuple(v for v, fmt in FORMATS.items() if any(norm(p) in n for p in fmt.tables[kind].fingerprints))


def _has_row_values(label: str, tables: list[Table]) -> bool:
    """Whether a row label is printed followed directly by numbers (a data row, not a group label)."""
    key = norm(label)
    for table in tables:
        for row in table.rows:
            for i, cell in enumerate(row):
                if norm(cell.text) == key:
                    after = [c for c in row[i + 1 :] if c.text.strip(_BLANK_CHARS)]
                    if after and parse_value(after[0].text).kind is Kind.NUMBER:
                        return True
    return False


def extract_table(kind: str, version: str, tables: list[Table], unreadable_below: float = 0.0, prose: str = "",
                  previous: Report | None = None) -> tuple[dict[str, Cell], TableInfo]:
    """The table's cells; an OCR value recognised with less confidence than `unreadable_below` is not used.

    `prose`: the report's text, whose figures may settle how a run of digits splits (crawled text); so may
    `previous`, the body's report of the year before (runs.carried).
    """
    template = FORMATS[version].tables[kind]
    index = _INDEXES[(version, kind)]
    rows = [row for t in tables for row in t.rows]
    info = TableInfo(kind, version, found=True, source=tables[0].source)
    cells: dict[str, Cell] = {}
    unread: dict[str, Cell] = {}
    runs = any(t.runs for t in tables)
    if runs:
        rows = _split_runs(template, rows, index, unread, prose, previous)
    headers_seen: set[str] = set()
    if template.unlabelled:
        _extract_unlabelled(template, rows, index, cells, headers_seen, info)
    else:
        _extract_labelled(template, rows, index, cells, headers_seen, info)
    info.missing_headers = [h for h in template.header_labels if h not in headers_seen]
    if runs:  # running text (crawled or converted): its header and odd rows are fragments of a lost layout
        info.missing_headers, info.extra_rows = [], []
    for row in template.rows:
        if row.ids[0] not in cells:
            info.missing_rows.append(row.id)
    ids = _CELL_IDS[(version, kind)]
    for cid in ids:
        if cid not in cells:
            cells[cid] = Cell(cid, None, None, MISSING)
    for cid, unit in info.header_units.items():
        cell = cells[cid]
        if cell.unit is None and cell.kind == Kind.NUMBER:
            cell.unit = unit
    cells.update(unread)
    out: dict[str, Cell] = {}
    for cid in ids:  # the template's order; every cell of `cells` is one of the template's
        cell = cells[cid]
        if cell.confidence is not None and cell.confidence < unreadable_below:
            # Read by OCR with too little confidence to use (docs/pdf.md): unreadable, never guessed.
            cell = Cell(cid, None, cell.raw, Kind.UNREADABLE, source=cell.source, confidence=cell.confidence,
                        box=cell.box)
        out[cid] = cell
    return out, info


def missing_table(kind: str, version: str) -> tuple[dict[str, Cell], TableInfo]:
    template = FORMATS[version].tables[kind]
    return {cid: Cell(cid, None, None, MISSING) for cid in template.cell_ids()}, TableInfo(kind, version, False)


def _extract_labelled(template: TableTemplate, rows: list[list[TableCell]], index: _Index,
                      cells: dict[str, Cell], headers_seen: set[str], info: TableInfo) -> None:
    seen, label_of = index.seen, index.label
    for physical in rows:
        labels = [seen[c.text] if c.text in seen else label_of(c.text) for c in physical]
        starts: list[int] = []  # where the row labels stand; every other label is a header or structure label
        for i, label in enumerate(labels):
            if label is None:
                continue
            if label.kind == "row":
                starts.append(i)
            elif label.official:
                c = physical[i]
                headers_seen.add(label.official)
                _note_variant(info, c, label.official, [])
                _header_unit(template, c, info)
        if not starts:
            if not _subtotal_row(template, physical, labels, info):
                _extra_row(physical, labels, info)
            continue
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(physical)
            row = labels[start].row  # type: ignore[union-attr]
            assert row is not None
            values = [physical[i] for i in range(start + 1, end) if labels[i] is None]  # no row label between
            if not values:
                continue  # a label with nothing after it is a header cell (总计), not a data row
            ids = row.cell_ids()
            values = _without_padding(values, len(ids))
            if ids[0] in cells:
                info.extra_rows.append(ExtraRow(physical[start].text.strip(), [v.text for v in values],
                                                physical[start].source))
                continue
            fitted = _fit(values, len(ids), template=template, info=info, row=row)
            _note_variant(info, physical[start], row.label, ids)
            for cid, cell in zip(ids, fitted, strict=True):
                cells[cid] = _cell(cid, cell, physical[start].source)


def _split_runs(template: TableTemplate, rows: list[list[TableCell]], index: _Index, unread: dict[str, Cell],
                prose: str, previous: Report | None = None) -> list[list[TableCell]]:
    """Rows whose values are one run of digits, cut where the format allows one reading only (runs.py).

    A cell the readings left disagree on is unread (`unread`), its note listing the readings.
    """
    found: dict[str, tuple[int, int, TableCell, re.Match[str]]] = {}  # row id -> (row, position, cell, run)
    for r, physical in enumerate(rows):
        labels = [index.label(c.text) for c in physical]
        named = [x.row for x in labels if x and x.kind == "row" and x.row]
        row = named[0] if named else (template.rows[0] if template.unlabelled else None)
        values = [(i, c) for i, (c, x) in enumerate(zip(physical, labels, strict=True)) if x is None]
        if row is None or not values or row.id in found:
            continue
        texts = [c.text for _, c in values]
        if not named and not any(ch.isdigit() for t in texts for ch in t):
            continue  # words of a header broken over lines (表四), not its values
        if len(named) <= 1 and len(values) == len(row.columns):
            continue  # a value per column, as printed
        if len(named) <= 1 and len(values) == 1 and (run := _RUN.fullmatch(texts[0])):
            found[row.id] = (r, values[0][0], values[0][1], run)
            continue
        # Which column (or row) a value belongs to is not known (a converter moved or dropped a cell): none is taken.
        for x in named or [row]:
            for cid in x.cell_ids():
                unread[cid] = Cell(cid, None, " ".join(texts), Kind.UNREADABLE, source=values[0][1].source)
    readings = solve(template, {rid: run.group(1) for rid, (_, _, _, run) in found.items()}, prose, previous)
    out = list(rows)
    for rid, (r, i, cell, run) in found.items():
        row = template.row(rid)
        assert row is not None
        pieces = agreed(readings[rid], len(row.columns))
        if pieces[-1] is not None and run.group(2):
            pieces[-1] += run.group(2)  # a unit printed after the run is the last column's
        out[r] = [*rows[r][:i], *(TableCell(p or "", cell.row, cell.col, cell.source) for p in pieces),
                  *rows[r][i + 1:]]
        note = candidates_note(readings[rid])
        for cid, piece in zip(row.cell_ids(), pieces, strict=True):
            if piece is None:
                unread[cid] = Cell(cid, None, cell.text, Kind.UNREADABLE, note=note, source=cell.source)
    return out


def _extract_unlabelled(template: TableTemplate, rows: list[list[TableCell]], index: _Index,
                        cells: dict[str, Cell], headers_seen: set[str], info: TableInfo) -> None:
    row = template.rows[0]
    ids = row.cell_ids()
    data: list[TableCell] = []
    for physical in rows:
        has_header = False
        for c in physical:
            label = index.classify(c.text) if _is_label(c) else None
            if label and label.official:
                headers_seen.add(label.official)
                has_header = True
        if has_header:
            continue
        # Text before the first value is a row label, unless the row has no cell to spare; text after
        # it is an unreadable value (见附件) that keeps its place, so later values are not shifted.
        first = next((i for i, c in enumerate(physical) if not _is_label(c)), len(physical))
        surplus = len(data) + len(physical) - len(ids)
        values = list(physical[min(first, surplus) if surplus >= 0 else first :])
        while len(data) + len(values) > len(ids) and values and _is_label(values[-1]):
            values.pop()
        numbers = [c for c in values if parse_value(c.text).kind in (Kind.NUMBER, Kind.NA)]
        if numbers or len(values) >= len(ids):
            data.extend(values)
            if len(data) >= len(ids):
                break
    if not data:
        return
    fitted = _fit(data, len(ids), template=template, info=info, row=row)
    for cid, cell in zip(ids, fitted, strict=True):
        cells[cid] = _cell(cid, cell, data[0].source)


def _fit(values: list[TableCell], n: int, *, template: TableTemplate, info: TableInfo, row: Row
         ) -> list[TableCell | None]:
    """Fit the printed value cells to the template's n columns (None = printed nothing)."""
    if len(values) == n:
        return list(values)  # one value a column, as printed: nothing below would change them
    right_align = template.right_aligned
    out: list[TableCell | None] = list(values)
    filled = [c for c in out if c is not None and c.text.strip(_BLANK_CHARS)]
    if right_align and len(out) > n and len(filled) == 1 and out[0] is filled[0]:
        # One value followed by the empty cells of a colspan ("| 0 | ||||||||"): the row printed only its 总计.
        out = [None] * (n - 1) + [filled[0]]
    while len(out) > n and out[0] is not None and not out[0].text.strip(_BLANK_CHARS):
        out.pop(0)  # remnants of a merged label cell
    while len(out) > n and out[-1] is not None and not out[-1].text.strip(_BLANK_CHARS):
        out.pop()
    at = _subtotal_at(template, row)
    if len(out) == n + 1 and at is not None:
        # A non-standard subtotal column before the columns of its header (法人或其他组织, APP-SUBTOTAL-COLUMN).
        sub = out.pop(at)
        assert sub is not None
        info.subtotal_columns.append({"row": row.id, "raw": sub.text.strip(_BLANK_CHARS),
                                      "value": parse_value(sub.text).value, "source": sub.source})
    if len(out) > n:
        extra = out[n:]
        info.extra_rows.append(ExtraRow(f"{row.label}（多出的数值）", [c.text for c in extra if c], extra[0].source
                                        if extra[0] else None))
        out = out[:n]
    if len(out) < n:
        pad: list[TableCell | None] = [None] * (n - len(out))
        out = pad + out if right_align else out + pad
    return out


def _without_padding(values: list[TableCell], n: int) -> list[TableCell]:
    """The row's values without markdownify's colspan padding, when that leaves one value per column.

    markdownify prints a cell spanning k columns as the cell and k-1 cells of exactly one space
    (`| 0 | | 0 | |`), an empty cell as two spaces. A one-space cell is taken as padding only when the
    row then fits the template exactly; otherwise it stays a cell (a hand-written blank).
    """
    if len(values) == n:
        return values
    kept = [c for c in values if not (c.text == " " and c.source.line is not None)]
    return kept if len(kept) == n else values


def _subtotal_at(template: TableTemplate, row: Row) -> int | None:
    """Where a report may print an extra subtotal column in this row, or None."""
    if template.subtotal_header is None:
        return None
    return next((i for i, c in enumerate(row.columns) if c.header == template.subtotal_header), None)


def _cell(cid: str, cell: TableCell | None, row_source: Source) -> Cell:
    if cell is None:
        return Cell(cid, None, "", Kind.BLANK, source=row_source)
    raw, parsed = _value_of(cell.text)
    return Cell(cid, parsed.value, raw, parsed.kind, parsed.unit, parsed.note, cell.source, cell.confidence, cell.box)


@lru_cache(maxsize=65536)
def _value_of(text: str) -> tuple[str, Parsed]:
    """A value cell's raw text and what it reads as (cached: the same few values fill every report)."""
    return text.strip(_BLANK_CHARS), parse_value(text)


def _is_label(cell: TableCell) -> bool:
    text = cell.text.strip(_BLANK_CHARS)
    return bool(text) and parse_value(text).kind is Kind.UNREADABLE


def _note_variant(info: TableInfo, cell: TableCell, official: str, ids: list[str]) -> None:
    if norm(cell.text) != norm(official):
        info.variants.append(LabelVariant(cell.text.strip(_BLANK_CHARS), official, ids, cell.source))


def _header_unit(template: TableTemplate, cell: TableCell, info: TableInfo) -> None:
    m = _UNIT_IN_HEADER.search(norm(cell.text))
    if not m:
        return
    for row in template.rows:
        for col in row.columns:
            if col.kind is ColumnKind.AMOUNT and core(cell.text).startswith(core(col.label)):
                info.header_units[f"{row.id}.{col.id}"] = m.group(1)


def _subtotal_row(template: TableTemplate, physical: list[TableCell], labels: list[_Label | None],
                  info: TableInfo) -> bool:
    """A non-standard group subtotal row: a group label such as （三）不予公开 followed by numbers."""
    groups = {norm(g.label): g.label for g in template.groups} if template.subtotal_groups else {}
    for i in range(len(physical) - 1, -1, -1):
        label = labels[i]
        if label and label.kind == "structure":
            group = groups.get(norm(physical[i].text))
            after = [c for c in physical[i + 1 :] if not _is_label(c)]
            if group and any(parse_value(c.text).kind is Kind.NUMBER for c in after):
                info.subtotal_rows.append({"group": group, "cells": after, "source": physical[i].source})
                return True
            return False
    return False


def _extra_row(physical: list[TableCell], labels: list[_Label | None], info: TableInfo) -> None:
    """A labelled row the template does not have (a local addition): kept, not mapped."""
    unknown = [i for i, (c, label) in enumerate(zip(physical, labels, strict=True))
               if label is None and _is_label(c)]
    if not unknown:
        return
    first = unknown[0]
    values = [c.text.strip(_BLANK_CHARS) for c in physical[first + 1 :]]
    info.extra_rows.append(ExtraRow(physical[first].text.strip(_BLANK_CHARS), [v for v in values if v],
                                    physical[first].source))

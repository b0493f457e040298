"""Exports of many reports' cells: CSV, Excel, Parquet, JSON Lines; wide or long.

wide: one row per report, the metadata columns then one column per cell id (the value).
long: one row per report and cell: metadata, cell_id, value, raw, unit, status, location.
Values stay exact: CSV has the number as the report printed it; Excel a number where a double holds
it exactly, else the text; Parquet int64, float64 (where a double is exact), decimal128 or
(beyond 38 digits) text columns; JSON Lines
the numbers of the report JSON (contract.md: decimals as JSON numbers). Blank/N/A/unreadable/missing
cells are empty. Strings are cleaned (sanitize.py): a control character cannot break a writer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from ..report import Report
from ..sanitize import clean_data, clean_text
from ..templates import FORMATS
from ..values import format_number, json_number

META_COLUMNS = ("source", "sha256", "body", "year", "version", "title", "published")
LONG_COLUMNS = (*META_COLUMNS, "cell_id", "value", "raw", "unit", "status", "location")
SHAPES = ("wide", "long")
_EXACT_DOUBLE = 2**53  # integers beyond this are not exact as a double (Excel's numbers)
_PARQUET_DIGITS = 38  # decimal128's precision


def cell_columns(reports: Iterable[Report]) -> list[str]:
    """Cell ids in template order (2019 ids, then the 2021-only ones), then any others seen."""
    order: dict[str, None] = {}
    for fmt in FORMATS.values():
        order.update(dict.fromkeys(fmt.cell_ids()))
    seen = {cid for r in reports for cid in r.cells}
    return [cid for cid in order if cid in seen] + sorted(seen - set(order))


def _meta(r: Report) -> dict[str, Any]:
    return {k: getattr(r, k) for k in META_COLUMNS}


def rows(reports: list[Report], shape: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows; values are the engine's exact numbers (int or Decimal), each writer says how to keep them."""
    if shape == "wide":
        cells = cell_columns(reports)
        out = []
        for r in reports:
            row = _meta(r)
            for cid in cells:
                cell = r.cells.get(cid)
                row[cid] = cell.value if cell else None
            out.append(clean_data(row))
        return [*META_COLUMNS, *cells], out
    if shape != "long":
        raise ValueError(shape)
    long: list[dict[str, Any]] = []
    for r in reports:
        meta = _meta(r)
        for cid in cell_columns([r]):
            c = r.cells[cid]
            long.append(clean_data({**meta, "cell_id": cid, "value": c.value, "raw": c.raw, "unit": c.unit,
                                    "status": str(c.kind),
                                    "location": json.dumps(c.source.to_json(), ensure_ascii=False) if c.source else None}))
    return list(LONG_COLUMNS), long


def _is_number(v: object) -> bool:
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def to_csv(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    """Numbers as printed (exact decimals, no exponent)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: format_number(v) if _is_number(v) else v for c, v in row.items()} for row in data)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens it as UTF-8


def to_jsonl(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps({c: json_number(v) if isinstance(v, Decimal) else v for c, v in
                               ((c, row.get(c)) for c in columns)}, ensure_ascii=False) + "\n" for row in data).encode()


def excel_value(v: object) -> object:
    """A value Excel holds exactly: a number when a double is exact, else its text; strings cleaned."""
    if isinstance(v, str):
        return clean_text(v)
    if isinstance(v, bool) or not _is_number(v):
        return v
    if isinstance(v, int):
        return v if abs(v) <= _EXACT_DOUBLE else str(v)
    assert isinstance(v, Decimal)
    if v.is_finite() and Decimal(repr(float(v))) == v:
        return int(v) if v == v.to_integral_value() and abs(v) <= _EXACT_DOUBLE else float(v)
    return format_number(v)


def to_xlsx(columns: list[str], data: list[dict[str, Any]], sheet: str = "data") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet
    ws.append(columns)
    for row in data:
        ws.append([excel_value(row.get(c)) for c in columns])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _parquet_array(values: list[Any]) -> Any:
    """One column: int64, decimal128(p, s) or text, whichever holds every number exactly."""
    import pyarrow as pa

    numbers = [v for v in values if _is_number(v)]
    if not numbers or len(numbers) < sum(v is not None for v in values):
        return pa.array(values)  # not a number column (metadata)
    if all(isinstance(v, int) and -(2**63) <= v < 2**63 for v in numbers):
        return pa.array(values, pa.int64())
    if all(isinstance(excel_value(v), (int, float)) for v in numbers):  # every value exact as a double
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    decimals = [Decimal(v) for v in numbers]
    if not all(d.is_finite() for d in decimals):
        return pa.array([None if v is None else format_number(v) for v in values], pa.string())
    scale = max(max(-d.as_tuple().exponent, 0) for d in decimals)  # type: ignore[operator]
    whole = max(len(str(abs(int(d)))) for d in decimals)
    if whole + scale <= _PARQUET_DIGITS:
        quantum = Decimal(1).scaleb(-scale)
        with localcontext(prec=_PARQUET_DIGITS + 2):
            exact = [None if v is None else Decimal(v).quantize(quantum) for v in values]
        return pa.array(exact, pa.decimal128(whole + scale, scale))
    return pa.array([None if v is None else format_number(v) for v in values], pa.string())


def to_parquet(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = [_parquet_array([row.get(c) for row in data]) for c in columns]
    table = pa.Table.from_arrays(arrays, names=columns)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet, "jsonl": to_jsonl}


def export(reports: list[Report], kind: str, shape: str, path: Path) -> None:
    columns, data = rows(reports, shape)
    path.write_bytes(WRITERS[kind](columns, data))

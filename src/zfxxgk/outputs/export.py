"""Exports of many reports' cells: CSV, Excel, Parquet, JSON Lines; wide or long.

wide: one row per report, the metadata columns then one column per cell id (the value).
long: one row per report and cell: metadata, cell_id, value, raw, unit, status, location.
Values are the numbers of the report JSON (contract.md): integers stay integers, decimals are
floats, blank/N/A/unreadable/missing cells are empty.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..report import Report
from ..templates import FORMATS

META_COLUMNS = ("source", "sha256", "body", "year", "version", "title", "published")
LONG_COLUMNS = (*META_COLUMNS, "cell_id", "value", "raw", "unit", "status", "location")
SHAPES = ("wide", "long")


def cell_columns(reports: Iterable[Report]) -> list[str]:
    """Cell ids in template order (2019 ids, then the 2021-only ones), then any others seen."""
    order: dict[str, None] = {}
    for fmt in FORMATS.values():
        order.update(dict.fromkeys(fmt.cell_ids()))
    seen = {cid for r in reports for cid in r.cells}
    return [cid for cid in order if cid in seen] + sorted(seen - set(order))


def _value(v: Any) -> int | float | None:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and "." not in str(v) else float(v)
    return v


def _meta(r: Report) -> dict[str, Any]:
    return {k: getattr(r, k) for k in META_COLUMNS}


def rows(reports: list[Report], shape: str) -> tuple[list[str], list[dict[str, Any]]]:
    if shape == "wide":
        cells = cell_columns(reports)
        out = []
        for r in reports:
            row = _meta(r)
            for cid in cells:
                cell = r.cells.get(cid)
                row[cid] = _value(cell.value) if cell else None
            out.append(row)
        return [*META_COLUMNS, *cells], out
    if shape != "long":
        raise ValueError(shape)
    long: list[dict[str, Any]] = []
    for r in reports:
        meta = _meta(r)
        for cid in cell_columns([r]):
            c = r.cells[cid]
            long.append({**meta, "cell_id": cid, "value": _value(c.value), "raw": c.raw, "unit": c.unit,
                         "status": str(c.kind),
                         "location": json.dumps(c.source.to_json(), ensure_ascii=False) if c.source else None})
    return list(LONG_COLUMNS), long


def to_csv(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens it as UTF-8


def to_jsonl(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n" for row in data).encode()


def to_xlsx(columns: list[str], data: list[dict[str, Any]], sheet: str = "data") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet
    ws.append(columns)
    for row in data:
        ws.append([row.get(c) for c in columns])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_parquet(columns: list[str], data: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = []
    for c in columns:
        values = [row.get(c) for row in data]
        if any(isinstance(v, float) for v in values):
            values = [float(v) if v is not None else None for v in values]
        arrays.append(pa.array(values))
    table = pa.Table.from_arrays(arrays, names=columns)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet, "jsonl": to_jsonl}


def export(reports: list[Report], kind: str, shape: str, path: Path) -> None:
    columns, data = rows(reports, shape)
    path.write_bytes(WRITERS[kind](columns, data))

"""Exports of many reports' cells: CSV, Excel, Parquet, JSON Lines; wide or long.

wide: one row per report, the metadata columns then one column per cell id (the value).
long: one row per report and cell: metadata, cell_id, value, raw, unit, status, location.
Values stay exact: CSV has the number as the report printed it; Excel a number where a double holds
it exactly, else the text; Parquet int64, float64 (where a double is exact), decimal128 or
(beyond 38 digits) text columns; JSON Lines
the numbers of the report JSON (contract.md: decimals as JSON numbers). Blank/N/A/unreadable/missing
cells are empty. Strings are cleaned (sanitize.py): a control character cannot break a writer.

`export()` writes a list of reports held in memory; `Exporter` takes them one at a time (`zfxxgk export`
over a year of files) and writes the same files with flat memory, except Excel (docs/batch.md).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
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


def row_of(r: Report) -> dict[str, Any]:
    """A report's wide row: metadata and the value of each of its cells (cleaned)."""
    row = _meta(r)
    for cid, cell in r.cells.items():
        row[cid] = cell.value
    return clean_data(row)


def long_rows(r: Report) -> list[dict[str, Any]]:
    """A report's long rows: one a cell, in template order (cleaned)."""
    meta = _meta(r)
    out = []
    for cid in cell_columns([r]):
        c = r.cells[cid]
        out.append(clean_data({**meta, "cell_id": cid, "value": c.value, "raw": c.raw, "unit": c.unit,
                               "status": str(c.kind),
                               "location": json.dumps(c.source.to_json(), ensure_ascii=False) if c.source else None}))
    return out


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
    return list(LONG_COLUMNS), [row for r in reports for row in long_rows(r)]


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


class ParquetColumn:
    """What a column's values need in Parquet, learnt one value at a time: int64, float64 (where a double is
    exact), decimal128(p, s), text (beyond 38 digits, or not finite), or the type Arrow infers (metadata).

    The same type for every row group of a streamed file as for the whole column at once.
    """

    __slots__ = ("doubles", "finite", "given", "ints", "largest", "numbers", "samples", "scale", "whole")

    def __init__(self) -> None:
        self.numbers = self.given = self.scale = self.whole = self.largest = 0
        self.ints = self.doubles = self.finite = True
        self.samples: dict[type, Any] = {}  # one value of each kind that is not a number, to infer the type

    def add(self, v: Any) -> None:
        if v is None:
            return
        self.given += 1
        if v.__class__ is int:  # the common case, without Decimal arithmetic
            self.numbers += 1
            size = -v if v < 0 else v
            self.largest = max(self.largest, size)
            if size > _EXACT_DOUBLE:
                self.doubles = False
                self.ints = self.ints and -(2**63) <= v < 2**63
            return
        if not _is_number(v):
            self.samples.setdefault(type(v), v)
            return
        self.numbers += 1
        self.ints = False
        if self.doubles and not isinstance(excel_value(v), (int, float)):
            self.doubles = False
        d = Decimal(v)
        if not d.is_finite():
            self.finite = False
            return
        self.scale = max(self.scale, max(-d.as_tuple().exponent, 0))  # type: ignore[operator]
        self.whole = max(self.whole, len(str(abs(int(d)))))

    def kind(self) -> str:
        if not self.numbers or self.numbers < self.given:
            return "infer"  # not a number column (metadata)
        if self.ints:
            return "int64"
        if self.doubles:
            return "float64"
        if self.finite and self._digits() <= _PARQUET_DIGITS:
            return "decimal"
        return "text"

    def arrow_type(self) -> Any:
        import pyarrow as pa

        kind = self.kind()
        if kind == "infer":
            return pa.array(list(self.samples.values())).type if self.samples else pa.null()
        if kind == "decimal":
            return pa.decimal128(self._digits(), self.scale)
        return {"int64": pa.int64(), "float64": pa.float64(), "text": pa.string()}[kind]

    def _digits(self) -> int:
        return max(self.whole, len(str(self.largest))) + self.scale

    def array(self, values: list[Any], arrow_type: Any) -> Any:
        """Some of the column's values (a row group) as an Arrow array of the column's type."""
        import pyarrow as pa

        kind = self.kind()
        if kind == "float64":
            values = [None if v is None else float(v) for v in values]
        elif kind == "decimal":
            quantum = Decimal(1).scaleb(-self.scale)
            with localcontext(prec=_PARQUET_DIGITS + 2):
                values = [None if v is None else Decimal(v).quantize(quantum) for v in values]
        elif kind == "text":
            values = [None if v is None else format_number(v) for v in values]
        return pa.array(values, arrow_type)


def _parquet_array(values: list[Any]) -> Any:
    """One column: int64, decimal128(p, s) or text, whichever holds every number exactly."""
    import pyarrow as pa

    column = ParquetColumn()
    for v in values:
        column.add(v)
    if column.kind() == "infer":
        return pa.array(values)
    return column.array(values, column.arrow_type())


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
    """All in memory at once (the stats command, a few reports); `Exporter` streams a batch."""
    columns, data = rows(reports, shape)
    path.write_bytes(WRITERS[kind](columns, data))


# ------------------------------------------------------------------ streaming: memory flat however many reports
ROW_GROUP = 1000  # Parquet rows per row group


class CsvOut:
    """A CSV file written row by row: the same bytes as to_csv."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.handle = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.DictWriter(self.handle, columns, lineterminator="\n")
        self.writer.writeheader()

    def row(self, row: dict[str, Any]) -> None:
        self.writer.writerow({c: format_number(v) if _is_number(v) else v for c, v in row.items()})

    def close(self) -> None:
        self.handle.close()


class JsonlOut:
    """A JSON Lines file written row by row: the same bytes as to_jsonl."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.columns = columns

    def row(self, row: dict[str, Any]) -> None:
        self.handle.write(json.dumps({c: json_number(v) if isinstance(v, Decimal) else v for c, v in
                                      ((c, row.get(c)) for c in self.columns)}, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.handle.close()


class Spool:
    """Rows kept on disk (pickled, exact numbers) until the columns and their types are known."""

    def __init__(self) -> None:
        self.handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        pickle.dump(row, self.handle, pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.handle.flush()
        self.handle.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.handle)
        self.handle.seek(0, io.SEEK_END)

    def close(self) -> None:
        self.handle.close()


def _write_parquet(path: Path, columns: list[str], plans: dict[str, ParquetColumn], data: Iterable[dict[str, Any]]) -> None:
    """Row groups of ROW_GROUP rows, each column of the type its values need across the whole file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = [plans[c].arrow_type() if c in plans else pa.null() for c in columns]
    schema = pa.schema(list(zip(columns, types, strict=True)))
    with pq.ParquetWriter(path, schema) as writer:
        group: list[dict[str, Any]] = []
        for row in itertools.chain(data, [None]):
            if row is not None:
                group.append(row)
                if len(group) < ROW_GROUP:
                    continue
            if group:
                arrays = [plans[c].array([r.get(c) for r in group], t) if c in plans else pa.nulls(len(group))
                          for c, t in zip(columns, types, strict=True)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            group = []


class Exporter:
    """Reports in, export files out, one report at a time: the parent of `export -j` keeps no report.

    The long shape's columns are known at the start, so its CSV and JSON Lines are written as the reports
    arrive. The wide shape has a column per cell id seen, known only at the end: its rows wait in a spool on
    disk. Parquet waits too (a column's type depends on all its values), then goes out in row groups of
    ROW_GROUP rows. Excel is built in memory at the end (openpyxl holds the sheet). Each file is written
    under a temporary name and renamed when complete; one that fails does not stop the others.
    """

    def __init__(self, outputs: dict[str, Path], shape: str) -> None:
        if shape not in SHAPES:
            raise ValueError(shape)
        self.outputs, self.shape = dict(outputs), shape
        self.failed: dict[str, BaseException] = {}
        self.reports = 0
        self.seen: dict[str, None] = {}
        self.plans: dict[str, ParquetColumn] = {}
        self.temps = {kind: path.with_name(f".{path.name}.{os.getpid()}.part") for kind, path in outputs.items()}
        self.live: dict[str, CsvOut | JsonlOut] = {}
        if shape == "long":
            for kind in ("csv", "jsonl"):
                if kind in outputs:
                    self._guard(kind, lambda k=kind: self.live.__setitem__(
                        k, OUT[k](self.temps[k], list(LONG_COLUMNS))))
        self.spool = Spool() if any(k not in self.live for k in outputs) else None

    def _guard(self, kind: str, step: Callable[[], object]) -> None:
        if kind in self.failed:
            return
        try:
            step()
        except Exception as exc:  # one writer failing (a value Parquet cannot hold, a full disk) stops only itself
            self.failed[kind] = exc
            live = self.live.pop(kind, None)
            if live is not None:
                with contextlib.suppress(Exception):
                    live.close()
            self.temps[kind].unlink(missing_ok=True)

    def add(self, report: Report) -> None:
        self.reports += 1
        if self.shape == "wide":
            new = [row_of(report)]
            self.seen.update(dict.fromkeys(report.cells))
        else:
            new = long_rows(report)
        for row in new:
            for kind, live in list(self.live.items()):
                self._guard(kind, lambda out=live, r=row: out.row(r))
            if self.spool is not None:
                self.spool.add(row)
            if "parquet" in self.outputs:
                for c, v in row.items():
                    plan = self.plans.get(c)
                    if plan is None:
                        plan = self.plans[c] = ParquetColumn()
                    plan.add(v)

    def columns(self) -> list[str]:
        if self.shape == "long":
            return list(LONG_COLUMNS)
        order: dict[str, None] = {}
        for fmt in FORMATS.values():
            order.update(dict.fromkeys(fmt.cell_ids()))
        return [*META_COLUMNS, *(c for c in order if c in self.seen), *sorted(set(self.seen) - set(order))]

    def finish(self) -> dict[str, BaseException | None]:
        """Write what waited, move each complete file into place; per output, the error that stopped it."""
        columns = self.columns()
        for kind in self.outputs:
            self._guard(kind, lambda k=kind: self._finish(k, columns))
        self.close()
        return {kind: self.failed.get(kind) for kind in self.outputs}

    def _finish(self, kind: str, columns: list[str]) -> None:
        temp = self.temps[kind]
        if kind in self.live:
            self.live.pop(kind).close()
        elif kind in OUT:
            out = OUT[kind](temp, columns)
            try:
                for row in self.spool or ():
                    out.row(row)
            finally:
                out.close()
        elif kind == "parquet":
            _write_parquet(temp, columns, self.plans, self.spool or ())
        else:
            temp.write_bytes(WRITERS[kind](columns, list(self.spool or ())))
        temp.replace(self.outputs[kind])

    def close(self) -> None:
        """Remove what is left behind (the spool, partial files of a run stopped half-way)."""
        for live in self.live.values():
            with contextlib.suppress(Exception):
                live.close()
        self.live.clear()
        for temp in self.temps.values():
            temp.unlink(missing_ok=True)
        if self.spool is not None:
            self.spool.close()


OUT: dict[str, type[CsvOut] | type[JsonlOut]] = {"csv": CsvOut, "jsonl": JsonlOut}

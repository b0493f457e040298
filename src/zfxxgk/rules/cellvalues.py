"""VAL-*: what each cell holds (blank, not a count, wrong unit, annotated, unreadable). Findings name cells by id."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from ..report import Finding
from ..runs import note_candidates, order_candidates, unplaced_values
from ..templates import FORMATS, Column, ColumnKind
from ..values import Kind, parse_value
from .registry import Context, check

_COUNT = "件"  # the unit of counts
_COUNT_UNITS = frozenset({_COUNT, "个"})


@cache
def columns() -> dict[str, Column]:
    """cell id -> its column declaration (kind and unit), over both versions."""
    return {
        f"{row.id}.{col.id}": col
        for fmt in FORMATS.values()
        for table in fmt.tables.values()
        for row in table.rows
        for col in row.columns
    }


@check("VAL-BLANK")
def blank(ctx: Context) -> Iterator[Finding]:
    by_table: dict[str, list[str]] = {}
    for cid, c in ctx.unusual:
        if c.kind in (Kind.BLANK, Kind.NA):
            by_table.setdefault(cid[:2], []).append(cid)
    for table, ids in sorted(by_table.items()):
        yield ctx.finding(ids, table=table, count=len(ids), names=ids)


@check("VAL-NOT-COUNT")
def not_count(ctx: Context) -> Iterator[Finding]:
    cols = columns()
    for cid, cell in ctx.unusual:
        value = cell.value
        if type(value) is int and value >= 0:
            continue  # the common case: a whole number
        col = cols.get(cid)
        if col is None or cell.kind != Kind.NUMBER or col.kind is ColumnKind.AMOUNT or value is None:
            continue
        if col.problem(value):  # the template's own rule for the column, as the fill-in form applies it
            yield ctx.finding([cid], cell=cid, raw=cell.raw)


@check("VAL-UNIT")
def unit(ctx: Context) -> Iterator[Finding]:
    cols = columns()
    for cid, cell in ctx.unusual:
        if cell.unit is None and not cid.endswith(".amount"):
            continue  # no unit printed in a count cell: nothing to say (the common case)
        col = cols.get(cid)
        if col is None or cell.kind != Kind.NUMBER or cell.raw is None or cell.value is None:
            continue
        printed = parse_value(cell.raw).unit
        if col.kind is ColumnKind.AMOUNT:
            if printed == "元":
                yield ctx.finding([cid], kind="yuan", cell=cid, raw=cell.raw, expected=col.unit,
                                  converted=Decimal(cell.value) / 10000)
            elif printed not in (None, col.unit):
                yield ctx.finding([cid], kind="unit", cell=cid, raw=cell.raw, expected=col.unit)
            elif printed is None and isinstance(cell.value, Decimal) and -cell.value.as_tuple().exponent > 4:  # type: ignore[operator]
                yield ctx.finding([cid], kind="decimals", cell=cid, raw=cell.raw, expected=col.unit)
        elif printed in ("万元", "元"):
            yield ctx.finding([cid], kind="unit", cell=cid, raw=cell.raw, expected=_COUNT)
        elif printed is not None and printed not in _COUNT_UNITS:
            yield ctx.finding([cid], severity="info", kind="noted", cell=cid, raw=cell.raw, expected=_COUNT,
                              value=cell.value)


@check("VAL-ANNOTATED")
def annotated(ctx: Context) -> Iterator[Finding]:
    for cid, cell in ctx.unusual:
        if cell.note and cell.kind == Kind.NUMBER:
            yield ctx.finding([cid], cell=cid, raw=cell.raw, value=cell.value, note=cell.note)


@check("VAL-UNREADABLE")
def unreadable(ctx: Context) -> Iterator[Finding]:
    for cid, cell in ctx.unusual:
        if cell.kind != Kind.UNREADABLE:
            continue
        candidates = note_candidates(cell.note)  # a run of digits with no single reading (runs.py)
        if candidates is not None:
            yield ctx.finding([cid], kind="run", cell=cid, raw=cell.raw, candidates=candidates)
        elif (values := order_candidates(cell.raw)) is not None:  # values one a line, several orders (runs.py)
            yield ctx.finding([cid], kind="order", cell=cid, raw=cell.raw, candidates=values)
        elif (printed := unplaced_values(cell.raw)) is not None:  # values one a line, no order fits (runs.py)
            yield ctx.finding([cid], kind="order_none", cell=cid, raw=printed)
        else:
            yield ctx.finding([cid], cell=cid, raw=cell.raw)


@check("VAL-LOW-CONFIDENCE")
def low_confidence(ctx: Context) -> Iterator[Finding]:
    for cid, cell in ctx.unusual:
        if cell.confidence is None or cell.confidence >= ctx.options.low_confidence:
            continue
        kind = "unused" if cell.kind == Kind.UNREADABLE else "used"
        yield ctx.finding([cid], kind=kind, cell=cid, raw=cell.raw, confidence=cell.confidence,
                          threshold=ctx.options.low_confidence)

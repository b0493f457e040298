"""VAL-*: what each cell holds (blank, not a count, wrong unit, annotated, unreadable)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from ..document import LOW_CONFIDENCE, UNREADABLE_CONFIDENCE
from ..report import Finding
from ..templates import FORMATS, Column, ColumnKind
from ..values import Kind, parse_value
from .registry import TABLE_NAMES, Context, check

_COUNT_UNITS = frozenset({"件", "个"})


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
    for cid, c in ctx.report.cells.items():
        if c.kind in (Kind.BLANK, Kind.NA):
            by_table.setdefault(cid[:2], []).append(cid)
    for table, ids in sorted(by_table.items()):
        names = [ctx.name(cid) for cid in ids]
        yield ctx.finding(ids, table=TABLE_NAMES[table], count=len(ids), names=names)


@check("VAL-NOT-COUNT")
def not_count(ctx: Context) -> Iterator[Finding]:
    cols = columns()
    for cid, cell in ctx.report.cells.items():
        value = cell.value
        if type(value) is int and value >= 0:
            continue  # the common case: a whole number
        col = cols.get(cid)
        if col is None or cell.kind != Kind.NUMBER or col.kind is ColumnKind.AMOUNT or value is None:
            continue
        whole = not isinstance(value, Decimal) or value == value.to_integral_value()
        if not whole or (col.kind is ColumnKind.COUNT and value < 0):
            yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw)


@check("VAL-UNIT")
def unit(ctx: Context) -> Iterator[Finding]:
    cols = columns()
    for cid, cell in ctx.report.cells.items():
        if cell.unit is None and not cid.endswith(".amount"):
            continue  # no unit printed in a count cell: nothing to say (the common case)
        col = cols.get(cid)
        if col is None or cell.kind != Kind.NUMBER or cell.raw is None or cell.value is None:
            continue
        printed = parse_value(cell.raw).unit
        if col.kind is ColumnKind.AMOUNT:
            if printed == "元":
                converted = format((Decimal(cell.value) / 10000).normalize(), "f")
                yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw, expected=col.unit,
                                  conversion={"zh": f"，即 {converted} 万元", "en": f", i.e. {converted} 万元"})
            elif printed not in (None, col.unit):
                yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw, expected=col.unit, conversion="")
            elif printed is None and isinstance(cell.value, Decimal) and -cell.value.as_tuple().exponent > 4:  # type: ignore[operator]
                yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw, expected=col.unit,
                                  conversion={"zh": "（小数超过 4 位，可能按元填写）",
                                              "en": " (more than 4 decimals: perhaps entered in 元)"})
        elif printed in ("万元", "元"):
            yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw, expected={"zh": "件", "en": "件 (count)"},
                              conversion="")
        elif printed is not None and printed not in _COUNT_UNITS:
            yield ctx.finding([cid], severity="info", cell=ctx.name(cid), raw=cell.raw,
                              expected={"zh": "件", "en": "件 (count)"},
                              conversion={"zh": f"（仅提示，按 {cell.value} 计）",
                                          "en": f" (noted only; read as {cell.value})"})


@check("VAL-ANNOTATED")
def annotated(ctx: Context) -> Iterator[Finding]:
    for cid, cell in ctx.report.cells.items():
        if cell.note and cell.kind == Kind.NUMBER:
            yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw, value=cell.value, note=cell.note)


@check("VAL-UNREADABLE")
def unreadable(ctx: Context) -> Iterator[Finding]:
    for cid, cell in ctx.report.cells.items():
        if cell.kind == Kind.UNREADABLE:
            yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw)


@check("VAL-LOW-CONFIDENCE")
def low_confidence(ctx: Context) -> Iterator[Finding]:
    for cid, cell in ctx.report.cells.items():
        if cell.confidence is None or cell.confidence >= LOW_CONFIDENCE:
            continue
        if cell.confidence < UNREADABLE_CONFIDENCE:
            consequence = {"zh": "该值未采用，请人工核对原件", "en": "the value is not used; check the original"}
        else:
            consequence = {"zh": "数值照常使用，请人工核对原件", "en": "the value is used; check it against the original"}
        yield ctx.finding([cid], cell=ctx.name(cid), raw=cell.raw, confidence=f"{cell.confidence:.2f}",
                          threshold=f"{LOW_CONFIDENCE:.2f}", consequence=consequence)

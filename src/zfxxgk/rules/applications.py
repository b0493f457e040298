"""APP-*: the arithmetic of table 三 (format.md §4.1), and LIT-*: table 四 (§4.2).

Rows and columns come from the template of the layout the report printed (its roles, groups and
totals), so the （六） rows are one in a 2019 table and three in a 2021 one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..report import Finding
from ..templates import FORMATS, RowRole, TableTemplate
from ..templates.formats import T3_COLUMNS, T4_BLOCKS, T4_ROW
from ..values import Kind, parse_value
from .registry import Context, check

COLUMNS = [c.id for c in T3_COLUMNS]
TOTAL = next(c.id for c in T3_COLUMNS if c.total)
APPLICANTS = [c.id for c in T3_COLUMNS if not c.total]
ORGS = [c.id for c in T3_COLUMNS if c.header]
LIT_BLOCKS = tuple(b.id for b in T4_BLOCKS)


def _t3(ctx: Context) -> TableTemplate | None:
    """The 表三 template of the layout actually printed (a mixed report keeps its table's own)."""
    info = ctx.report.tables.get("t3")
    version = (info.version if info else None) or ctx.report.version
    return FORMATS[version].tables["t3"] if version in FORMATS else None


def _row_id(template: TableTemplate, role: RowRole) -> str:
    return template.rows_with(role)[0].id


@check("APP-BALANCE")
def balance(ctx: Context) -> Iterator[Finding]:
    t3 = _t3(ctx)
    if t3 is None:
        return
    n = ctx.numbers.get
    for col, ids in _balance_ids(t3.version):
        new, over, total, forward = (n(i) for i in ids)
        if new is None or over is None or total is None or forward is None:
            continue
        if new + over != total + forward:
            yield ctx.finding(list(ids), column=col, new=new, over=over, lhs=new + over, total=total, forward=forward,
                              rhs=total + forward)


@lru_cache(maxsize=8)
def _balance_ids(version: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each column's received, carried-over, total and forward cells in a 表三 layout (made once a layout)."""
    t3 = FORMATS[version].tables["t3"]
    rows = [r.id for r in t3.rows_with(RowRole.RECEIVED)] + [_row_id(t3, RowRole.TOTAL), _row_id(t3, RowRole.FORWARD)]
    return [(col, tuple(f"{r}.{col}" for r in rows)) for col in COLUMNS]


@check("APP-ROW-SUM")
def row_sum(ctx: Context) -> Iterator[Finding]:
    n = ctx.numbers.get
    for row, ids, total_id in _t3_rows(tuple(ctx.report.cells)):
        parts = [n(i) for i in ids]
        total = n(total_id)
        if total is None or None in parts:
            continue
        if sum(parts) != total:  # type: ignore[arg-type]
            yield ctx.finding([*ids, total_id], row=row, parts=parts, sum=sum(parts),  # type: ignore[arg-type]
                              total=total)


@lru_cache(maxsize=64)
def _t3_rows(cell_ids: tuple[str, ...]) -> tuple[tuple[str, list[str], str], ...]:
    """Each 表三 row among a report's cells, with its applicant cells and its total cell (the same few sets of cell
    ids come again and again: one per version)."""
    rows = dict.fromkeys(cid.rsplit(".", 1)[0] for cid in cell_ids if cid.startswith("t3."))
    return tuple((row, [f"{row}.{c}" for c in APPLICANTS], f"{row}.{TOTAL}") for row in rows)


@check("APP-OUTCOME-SUM")
def outcome_sum(ctx: Context) -> Iterator[Finding]:
    t3 = _t3(ctx)
    if t3 is None:
        return
    rows, columns = _outcome_columns(t3.version)
    n = ctx.numbers.get
    for col, ids, total_id in columns:
        parts = [n(i) for i in ids]
        total = n(total_id)
        if total is None or None in parts:
            continue
        if sum(parts) != total:  # type: ignore[arg-type]
            named = [{"row": r, "value": p} for r, p in zip(rows, parts, strict=True) if p]
            yield ctx.finding([*ids, total_id], column=col, parts=named, sum=sum(parts),  # type: ignore[arg-type]
                              total=total)


@lru_cache(maxsize=8)
def _outcome_columns(version: str) -> tuple[list[str], list[tuple[str, list[str], str]]]:
    """The outcome rows of a 表三 layout, and each column's outcome cells and total cell (made once a layout)."""
    t3 = FORMATS[version].tables["t3"]
    rows = [r.id for r in t3.rows_with(RowRole.OUTCOME)]
    total_row = _row_id(t3, RowRole.TOTAL)
    return rows, [(col, [f"{r}.{col}" for r in rows], f"{total_row}.{col}") for col in COLUMNS]


@check("APP-SUBTOTAL-COLUMN")
def subtotal_column(ctx: Context) -> Iterator[Finding]:
    table = ctx.report.tables.get("t3")
    for sub in table.subtotal_columns if table else []:
        value = sub["value"]
        ids = [f"{sub['row']}.{c}" for c in ORGS]
        parts = [ctx.n(i) for i in ids]
        if value is None or any(p is None for p in parts):
            continue
        if sum(parts) != value:  # type: ignore[arg-type]
            yield ctx.finding(ids, source=sub["source"], row=sub["row"], subtotal=value, parts=parts,
                              sum=sum(parts))  # type: ignore[arg-type]


@check("APP-SUBTOTAL-ROW")
def subtotal_row(ctx: Context) -> Iterator[Finding]:
    table, t3 = ctx.report.tables.get("t3"), _t3(ctx)
    for sub in table.subtotal_rows if table and t3 else []:
        group = t3.group(sub["group"])  # type: ignore[union-attr]
        if group is None:
            continue
        items = [r.id for r in t3.group_rows(group) if ctx.has(f"{r.id}.{TOTAL}")]  # type: ignore[union-attr]
        printed = sub["cells"][-len(COLUMNS):]
        offset = len(COLUMNS) - len(printed)
        for k, col in enumerate(COLUMNS):
            if k < offset:
                continue
            parsed = parse_value(printed[k - offset].text)
            if parsed.kind is not Kind.NUMBER:
                continue
            ids = [f"{r}.{col}" for r in items]
            parts = [ctx.n(i) for i in ids]
            if not items or any(p is None for p in parts):
                continue
            if sum(parts) != parsed.value:  # type: ignore[arg-type]
                yield ctx.finding(ids, source=sub["source"], group=group.id, column=col, subtotal=parsed.value,
                                  parts=parts, sum=sum(parts))  # type: ignore[arg-type]


_FEE_NOTICE = re.compile(r"收费通知|缴费通知|信息处理费")
_FEE_UNPAID = f"t3.other.fee_unpaid.{TOTAL}"


@check("APP-FEE-NOTICE")
def fee_notice(ctx: Context) -> Iterator[Finding]:
    count = ctx.n(_FEE_UNPAID)
    if not count or count <= 0:
        return
    section6 = ctx.report.sections.get(6)
    if section6 is None or not _FEE_NOTICE.search(section6.text):
        yield ctx.finding([_FEE_UNPAID], count=count)


# ------------------------------------------------------------------ table 四
@lru_cache(maxsize=16)
def _block_ids(block: str) -> tuple[tuple[str, ...], str]:
    """A 表四 block's result cells (维持, 纠正, 其他, 尚未审结) and its total cell (made once a block)."""
    columns = [c for c in T4_ROW.columns if c.id.startswith(block + ".")]
    parts = tuple(f"{T4_ROW.id}.{c.id}" for c in columns if not c.total)
    return parts, next(f"{T4_ROW.id}.{c.id}" for c in columns if c.total)


@check("LIT-SUM")
def litigation_sum(ctx: Context) -> Iterator[Finding]:
    for block in LIT_BLOCKS:
        parts_ids, total_id = _block_ids(block)
        ids = [*parts_ids, total_id]
        upheld, corrected, other, pending, total = (ctx.numbers.get(i) for i in ids)
        if None in (upheld, corrected, other, pending, total):
            continue
        parts = upheld + corrected + other + pending  # type: ignore[operator]
        if parts != total:
            yield ctx.finding(ids, block=block, upheld=upheld, corrected=corrected, other=other, pending=pending,
                              sum=parts, total=total)


@check("LIT-WITHOUT-APPLICATIONS")
def litigation_without_applications(ctx: Context) -> Iterator[Finding]:
    t3 = _t3(ctx)
    if t3 is None:
        return
    received = [f"{r.id}.{TOTAL}" for r in t3.rows_with(RowRole.RECEIVED)]
    new, over = (ctx.n(i) for i in received)
    totals = [_block_ids(b)[1] for b in LIT_BLOCKS]
    cases = [ctx.n(i) for i in totals]
    if new != 0 or over != 0 or any(c is None for c in cases):
        return
    if sum(cases) > 0:  # type: ignore[arg-type]
        yield ctx.finding([*received, *totals], cases=sum(cases))  # type: ignore[arg-type]

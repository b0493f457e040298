"""APP-*: the arithmetic of table 三 (format.md §4.1), and LIT-*: table 四 (§4.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..report import Finding
from ..templates.formats import T3_2019, T3_2021, T3_COLUMNS
from ..values import Kind, parse_value
from .registry import Context, check

COLUMNS = [c.id for c in T3_COLUMNS]
APPLICANTS = COLUMNS[:-1]
ORGS = COLUMNS[1:-1]
COLUMN_NAMES = {c.id: {"zh": c.label, "en": c.en} for c in T3_COLUMNS}
_ROWS = {r.id: r for r in (*T3_2019.rows, *T3_2021.rows)}
OUTCOME_ROWS = [r.id for r in T3_2019.rows[2:20]]  # granted … rejected.confirmation
GROUP_ITEMS = {
    "（三）不予公开": [r for r in OUTCOME_ROWS if r.startswith("t3.withheld.")],
    "（四）无法提供": [r for r in OUTCOME_ROWS if r.startswith("t3.unable.")],
    "（五）不予处理": [r for r in OUTCOME_ROWS if r.startswith("t3.rejected.")],
    "（六）其他处理": ["t3.other.no_correction", "t3.other.fee_unpaid", "t3.other.other"],
}


def plus(values: list) -> str:  # type: ignore[type-arg]
    return " + ".join(str(v) for v in values)


def row_name(row_id: str) -> dict[str, str]:
    row = _ROWS[row_id]
    return {"zh": row.label, "en": row.en}


def _other_rows(ctx: Context) -> list[str]:
    """The （六） rows of the layout actually printed: one row (2019) or three (2021)."""
    if ctx.has("t3.other.total"):
        return ["t3.other"]
    return ["t3.other.no_correction", "t3.other.fee_unpaid", "t3.other.other"]


@check("APP-BALANCE")
def balance(ctx: Context) -> Iterator[Finding]:
    for col in COLUMNS:
        ids = [f"t3.{r}.{col}" for r in ("new_received", "carried_over", "total", "carried_forward")]
        new, over, total, forward = (ctx.n(i) for i in ids)
        if new is None or over is None or total is None or forward is None:
            continue
        if new + over != total + forward:
            yield ctx.finding(ids, column=COLUMN_NAMES[col], new=new, over=over, lhs=new + over, total=total,
                              forward=forward, rhs=total + forward)


@check("APP-ROW-SUM")
def row_sum(ctx: Context) -> Iterator[Finding]:
    rows = dict.fromkeys(cid.rsplit(".", 1)[0] for cid in ctx.report.cells if cid.startswith("t3."))
    for row in rows:
        ids = [f"{row}.{c}" for c in APPLICANTS]
        parts = [ctx.n(i) for i in ids]
        total = ctx.n(f"{row}.total")
        if total is None or any(p is None for p in parts):
            continue
        if sum(parts) != total:  # type: ignore[arg-type]
            yield ctx.finding([*ids, f"{row}.total"], row=row_name(row), parts=plus(parts), sum=sum(parts),  # type: ignore[arg-type]
                              total=total)


@check("APP-OUTCOME-SUM")
def outcome_sum(ctx: Context) -> Iterator[Finding]:
    rows = OUTCOME_ROWS + _other_rows(ctx)
    for col in COLUMNS:
        ids = [f"{r}.{col}" for r in rows]
        parts = [ctx.n(i) for i in ids]
        total = ctx.n(f"t3.total.{col}")
        if total is None or any(p is None for p in parts):
            continue
        if sum(parts) != total:  # type: ignore[arg-type]
            named = [(row_name(r), p) for r, p in zip(rows, parts, strict=True) if p]
            shown = {lang: " + ".join(f"{name[lang]} {p}" for name, p in named) or "0" for lang in ("zh", "en")}
            yield ctx.finding([*ids, f"t3.total.{col}"], column=COLUMN_NAMES[col], parts=shown,
                              sum=sum(parts), total=total)  # type: ignore[arg-type]


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
            yield ctx.finding(ids, source=sub["source"], row=row_name(sub["row"]), subtotal=value,
                              parts=plus(parts), sum=sum(parts))  # type: ignore[arg-type]


@check("APP-SUBTOTAL-ROW")
def subtotal_row(ctx: Context) -> Iterator[Finding]:
    table = ctx.report.tables.get("t3")
    for sub in table.subtotal_rows if table else []:
        items = [r for r in GROUP_ITEMS[sub["group"]] if ctx.has(f"{r}.total")]
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
                yield ctx.finding(ids, source=sub["source"], group=sub["group"], column=COLUMN_NAMES[col],
                                  subtotal=parsed.value, parts=plus(parts), sum=sum(parts))  # type: ignore[arg-type]


_FEE_NOTICE = re.compile(r"收费通知|缴费通知|信息处理费")


@check("APP-FEE-NOTICE")
def fee_notice(ctx: Context) -> Iterator[Finding]:
    count = ctx.n("t3.other.fee_unpaid.total")
    if not count or count <= 0:
        return
    section6 = ctx.report.sections.get(6)
    if section6 is None or not _FEE_NOTICE.search(section6.text):
        yield ctx.finding(["t3.other.fee_unpaid.total"], count=count)


# ------------------------------------------------------------------ table 四
LIT_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
_BLOCK_NAMES = {
    "review": {"zh": "行政复议", "en": "administrative review"},
    "litigation_direct": {"zh": "行政诉讼（未经复议直接起诉）", "en": "litigation without review"},
    "litigation_after_review": {"zh": "行政诉讼（复议后起诉）", "en": "litigation after review"},
}


@check("LIT-SUM")
def litigation_sum(ctx: Context) -> Iterator[Finding]:
    for block in LIT_BLOCKS:
        ids = [f"t4.{block}.{c}" for c in ("upheld", "corrected", "other", "pending", "total")]
        upheld, corrected, other, pending, total = (ctx.n(i) for i in ids)
        if None in (upheld, corrected, other, pending, total):
            continue
        parts = upheld + corrected + other + pending  # type: ignore[operator]
        if parts != total:
            yield ctx.finding(ids, block=_BLOCK_NAMES[block], upheld=upheld, corrected=corrected, other=other,
                              pending=pending, sum=parts, total=total)


@check("LIT-WITHOUT-APPLICATIONS")
def litigation_without_applications(ctx: Context) -> Iterator[Finding]:
    new, over = ctx.n("t3.new_received.total"), ctx.n("t3.carried_over.total")
    totals = [f"t4.{b}.total" for b in LIT_BLOCKS]
    cases = [ctx.n(i) for i in totals]
    if new != 0 or over != 0 or any(c is None for c in cases):
        return
    if sum(cases) > 0:  # type: ignore[arg-type]
        yield ctx.finding(["t3.new_received.total", "t3.carried_over.total", *totals], cases=sum(cases))  # type: ignore[arg-type]

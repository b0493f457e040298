"""Regional statistics: every cell summed over a region's current reports of a year, per child region,
with the derived rates of docs/stats.md.

Sums are exact: integers are summed by the database, decimals (money) in Python as Decimal. A report
that declares it summarises its whole region (`reports.summary`) is not added in — that would count
its region twice — but compared with the sum of the other reports in its region (a note, not a rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select

from ..templates import FORMATS
from .core import Store
from .schema import bodies, cells, reports

Number = int | Decimal


def _total(row: str) -> str:
    return f"t3.{row}.total"


_WITHHELD = [f"t3.withheld.{k}.total" for k in ("state_secret", "law_prohibited", "security_stability", "third_party",
                                                  "internal_affairs", "process_info", "enforcement_files", "query_matters")]
_UNABLE = [f"t3.unable.{k}.total" for k in ("not_held", "needs_creation", "unclear")]
_REJECTED = [f"t3.rejected.{k}.total" for k in ("complaint", "duplicate", "publication", "excessive", "confirmation")]
_REVIEW_DONE = ["t4.review.upheld", "t4.review.corrected", "t4.review.other"]
_LITIGATION_DONE = [f"t4.{b}.{p}" for b in ("litigation_direct", "litigation_after_review")
                    for p in ("upheld", "corrected", "other")]
# name -> (numerator cells, denominator cells); docs/stats.md defines each.
RATES: dict[str, tuple[list[str], list[str]]] = {
    "granted": ([_total("granted")], [_total("total")]),
    "granted_or_partial": ([_total("granted"), _total("partially_granted")], [_total("total")]),
    "withheld": (_WITHHELD, [_total("total")]),
    "unable": (_UNABLE, [_total("total")]),
    "rejected": (_REJECTED, [_total("total")]),
    "review_corrected": (["t4.review.corrected"], _REVIEW_DONE),
    "litigation_corrected": (["t4.litigation_direct.corrected", "t4.litigation_after_review.corrected"],
                             _LITIGATION_DONE),
}
TOTALS = {"received": [_total("new_received"), _total("carried_over")], "handled": [_total("total")]}
# The cells a region summary is compared on.
SUMMARY_CELLS = ("t3.new_received.total", "t3.carried_over.total", "t3.total.total", "t3.carried_forward.total",
                 "t4.review.total", "t4.litigation_direct.total", "t4.litigation_after_review.total")


@dataclass(slots=True)
class Scope:
    """The sums over one region (the one asked for, or one of its children)."""

    code: str
    name: str
    level: str
    reports: int = 0
    sums: dict[str, Number] = field(default_factory=dict)

    def total(self, ids: list[str]) -> Number:
        return sum((self.sums.get(cid, 0) for cid in ids), 0)

    def rates(self) -> dict[str, Decimal | None]:
        out: dict[str, Decimal | None] = {}
        for name, (top, bottom) in RATES.items():
            den = self.total(bottom)
            out[name] = rate(self.total(top), den)
        return out

    def totals(self) -> dict[str, Number]:
        return {name: self.total(ids) for name, ids in TOTALS.items()}


@dataclass(slots=True)
class RegionStats:
    year: int
    region: Scope
    children: list[Scope]
    missing: list[dict[str, Any]]  # bodies with a report last year and none this year
    summary_checks: list[dict[str, Any]]  # region summaries that differ from the sum of the other reports


def cell_order() -> list[str]:
    order: dict[str, None] = {}
    for fmt in FORMATS.values():
        order.update(dict.fromkeys(fmt.cell_ids()))
    return list(order)


def region_stats(store: Store, code: str, year: int) -> RegionStats:
    g = store.gazetteer()
    region = g.regions[code]
    inside = g.descendants(code)
    # Each region inside maps to the child of `code` it lies in (the region itself maps to itself).
    child_of: dict[str, str] = {}
    for c in inside:
        chain = g.ancestors(c)
        child_of[c] = chain[chain.index(code) - 1] if c != code else code
    scopes = {code: Scope(code, region.name, region.level)}
    for c in g.children.get(code, ()):
        scopes[c] = Scope(c, g.regions[c].name, g.regions[c].level)

    with store.engine.connect() as conn:
        where = and_(reports.c.year == year, reports.c.current.is_(True), reports.c.status == "ok",
                     reports.c.summary.is_(False), bodies.c.region_code.in_(sorted(inside)))
        joined = cells.join(reports, reports.c.id == cells.c.report_id).join(bodies, bodies.c.id == reports.c.body_id)
        counts = conn.execute(select(bodies.c.region_code, func.count(reports.c.id))
                              .select_from(reports.join(bodies, bodies.c.id == reports.c.body_id))
                              .where(where).group_by(bodies.c.region_code)).all()
        sums = _sums(conn, joined, where)
        missing = _missing(conn, inside, year)
        summaries = conn.execute(select(reports.c.id, bodies.c.name, bodies.c.region_code)
                                 .select_from(reports.join(bodies, bodies.c.id == reports.c.body_id))
                                 .where(reports.c.year == year, reports.c.current.is_(True), reports.c.status == "ok",
                                        reports.c.summary.is_(True), bodies.c.region_code.in_(sorted(inside)))).all()
        summary_checks = [chk for s in summaries for chk in _compare_summary(conn, g, s, year)]

    for region_code, n in counts:
        for target in {code, child_of[region_code]}:
            scopes[target].reports += n
    for (region_code, cid), value in sums.items():
        for target in {code, child_of[region_code]}:
            scope = scopes[target]
            scope.sums[cid] = scope.sums.get(cid, 0) + value
    children = [scopes[c] for c in sorted(scopes) if c != code]
    return RegionStats(year, scopes[code], children, missing, summary_checks)


def _sums(conn: Any, joined: Any, where: Any) -> dict[tuple[str, str], Number]:
    """Exact sums per (region of the body, cell): integers by the database, decimals as Decimal."""
    out: dict[tuple[str, str], Number] = defaultdict(int)
    region, cid, value = bodies.c.region_code, cells.c.cell_id, cells.c.value
    if conn.dialect.name == "sqlite":
        whole = func.sum(func.cast(value, _integer()))
        rows = conn.execute(select(region, cid, whole).select_from(joined)
                            .where(where, cells.c.kind == "number", func.instr(value, ".") == 0)
                            .group_by(region, cid)).all()
        for r, c, total in rows:
            out[(r, c)] += int(total or 0)
        for r, c, v in conn.execute(select(region, cid, value).select_from(joined)
                                    .where(where, cells.c.kind == "number", func.instr(value, ".") > 0)):
            out[(r, c)] += v
    else:
        for r, c, total in conn.execute(select(region, cid, func.sum(value)).select_from(joined)
                                        .where(where, cells.c.kind == "number").group_by(region, cid)):
            total = total if total is not None else 0
            out[(r, c)] += int(total) if isinstance(total, Decimal) and total == total.to_integral_value() \
                and total.as_tuple().exponent >= 0 else total
    return dict(out)


def _integer() -> Any:
    from sqlalchemy import Integer

    return Integer()


def _missing(conn: Any, inside: set[str], year: int) -> list[dict[str, Any]]:
    had = select(reports.c.body_id).where(reports.c.year == year - 1, reports.c.current.is_(True))
    has = select(reports.c.body_id).where(reports.c.year == year, reports.c.body_id.is_not(None))
    rows = conn.execute(select(bodies.c.id, bodies.c.name, bodies.c.region_code)
                        .where(bodies.c.id.in_(had), bodies.c.id.not_in(has), bodies.c.region_code.in_(sorted(inside)))
                        .order_by(bodies.c.name)).all()
    return [{"id": r.id, "name": r.name, "region": r.region_code} for r in rows]


def _compare_summary(conn: Any, g: Any, summary: Any, year: int) -> list[dict[str, Any]]:
    """A region summary against the sum of every other current report in its region."""
    inside = g.descendants(summary.region_code)
    joined = cells.join(reports, reports.c.id == cells.c.report_id).join(bodies, bodies.c.id == reports.c.body_id)
    others = conn.execute(
        select(cells.c.cell_id, cells.c.value).select_from(joined)
        .where(reports.c.year == year, reports.c.current.is_(True), reports.c.status == "ok",
               reports.c.id != summary.id, reports.c.summary.is_(False), bodies.c.region_code.in_(sorted(inside)),
               cells.c.cell_id.in_(SUMMARY_CELLS), cells.c.kind == "number")).all()
    if not others:
        return []
    summed: dict[str, Number] = defaultdict(int)
    for cid, value in others:
        summed[cid] += value
    own = dict(conn.execute(select(cells.c.cell_id, cells.c.value).where(
        cells.c.report_id == summary.id, cells.c.cell_id.in_(SUMMARY_CELLS))).all())
    return [{"report": summary.id, "body": summary.name, "cell": cid, "reported": own.get(cid),
             "summed": summed.get(cid, 0)}
            for cid in SUMMARY_CELLS if (own.get(cid) or 0) != summed.get(cid, 0)]


def table_rows(result: RegionStats) -> tuple[list[str], list[dict[str, Any]]]:
    """One row for the region and one per child: code, name, reports, totals, rates, then every cell."""
    ids = cell_order()
    seen = {cid for s in (result.region, *result.children) for cid in s.sums}
    ids = [cid for cid in ids if cid in seen] + sorted(seen - set(ids))
    columns = ["scope", "code", "name", "level", "year", "reports", *TOTALS, *RATES, *ids]
    rows = []
    for scope_name, s in (("region", result.region), *(("child", c) for c in result.children)):
        row: dict[str, Any] = {"scope": scope_name, "code": s.code, "name": s.name, "level": s.level,
                               "year": result.year, "reports": s.reports}
        row.update({k: plain(v) for k, v in s.totals().items()})
        row.update({k: float(v) if v is not None else None for k, v in s.rates().items()})
        row.update({cid: plain(s.sums.get(cid, 0)) for cid in ids})
        rows.append(row)
    return columns, rows


def plain(v: Number) -> int | float:
    return v if isinstance(v, int) else float(v)


def rate(n: Number, of: Number) -> Decimal | None:
    """A derived rate: 4 decimals, none without a denominator."""
    return (Decimal(n) / Decimal(of)).quantize(Decimal("0.0001")) if of else None

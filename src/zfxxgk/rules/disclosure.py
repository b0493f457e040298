"""ACT-*: table 二, proactive disclosure (format.md §4.3). Findings name rows by id (t2.licensing)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..report import Finding
from .registry import Context, check


@check("ACT-STOCK")
def stock(ctx: Context) -> Iterator[Finding]:
    for row in ("t2.regulations", "t2.normative_docs"):
        ids = [f"{row}.issued", f"{row}.repealed", f"{row}.in_force"]
        issued, repealed, in_force = (ctx.n(i) for i in ids)
        if issued is None or repealed is None or in_force is None:
            continue
        if in_force < issued - repealed:
            yield ctx.finding(ids, row=row, in_force=in_force, issued=issued, repealed=repealed, net=issued - repealed)


# Bodies that certainly cannot make 规章 (立法法): townships and sub-districts, county-level
# governments, and government departments below the State Council.
_TOWNSHIP = re.compile(r"(乡|镇|街道|苏木)(人民政府|政府|办事处)?$|街道办事处$")
_COUNTY = re.compile(r"(县|区|旗)(人民政府|政府)(办公室)?$")
_DEPARTMENT = re.compile(r"(局|厅|委员会|委|中心|所|站|队|办公室|办)$")
_NATIONAL = re.compile(r"^(国家|中国|国务院|中华人民共和国)")


def rule_making_level(body: str | None) -> str | None:
    """The level of a body without rule-making power, or None when it may have it or is unknown."""
    if not body:
        return None
    if _TOWNSHIP.search(body):
        return "township"
    if _COUNTY.search(body):
        return "county"
    if _DEPARTMENT.search(body) and not _NATIONAL.search(body) and not re.search(r"人民政府办公(厅|室)$", body):
        return "department"
    return None


@check("ACT-REGULATIONS-POWER")
def regulations_power(ctx: Context) -> Iterator[Finding]:
    level = rule_making_level(ctx.report.body)
    if level is None:
        return
    ids = [cid for cid in ctx.report.cells if cid.startswith("t2.regulations.")]
    nonzero = [(cid, v) for cid in ids if (v := ctx.n(cid))]
    if nonzero:
        yield ctx.finding([cid for cid, _ in nonzero], body=ctx.report.body, level=level,
                          values=[v for _, v in nonzero])


@check("ACT-ITEMS-NEGATIVE")
def items_negative(ctx: Context) -> Iterator[Finding]:
    for row in ("t2.licensing", "t2.other_services", "t2.punishment", "t2.coercion", "t2.fees"):
        ids = [f"{row}.prev_items", f"{row}.change"]
        prev, change = (ctx.n(i) for i in ids)
        if prev is None or change is None:
            continue
        if prev + change < 0:
            yield ctx.finding(ids, row=row, prev=prev, change=change, now=prev + change)


@check("ACT-PUBLISHED-TOTAL")
def published_total(ctx: Context) -> Iterator[Finding]:
    for row in ("t2.regulations", "t2.normative_docs"):
        ids = [f"{row}.new_published", f"{row}.total_published"]
        published, total = (ctx.n(i) for i in ids)
        if published is None or total is None:
            continue
        if total < published:
            yield ctx.finding(ids, row=row, total=total, published=published)


@check("ACT-MADE-NOT-PUBLISHED")
def made_not_published(ctx: Context) -> Iterator[Finding]:
    ids = ["t2.normative_docs.new_made", "t2.normative_docs.new_published"]
    made, published = (ctx.n(i) for i in ids)
    if made is not None and published is not None and made > published:
        yield ctx.finding(ids, row="t2.normative_docs", made=made, published=published)


@check("ACT-PROCUREMENT-PAIR")
def procurement_pair(ctx: Context) -> Iterator[Finding]:
    ids = ["t2.procurement.projects", "t2.procurement.amount"]
    projects, amount = (ctx.n(i) for i in ids)
    if projects is None or amount is None:
        return
    if (projects == 0) != (amount == 0):
        yield ctx.finding(ids, projects=projects, amount=amount)

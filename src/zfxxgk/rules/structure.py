"""FMT-* and META-*: format version, sections, tables, labels, title and deadline.

Findings carry section numbers, table keys and row ids; the words come from the templates when shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..report import Finding
from ..templates import FORMATS, version_for_year
from .registry import Context, check

_SECTIONS = FORMATS["2021"].sections  # the six titles and their tables are the same in both formats


@check("FMT-VERSION")
def version(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    printed = {k: t.version for k, t in r.tables.items() if t.found and t.version}
    detected = {k: v for k, v in printed.items() if r.tables[k].fingerprints}
    expected = version_for_year(r.year)
    versions = set(detected.values())
    if len(versions) > 1:
        yield ctx.finding([], kind="mixed", formats=[{"table": k, "version": v} for k, v in sorted(detected.items())])
    elif versions and expected and versions != {expected}:
        (v,) = versions
        yield ctx.finding([], kind="outdated", year=r.year, expected=expected, version=v)


@check("FMT-SECTIONS")
def sections(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    missing = [s.number for s in _SECTIONS if s.number not in r.sections]
    if missing:
        yield ctx.finding([], kind="missing", sections=missing)
    order = [n for n, _ in sorted(r.sections.items(), key=lambda item: _position(item[1].source))]
    if order != sorted(order):
        yield ctx.finding([], kind="order", order=order)


def _position(source) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (source.page or 0, source.line or 0, source.paragraph or 0)


@check("FMT-TABLE-NOT-TEXT")
def table_not_text(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    for section in _SECTIONS:
        key = section.table
        if key is None:
            continue
        table = r.tables.get(key)
        if section.number in r.sections and (table is None or not table.found):
            ids = [cid for cid in r.cells if cid.startswith(f"{key}.")]
            yield ctx.finding(ids, source=r.sections[section.number].source, section=section.number)


@check("FMT-LABEL-VARIANT")
def label_variant(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    variants = list(r.section_variants)
    for table in r.tables.values():
        variants.extend(table.variants)
    for v in variants:
        yield ctx.finding(v.cells, source=v.source, printed=v.printed.replace("\n", ""), official=v.official)


@check("FMT-HEADER-INCOMPLETE")
def header_incomplete(ctx: Context) -> Iterator[Finding]:
    for key, table in ctx.report.tables.items():
        if not table.found:
            continue
        if table.missing_headers:
            # With every row present the values are still read, in the official column order.
            kind = "headers" if table.missing_rows else "headers_rows_ok"
            yield ctx.finding([], source=table.source, kind=kind, table=key, headers=list(table.missing_headers))
        if table.missing_rows:
            ids = [cid for cid in ctx.report.cells if any(cid.startswith(r + ".") for r in table.missing_rows)]
            yield ctx.finding(ids, source=table.source, kind="rows", table=key, rows=list(table.missing_rows))


@check("FMT-EXTRA-ROW")
def extra_row(ctx: Context) -> Iterator[Finding]:
    for key, table in ctx.report.tables.items():
        for extra in table.extra_rows:
            yield ctx.finding([], source=extra.source, kind="values" if extra.values else "empty", table=key,
                              label=extra.label.replace("\n", ""), values=list(extra.values))


REPLACEMENT = "\ufffd"  # what a reader puts where bytes could not be decoded


@check("FMT-DAMAGED-TEXT")
def damaged_text(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    cells = [cid for cid, c in r.cells.items() if c.raw and REPLACEMENT in c.raw]
    texts = [r.title or "", *(p.text for p in r.prose)]  # the body is part of the title, the preamble of prose
    count = sum(t.count(REPLACEMENT) for t in texts) + sum(r.cells[cid].raw.count(REPLACEMENT) for cid in cells)  # type: ignore[union-attr]
    if count:
        source = next((p.source for p in r.prose if REPLACEMENT in p.text), None)
        yield ctx.finding(cells, source=source, count=count, names=cells)


_TITLE_OK = re.compile(r"(19|20)\d{2}年")


@check("META-TITLE")
def title(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.title is None or r.body is None or r.year is None or not _TITLE_OK.search(r.title.replace(" ", "")):
        yield ctx.finding([], source=r.title_source, title=r.title or "")


# 条例 第四十九条: the report on a whole region (a 县级以上 people's government, compiled by its disclosure
# office) is due 31 March; a body's own report (departments; townships by default) by the configured date.
_REGION_DEADLINE = (3, 31)
_REGION = re.compile(r"(?<![乡镇])人民政府$")  # a government, not a township's and not a department (办公室, 局)


def deadline_of(body: str | None, year: int, deadline: tuple[int, int] = (1, 31)) -> date:
    """The day a body's report on `year` is due (`deadline`: Options.deadline); the web board uses it too."""
    month, day = max(deadline, _REGION_DEADLINE) if _REGION.search(body or "") else deadline
    return date(year + 1, month, day)


@check("META-DEADLINE")
def deadline(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if not r.published or r.year is None:
        return
    limit = deadline_of(r.body, r.year, ctx.options.deadline)
    if date.fromisoformat(r.published) > limit:
        yield ctx.finding([], published=r.published, basis=r.published_basis or "", deadline=limit.isoformat())

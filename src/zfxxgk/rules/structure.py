"""FMT-* and META-*: format version, sections, tables, labels, title and deadline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..locate import OFFICIAL_TITLES
from ..report import Finding
from ..templates import FORMATS, version_for_year
from .registry import TABLE_NAMES, Context, check

_SECTION_EN = {1: "一 overview", 2: "二 proactive disclosure", 3: "三 applications", 4: "四 review and litigation",
               5: "五 problems and improvements", 6: "六 other matters"}


def _section_name(n: int) -> dict[str, str]:
    return {"zh": OFFICIAL_TITLES[n], "en": _SECTION_EN[n]}


@check("FMT-VERSION")
def version(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    printed = {k: t.version for k, t in r.tables.items() if t.found and t.version and k != "t4"}
    detected = {k: v for k, v in printed.items() if r.tables[k].fingerprints}
    expected = version_for_year(r.year)
    versions = set(detected.values())
    parts_zh = [f"{TABLE_NAMES[k]['zh']}为{v}年格式" for k, v in sorted(detected.items())]
    parts_en = [f"{TABLE_NAMES[k]['en']} uses the {v} format" for k, v in sorted(detected.items())]
    if len(versions) > 1:
        yield ctx.finding([], detail={"zh": "表格混用两种格式：" + "，".join(parts_zh),
                                      "en": "the tables mix both formats: " + "; ".join(parts_en)})
    elif versions and expected and versions != {expected}:
        (v,) = versions
        yield ctx.finding([], detail={
            "zh": f"{r.year}年度报告应使用{FORMATS[expected].document}格式，但表格为{FORMATS[v].document}格式",
            "en": f"a report for {r.year} should use the {expected} format ({FORMATS[expected].document}), "
                  f"but its tables use the {v} format"})


@check("FMT-SECTIONS")
def sections(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    missing = [n for n in range(1, 7) if n not in r.sections]
    if missing:
        yield ctx.finding([], detail={"zh": "缺少：" + "、".join(OFFICIAL_TITLES[n] for n in missing),
                                      "en": "missing: " + ", ".join(_SECTION_EN[n] for n in missing)})
    order = [n for n, _ in sorted(r.sections.items(), key=lambda item: _position(item[1].source))]
    if order != sorted(order):
        yield ctx.finding([], detail={"zh": "顺序不对：" + " → ".join(OFFICIAL_TITLES[n][0] for n in order),
                                      "en": "out of order: " + " → ".join(str(n) for n in order)})


def _position(source) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (source.page or 0, source.line or 0, source.paragraph or 0)


@check("FMT-TABLE-NOT-TEXT")
def table_not_text(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    for number, key in ((2, "t2"), (3, "t3"), (4, "t4")):
        table = r.tables.get(key)
        if number in r.sections and (table is None or not table.found):
            ids = [cid for cid in r.cells if cid.startswith(f"{key}.")]
            yield ctx.finding(ids, source=r.sections[number].source, section=_section_name(number))


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
            rows_ok = not table.missing_rows
            yield ctx.finding([], source=table.source, table=TABLE_NAMES[key], detail={
                "zh": "表头缺少：" + "、".join(table.missing_headers)
                      + ("（各行数值仍齐全，按官方列序读取）" if rows_ok else ""),
                "en": " lacks header labels: " + ", ".join(table.missing_headers)
                      + (" (every row still has its values, read in the official column order)" if rows_ok else "")})
        if table.missing_rows:
            ids = [cid for cid in ctx.report.cells if any(cid.startswith(r + ".") for r in table.missing_rows)]
            labels = [_row_label(key, table.version, r) for r in table.missing_rows]
            yield ctx.finding(ids, source=table.source, table=TABLE_NAMES[key], detail={
                "zh": "缺少这些行：" + "、".join(labels), "en": " lacks the rows: " + ", ".join(labels)})


def _row_label(key: str, version: str | None, row_id: str) -> str:
    template = FORMATS[version or "2021"].tables[key]
    return next((r.label or r.id for r in template.rows if r.id == row_id), row_id)


@check("FMT-EXTRA-ROW")
def extra_row(ctx: Context) -> Iterator[Finding]:
    for key, table in ctx.report.tables.items():
        for extra in table.extra_rows:
            values = {"zh": "，数值：" + "、".join(extra.values), "en": ", values: " + ", ".join(extra.values)} \
                if extra.values else {"zh": "（没有数值）", "en": " (no values)"}
            yield ctx.finding([], source=extra.source, table=TABLE_NAMES[key], label=extra.label.replace("\n", ""),
                              values=values)


_TITLE_OK = re.compile(r"(19|20)\d{2}年")


@check("META-TITLE")
def title(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.title is None or r.body is None or r.year is None or not _TITLE_OK.search(r.title):
        yield ctx.finding([], source=r.title_source, title=r.title or "")


@check("META-DEADLINE")
def deadline(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if not r.published or r.year is None:
        return
    month, day = ctx.options.deadline
    limit = date(r.year + 1, month, day)
    if date.fromisoformat(r.published) > limit:
        basis = {"metadata": {"zh": "页面发布日期", "en": "page date"},
                 "signature": {"zh": "落款日期", "en": "signature date"}}.get(r.published_basis or "", "")
        yield ctx.finding([], published=r.published, basis=basis, deadline=limit.isoformat())

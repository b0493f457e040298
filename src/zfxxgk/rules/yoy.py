"""Cross-year rules (YOY-*): this year's report against the same body's report of the year before.

They run where a previous report is known — `ingest` (from the store), `check --db`, `check FILE
--previous PREV` — and find nothing without one, or when the previous report is not of the year
before. A finding names this report's cells in `cells` and the other side in its args
(`previous`: the other report's source, sha256 and year; `previous_cells` and `previous_locations`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..report import Finding, Report
from ..templates.formats import T3_COLUMNS
from ..values import Kind
from .registry import Context, check

TEXT_REPEAT_THRESHOLD = 0.5  # share of this year's prose repeated from last year's; local rules penalise > 50 %
TEXT_MIN_SENTENCE = 10  # characters after normalisation: shorter sentences (headings, 无。) are not compared
TEXT_MIN_TOTAL = 100  # characters: a report with less prose is not judged
_CLEANUP = re.compile(r"清理|调整|以本年度报告为准|重新核定|统计口径")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_DIGITS = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千万]+")
_SPACE = re.compile(r"\s+")
_VERSION_ORDER = {"2019": 0, "2021": 1}


def _previous(ctx: Context) -> Report | None:
    """Last year's report, if it is one: readable, and of the year before when both years are known."""
    prev = ctx.previous
    if prev is None or prev.error is not None:
        return None
    if prev.year is not None and ctx.report.year is not None and prev.year != ctx.report.year - 1:
        return None
    return prev


def _other(prev: Report, cell_ids: list[str]) -> dict[str, Any]:
    """The args naming the previous report and its cells."""
    return {
        "previous": {"source": prev.source, "sha256": prev.sha256, "year": prev.year},
        "previous_cells": cell_ids,
        "previous_locations": {cid: c.source.to_json() for cid in cell_ids
                               if (c := prev.cells.get(cid)) is not None and c.source},
        "last_year": prev.year if prev.year is not None else "?",
    }


@check("YOY-CARRY")
def carry(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None:
        return
    for col in T3_COLUMNS:
        here, there = f"t3.carried_over.{col.id}", f"t3.carried_forward.{col.id}"
        this, last = ctx.n(here), prev.number(there)
        if this is None or last is None or this == last:
            continue
        yield ctx.finding([here], column=col.id, this=this, last=last, **_other(prev, [there]))


@check("YOY-STOCK")
def stock(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None or prev.version != "2021" or ctx.report.version != "2021":
        return
    explained = any(_CLEANUP.search(p.text) for p in ctx.report.prose)
    for row in ("t2.regulations", "t2.normative_docs"):
        ids = [f"{row}.in_force", f"{row}.issued", f"{row}.repealed"]
        this, issued, repealed = (ctx.n(cid) for cid in ids)
        last = prev.number(f"{row}.in_force")
        if None in (this, issued, repealed, last):
            continue
        expected = last + issued - repealed  # type: ignore[operator]
        if expected == this:
            continue
        yield ctx.finding(ids, "info" if explained else None, row=row, last=last,
                          issued=issued, repealed=repealed, expected=expected, this=this,
                          **_other(prev, [f"{row}.in_force"]))


@check("YOY-ITEMS")
def items(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None or prev.version != "2019" or ctx.report.version != "2019":
        return
    for row in ("t2.licensing", "t2.other_services", "t2.punishment", "t2.coercion", "t2.fees"):
        here = f"{row}.prev_items"
        this, last_items, last_change = ctx.n(here), prev.number(here), prev.number(f"{row}.change")
        if this is None or last_items is None or last_change is None or this == last_items + last_change:
            continue
        yield ctx.finding([here], row=row, this=this, last_items=last_items,
                          last_change=last_change, expected=last_items + last_change,
                          **_other(prev, [here, f"{row}.change"]))


def sentences(report: Report) -> list[str]:
    """The prose of sections 一–六 as normalised sentences: no spaces, every number written as #."""
    out: list[str] = []
    for para in report.prose:
        if para.section == 0:  # the preamble repeats by design (条例, 统计期限)
            continue
        for part in _SENTENCE_END.split(para.text):
            text = _DIGITS.sub("#", _SPACE.sub("", part))
            if len(text) >= TEXT_MIN_SENTENCE:
                out.append(text)
    return out


def repeated_share(report: Report, previous: Report) -> tuple[int, int]:
    """(characters of this year's sentences also in last year's report, characters of all of them)."""
    before = set(sentences(previous))
    now = sentences(report)
    return sum(len(s) for s in now if s in before), sum(len(s) for s in now)


@check("YOY-TEXT-REPEAT")
def text_repeat(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None:
        return
    repeated, total = repeated_share(ctx.report, prev)
    if total < TEXT_MIN_TOTAL or repeated <= TEXT_REPEAT_THRESHOLD * total:
        return
    source = next((p.source for p in ctx.report.prose if p.section > 0), None)
    yield ctx.finding([], source=source, share=round(100 * repeated / total), repeated=repeated, total=total,
                      threshold=round(100 * TEXT_REPEAT_THRESHOLD), **_other(prev, []))


def _table_values(report: Report) -> dict[str, tuple[str, Any]]:
    return {cid: (str(c.kind), c.value) for cid, c in report.cells.items() if cid.startswith(("t3.", "t4."))}


@check("YOY-TABLE-COPY")
def table_copy(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None:
        return
    applications = (ctx.n("t3.new_received.total") or 0) + (ctx.n("t3.carried_over.total") or 0)
    if applications <= 0:
        return
    now, before = _table_values(ctx.report), _table_values(prev)
    common = sorted(set(now) & set(before))
    if "t3.new_received.total" not in common or any(now[c][0] == Kind.UNREADABLE for c in common):
        return
    if all(now[c] == before[c] for c in common):
        shown = ["t3.new_received.total", "t3.total.total"]
        yield ctx.finding(shown, applications=applications, compared=len(common), **_other(prev, shown))


@check("YOY-VERSION")
def version(ctx: Context) -> Iterator[Finding]:
    prev = _previous(ctx)
    if prev is None:
        return
    this, last = ctx.report.version, prev.version
    if this is None:
        return
    if last is not None and _VERSION_ORDER.get(this, 0) < _VERSION_ORDER.get(last, 0):
        kind = "backwards"
    elif this == "2021" and ctx.report.year is not None and ctx.report.year <= 2020:
        kind = "early"
    else:
        return
    yield ctx.finding([], kind=kind, format=this, year=ctx.report.year if ctx.report.year is not None else "?",
                      last_format=last or "?", **_other(prev, []))

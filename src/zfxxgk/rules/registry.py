"""The rule registry: the catalogue (catalogue.toml) joined with the checks registered in code.

A rule is one catalogue entry plus one function decorated with @check("CODE"). The function gets a
Context and yields findings; the engine fills in severity and renders the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..messages import Rule, render, rule_texts
from ..options import Options
from ..report import Cell, Finding, Report
from ..templates import Name, cell_name
from ..values import Kind, Number

SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)
class Context:
    report: Report
    options: Options = field(default_factory=Options)
    previous: Report | None = None  # the same body's report of the year before, for the YOY-* rules
    numbers: dict[str, Number | None] = field(init=False)
    # The cells the value rules (VAL-*) look at, in the report's order: all but whole numbers ≥ 0 read from text,
    # printed without unit or note in a count cell: most of a report's 200 cells, which give those rules nothing to say.
    unusual: list[tuple[str, Cell]] = field(init=False)

    def __post_init__(self) -> None:
        # Cell.number spelled out (a property call per cell showed in profiles): blank and N/A count as 0.
        number, zero = Kind.NUMBER, (Kind.BLANK, Kind.NA)
        numbers: dict[str, Number | None] = {}
        unusual: list[tuple[str, Cell]] = []
        for cid, cell in self.report.cells.items():
            value, kind = cell.value, cell.kind
            if kind == number:
                numbers[cid] = value
                if value.__class__ is int and value >= 0 and cell.unit is None and not cell.note \
                        and cell.confidence is None and not cid.endswith(".amount"):
                    continue
            else:
                numbers[cid] = 0 if kind in zero else None
            unusual.append((cid, cell))
        self.numbers, self.unusual = numbers, unusual

    def n(self, cell_id: str) -> Number | None:
        """Arithmetic value: blank/N/A → 0; unreadable or absent → None (the relation is skipped)."""
        return self.numbers.get(cell_id)

    def name(self, cell_id: str) -> Name:
        return cell_name(cell_id, self.report.version)

    def has(self, cell_id: str) -> bool:
        return cell_id in self.report.cells

    def finding(self, cells: list[str], severity: str | None = None, source: Any = None, **args: Any) -> Finding:
        """A finding on these cells; code and message are filled in by the engine."""
        locations = {cid: c.source for cid in cells if (c := self.report.cells.get(cid)) and c.source}
        if source is None:
            source = next(iter(locations.values()), None)
        return Finding("", severity or "", cells, args, source, locations)


CheckFn = Callable[[Context], Iterable[Finding]]
_CHECKS: dict[str, CheckFn] = {}


def check(code: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if code in _CHECKS:
            raise ValueError(f"rule {code} registered twice")
        _CHECKS[code] = fn
        return fn

    return register


@cache
def catalogue() -> dict[str, Rule]:
    rules = rule_texts()
    missing = set(rules) ^ set(_CHECKS)
    if missing:
        raise RuntimeError(f"catalogue and checks disagree on: {sorted(missing)}")
    return rules


def run_checks(report: Report, options: Options | None = None, only: Iterable[str] | None = None,
               previous: Report | None = None) -> list[Finding]:
    """Run every applicable rule on one report and store the findings on it (as data: no words).

    `previous`: the same body's report of the year before; without it the cross-year rules find nothing.
    """
    ctx = Context(report, options or Options(), previous)
    selected = set(only) if only is not None else None
    findings: list[Finding] = []
    prose_missing = any(r is not None and r.pages.get("prose_unread") for r in (report, previous))
    for code, rule in catalogue().items():
        if selected is not None and code not in selected:
            continue
        if rule.needs_prose and prose_missing:  # never a finding about text that was not read
            continue
        if report.version is not None and report.version not in rule.versions:
            continue
        if report.version is None and len(rule.versions) < 2:
            continue
        for f in _CHECKS[code](ctx):
            f.code = code
            f.severity = f.severity or rule.severity
            findings.append(f)
    findings.sort(key=lambda f: SEVERITIES.index(f.severity))
    report.findings = findings
    return findings


__all__ = ["Options", "Rule", "render"]

"""The rule registry: the catalogue (catalogue.toml) joined with the checks registered in code.

A rule is one catalogue entry plus one function decorated with @check("CODE"). The function gets a
Context and yields findings; the engine fills in severity and renders the message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from ..report import Finding, Report
from ..templates import FORMATS
from ..values import Number

SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)
class Options:
    """Settings a user may change (deadline for META-DEADLINE, as month and day of year Y+1)."""

    deadline: tuple[int, int] = (1, 31)


@dataclass(slots=True)
class Context:
    report: Report
    options: Options = field(default_factory=Options)
    numbers: dict[str, Number | None] = field(init=False)

    def __post_init__(self) -> None:
        self.numbers = {cid: cell.number for cid, cell in self.report.cells.items()}

    def n(self, cell_id: str) -> Number | None:
        """Arithmetic value: blank/N/A → 0; unreadable or absent → None (the relation is skipped)."""
        return self.numbers.get(cell_id)

    def name(self, cell_id: str) -> dict[str, str]:
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


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str
    versions: tuple[str, ...]
    title: dict[str, str]
    explanation: dict[str, str]
    example: dict[str, str]
    message: dict[str, str]

    @property
    def check(self) -> CheckFn:
        return _CHECKS[self.code]


@cache
def catalogue() -> dict[str, Rule]:
    from . import checks  # noqa: F401  (registers the check functions)

    data = tomllib.loads(resources.files(__package__).joinpath("catalogue.toml").read_text("utf-8"))
    rules = {
        code: Rule(code, entry["severity"], tuple(entry["versions"]), entry["title"], entry["explanation"],
                   entry["example"], entry["message"])
        for code, entry in data.items()
    }
    missing = set(rules) ^ set(_CHECKS)
    if missing:
        raise RuntimeError(f"catalogue and checks disagree on: {sorted(missing)}")
    return rules


def run_checks(report: Report, lang: str = "zh", options: Options | None = None,
               only: Iterable[str] | None = None) -> list[Finding]:
    """Run every applicable rule on one report and store the findings on it."""
    ctx = Context(report, options or Options())
    selected = set(only) if only is not None else None
    findings: list[Finding] = []
    for code, rule in catalogue().items():
        if selected is not None and code not in selected:
            continue
        if report.version is not None and report.version not in rule.versions:
            continue
        if report.version is None and len(rule.versions) < 2:
            continue
        for f in rule.check(ctx):
            f.code = code
            f.severity = f.severity or rule.severity
            f.message = render(f, lang)
            findings.append(f)
    findings.sort(key=lambda f: SEVERITIES.index(f.severity))
    report.findings = findings
    return findings


def render(f: Finding, lang: str) -> str:
    rule = catalogue()[f.code]
    template = rule.message.get(lang) or rule.message["zh"]
    args = {k: _show(v, lang) for k, v in f.args.items()}
    return template.format(**args)


def _show(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("zh", "")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        sep = ", " if lang == "en" else "、"
        return sep.join(_show(v, lang) for v in value)
    return str(value)


# ------------------------------------------------------------------ names for messages
@cache
def _names() -> dict[tuple[str, str], dict[str, str]]:
    names: dict[tuple[str, str], dict[str, str]] = {}
    for version, fmt in FORMATS.items():
        for table in fmt.tables.values():
            for row in table.rows:
                for col in row.columns:
                    zh = col.label if not row.label else f"{row.label}·{col.label}"
                    en = col.en if not row.label else f"{row.en} / {col.en}"
                    names[(version, f"{row.id}.{col.id}")] = {"zh": zh, "en": en}
    return names


def cell_name(cell_id: str, version: str | None = None) -> dict[str, str]:
    """The cell's label in both languages, as the given format version prints it."""
    names = _names()
    for v in (version, "2021", "2019"):
        if v and (v, cell_id) in names:
            return names[(v, cell_id)]
    return {"zh": cell_id, "en": cell_id}


TABLE_NAMES = {"t2": {"zh": "表二（主动公开）", "en": "table 二 (proactive disclosure)"},
               "t3": {"zh": "表三（依申请公开）", "en": "table 三 (applications)"},
               "t4": {"zh": "表四（复议诉讼）", "en": "table 四 (review and litigation)"}}

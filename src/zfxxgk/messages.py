"""Words for findings, rendered where they are shown: a finding is stored as code and args only.

The rule catalogue (rules/catalogue.toml) holds each rule's texts and message templates; here they
are loaded and a finding's args are turned into words in the language asked. This module sits below
the report and the rules (it needs only the templates), so the record and every output can use it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Protocol

from .templates import (
    FORMATS,
    Name,
    block_name,
    cell_name,
    column_name,
    document,
    group_name,
    row_name,
    section_numeral,
    section_title,
    table_name,
    topic_name,
)


class FindingLike(Protocol):
    code: str
    cells: list[str]
    args: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str
    versions: tuple[str, ...]
    title: dict[str, str]
    explanation: dict[str, str]
    example: dict[str, str]
    message: dict[str, str]  # the message (the first one where the rule words several kinds of finding)
    # kind -> {zh, en}: "" for a rule with one message, else the values of the finding's `kind` arg.
    messages: dict[str, dict[str, str]] = field(default_factory=dict)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)  # arg -> how to show a list (render)
    terms: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # arg -> value -> {zh, en}
    blocks_render: bool = False  # an error of this rule stops `zfxxgk render`
    needs_prose: bool = False  # the rule reads prose: it is skipped when some prose was not read (OCR)

    def message_for(self, kind: str | None, lang: str) -> str:
        texts = self.messages.get(kind or "") or next(iter(self.messages.values()))
        return texts.get(lang) or texts["zh"]


@cache
def rule_texts() -> dict[str, Rule]:
    """The catalogue's entries by code, in catalogue order (the checks are joined in rules.registry)."""
    text = resources.files("zfxxgk").joinpath("rules", "catalogue.toml").read_text("utf-8")
    return {code: _rule(code, entry) for code, entry in tomllib.loads(text).items()}


def _rule(code: str, entry: dict[str, Any]) -> Rule:
    """A catalogue entry: `message` is {zh, en}, or {kind: {zh, en}} for a rule that words several cases."""
    message = entry["message"]
    messages = {"": message} if "zh" in message else message
    return Rule(code, entry["severity"], tuple(entry["versions"]), entry["title"], entry["explanation"],
                entry["example"], next(iter(messages.values())), messages, entry.get("list", {}), entry.get("terms", {}),
                bool(entry.get("blocks_render", False)), bool(entry.get("needs_prose", False)))


# ------------------------------------------------------------------ words for findings
# A finding's args are data: numbers, ids, strings as printed in the report, and lists of these.
# The words are chosen here, in the language asked, when the finding is shown. An arg is shown by
# its name (the names come from templates/names.py, as the report's format `version` prints them):
#   column            a 表三 column id             → 自然人 / natural persons
#   row, rows         a row id (t3.granted)        → （一）予以公开 / granted
#   table             a table key (t3)             → 表三（依申请公开） / table 三 (applications)
#   section, sections a section number            → 三、收到和处理政府信息公开申请情况 / 三 applications
#   order             section numbers, in order    → 五 / 5
#   block             a 表四 block id (review)      → 行政复议 / administrative review
#   group             a row group id (t3.withheld) → （三）不予公开 / withheld
#   cell, names       cell ids                     → （一）予以公开·自然人 / granted / natural persons
#   topics            topic ids (management)       → 政府信息管理 / information management
#   version, expected a format version ("2021")   → itself; `{version.document}` is the official document
#   any arg under the rule's `terms`               → the declared words for its value (a body's level, a unit)
# Anything else is shown as printed: a Decimal without exponent or trailing zeros; ints and floats
# stay numbers, so a message may format them ({confidence:.2f}). A list is joined with 、 (zh) or
# ", " (en), or as the rule's `list.<arg>` declares: `sep`, an item template (`zh`/`en`) for lists of
# records (each field shown by its own name), and what an empty list shows (`empty`, a string or {zh, en}). The `kind` arg
# picks one of a rule's messages.
_Namer = Callable[[Any, str | None], Name]
_NAMERS: dict[str, _Namer] = {
    "column": lambda v, version: column_name(str(v), "t3", version),
    "row": lambda v, version: row_name(str(v), version),
    "table": lambda v, version: table_name(str(v), version),
    "section": lambda v, version: section_title(int(v), version),
    "order": lambda v, version: section_numeral(int(v)),
    "block": lambda v, version: block_name(str(v)),
    "group": lambda v, version: group_name(str(v), version),
    "cell": lambda v, version: cell_name(str(v), version),
    "topics": lambda v, version: topic_name(str(v)),
}
_NAMERS |= {"rows": _NAMERS["row"], "sections": _NAMERS["section"], "names": _NAMERS["cell"]}
_SEP = {"zh": "、", "en": ", "}


class _Version(str):
    """A format version shown as itself, with the official document that set it as `.document`."""

    document: str

    def __new__(cls, version: str) -> _Version:
        shown = super().__new__(cls, version)
        shown.document = document(version)
        return shown


def render(f: FindingLike, lang: str = "zh", version: str | None = None) -> str:
    """A finding's message in `lang`; `version` picks the labels that report prints.

    Without a version, the finding's cells decide where they belong to one version only.
    """
    rule = rule_texts()[f.code]
    version = version or _version_of(f.cells)
    text = rule.message_for(f.args.get("kind"), lang)
    return text.format(**{k: _show(rule, k, v, lang, version) for k, v in f.args.items()})


def _version_of(cells: Iterable[str]) -> str | None:
    ids = set(cells)
    fits = [v for v, fmt in FORMATS.items() if ids and ids <= _cell_ids(v)]
    return fits[0] if len(fits) == 1 else None


@cache
def _cell_ids(version: str) -> frozenset[str]:
    return frozenset(FORMATS[version].cell_ids())


def _show(rule: Rule, name: str, value: Any, lang: str, version: str | None) -> Any:
    if not isinstance(value, (list, tuple)):
        return _one(rule, name, value, lang, version)
    spec = rule.lists.get(name, {})
    if not value:
        empty = spec.get("empty", "")
        return empty if isinstance(empty, str) else empty.get(lang) or empty["zh"]
    sep = spec.get("sep", _SEP)
    sep = sep if isinstance(sep, str) else sep.get(lang) or sep["zh"]
    items = []
    for item in value:
        if isinstance(item, dict):  # a record: its own template
            fields = {k: _one(rule, k, v, lang, version) for k, v in item.items()}
            template = spec.get(lang) or spec.get("zh")
            items.append(template.format(**fields) if template else " ".join(str(v) for v in fields.values()))
        else:
            items.append(str(_one(rule, name, item, lang, version)))
    return sep.join(items)


def _one(rule: Rule, name: str, value: Any, lang: str, version: str | None) -> Any:
    terms = rule.terms.get(name)
    if terms is not None and str(value) in terms:
        words = terms[str(value)]
        return words.get(lang) or words["zh"]
    if name in ("version", "expected") and value in FORMATS:
        return _Version(str(value))
    namer = _NAMERS.get(name)
    if namer is not None and value is not None:
        return namer(value, version)[lang]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (int, float)):
        return value
    return "" if value is None else str(value)

"""Words for findings, rendered where they are shown: a finding is stored as code and args only.

The message templates are the rule catalogue's (rules/catalogue.toml); args are resolved to names in
the language asked. This module sits below the report and the rules, so any output can use it.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Protocol



class _FindingLike(Protocol):
    code: str
    args: dict[str, Any]


@cache
def catalogue_data() -> dict[str, dict[str, Any]]:
    """The rule catalogue as data (codes, severities, texts, message templates)."""
    text = resources.files("zfxxgk").joinpath("rules", "catalogue.toml").read_text("utf-8")
    return tomllib.loads(text)


def finding_message(f: _FindingLike, lang: str = "zh", version: str | None = None) -> str:
    entry = catalogue_data()[f.code]
    template = entry["message"].get(lang) or entry["message"]["zh"]
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


"""Generate docs/rules.md from the rule catalogue: `python -m zfxxgk.docs [OUT]`.

The catalogue is the single source; a test fails when the committed page is out of date.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from .rules import Rule, catalogue

_SEVERITY = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}


def rules_markdown() -> str:
    lines = [
        "# 规则目录 Rule catalogue",
        "",
        "Generated from `src/zfxxgk/rules/catalogue.toml` by `python -m zfxxgk.docs`; do not edit by hand.",
        "`zfxxgk rules CODE` shows the same text in the terminal (`--lang en` for English).",
        "",
        "A finding's `args` are language-neutral data: numbers, ids (a column `total`, a row `t3.granted`, a table",
        "`t3`, a section number, a block `review`, a cell id), strings as printed in the report, and lists of these.",
        "Messages are rendered from them in the language asked (`zfxxgk.rules.render`); where a rule words",
        "several cases, the arg `kind` says which.",
        "",
        "| code | severity | formats | 名称 | title |",
        "|---|---|---|---|---|",
    ]
    rules = catalogue().values()
    for rule in rules:
        lines.append(f"| [`{rule.code}`](#{rule.code.lower()}) | {_SEVERITY[rule.severity]} | "
                     f"{', '.join(rule.versions)} | {rule.title['zh']} | {rule.title['en']} |")
    for rule in rules:
        lines += [
            "",
            f"## {rule.code}",
            "",
            f"**{rule.title['zh']}** — {rule.title['en']}. Severity: {_SEVERITY[rule.severity]}. "
            f"Formats: {', '.join(rule.versions)}."
            + (" 有此错误时 `zfxxgk render` 不生成报告 (an error stops `zfxxgk render`)." if rule.blocks_render else "")
            + (" 正文未全部识别时（扫描件）不运行 (skipped when some prose was not read)." if rule.needs_prose else ""),
            "",
            rule.explanation["zh"],
            "",
            f"示例：{rule.example['zh']}",
            "",
            rule.explanation["en"],
            "",
            f"Example: {rule.example['en']}",
            "",
            _args_line(rule),
        ]
    return "\n".join(lines) + "\n"


def _args_line(rule: Rule) -> str:
    """The args a finding of this rule carries (from its message templates), and its kinds."""
    args: dict[str, None] = {}
    for texts in rule.messages.values():
        for _, field, _, _ in string.Formatter().parse(texts["en"]):
            if field:
                args[field.split(".")[0]] = None
    shown = ", ".join(f"`{a}`" for a in args) or "none"
    kinds = [k for k in rule.messages if k]
    return f"Args: {shown}" + (f"; `kind`: {', '.join(f'`{k}`' for k in kinds)}." if kinds else ".")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules.md")
    out.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

"""Format knowledge lives in one place (src/zfxxgk/templates/), and findings are language-neutral data.

(a) No module outside templates/ spells a section title, a table name or a row label: they ask the
templates. (b) A finding's args are the same whatever language it is shown in, and are plain JSON data
(ids, numbers, printed strings); the words are chosen when the finding is rendered.
"""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest

from zfxxgk import check_file
from zfxxgk.report import Finding, Report
from zfxxgk.rules.registry import render
from zfxxgk.templates import FORMATS, section_number

from .conftest import fixture_files

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zfxxgk"
FILES = [*fixture_files("seeds/*.txt", 5), *fixture_files("real/*.pdf", 2)]

# Fragments of the format's words that are also ordinary words: a module may use them in its own
# phrases (prose regexes, UI text) without naming the table or row they label.
GENERIC = {
    "其他": "'other': row 3.其他 of （六）, and countless phrases (其他需要报告, 其他结果)",
    "总计": "'total': row （七）总计, and the word prose uses for any total (合计|总计 in content regexes)",
}
# The UI wording catalogue: whole sentences and captions for people (the counterpart of
# rules/catalogue.toml, which is not Python and not scanned). They may quote the format in running text
# (the form's instructions name the sheets 表二/表三/表四, a statistic is called 予以公开率); no code
# decides anything from them.
PROSE_MODULES = {"i18n.py"}


def _forbidden() -> dict[str, str]:
    """Every section title, table name and row label of both formats -> what it is."""
    words: dict[str, str] = {}
    for fmt in FORMATS.values():
        for s in fmt.sections:
            words[s.title] = f"section title {s.official}"
        for table in fmt.tables.values():
            words[table.short] = f"table name {table.name.zh}"
            for row in table.rows:
                if row.label:
                    words[row.bare] = f"row label {row.label} ({row.id}, {fmt.version})"
            for group in table.groups:
                words[group.label] = f"group label ({group.id})"
    return {w: what for w, what in words.items() if w not in GENERIC}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of docstring nodes: documentation may quote the format, code may not."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


def test_no_format_words_outside_templates() -> None:
    forbidden = _forbidden()
    assert "予以公开" in forbidden and "结转下年度继续办理" in forbidden and "行政许可" in forbidden
    assert "总体情况" in forbidden and "主动公开政府信息情况" in forbidden and "表三" in forbidden
    hits = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "templates" or str(rel) in PROSE_MODULES:
            continue
        for line, text in _strings(path):
            hits += [f"{rel}:{line}: {word!r} ({what}) in {text[:60]!r}" for word, what in forbidden.items()
                     if word in text]
    assert not hits, "\n".join(hits)


def test_section_title_variants_are_recognised() -> None:
    """The renamed titles the templates declare (format.md §1.2) are found as their sections."""
    for fmt in FORMATS.values():
        for s in fmt.sections:
            assert section_number(s.official) == s.number
            for variant in s.variants:
                assert section_number(variant) == s.number, variant


# ------------------------------------------------------------------ (b) findings as data
@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    assert len(FILES) == 7
    return {p.name: check_file(p) for p in FILES}


def _decimal(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON data: {value!r}")


def _no_words(value: object, where: str) -> None:
    """No pre-rendered words: a dict in args is a record of data, never {zh: …, en: …}."""
    if isinstance(value, dict):
        assert not {"zh", "en"} & set(value), where
        for v in value.values():
            _no_words(v, where)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _no_words(v, where)
    else:
        assert value is None or isinstance(value, (str, int, float, Decimal)), where


def _data(f: dict[str, object]) -> tuple[object, ...]:
    return f["code"], f["severity"], f["cells"], json.dumps(f["args"], sort_keys=True, default=_decimal)


@pytest.mark.parametrize("name", [p.name for p in FILES])
def test_findings_are_the_same_data_in_both_languages(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    assert report.error is None
    assert report.findings, name  # every fixture has something to say
    zh, en = report.to_dict("zh"), report.to_dict("en")
    assert [_data(f) for f in zh["findings"]] == [_data(f) for f in en["findings"]]
    for f_zh, f_en in zip(zh["findings"], en["findings"], strict=True):
        assert f_zh["message"] and f_en["message"], f_zh["code"]
    for f in report.findings:
        json.dumps(f.args, default=_decimal)  # JSON data: numbers (Decimal too), strings, lists, records
        _no_words(f.args, f"{name} {f.code} {f.args}")
        for lang in ("zh", "en"):
            message = render(f, lang, report.version)
            assert "{" not in message and "None" not in message, (f.code, message)


def test_render_resolves_ids_in_the_language_asked() -> None:
    f = Finding("APP-OUTCOME-SUM", "error", ["t3.granted.total"], {
        "column": "total", "parts": [{"row": "t3.granted", "value": 2}, {"row": "t3.unable.not_held", "value": 1}],
        "sum": 3, "total": 0})
    assert render(f, "zh") == "“总计”列：各办理结果之和 （一）予以公开 2 + 1.本机关不掌握相关政府信息 1 = 3，但（七）总计为 0"
    assert render(f, "en") == "column 'total': the outcomes granted 2 + unable: not held 1 = 3, but (七) total is 0"
    rows = Finding("ACT-PUBLISHED-TOTAL", "warning", [], {"row": "t2.normative_docs", "total": 2, "published": 3})
    assert render(rows, "zh", "2019").startswith("“规范性文件”")
    assert render(rows, "zh", "2021").startswith("“行政规范性文件”")
    sections = Finding("FMT-SECTIONS", "error", [], {"kind": "order", "order": [1, 2, 6, 5]})
    assert (render(sections, "zh"), render(sections, "en")) == ("顺序不对：一 → 二 → 六 → 五", "out of order: 1 → 2 → 6 → 5")
    outdated = Finding("FMT-VERSION", "error", [], {"kind": "outdated", "year": 2022, "expected": "2021",
                                                    "version": "2019"})
    assert render(outdated, "en") == ("a report for 2022 should use the 2021 format (国办公开办函〔2021〕30号), "
                                      "but its tables use the 2019 format")

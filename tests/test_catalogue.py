"""The rule catalogue is complete, consistent with the code, and documented."""

from __future__ import annotations

import string

from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.docs import rules_markdown
from zfxxgk.rules import catalogue
from zfxxgk.rules.registry import _CHECKS

from .conftest import ROOT, SHARED

runner = CliRunner()


def test_every_rule_has_a_check_and_every_check_a_rule() -> None:
    assert set(catalogue()) == set(_CHECKS)


def test_catalogue_covers_the_single_report_rules_of_the_spec() -> None:
    """Every code of spec/rules.md is in the catalogue, the cross-report YOY-* rules too."""
    spec = (SHARED / "spec" / "rules.md").read_text(encoding="utf-8")
    codes = {line.split("`")[1] for line in spec.splitlines() if line.startswith("| `")}
    assert {c for c in codes if not c.startswith("YOY-")} <= set(catalogue())
    assert {c for c in codes if c.startswith("YOY-")} <= set(catalogue())  # the cross-year rules (rules/yoy.py)


def test_entries_are_complete() -> None:
    for code, rule in catalogue().items():
        assert rule.severity in ("error", "warning", "info"), code
        assert set(rule.versions) <= {"2019", "2021"} and rule.versions, code
        for text in (rule.title, rule.explanation, rule.example, *rule.messages.values()):
            assert text["zh"].strip() and text["en"].strip(), code
        for kind, message in rule.messages.items():
            # Both languages use the same args (`{expected.document}` uses the arg `expected`).
            fields_zh = {f.split(".")[0] for _, f, _, _ in string.Formatter().parse(message["zh"]) if f}
            fields_en = {f.split(".")[0] for _, f, _, _ in string.Formatter().parse(message["en"]) if f}
            assert fields_zh == fields_en, (code, kind)
        for arg, spec in rule.lists.items():  # a list's item template, where declared, is in both languages
            assert ("zh" in spec) == ("en" in spec), (code, arg)
        for arg, words in rule.terms.items():
            assert all(w["zh"].strip() and w["en"].strip() for w in words.values()), (code, arg)


def test_docs_page_is_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_rules_command_lists_and_explains() -> None:
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    assert "APP-BALANCE" in listing.output and "申请数量勾稽关系" in listing.output
    one = runner.invoke(app, ["rules", "lit-sum", "--lang", "en"])
    assert one.exit_code == 0
    assert "Review and litigation totals" in one.output and "upheld + corrected + other + pending" in one.output
    unknown = runner.invoke(app, ["rules", "NOPE-1"])
    assert unknown.exit_code == 2
    assert "没有这条规则：NOPE-1" in unknown.output


def test_render_blocking_is_a_catalogue_field() -> None:
    """Errors about the data stop `render`; errors about the source document's layout (FMT-*, META-*, TXT-*) do not."""
    blocking = {code for code, rule in catalogue().items() if rule.blocks_render}
    assert blocking == {code for code in catalogue() if code.split("-")[0] in ("APP", "LIT", "ACT", "VAL")}
    assert not catalogue()["FMT-VERSION"].blocks_render

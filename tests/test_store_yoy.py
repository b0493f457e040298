"""Cross-year rules (YOY-*): each fires on a one-cell change and stays quiet on a consistent pair,
through `check --previous` (no database), through `ingest` and through `check --db`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.pipeline import check_file, parse_bytes, parse_file
from zfxxgk.report import Report
from zfxxgk.rules import run_checks

from .conftest import FIXTURES
from .store_data import BODY, pair, report_text
from .synth import T3_APPLICANTS, with_totals

runner = CliRunner()
YOY = ("YOY-CARRY", "YOY-STOCK", "YOY-ITEMS", "YOY-TEXT-REPEAT", "YOY-TABLE-COPY", "YOY-VERSION")


def report(cells: dict[str, Any], version: str, year: int, fresh: bool = True, body: str = BODY) -> Report:
    return parse_bytes(report_text(cells, version, year, body=body, fresh_prose=fresh).encode(), f"{year}.txt")


def yoy(this: Report, last: Report | None) -> list[tuple[str, str, dict[str, Any]]]:
    found = run_checks(this, None, only=YOY, previous=last)
    return [(f.code, f.severity, {k: v for k, v in f.args.items() if not k.startswith("previous")}) for f in found]


def test_yoy_rules_find_nothing_without_a_previous_report() -> None:
    _, second = pair("2021")
    assert yoy(report(second, "2021", 2024), None) == []


def test_consistent_2021_pair_is_quiet() -> None:
    first, second = pair("2021")
    assert yoy(report(second, "2021", 2024), report(first, "2021", 2023, fresh=False)) == []


def test_carry_fires_on_one_changed_cell_and_names_both_sides() -> None:
    first, second = pair("2021")
    last = int(first["t3.carried_forward.natural_person"])
    changed = dict(second, **{"t3.carried_over.natural_person": last + 1})
    this = report(changed, "2021", 2024)
    before = report(first, "2021", 2023, fresh=False)
    found = [f for f in run_checks(this, None, only=YOY, previous=before)]
    assert [(f.code, f.cells, f.args["column"], f.args["this"], f.args["last"]) for f in found] == [
        ("YOY-CARRY", ["t3.carried_over.natural_person"], "natural_person", last + 1, last)]
    (f,) = found
    assert f.args["previous"] == {"source": "2023.txt", "sha256": before.sha256, "year": 2023}
    assert f.args["previous_cells"] == ["t3.carried_forward.natural_person"]
    assert set(f.args["previous_locations"]) == {"t3.carried_forward.natural_person"}
    assert f.message("zh") == f"“自然人”列：本年上年结转 {last + 1}，但 2023 年报告结转下年度继续办理 {last}"
    assert f.message("en") == f"column 'natural persons': {last + 1} carried over this year, but the 2023 report carried forward {last}"


def test_stock_fires_on_one_changed_cell_and_is_a_note_when_the_text_explains() -> None:
    first, second = pair("2021")
    row = "t2.normative_docs"
    expected = int(first[f"{row}.in_force"]) + int(second[f"{row}.issued"]) - int(second[f"{row}.repealed"])
    changed = dict(second, **{f"{row}.in_force": expected + 3})
    before = report(first, "2021", 2023, fresh=False)
    assert yoy(report(changed, "2021", 2024), before) == [
        ("YOY-STOCK", "warning", {"row": row, "last": int(first[f"{row}.in_force"]), "issued": int(second[f"{row}.issued"]),
                                  "repealed": int(second[f"{row}.repealed"]), "expected": expected, "this": expected + 3,
                                  "last_year": 2023})]
    explained = parse_bytes(report_text(changed, "2021", 2024, fresh_prose=True).replace(
        "明年将聚焦群众关切", "本年对行政规范性文件进行了全面清理，明年将聚焦群众关切").encode(), "2024.txt")
    assert [(c, s) for c, s, _ in yoy(explained, before)] == [("YOY-STOCK", "info")]


def test_stock_needs_the_2021_format_on_both_sides() -> None:
    first19, _ = pair("2019")
    _, second = pair("2021")
    changed = dict(second, **{"t2.normative_docs.in_force": 999})
    # 2020 (2019 format) → 2021: no stock to carry over (the two reports are unrelated otherwise).
    found = yoy(report(changed, "2021", 2021), report(first19, "2019", 2020, fresh=False))
    assert found and "YOY-STOCK" not in [c for c, _, _ in found]


def test_items_2019_pair() -> None:
    first, second = pair("2019")
    this = report(second, "2019", 2020)
    before = report(first, "2019", 2019, fresh=False)
    assert yoy(this, before) == []
    row = "t2.licensing"
    expected = int(first[f"{row}.prev_items"]) + int(first[f"{row}.change"])
    changed = report(dict(second, **{f"{row}.prev_items": expected + 4}), "2019", 2020)
    assert yoy(changed, before) == [("YOY-ITEMS", "info", {"row": row, "this": expected + 4,
                                                           "last_items": int(first[f"{row}.prev_items"]),
                                                           "last_change": int(first[f"{row}.change"]),
                                                           "expected": expected, "last_year": 2019})]


def test_text_repeat_states_the_share() -> None:
    first, second = pair("2021")
    copied = report(second, "2021", 2024, fresh=False)  # the same prose as last year
    found = yoy(copied, report(first, "2021", 2023, fresh=False))
    assert [(c, s) for c, s, _ in found] == [("YOY-TEXT-REPEAT", "warning")]
    args = found[0][2]
    assert (args["share"], args["threshold"], args["repeated"] == args["total"]) == (100, 50, True)
    assert yoy(report(second, "2021", 2024, fresh=True), report(first, "2021", 2023, fresh=False)) == []


def test_table_copy_fires_when_tables_three_and_four_are_last_years() -> None:
    first, second = pair("2021")
    copy = dict(second, **{k: v for k, v in first.items() if k.startswith(("t3.", "t4."))})
    found = yoy(report(copy, "2021", 2024), report(first, "2021", 2023, fresh=False))
    codes = [c for c, _, _ in found]
    assert "YOY-TABLE-COPY" in codes
    (args,) = [a for c, _, a in found if c == "YOY-TABLE-COPY"]
    applications = int(first["t3.new_received.total"]) + int(first["t3.carried_over.total"])
    assert args == {"applications": applications, "compared": 190, "last_year": 2023}


def test_table_copy_is_quiet_without_applications() -> None:
    zero = with_totals({}, "2021")
    assert yoy(report(zero, "2021", 2024), report(zero, "2021", 2023, fresh=False)) == []


def test_version_going_backwards_or_too_early() -> None:
    first, second = pair("2021")
    first19, second19 = pair("2019")
    back = yoy(report(second19, "2019", 2022), report(first, "2021", 2021, fresh=False))
    assert [(c, s, a["kind"], a["format"], a["last_format"]) for c, s, a in back if c == "YOY-VERSION"] == [
        ("YOY-VERSION", "error", "backwards", "2019", "2021")]
    early = report(second, "2021", 2020)
    found = run_checks(early, None, only=["YOY-VERSION"], previous=report(first19, "2019", 2019, fresh=False))
    assert [(f.code, f.args["kind"]) for f in found] == [("YOY-VERSION", "early")]
    assert found[0].message("zh") == "2020 年报告用 2021 年格式（2019 年报告为 2019 年格式）：2020 年及以前的报告应使用 2019 年格式"


def test_a_previous_report_of_another_year_is_not_compared() -> None:
    first, second = pair("2021")
    changed = dict(second, **{"t3.carried_over.natural_person": 999})
    assert yoy(report(changed, "2021", 2024), report(first, "2021", 2021, fresh=False)) == []


# ------------------------------------------------------------------ the 洪泽 pair: the real 2023 report, a 2024 one after it
def hongze_pair(tmp_path: Path, change: dict[str, int] | None = None) -> tuple[Path, Path]:
    """2023: the real PDF. 2024: a report in its layout (2021 format) carrying its numbers over."""
    last = parse_file(FIXTURES / "real" / "hongze-district-2023.pdf")
    assert last.error is None and last.year == 2023
    _, cells = pair("2021", seed=11)
    for col in T3_APPLICANTS:
        over = int(last.number(f"t3.carried_forward.{col}") or 0)
        handled = sum(int(cells[k]) for k in cells if k.endswith(f".{col}") and k.startswith("t3.")
                      and k.split(".")[1] not in ("new_received", "carried_over", "carried_forward", "total"))
        cells[f"t3.carried_over.{col}"] = over
        cells[f"t3.carried_forward.{col}"] = max(int(cells[f"t3.carried_forward.{col}"]), over - handled)
        cells[f"t3.new_received.{col}"] = handled + int(cells[f"t3.carried_forward.{col}"]) - over
    for row in ("t2.regulations", "t2.normative_docs"):
        in_force = int(last.number(f"{row}.in_force") or 0)
        cells[f"{row}.issued"], cells[f"{row}.repealed"] = 4, 1
        cells[f"{row}.in_force"] = in_force + 3
    cells = with_totals(cells, "2021")
    cells.update(change or {})
    path = tmp_path / "hongze-2024.txt"
    path.write_text(report_text(cells, "2021", 2024, body="淮安市洪泽区人民政府", fresh_prose=True), "utf-8")
    return FIXTURES / "real" / "hongze-district-2023.pdf", path


def test_hongze_pair_is_quiet_through_check_previous(tmp_path: Path) -> None:
    last, this = hongze_pair(tmp_path)
    result = runner.invoke(app, ["check", str(this), "--previous", str(last), "--json"])
    found = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert [c for c in found if c.startswith("YOY-")] == []


def test_hongze_pair_fires_carry_and_stock_on_one_cell_each(tmp_path: Path) -> None:
    prev = parse_file(FIXTURES / "real" / "hongze-district-2023.pdf")
    forward = int(prev.number("t3.carried_forward.total") or 0)
    in_force = int(prev.number("t2.normative_docs.in_force") or 0)
    last, this = hongze_pair(tmp_path, {"t3.carried_over.total": forward + 2,
                                        "t2.normative_docs.in_force": in_force + 3 + 1})
    result = runner.invoke(app, ["check", str(this), "--previous", str(last), "--json"])
    assert result.exit_code in (0, 1)
    yoys = [(f["code"], f["cells"], f["message"]) for f in json.loads(result.stdout)["findings"] if f["code"].startswith("YOY-")]
    assert yoys == [
        ("YOY-CARRY", ["t3.carried_over.total"], f"“总计”列：本年上年结转 {forward + 2}，但 2023 年报告结转下年度继续办理 {forward}"),
        ("YOY-STOCK", ["t2.normative_docs.in_force", "t2.normative_docs.issued", "t2.normative_docs.repealed"],
         f"“行政规范性文件”：2023 年现行有效 {in_force} + 本年制发 4 − 本年废止 1 = {in_force + 3}，但本年现行有效 {in_force + 4}"),
    ]


def test_previous_file_that_cannot_be_read_is_exit_2(tmp_path: Path) -> None:
    _, this = hongze_pair(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["check", str(this), "--previous", str(empty)])
    assert result.exit_code == 2 and "无法读取上年报告" in result.output


# ------------------------------------------------------------------ through the store
@pytest.mark.slow  # about 0.7 s with SQLite
def test_ingest_checks_against_the_stored_previous_year_and_rechecks_the_next(db_url: str, tmp_path: Path) -> None:
    first, second = pair("2021")
    a, b = tmp_path / "a2023.txt", tmp_path / "b2024.txt"
    a.write_text(report_text(first, "2021", 2023), "utf-8")
    b.write_text(report_text(dict(second, **{"t3.carried_over.total": int(second["t3.carried_over.total"]) + 1}),
                             "2021", 2024, fresh_prose=True), "utf-8")
    # The later year first: it has nothing to compare with until 2023 arrives, then it is checked again.
    runner.invoke(app, ["ingest", str(b), "--db", db_url])
    shown = json.loads(runner.invoke(app, ["show", BODY, "2024", "--db", db_url, "--json"]).stdout)
    assert [f["code"] for f in shown["findings"] if f["code"].startswith("YOY-")] == []
    runner.invoke(app, ["ingest", str(a), "--db", db_url])
    shown = json.loads(runner.invoke(app, ["show", BODY, "2024", "--db", db_url, "--json"]).stdout)
    assert [f["code"] for f in shown["findings"] if f["code"].startswith("YOY-")] == ["YOY-CARRY"]
    checked = runner.invoke(app, ["check", "--db", db_url, "--json"])
    by_year = {json.loads(x)["year"]: json.loads(x) for x in checked.stdout.splitlines()}
    assert [f["code"] for f in by_year[2024]["findings"] if f["code"].startswith("YOY-")] == ["YOY-CARRY"]
    assert [f["code"] for f in by_year[2023]["findings"] if f["code"].startswith("YOY-")] == []
    # A file checked against the store's 2023 report, without storing it.
    alone = runner.invoke(app, ["check", str(b), "--db", db_url, "--json"])
    assert [f["code"] for f in json.loads(alone.stdout)["findings"] if f["code"].startswith("YOY-")] == ["YOY-CARRY"]


@pytest.mark.parametrize("code", YOY)
def test_every_yoy_rule_is_in_the_catalogue_with_words(code: str) -> None:
    result = runner.invoke(app, ["rules", code, "--lang", "en"])
    assert result.exit_code == 0 and code in result.output


def test_single_file_check_is_unchanged_by_the_yoy_rules() -> None:
    assert not [f for f in check_file(FIXTURES / "seeds" / "000_aaece2b81b13b19d.txt").findings if f.code.startswith("YOY")]

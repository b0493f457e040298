"""The arithmetic rules (APP-*, LIT-*, ACT-*) on synthetic reports.

A clean report of each format version gets no finding at all; changing one cell (or the fewest
cells that isolate one relation) makes exactly the expected findings appear, on exactly the right
cells, with the disagreeing numbers in the message. Hypothesis then draws consistent tables and
checks that nothing fires, and that any single change to a 表三 value is caught.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zfxxgk import Finding, Report, parse_bytes, run_checks
from zfxxgk.templates.formats import T3_COLUMNS
from zfxxgk.values import Kind

from .synth import (
    PROVINCE,
    T3_ORGS,
    T4_BLOCKS,
    T4_PARTS,
    Value,
    cell_ids,
    consistent_cells,
    render_report,
    t3_outcome_rows,
    t3_rows,
    with_totals,
    zero_cells,
)

VERSIONS = ("2019", "2021")
T3_COLS = [c.id for c in T3_COLUMNS]
Summary = set[tuple[str, str, tuple[str, ...]]]


# ------------------------------------------------------------------ helpers
def parse(cells: Mapping[str, Value], version: str, **kw: Any) -> Report:
    report = parse_bytes(render_report(cells, version, **kw).encode())
    assert report.error is None
    assert report.version == version
    return report


def check(cells: Mapping[str, Value], version: str, **kw: Any) -> list[Finding]:
    return run_checks(parse(cells, version, **kw))


def summary(findings: list[Finding]) -> Summary:
    return {(f.code, f.severity, tuple(f.cells)) for f in findings}


def message(findings: list[Finding], code: str, cells: tuple[str, ...] | None = None, lang: str = "zh",
            version: str | None = None) -> str:
    (found,) = [f for f in findings if f.code == code and (cells is None or tuple(f.cells) == cells)]
    return found.message(lang, version)


def row(row_id: str) -> tuple[str, ...]:
    """APP-ROW-SUM cells: the six applicant columns, then the total."""
    return tuple(f"{row_id}.{c}" for c in T3_COLS)


def balance(col: str) -> tuple[str, ...]:
    return tuple(f"t3.{r}.{col}" for r in ("new_received", "carried_over", "total", "carried_forward"))


def outcomes(version: str, col: str) -> tuple[str, ...]:
    return (*(f"{r}.{col}" for r in t3_outcome_rows(version)), f"t3.total.{col}")


def lit(block: str) -> tuple[str, ...]:
    return tuple(f"t4.{block}.{c}" for c in (*T4_PARTS, "total"))


def base(version: str) -> dict[str, Value]:
    """A clean report with a few non-zero numbers in every table.

    表三 自然人: new 3 + over 1 = (granted 2 + not held 1) + forward 1; 商业企业: new 1 = granted 1.
    """
    cells: dict[str, Value] = {
        "t3.new_received.natural_person": 3, "t3.new_received.commercial": 1,
        "t3.carried_over.natural_person": 1,
        "t3.granted.natural_person": 2, "t3.granted.commercial": 1,
        "t3.unable.not_held.natural_person": 1,
        "t3.carried_forward.natural_person": 1,
        "t4.review.upheld": 1, "t4.review.corrected": 1,
        "t4.litigation_direct.pending": 1,
        "t4.litigation_after_review.other": 1,
    }
    if version == "2019":
        cells |= {
            "t2.normative_docs.new_made": 2, "t2.normative_docs.new_published": 3,
            "t2.normative_docs.total_published": 10,
            "t2.licensing.prev_items": 5, "t2.licensing.change": -1, "t2.licensing.decisions": 4,
            "t2.other_services.prev_items": 2, "t2.other_services.change": 1,
            "t2.punishment.prev_items": 1, "t2.punishment.decisions": 7,
            "t2.fees.prev_items": 3, "t2.fees.change": -3,
            "t2.procurement.projects": 2, "t2.procurement.amount": Decimal("25.3"),
        }
    else:
        cells |= {
            "t2.normative_docs.issued": 2, "t2.normative_docs.repealed": 1, "t2.normative_docs.in_force": 10,
            "t2.licensing.decisions": 4, "t2.punishment.decisions": 7,
            "t2.fees.amount": Decimal("1.25"),
        }
    return with_totals(cells, version)


def changed(version: str, **changes: Value) -> dict[str, Value]:
    """base(version) with some cells changed; keyword names use "__" for "." (t3__granted__total)."""
    cells = base(version)
    for name, value in changes.items():
        cid = name.replace("__", ".")
        assert cid in cells, cid
        cells[cid] = value
    return cells


def assert_values(report: Report, cells: Mapping[str, Value]) -> None:
    for cid, written in cells.items():
        cell = report.cells[cid]
        assert cell.kind == Kind.NUMBER, (cid, cell)
        assert cell.value == written, (cid, cell.value, written)


# ------------------------------------------------------------------ clean reports
@pytest.mark.parametrize("version", VERSIONS)
def test_clean_report_has_no_findings_and_reads_back_every_cell(version: str) -> None:
    cells = base(version)
    report = parse(cells, version)
    assert run_checks(report) == []
    assert set(report.cells) == set(cell_ids(version)) == set(cells)
    assert_values(report, cells)
    assert report.body == "某某乡人民政府"
    assert report.year == (2020 if version == "2019" else 2021)


@pytest.mark.parametrize("version", VERSIONS)
def test_all_zero_report_has_no_findings(version: str) -> None:
    cells = zero_cells(version)
    report = parse(cells, version)
    assert run_checks(report) == []
    assert_values(report, cells)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("seed", range(5))
def test_seeded_consistent_report_has_no_findings(version: str, seed: int) -> None:
    cells = consistent_cells(version, random.Random(seed))
    report = parse(cells, version)
    assert run_checks(report) == []
    assert_values(report, cells)


# ------------------------------------------------------------------ APP-BALANCE
@pytest.mark.parametrize("version", VERSIONS)
def test_balance_one_cell_breaks_balance_and_its_row(version: str) -> None:
    findings = check(changed(version, t3__carried_forward__natural_person=2), version)
    assert summary(findings) == {
        ("APP-BALANCE", "error", balance("natural_person")),
        ("APP-ROW-SUM", "error", row("t3.carried_forward")),
    }
    assert message(findings, "APP-BALANCE") == "“自然人”列：本年新收 3 + 上年结转 1 = 4，但（七）总计 3 + 结转下年度 2 = 5"
    assert message(findings, "APP-ROW-SUM") == \
        "“四、结转下年度继续办理”行：各类申请人之和 2 + 0 + 0 + 0 + 0 + 0 = 2，但总计为 1"


@pytest.mark.parametrize("version", VERSIONS)
def test_balance_isolated_by_moving_an_application_between_columns(version: str) -> None:
    # The row still adds up to 4; only the two columns' balances break.
    findings = check(changed(version, t3__new_received__natural_person=2, t3__new_received__commercial=2), version)
    assert summary(findings) == {
        ("APP-BALANCE", "error", balance("natural_person")),
        ("APP-BALANCE", "error", balance("commercial")),
    }
    assert message(findings, "APP-BALANCE", balance("natural_person")) == \
        "“自然人”列：本年新收 2 + 上年结转 1 = 3，但（七）总计 3 + 结转下年度 1 = 4"
    assert message(findings, "APP-BALANCE", balance("commercial")) == \
        "“商业企业”列：本年新收 2 + 上年结转 0 = 2，但（七）总计 1 + 结转下年度 0 = 1"


def test_balance_message_in_english() -> None:
    findings = check(changed("2021", t3__carried_forward__natural_person=2), "2021")
    assert message(findings, "APP-BALANCE", lang="en") == \
        "column 'natural persons': 3 new + 1 carried over = 4, but 3 handled + 2 carried forward = 5"


# ------------------------------------------------------------------ APP-ROW-SUM
@pytest.mark.parametrize("version", VERSIONS)
def test_row_sum_one_cell_breaks_row_and_total_column(version: str) -> None:
    findings = check(changed(version, t3__granted__total=4), version)
    assert summary(findings) == {
        ("APP-ROW-SUM", "error", row("t3.granted")),
        ("APP-OUTCOME-SUM", "error", outcomes(version, "total")),
    }
    assert message(findings, "APP-ROW-SUM") == "“（一）予以公开”行：各类申请人之和 2 + 1 + 0 + 0 + 0 + 0 = 3，但总计为 4"
    assert message(findings, "APP-OUTCOME-SUM") == \
        "“总计”列：各办理结果之和 （一）予以公开 4 + 1.本机关不掌握相关政府信息 1 = 5，但（七）总计为 4"


@pytest.mark.parametrize("version", VERSIONS)
def test_row_sum_isolated_by_moving_an_application_between_rows(version: str) -> None:
    # The 自然人 column still adds up to （七）总计; only the two rows break.
    findings = check(changed(version, t3__granted__natural_person=3, t3__unable__not_held__natural_person=0), version)
    assert summary(findings) == {
        ("APP-ROW-SUM", "error", row("t3.granted")),
        ("APP-ROW-SUM", "error", row("t3.unable.not_held")),
    }
    assert message(findings, "APP-ROW-SUM", row("t3.granted")) == \
        "“（一）予以公开”行：各类申请人之和 3 + 1 + 0 + 0 + 0 + 0 = 4，但总计为 3"
    assert message(findings, "APP-ROW-SUM", row("t3.unable.not_held")) == \
        "“1.本机关不掌握相关政府信息”行：各类申请人之和 0 + 0 + 0 + 0 + 0 + 0 = 0，但总计为 1"


# ------------------------------------------------------------------ APP-OUTCOME-SUM
@pytest.mark.parametrize("version", VERSIONS)
def test_outcome_sum_one_cell_breaks_column_and_row(version: str) -> None:
    findings = check(changed(version, t3__granted__natural_person=5), version)
    assert summary(findings) == {
        ("APP-OUTCOME-SUM", "error", outcomes(version, "natural_person")),
        ("APP-ROW-SUM", "error", row("t3.granted")),
    }
    assert message(findings, "APP-OUTCOME-SUM") == \
        "“自然人”列：各办理结果之和 （一）予以公开 5 + 1.本机关不掌握相关政府信息 1 = 6，但（七）总计为 3"
    assert message(findings, "APP-ROW-SUM") == "“（一）予以公开”行：各类申请人之和 5 + 1 + 0 + 0 + 0 + 0 = 6，但总计为 3"


@pytest.mark.parametrize("version", VERSIONS)
def test_outcome_sum_isolated_by_moving_an_application_between_columns(version: str) -> None:
    findings = check(changed(version, t3__granted__natural_person=1, t3__granted__commercial=2), version)
    assert summary(findings) == {
        ("APP-OUTCOME-SUM", "error", outcomes(version, "natural_person")),
        ("APP-OUTCOME-SUM", "error", outcomes(version, "commercial")),
    }
    assert message(findings, "APP-OUTCOME-SUM", outcomes(version, "natural_person")) == \
        "“自然人”列：各办理结果之和 （一）予以公开 1 + 1.本机关不掌握相关政府信息 1 = 2，但（七）总计为 3"
    assert message(findings, "APP-OUTCOME-SUM", outcomes(version, "commercial")) == \
        "“商业企业”列：各办理结果之和 （一）予以公开 2 = 2，但（七）总计为 1"


@pytest.mark.parametrize(("version", "other_row", "label"), [
    ("2019", "t3.other", "（六）其他处理"),
    ("2021", "t3.other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
])
def test_outcome_sum_counts_the_other_rows_of_each_version(version: str, other_row: str, label: str) -> None:
    # One more application in （六） while （七）总计 stays: the row adds up, both columns do not.
    cells = base(version)
    cells[f"{other_row}.natural_person"] = 1
    cells[f"{other_row}.total"] = 1
    findings = check(cells, version)
    assert summary(findings) == {
        ("APP-OUTCOME-SUM", "error", outcomes(version, "natural_person")),
        ("APP-OUTCOME-SUM", "error", outcomes(version, "total")),
    }
    assert message(findings, "APP-OUTCOME-SUM", outcomes(version, "natural_person")) == \
        f"“自然人”列：各办理结果之和 （一）予以公开 2 + 1.本机关不掌握相关政府信息 1 + {label} 1 = 4，但（七）总计为 3"


# ------------------------------------------------------------------ APP-SUBTOTAL-COLUMN
@pytest.mark.parametrize("version", VERSIONS)
def test_subtotal_column_that_adds_up_is_quiet_and_does_not_shift_values(version: str) -> None:
    cells = base(version)
    report = parse(cells, version, subtotal_column=True)
    assert run_checks(report) == []
    assert_values(report, cells)
    subs = {s["row"]: s["value"] for s in report.tables["t3"].subtotal_columns}
    assert subs == {r.id: (1 if r.id in ("t3.new_received", "t3.granted", "t3.total") else 0)
                    for r in t3_rows(version)}


@pytest.mark.parametrize("version", VERSIONS)
def test_subtotal_column_that_disagrees(version: str) -> None:
    cells = base(version)
    report = parse(cells, version, subtotal_column={"t3.new_received": 3})
    findings = run_checks(report)
    assert summary(findings) == {
        ("APP-SUBTOTAL-COLUMN", "error", tuple(f"t3.new_received.{c}" for c in T3_ORGS)),
    }
    assert message(findings, "APP-SUBTOTAL-COLUMN") == \
        "“一、本年新收政府信息公开申请数量”行：法人或其他组织小计 3，但五类组织之和 1 + 0 + 0 + 0 + 0 = 1"
    assert_values(report, cells)


# ------------------------------------------------------------------ APP-SUBTOTAL-ROW
_GROUPS = [("2019", "（三）不予公开"), ("2019", "（四）无法提供"), ("2019", "（五）不予处理"),
           ("2021", "（四）无法提供"), ("2021", "（六）其他处理")]


def _group_base(version: str, group: str) -> tuple[dict[str, Value], list[str], list[int]]:
    """base(version) with its 本机关不掌握 application moved to the group's second item."""
    cells = base(version)
    items = [r.id for r in t3_rows(version) if r.group == group]
    cells["t3.unable.not_held.natural_person"] = 0
    cells[f"{items[1]}.natural_person"] = 1
    cells = with_totals(cells, version)
    printed = [sum(int(cells[f"{i}.{c}"]) for i in items) for c in T3_COLS]
    return cells, items, printed


@pytest.mark.parametrize(("version", "group"), _GROUPS)
def test_subtotal_row_that_adds_up_is_quiet(version: str, group: str) -> None:
    cells, _, printed = _group_base(version, group)
    report = parse(cells, version, subtotal_rows={group: printed})
    assert run_checks(report) == []
    assert_values(report, cells)
    assert [s["group"] for s in report.tables["t3"].subtotal_rows] == [group]


@pytest.mark.parametrize(("version", "group"), _GROUPS)
def test_subtotal_row_that_disagrees_in_two_columns(version: str, group: str) -> None:
    cells, items, printed = _group_base(version, group)
    wrong = list(printed)
    wrong[0] += 1  # 自然人
    wrong[6] += 2  # 总计
    findings = check(cells, version, subtotal_rows={group: wrong})
    assert summary(findings) == {
        ("APP-SUBTOTAL-ROW", "error", tuple(f"{i}.natural_person" for i in items)),
        ("APP-SUBTOTAL-ROW", "error", tuple(f"{i}.total" for i in items)),
    }
    zeros = " + 0" * (len(items) - 2)
    assert message(findings, "APP-SUBTOTAL-ROW", tuple(f"{i}.natural_person" for i in items)) == \
        f"“{group}”小计“自然人”列为 2，但各项之和 0 + 1{zeros} = 1"
    assert message(findings, "APP-SUBTOTAL-ROW", tuple(f"{i}.total" for i in items)) == \
        f"“{group}”小计“总计”列为 3，但各项之和 0 + 1{zeros} = 1"


# ------------------------------------------------------------------ LIT-SUM, LIT-WITHOUT-APPLICATIONS
@pytest.mark.parametrize(("block", "text"), [
    ("review", "行政复议：结果维持 1 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 2，但总计为 3"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）：结果维持 0 + 结果纠正 0 + 其他结果 0 + 尚未审结 1 = 1，但总计为 2"),
    ("litigation_after_review", "行政诉讼（复议后起诉）：结果维持 0 + 结果纠正 0 + 其他结果 1 + 尚未审结 0 = 1，但总计为 2"),
])
@pytest.mark.parametrize("version", VERSIONS)
def test_litigation_sum_each_block(version: str, block: str, text: str) -> None:
    cells = base(version)
    cells[f"t4.{block}.total"] = int(cells[f"t4.{block}.total"]) + 1
    findings = check(cells, version)
    assert summary(findings) == {("LIT-SUM", "error", lit(block))}
    assert message(findings, "LIT-SUM") == text


@pytest.mark.parametrize("part", T4_PARTS)
def test_litigation_sum_any_part(part: str) -> None:
    cells = base("2021")
    cells[f"t4.litigation_direct.{part}"] = int(cells[f"t4.litigation_direct.{part}"]) + 4
    assert summary(check(cells, "2021")) == {("LIT-SUM", "error", lit("litigation_direct"))}


def test_litigation_sum_message_in_english() -> None:
    cells = changed("2019", t4__review__total=3)
    findings = check(cells, "2019")
    assert summary(findings) == {("LIT-SUM", "error", lit("review"))}
    assert message(findings, "LIT-SUM", lang="en") == \
        "administrative review: 1 upheld + 1 corrected + 0 other + 0 pending = 2, but the total is 3"


@pytest.mark.parametrize("version", VERSIONS)
def test_cases_without_applications(version: str) -> None:
    cells = zero_cells(version)
    cells |= {"t4.review.upheld": 1, "t4.review.total": 1, "t4.litigation_after_review.pending": 2,
              "t4.litigation_after_review.total": 2}
    findings = check(cells, version)
    totals = tuple(f"t4.{b}.total" for b in T4_BLOCKS)
    assert summary(findings) == {
        ("LIT-WITHOUT-APPLICATIONS", "info", ("t3.new_received.total", "t3.carried_over.total", *totals)),
    }
    assert message(findings, "LIT-WITHOUT-APPLICATIONS") == "表三本年新收和上年结转均为 0，但表四有 3 件复议或诉讼"


def test_cases_with_only_carried_over_applications_are_quiet() -> None:
    cells = zero_cells("2021")
    cells |= {"t4.review.upheld": 1, "t4.review.total": 1,
              "t3.carried_over.natural_person": 1, "t3.carried_over.total": 1,
              "t3.granted.natural_person": 1, "t3.granted.total": 1,
              "t3.total.natural_person": 1, "t3.total.total": 1}
    assert check(cells, "2021") == []


# ------------------------------------------------------------------ ACT-*
def test_stock_below_net_issues() -> None:
    cells = changed("2021", t2__normative_docs__issued=5, t2__normative_docs__repealed=0, t2__normative_docs__in_force=3)
    findings = check(cells, "2021")
    assert summary(findings) == {("ACT-STOCK", "warning", ("t2.normative_docs.issued", "t2.normative_docs.repealed",
                                                           "t2.normative_docs.in_force"))}
    # The row as the 2021 table prints it (the 2019 table says 规范性文件).
    assert message(findings, "ACT-STOCK") == "“行政规范性文件”：现行有效 3 小于本年制发 5 − 本年废止 0 = 5"


def test_stock_equal_to_net_issues_is_quiet() -> None:
    cells = changed("2021", t2__normative_docs__issued=7, t2__normative_docs__repealed=2, t2__normative_docs__in_force=5)
    assert check(cells, "2021") == []


@pytest.mark.parametrize(("row_id", "prev", "label"), [("t2.licensing", 5, "行政许可"), ("t2.fees", 3, "行政事业性收费")])
def test_items_negative(row_id: str, prev: int, label: str) -> None:
    cells = base("2019")
    assert cells[f"{row_id}.prev_items"] == prev
    cells[f"{row_id}.change"] = -prev - 1
    findings = check(cells, "2019")
    assert summary(findings) == {("ACT-ITEMS-NEGATIVE", "error", (f"{row_id}.prev_items", f"{row_id}.change"))}
    assert message(findings, "ACT-ITEMS-NEGATIVE") == \
        f"“{label}”：上一年项目数量 {prev} + 本年增/减 {-prev - 1} = -1，小于 0"


def test_items_down_to_zero_is_quiet() -> None:
    assert check(changed("2019", t2__licensing__change=-5), "2019") == []


def test_published_total_below_this_year() -> None:
    findings = check(changed("2019", t2__normative_docs__total_published=2), "2019")
    assert summary(findings) == {("ACT-PUBLISHED-TOTAL", "warning", ("t2.normative_docs.new_published",
                                                                     "t2.normative_docs.total_published"))}
    assert message(findings, "ACT-PUBLISHED-TOTAL") == "“规范性文件”：对外公开总数量 2 小于本年新公开数量 3"


def test_made_not_published() -> None:
    findings = check(changed("2019", t2__normative_docs__new_made=4), "2019")
    assert summary(findings) == {("ACT-MADE-NOT-PUBLISHED", "info", ("t2.normative_docs.new_made",
                                                                      "t2.normative_docs.new_published"))}
    assert message(findings, "ACT-MADE-NOT-PUBLISHED") == "“规范性文件”：本年新制作 4 件，但本年新公开只有 3 件"


@pytest.mark.parametrize(("projects", "amount", "shown"), [(0, Decimal("25.3"), "采购项目数量 0，采购总金额 25.3"),
                                                           (2, 0, "采购项目数量 2，采购总金额 0")])
def test_procurement_pair(projects: int, amount: Value, shown: str) -> None:
    findings = check(changed("2019", t2__procurement__projects=projects, t2__procurement__amount=amount), "2019")
    assert summary(findings) == {("ACT-PROCUREMENT-PAIR", "warning",
                                  ("t2.procurement.projects", "t2.procurement.amount"))}
    assert shown in message(findings, "ACT-PROCUREMENT-PAIR")


@pytest.mark.parametrize(("version", "regs", "flagged"), [
    ("2019", {"new_made": 1, "new_published": 1, "total_published": 4}, ("new_made", "new_published", "total_published")),
    ("2021", {"issued": 1, "repealed": 0, "in_force": 6}, ("issued", "in_force")),
])
def test_regulations_by_a_township(version: str, regs: dict[str, int], flagged: tuple[str, ...]) -> None:
    cells = base(version) | {f"t2.regulations.{k}": v for k, v in regs.items()}
    findings = check(cells, version)
    assert summary(findings) == {("ACT-REGULATIONS-POWER", "warning", tuple(f"t2.regulations.{c}" for c in flagged))}
    values = "、".join(str(regs[c]) for c in flagged)
    assert message(findings, "ACT-REGULATIONS-POWER") == \
        f"“某某乡人民政府”（乡镇街道）没有规章制定权，但“规章”一行有非零数字：{values}"
    # A provincial government may make rules: the same numbers are quiet.
    assert check(cells, version, body=PROVINCE) == []


# ------------------------------------------------------------------ APP-FEE-NOTICE
def _fee_unpaid(cells: dict[str, Value], n: int) -> dict[str, Value]:
    cells["t3.other.fee_unpaid.natural_person"] = n
    cells["t3.new_received.natural_person"] = int(cells["t3.new_received.natural_person"]) + n
    return with_totals(cells, "2021")


def test_fee_notice_missing_from_section_six() -> None:
    cells = _fee_unpaid(base("2021"), 2)
    section6 = "本年度未收取处理费。认真落实上级年度政务公开工作要点，做好人大代表建议和政协提案办理结果公开，积极推进政务公开工作创新。"
    findings = check(cells, "2021", section6=section6)
    assert summary(findings) == {("APP-FEE-NOTICE", "warning", ("t3.other.fee_unpaid.total",))}
    assert message(findings, "APP-FEE-NOTICE") == "表三有 2 件申请因逾期未缴纳费用不再处理，但第六部分没有说明发出的收费通知"
    # The default section 六 reports the 信息处理费: quiet.
    assert check(cells, "2021") == []


# ------------------------------------------------------------------ blank and unreadable cells
@pytest.mark.parametrize("mark", ["", "/", "—"])
def test_blank_zero_cell_is_listed_and_nothing_else(mark: str) -> None:
    cells = changed("2021", t3__partially_granted__research=mark, t4__litigation_direct__other=mark)
    report = parse(cells, "2021")
    findings = run_checks(report)
    assert summary(findings) == {
        ("VAL-BLANK", "warning", ("t3.partially_granted.research",)),
        ("VAL-BLANK", "warning", ("t4.litigation_direct.other",)),
    }
    assert report.cells["t3.partially_granted.research"].number == 0
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）·科研机构" in \
        message(findings, "VAL-BLANK", ("t3.partially_granted.research",))


def test_blank_nonzero_cell_counts_as_zero_in_the_arithmetic() -> None:
    findings = check(changed("2019", t3__granted__commercial=""), "2019")
    assert summary(findings) == {
        ("VAL-BLANK", "warning", ("t3.granted.commercial",)),
        ("APP-ROW-SUM", "error", row("t3.granted")),
        ("APP-OUTCOME-SUM", "error", outcomes("2019", "commercial")),
    }
    assert message(findings, "APP-ROW-SUM") == "“（一）予以公开”行：各类申请人之和 2 + 0 + 0 + 0 + 0 + 0 = 2，但总计为 3"
    assert message(findings, "APP-OUTCOME-SUM").endswith("= 0，但（七）总计为 1")


@pytest.mark.parametrize("version", VERSIONS)
def test_unreadable_cell_suppresses_its_relations(version: str) -> None:
    # Counted as 0, 见附件 would break the 予以公开 row and the 自然人 outcome column.
    report = parse(changed(version, t3__granted__natural_person="见附件"), version)
    findings = run_checks(report)
    assert summary(findings) == {("VAL-UNREADABLE", "error", ("t3.granted.natural_person",))}
    cell = report.cells["t3.granted.natural_person"]
    assert (cell.kind, cell.value, cell.number, cell.raw) == (Kind.UNREADABLE, None, None, "见附件")
    assert message(findings, "VAL-UNREADABLE") == "“（一）予以公开·自然人”的内容“见附件”不是数字，无法识别"


def test_unreadable_cell_leaves_other_relations_alone() -> None:
    cells = changed("2021", t3__granted__natural_person="见附件", t3__new_received__commercial=2)
    assert summary(check(cells, "2021")) == {
        ("VAL-UNREADABLE", "error", ("t3.granted.natural_person",)),
        ("APP-ROW-SUM", "error", row("t3.new_received")),
        ("APP-BALANCE", "error", balance("commercial")),
    }


@pytest.mark.parametrize("cid", ["t4.review.upheld", "t4.review.pending", "t4.litigation_after_review.total"])
def test_unreadable_cell_in_table_four_keeps_its_place(cid: str) -> None:
    # The 15 values of 表四 have no row label: an unreadable one must not shift the others.
    cells = changed("2021", **{cid.replace(".", "__"): "见附件"})
    report = parse(cells, "2021")
    assert summary(run_checks(report)) == {("VAL-UNREADABLE", "error", (cid,))}
    assert_values(report, {k: v for k, v in cells.items() if k.startswith("t4.") and k != cid})


def test_unreadable_cell_in_table_two_suppresses_stock() -> None:
    cells = changed("2021", t2__normative_docs__issued=20, t2__normative_docs__in_force="见附件")
    assert summary(check(cells, "2021")) == {("VAL-UNREADABLE", "error", ("t2.normative_docs.in_force",))}


# ------------------------------------------------------------------ property tests
_ARITHMETIC = ("APP-", "LIT-", "ACT-")


# About 20 ms per example (mostly hypothesis drawing some 250 values): 1-1.5 s per test, so slow.
@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from(VERSIONS), province=st.booleans(), data=st.data())
def test_consistent_tables_have_no_findings(version: str, province: bool, data: st.DataObject) -> None:
    cells = consistent_cells(version, data, regulations=province)
    report = parse(cells, version, **({"body": PROVINCE} if province else {}))
    findings = run_checks(report)
    assert not [f for f in findings if f.code.startswith(_ARITHMETIC)], [f.message() for f in findings]
    assert findings == [], [f.message() for f in findings]  # and nothing else either
    assert_values(report, cells)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from(VERSIONS), data=st.data())
def test_any_change_to_a_table_three_value_is_caught(version: str, data: st.DataObject) -> None:
    cells = consistent_cells(version, data)
    cid = data.draw(st.sampled_from([c for c in cell_ids(version) if c.startswith("t3.")]), label="cell")
    value = int(cells[cid])
    k = data.draw(st.integers(-value, 10**6).filter(lambda x: x != 0), label="k")
    cells[cid] = value + k
    findings = check(cells, version)
    assert any(f.severity == "error" and cid in f.cells for f in findings), [f.message() for f in findings]


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from(VERSIONS), data=st.data())
def test_any_change_to_a_table_four_value_breaks_its_block(version: str, data: st.DataObject) -> None:
    cells = consistent_cells(version, data)
    block = data.draw(st.sampled_from(T4_BLOCKS), label="block")
    cid = f"t4.{block}.{data.draw(st.sampled_from((*T4_PARTS, 'total')), label='column')}"
    value = int(cells[cid])
    k = data.draw(st.integers(-value, 10**6).filter(lambda x: x != 0), label="k")
    cells[cid] = value + k
    findings = check(cells, version)
    assert ("LIT-SUM", "error", lit(block)) in summary(findings)
    assert not [f for f in findings if f.code.startswith(("APP-", "ACT-"))]


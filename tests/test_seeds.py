"""The five seed reports: every cell value, the metadata, and the exact findings.

Expected values were read off the seed files by hand; expected findings follow spec/rules.md
("Expected findings on the seed reports"), plus the label variants and notes the spec leaves open.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zfxxgk import check_file
from zfxxgk.report import Report
from zfxxgk.templates import FORMAT_2019
from zfxxgk.templates.formats import T3_COLUMNS

from .conftest import seed

T3_COLS = [c.id for c in T3_COLUMNS]
BLANK = None  # a cell printed empty: value None, raw ""


def expected_2019(overrides: dict[str, object]) -> dict[str, object]:
    """All 198 cells of a 2019-format report: 0 unless overridden."""
    cells: dict[str, object] = dict.fromkeys(FORMAT_2019.cell_ids(), 0)
    assert len(cells) == 22 + 161 + 15
    for cid, value in overrides.items():
        assert cid in cells, cid
        cells[cid] = value
    return cells


def t3_row(row: str, values: list[object]) -> dict[str, object]:
    return {f"t3.{row}.{col}": v for col, v in zip(T3_COLS, values, strict=True)}


EXPECTED_CELLS = {
    "000": expected_2019({}),
    "001": expected_2019({
        "t2.procurement.projects": 1,
        "t2.procurement.amount": Decimal("2.3873"),
        **t3_row("granted", [BLANK] * 6 + [0]),
        **t3_row("partially_granted", [BLANK] * 6 + [0]),
    }),
    "002": expected_2019({"t2.normative_docs.new_made": 1}),
    "003": expected_2019({
        "t2.licensing.prev_items": 2,
        "t2.other_services.prev_items": 1,
        "t2.punishment.prev_items": 109,
    }),
    "004": expected_2019({
        "t2.procurement.projects": 137,
        "t2.procurement.amount": Decimal("1066730.5"),
        **t3_row("new_received", [0, 0, 0, 0, 0, 2, 2]),
        **t3_row("granted", [BLANK] * 5 + [2, 2]),
        **t3_row("partially_granted", [BLANK] * 7),
    }),
}

EXPECTED_META = {
    "000": ("夹河子乡", 2020, "夹河子乡政府信息公开工作2020年度报告", None),
    "001": ("平等乡人民政府", 2020, "平等乡人民政府2020年政府信息公开工作年度报告", None),
    "002": ("波密县玉许乡人民政府", 2020, "波密县玉许乡人民政府2020年政府信息公开工作年度报告", "2021-01-19"),
    "003": ("长春市双阳区鹿乡镇人民政府", 2020, "鹿乡镇2020年政府信息公开工作年度报告", None),
    "004": ("贵南县沙沟乡", 2020, "贵南县沙沟乡2020年度政府信息公开工作年度报告", None),
}

_BALANCE = ("t3.new_received", "t3.carried_over", "t3.total", "t3.carried_forward")
_OUTCOMES = [
    "granted", "partially_granted",
    *(f"withheld.{x}" for x in ("state_secret", "law_prohibited", "security_stability", "third_party",
                                "internal_affairs", "process_info", "enforcement_files", "query_matters")),
    *(f"unable.{x}" for x in ("not_held", "needs_creation", "unclear")),
    *(f"rejected.{x}" for x in ("complaint", "duplicate", "publication", "excessive", "confirmation")),
    "other",
]


def _outcome_cells(col: str) -> tuple[str, ...]:
    return (*(f"t3.{r}.{col}" for r in _OUTCOMES), f"t3.total.{col}")


def _row(row: str) -> tuple[str, ...]:
    return tuple(f"t3.{row}.{c}" for c in T3_COLS)


_BLANK_001 = _row("granted")[:6] + _row("partially_granted")[:6]
_BLANK_004 = _row("granted")[:5] + _row("partially_granted")

# (code, severity, cells) for every finding.
EXPECTED_FINDINGS = {
    "000": [("CNT-OVERVIEW-TOPICS", "warning", ())],
    "001": [
        ("VAL-BLANK", "warning", _BLANK_001),
        ("TXT-APPLICATIONS", "warning", ("t3.new_received.total", "t3.carried_over.total")),
        ("FMT-LABEL-VARIANT", "info", ()),
        ("FMT-LABEL-VARIANT", "info", _row("withheld.law_prohibited")),
    ],
    "002": [
        ("FMT-HEADER-INCOMPLETE", "warning", ()),
        ("ACT-MADE-NOT-PUBLISHED", "info", ("t2.normative_docs.new_made", "t2.normative_docs.new_published")),
        *[("FMT-LABEL-VARIANT", "info", ())] * 5,
        ("FMT-LABEL-VARIANT", "info", _row("new_received")),
        ("FMT-LABEL-VARIANT", "info", _row("partially_granted")),
    ],
    "003": [
        ("CNT-OVERVIEW-TOPICS", "warning", ()),
        ("FMT-LABEL-VARIANT", "info", ()),
        ("FMT-LABEL-VARIANT", "info", ()),
        ("FMT-EXTRA-ROW", "info", ()),
        ("TXT-PARTS-LIST", "info", ()),
    ],
    "004": [
        ("APP-BALANCE", "error", tuple(f"{r}.other_org" for r in _BALANCE)),
        ("APP-BALANCE", "error", tuple(f"{r}.total" for r in _BALANCE)),
        ("APP-OUTCOME-SUM", "error", _outcome_cells("other_org")),
        ("APP-OUTCOME-SUM", "error", _outcome_cells("total")),
        ("VAL-BLANK", "warning", _BLANK_004),
        ("VAL-UNIT", "warning", ("t2.procurement.amount",)),
        ("CNT-OVERVIEW-TOPICS", "warning", ()),
        ("VAL-UNIT", "info", ("t2.procurement.projects",)),
    ],
}

EXPECTED_VARIANTS = {
    "001": ["采购总金额(单位:万元,保留4位小数)", "2.其他法律法规禁止公开"],
    "002": ["一、工作总体开展情况", "收到和处理政府信息公开申请的情况", "五、存在的问题及下一步改进措施",
            "其他需要报告的事项", "法人及其他组织", "一、本年度新收政府信息公开申请数量",
            "（二）部分公开（区分处理的，只计这一情形，不及其他情形）"],
    "003": ["二、政府信息主动公开情况", "四、复议、诉讼和申诉情况"],
}

SEEDS = sorted(EXPECTED_CELLS)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {n: check_file(seed(n)) for n in SEEDS}


@pytest.mark.parametrize("number", SEEDS)
def test_every_cell(reports: dict[str, Report], number: str) -> None:
    report = reports[number]
    assert report.error is None
    assert report.version == "2019"
    expected = EXPECTED_CELLS[number]
    assert list(report.cells) == list(expected)  # all 198 ids, in template order
    for cid, value in expected.items():
        cell = report.cells[cid]
        if value is BLANK:
            assert (cell.value, cell.raw, cell.kind) == (None, "", "blank"), cid
        else:
            assert (cell.value, cell.kind) == (value, "number"), cid
            assert type(cell.value) is type(value), cid


@pytest.mark.parametrize("number", SEEDS)
def test_metadata(reports: dict[str, Report], number: str) -> None:
    report = reports[number]
    assert (report.body, report.year, report.title, report.published) == EXPECTED_META[number]
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.encoding == "utf-8"


@pytest.mark.parametrize("number", SEEDS)
def test_exact_findings(reports: dict[str, Report], number: str) -> None:
    got = [(f.code, f.severity, tuple(f.cells)) for f in reports[number].findings]
    assert got == EXPECTED_FINDINGS[number]


@pytest.mark.parametrize("number", SEEDS)
def test_no_unexpected_error(reports: dict[str, Report], number: str) -> None:
    """rules.md: no seed may produce an error other than the listed ones (only 004 has errors)."""
    errors = {f.code for f in reports[number].findings if f.severity == "error"}
    assert errors == ({"APP-BALANCE", "APP-OUTCOME-SUM"} if number == "004" else set())


@pytest.mark.parametrize("number", sorted(EXPECTED_VARIANTS))
def test_label_variants(reports: dict[str, Report], number: str) -> None:
    printed = [f.args["printed"] for f in reports[number].findings if f.code == "FMT-LABEL-VARIANT"]
    assert printed == EXPECTED_VARIANTS[number]


def test_seed_004_balance_messages(reports: dict[str, Report]) -> None:
    messages = [f.message() for f in reports["004"].findings if f.code == "APP-BALANCE"]
    assert messages == [
        "“其他”列：本年新收 2 + 上年结转 0 = 2，但（七）总计 0 + 结转下年度 0 = 0",
        "“总计”列：本年新收 2 + 上年结转 0 = 2，但（七）总计 0 + 结转下年度 0 = 0",
    ]
    (outcome, _) = [f.message() for f in reports["004"].findings if f.code == "APP-OUTCOME-SUM"]
    assert outcome == "“其他”列：各办理结果之和 （一）予以公开 2 = 2，但（七）总计为 0"


def test_seed_004_units_and_provenance(reports: dict[str, Report]) -> None:
    r = reports["004"]
    amount = r.cells["t2.procurement.amount"]
    assert (amount.raw, amount.unit, amount.source.line if amount.source else None) == ("1066730.5元", "元", 90)
    projects = r.cells["t2.procurement.projects"]
    assert (projects.raw, projects.unit) == ("137次", "次")
    unit = next(f for f in r.findings if f.code == "VAL-UNIT" and f.severity == "warning")
    assert "106.67305 万元" in unit.message()
    # NBSP-only cells are blank with empty raw text; "2\xa0" is the number 2.
    granted = r.cells["t3.granted.other_org"]
    assert (granted.value, granted.raw, granted.source.line if granted.source else None) == (2, "2", 137)
    assert r.cells["t3.new_received.commercial"].raw == "0"  # printed " 0 "


def test_seed_001_short_rows_are_right_aligned(reports: dict[str, Report]) -> None:
    """Rows printing only the 总计 cell: the value belongs to 总计, the other six are blank."""
    r = reports["001"]
    assert r.cells["t3.granted.total"].source is not None
    assert r.cells["t3.granted.total"].source.line == 47  # type: ignore[union-attr]
    assert r.cells["t2.procurement.amount"].unit == "万元"  # from the header 采购总金额(单位:万元,…)
    text = next(f for f in r.findings if f.code == "TXT-APPLICATIONS")
    assert text.message() == "正文“收到政府信息公开申请5件”为 5 件，但表三本年新收为 0"
    assert text.source is not None and text.source.line == 13


def test_seed_002_header_and_dates(reports: dict[str, Report]) -> None:
    r = reports["002"]
    header = next(f for f in r.findings if f.code == "FMT-HEADER-INCOMPLETE")
    assert header.message() == ("表三（依申请公开）表头缺少：商业企业、科研机构、社会公益组织、法律服务机构、其他"
                              "（各行数值仍齐全，按官方列序读取）")
    assert (r.signed, r.published_basis, r.period_years) == ("2021-01-19", "signature", [2020, 2020])
    assert not [f for f in r.findings if f.code == "META-DEADLINE"]


def test_seed_003_extra_row_and_parts(reports: dict[str, Report]) -> None:
    r = reports["003"]
    (extra,) = r.tables["t2"].extra_rows
    assert extra.label == "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）："
    assert extra.values == []
    parts = next(f for f in r.findings if f.code == "TXT-PARTS-LIST")
    assert parts.message() == "导语“全文包括总体情况、存在的主要问题和改进措施”列出 2 个部分（总体情况、存在的主要问题和改进措施），报告实有 6 个"

"""Each non-arithmetic rule firing on a small change of a clean report, and staying quiet on it.

The clean reports come from tests/synth.py; each test edits the text the way real reports go wrong.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zfxxgk import catalogue, parse_bytes, run_checks
from zfxxgk.report import Finding, Report

from .synth import render_report, zero_cells


def check_text(text: str) -> Report:
    report = parse_bytes(text.encode("utf-8"), "synthetic.txt")
    assert report.error is None
    run_checks(report)
    return report


def codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


def only(report: Report, code: str) -> Finding:
    (found,) = [f for f in report.findings if f.code == code]
    return found


def clean(version: str = "2021", **kwargs: object) -> str:
    return render_report(zero_cells(version), version, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_clean_reports_are_quiet(version: str) -> None:
    assert codes(check_text(clean(version))) == []


# ------------------------------------------------------------------ VAL
def test_val_not_count_and_annotated_and_na() -> None:
    cells = zero_cells("2021") | {"t3.new_received.natural_person": Decimal("1.5"),
                                  "t2.licensing.decisions": "22（其中修订16件）", "t2.regulations.issued": "/"}
    r = check_text(render_report(cells, "2021"))
    assert r.cells["t2.licensing.decisions"].value == 22
    assert r.cells["t2.licensing.decisions"].note == "(其中修订16件)"
    assert r.cells["t2.regulations.issued"].kind == "na"
    assert only(r, "VAL-NOT-COUNT").cells == ["t3.new_received.natural_person"]
    assert only(r, "VAL-NOT-COUNT").message() == "“一、本年新收政府信息公开申请数量·自然人”应为非负整数，但填的是“1.5”"
    assert only(r, "VAL-ANNOTATED").message() == "“行政许可·本年处理决定数量”填的是“22（其中修订16件）”，按 22 计，说明“(其中修订16件)”已保留"
    assert only(r, "VAL-BLANK").cells == ["t2.regulations.issued"]


def test_val_not_count_negative_count_but_signed_change_allowed() -> None:
    cells = zero_cells("2019") | {"t2.licensing.prev_items": 5, "t2.licensing.change": -2,
                                  "t4.review.upheld": -1, "t4.review.total": -1}
    r = check_text(render_report(cells, "2019"))
    assert [f.cells for f in r.findings if f.code == "VAL-NOT-COUNT"] == [["t4.review.upheld"], ["t4.review.total"]]
    assert r.cells["t2.licensing.change"].value == -2


def test_val_unit_money_in_yuan_converted_and_quiet_in_wanyuan() -> None:
    r = check_text(render_report(zero_cells("2021") | {"t2.fees.amount": "35000元"}, "2021"))
    f = only(r, "VAL-UNIT")
    assert (f.severity, f.cells) == ("warning", ["t2.fees.amount"])
    assert f.message() == "“行政事业性收费·本年收费金额（单位：万元）”填的是“35000元”，模板单位为万元，即 3.5 万元"
    quiet = check_text(render_report(zero_cells("2021") | {"t2.fees.amount": "3.5万元"}, "2021"))
    assert "VAL-UNIT" not in codes(quiet)
    assert quiet.cells["t2.fees.amount"].value == Decimal("3.5")
    many = check_text(render_report(zero_cells("2021") | {"t2.fees.amount": Decimal("1.234567")}, "2021"))
    assert "小数超过 4 位" in only(many, "VAL-UNIT").message()


def test_val_unreadable_cell_is_not_a_number() -> None:
    r = check_text(render_report(zero_cells("2021") | {"t2.punishment.decisions": "见附件"}, "2021"))
    cell = r.cells["t2.punishment.decisions"]
    assert (cell.value, cell.raw, cell.kind) == (None, "见附件", "unreadable")
    assert only(r, "VAL-UNREADABLE").message() == "“行政处罚·本年处理决定数量”的内容“见附件”不是数字，无法识别"


# ------------------------------------------------------------------ FMT
def test_fmt_version_outdated_and_mixed() -> None:
    outdated = check_text(clean("2019", year=2022))
    assert outdated.version == "2019"
    assert only(outdated, "FMT-VERSION").message() == "2022年度报告应使用国办公开办函〔2021〕30号格式，但表格为国办公开办函〔2019〕60号格式"
    # A 2023 report: table 二 in the 2021 format, table 三 with the 2019 format's single （六）其他处理 row.
    t3_2019 = clean("2019").split("三、收到和处理政府信息公开申请情况")[1].split("四、政府信息公开行政复议")[0]
    t3_2021 = clean("2021").split("三、收到和处理政府信息公开申请情况")[1].split("四、政府信息公开行政复议")[0]
    mixed = check_text(clean("2021", year=2023).replace(t3_2021, t3_2019))
    assert mixed.version == "2021"
    assert (mixed.tables["t2"].version, mixed.tables["t3"].version) == ("2021", "2019")
    assert "t3.other.total" in mixed.cells and "t3.other.other.total" not in mixed.cells
    assert only(mixed, "FMT-VERSION").message() == "表格混用两种格式：表二（主动公开）为2021年格式，表三（依申请公开）为2019年格式"
    assert "APP-OUTCOME-SUM" not in codes(mixed)


def test_fmt_sections_missing_and_out_of_order() -> None:
    text = clean()
    missing = check_text(text.replace("五、存在的主要问题及改进情况\n", ""))
    assert only(missing, "FMT-SECTIONS").message() == "缺少：五、存在的主要问题及改进情况"
    head, rest = text.split("五、存在的主要问题及改进情况")
    five, six = rest.split("六、其他需要报告的事项")
    swapped = check_text(head + "六、其他需要报告的事项" + six + "\n五、存在的主要问题及改进情况" + five)
    assert only(swapped, "FMT-SECTIONS").message() == "顺序不对：一 → 二 → 三 → 四 → 六 → 五"


def test_fmt_table_not_text_leaves_cells_unread() -> None:
    text = clean()
    t4 = text.split("四、政府信息公开行政复议、行政诉讼情况\n")[1].split("五、存在的主要问题")[0]
    r = check_text(text.replace(t4, "（表格见附件图片）\n\n"))
    f = only(r, "FMT-TABLE-NOT-TEXT")
    assert f.message() == "“四、政府信息公开行政复议、行政诉讼情况”有标题，但没有找到文字形式的表格（可能是图片或附件），其单元格记为未读取"
    assert len(f.cells) == 15
    assert all(r.cells[c].value is None and r.cells[c].raw is None for c in f.cells)
    assert "LIT-SUM" not in codes(r) and "VAL-BLANK" not in codes(r)


def test_fmt_label_variant_and_header_incomplete_and_extra_row() -> None:
    text = clean().replace("\t2.其他法律行政法规禁止公开", "\t2.其他法律法规禁止公开").replace("\t科研机构\n", "")
    text = text.replace("五、存在的主要问题及改进情况", "五、存在的问题及下一步改进措施")
    text = text.replace("\t四、结转下年度继续办理", "\t本年度办理时限内答复率\n\t100%\n\n\t四、结转下年度继续办理")
    r = check_text(text)
    variants = [(f.args["printed"], f.args["official"]) for f in r.findings if f.code == "FMT-LABEL-VARIANT"]
    assert variants == [("五、存在的问题及下一步改进措施", "五、存在的主要问题及改进情况"),
                        ("2.其他法律法规禁止公开", "2.其他法律行政法规禁止公开")]
    assert only(r, "FMT-HEADER-INCOMPLETE").message().startswith("表三（依申请公开）表头缺少：科研机构")
    extra = only(r, "FMT-EXTRA-ROW")
    assert extra.message() == "表三（依申请公开）有模板没有的行“本年度办理时限内答复率”，数值：100%"
    assert r.cells["t3.carried_forward.total"].value == 0


def test_missing_row_is_not_zero() -> None:
    text = clean()
    row = "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n" + "\t0\n" * 7 + "\n"
    assert row in text
    r = check_text(text.replace(row, ""))
    assert r.cells["t3.partially_granted.total"].raw is None
    assert r.cells["t3.partially_granted.total"].kind == "missing"
    assert "缺少这些行：（二）部分公开" in only(r, "FMT-HEADER-INCOMPLETE").message()
    assert "APP-OUTCOME-SUM" not in codes(r)  # a missing row makes the relation unknown, not broken


# ------------------------------------------------------------------ CNT / META
def test_cnt_overview_topics() -> None:
    text = clean()
    section1 = text.split("一、总体情况\n")[1].split("\n")[0]
    r = check_text(text.replace(section1, "本年度，本机关认真落实主动公开工作。"))
    assert only(r, "CNT-OVERVIEW-TOPICS").message() == ("“一、总体情况”未涉及：依申请公开、政府信息管理、平台建设、监督保障、"
                                                      "工作考核、社会评议和责任追究结果")
    gov = check_text(clean(body="某某县人民政府").replace("建立工作考核、社会评议和责任追究制度", "加强督查"))
    assert only(gov, "CNT-OVERVIEW-TOPICS").args["topics"] == ["accountability"]


def test_cnt_section5_and_section6() -> None:
    text = clean()
    section5 = text.split("五、存在的主要问题及改进情况\n")[1].split("\n")[0]
    section6 = text.split("六、其他需要报告的事项\n")[1].split("\n")[0]
    r = check_text(text.replace(section5, "无。").replace(section6, "无。"))
    assert only(r, "CNT-SECTION5-EMPTY").message() == "“五、存在的主要问题及改进情况”没有实质内容（1 字）"
    assert only(r, "CNT-SECTION6-ITEMS").message() == "“六、其他需要报告的事项”未报告：信息处理费"
    assert "CNT-SECTION6-ITEMS" not in codes(check_text(clean("2019").replace("本年度没有其他需要报告的事项。", "无。")))


def test_meta_title_and_deadline() -> None:
    text = clean()
    untitled = check_text(text.replace("某某乡人民政府2021年政府信息公开工作年度报告", "政府信息公开工作年度报告"))
    assert only(untitled, "META-TITLE").message() == "标题“政府信息公开工作年度报告”没有按常见格式写明机关和年度"
    late = check_text(text.replace("一、总体情况", "发布日期：2022-02-10\n\n一、总体情况", 1))
    assert (late.published, late.published_basis) == ("2022-02-10", "metadata")
    assert only(late, "META-DEADLINE").message() == "发布日期 2022-02-10（页面发布日期）晚于期限 2022-01-31"
    on_time = check_text(text + "\n某某乡人民政府\n2022年1月28日\n")
    assert (on_time.published, on_time.published_basis, on_time.signed) == ("2022-01-28", "signature", "2022-01-28")
    assert "META-DEADLINE" not in codes(on_time)


# ------------------------------------------------------------------ TXT
def _with_section1(text: str, sentence: str) -> str:
    section1 = text.split("一、总体情况\n")[1].split("\n")[0]
    return text.replace(section1, section1 + sentence)


def test_txt_applications_compares_with_new_and_with_carried_over() -> None:
    cells = zero_cells("2021") | {"t3.new_received.natural_person": 3, "t3.new_received.total": 3,
                                  "t3.carried_over.natural_person": 1, "t3.carried_over.total": 1,
                                  "t3.granted.natural_person": 4, "t3.granted.total": 4,
                                  "t3.total.natural_person": 4, "t3.total.total": 4}
    base = render_report(cells, "2021")
    assert codes(check_text(base)) == []
    for quiet in ("全年共收到政府信息公开申请3件。", "全年共收到政府信息公开申请4件（含上年结转）。"):
        assert "TXT-APPLICATIONS" not in codes(check_text(_with_section1(base, quiet)))
    r = check_text(_with_section1(base, "全年共收到政府信息公开申请7件。"))
    assert only(r, "TXT-APPLICATIONS").message() == "正文“收到政府信息公开申请7件”为 7 件，但表三本年新收为 3"


def test_txt_none_claim() -> None:
    cells = zero_cells("2021") | {"t4.review.upheld": 1, "t4.review.total": 1}
    base = render_report(cells, "2021")
    r = check_text(_with_section1(base, "本年度未发生政府信息公开行政复议、行政诉讼案件。"))
    assert only(r, "TXT-NONE-CLAIM").message() == "正文“未发生政府信息公开行政复议”，但表四复议诉讼总计为 1"
    assert "TXT-NONE-CLAIM" not in codes(check_text(_with_section1(clean(), "本年度未发生行政复议、行政诉讼案件。")))


def test_txt_documents() -> None:
    base = render_report(zero_cells("2021") | {"t2.normative_docs.issued": 2, "t2.normative_docs.in_force": 12}, "2021")
    r = check_text(_with_section1(base, "全年制发行政规范性文件3件。"))
    assert only(r, "TXT-DOCUMENTS").message() == "正文“制发行政规范性文件3件”为 3 件，表二“行政规范性文件”为 2、0、12"
    assert "TXT-DOCUMENTS" not in codes(check_text(_with_section1(base, "全年制发行政规范性文件2件。")))


def test_txt_parts_list() -> None:
    text = clean()
    six = "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。\n"
    assert "TXT-PARTS-LIST" not in codes(check_text(text.replace("一、总体情况", six + "一、总体情况", 1)))
    five = "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。\n"
    r = check_text(text.replace("一、总体情况", five + "一、总体情况", 1))
    assert only(r, "TXT-PARTS-LIST").args["listed"] == 5
    assert only(r, "TXT-PARTS-LIST").args["present"] == 6


def test_txt_year() -> None:
    period = "本报告中所列数据的统计期限自2021年1月1日起至202120年12月31日止。\n"
    r = check_text(clean().replace("一、总体情况", period + "一、总体情况", 1))
    assert only(r, "TXT-YEAR").message() == "标题年度为 2021，统计期限写的是 2021、202120"
    ok = period.replace("202120", "2021")
    assert "TXT-YEAR" not in codes(check_text(clean().replace("一、总体情况", ok + "一、总体情况", 1)))


def test_english_messages() -> None:
    r = check_text(clean().replace("五、存在的主要问题及改进情况\n", ""))
    assert only(r, "FMT-SECTIONS").message("en") == "missing: 五 problems and improvements"


def test_damaged_text_names_the_cells() -> None:
    r = check_text(clean().replace("一、本年新收政府信息公开申请数量\n\t0", "一、本年新收政府信息公开申请数量\n\t1\ufffd", 1))
    (found,) = [f for f in r.findings if f.code == "FMT-DAMAGED-TEXT"]
    assert found.cells == ["t3.new_received.natural_person"] and found.args == {"count": 1, "names": found.cells}
    assert found.message("en") == "1 places show '�' (bytes or characters that could not be decoded, replaced); cells: new applications / natural persons"
    assert "FMT-DAMAGED-TEXT" not in codes(check_text(clean()))


# ------------------------------------------------------------------ false findings on real sentences (issue 13)
def test_none_claim_scope_is_the_whole_clause() -> None:
    cells = zero_cells("2021") | {"t3.new_received.natural_person": 3, "t3.new_received.total": 3,
                                  "t3.granted.natural_person": 3, "t3.granted.total": 3, "t3.total.natural_person": 3,
                                  "t3.total.total": 3, "t4.review.upheld": 1, "t4.review.total": 1}
    base = render_report(cells, "2021")
    real = "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。"  # denies 纠错 and 败诉, not applications or cases
    assert "TXT-NONE-CLAIM" not in codes(check_text(_with_section1(base, real)))
    r = check_text(_with_section1(base, "本年度未收到政府信息公开申请。"))
    assert only(r, "TXT-NONE-CLAIM").message() == "正文“未收到政府信息公开申请”，但表三本年新收为 3"


def test_applications_of_a_part_are_not_the_tables() -> None:
    cells = zero_cells("2021") | {"t3.new_received.natural_person": 95, "t3.new_received.total": 95,
                                  "t3.granted.natural_person": 95, "t3.granted.total": 95, "t3.total.natural_person": 95,
                                  "t3.total.total": 95}
    base = render_report(cells, "2021", body="某某区人民政府")
    part = "全年共受理政府信息公开申请95件，其中，区政府办本级受理申请17件，各部门受理78件。"
    assert "TXT-APPLICATIONS" not in codes(check_text(_with_section1(base, part)))
    assert "TXT-APPLICATIONS" not in codes(check_text(_with_section1(base, "区政府办受理申请17件。")))
    r = check_text(_with_section1(base, "我区全年共受理政府信息公开申请90件。"))
    assert only(r, "TXT-APPLICATIONS").message() == "正文“受理政府信息公开申请90件”为 90 件，但表三本年新收为 95"


@pytest.mark.parametrize(("body", "published", "deadline"), [
    ("淮安市人民政府", "2025-03-08", None),  # the city's report, compiled by its disclosure office: 31 March
    ("淮安市人民政府", "2025-04-02", "2025-03-31"),
    ("淮安市人民政府办公室", "2025-03-08", "2025-01-31"),  # a department's own report: 31 January
    ("某某乡人民政府", "2025-02-10", "2025-01-31"),  # a township: the configured default
])
def test_deadline_of_a_regions_report_is_31_march(body: str, published: str, deadline: str | None) -> None:
    text = render_report(zero_cells("2021"), "2021", body=body, year=2024)
    r = check_text(text.replace("一、总体情况", f"发布时间：{published}\n\n一、总体情况", 1))
    found = [f.args["deadline"] for f in r.findings if f.code == "META-DEADLINE"]
    assert found == ([deadline] if deadline else [])


def test_section6_items_only_the_fee_statement_is_required() -> None:
    from .conftest import FIXTURES
    report = parse_bytes((FIXTURES / "real/huaian-city-2024.pdf").read_bytes(), "huaian-city-2024.pdf")
    run_checks(report)
    assert report.sections[6].text == "2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。"
    assert "CNT-SECTION6-ITEMS" not in codes(report)


def test_prose_rules_do_not_run_when_some_prose_was_not_read() -> None:
    """A scanned page whose paragraphs OCR left out (pages.prose_unread): no finding about unseen text."""
    text = clean().replace("五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n本年度共收到政府信息公开申请5件。\n", 1)
    r = check_text(text)
    assert "TXT-APPLICATIONS" in codes(r)
    r.pages["prose_unread"] = [1]
    run_checks(r)
    prose_rules = {code for code, rule in catalogue().items() if rule.needs_prose}
    assert "TXT-APPLICATIONS" in prose_rules and not prose_rules & set(codes(r))

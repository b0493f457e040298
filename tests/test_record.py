"""The report as a lossless record (issue 8): report → dict → JSON → dict → report → checks.

For every fixture the findings after the round trip are the findings before it, `to_dict` of the
reloaded report equals the first `to_dict`, and every record validates against the JSON Schema
in docs/report.schema.json. Report data given by hand (no `source`) renders to the official layout
and reads back cell for cell; JSON that is not report data is refused with exit 2.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from zfxxgk import check_file, parse_bytes
from zfxxgk.cli import app
from zfxxgk.report import SCHEMA, Report, ReportDataError
from zfxxgk.rules import run_checks

from .conftest import ROOT, SEEDS, fixture_files
from .outputs_helpers import synthetic
from .synth import consistent_cells, render_report

SCHEMA_FILE = ROOT / "docs" / "report.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def fixtures() -> list[Path]:
    """5 seeds, 2 PDFs, the Word template: all must be there."""
    return [*fixture_files("seeds/*.txt", 5), *fixture_files("real/*.pdf", 2), *fixture_files("real/*.docx", 1)]


def synthetic_file(tmp_path: Path, version: str) -> Path:
    import random

    cells = consistent_cells(version, random.Random(int(version)))
    path = tmp_path / f"synthetic-{version}.txt"
    path.write_text(render_report(cells, version), "utf-8")
    return path


def round_trip(report: Report) -> tuple[dict[str, Any], Report]:
    first = report.to_dict()
    again = Report.from_dict(json.loads(json.dumps(first, ensure_ascii=False)))
    run_checks(again)
    return first, again


def finding_data(report: Report) -> list[dict[str, Any]]:
    return [f.to_dict() for f in report.findings]


@cache
def checked(name: str) -> Report:
    (path,) = [p for p in fixtures() if p.name == name]
    return check_file(path)


def _fixture_params() -> list[Any]:
    """The seeds are quick; the PDFs and the Word template go to the slow layer."""
    return [pytest.param(p.name, marks=() if p.suffix == ".txt" else pytest.mark.slow) for p in fixtures()]


@pytest.mark.parametrize("name", _fixture_params())
def test_fixture_round_trip(name: str, validator: Any) -> None:
    report = checked(name)
    assert report.error is None
    assert report.findings, "every fixture has findings, so the comparison below means something"
    first, again = round_trip(report)
    validator.validate(first)
    assert first["schema"] == SCHEMA
    assert finding_data(again) == finding_data(report)
    assert again.to_dict() == first


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_synthetic_round_trip(version: str, tmp_path: Path, validator: Any) -> None:
    report = check_file(synthetic_file(tmp_path, version))
    assert report.version == version
    first, again = round_trip(report)
    validator.validate(first)
    assert finding_data(again) == finding_data(report)
    assert again.to_dict() == first


@pytest.mark.slow
def test_round_trip_keeps_what_the_checks_need() -> None:
    """The findings the first JSON form lost (issue 8) survive now."""
    seed3 = checked(next(SEEDS.glob("003_*.txt")).name)
    hongze = checked("hongze-district-2023.pdf")
    _, again3 = round_trip(seed3)
    _, again_hz = round_trip(hongze)
    assert {"FMT-EXTRA-ROW", "FMT-LABEL-VARIANT", "TXT-PARTS-LIST"} <= {f.code for f in again3.findings}
    assert "FMT-VERSION" in {f.code for f in again_hz.findings}
    assert again_hz.tables["t3"].fingerprints == hongze.tables["t3"].fingerprints


def test_exact_decimals_and_confidence_survive() -> None:
    text = next(SEEDS.glob("004_*.txt")).read_bytes()
    report = parse_bytes(text, "seed-004")
    report.cells["t3.granted.total"].confidence = 0.8123456789
    again = Report.from_dict(json.loads(json.dumps(report.to_dict(), ensure_ascii=False)))
    amount = again.cells["t2.procurement.amount"]
    assert (amount.value, amount.raw, amount.unit) == (Decimal("1066730.5"), "1066730.5元", "元")
    assert again.cells["t3.granted.total"].confidence == 0.8123456789


def test_unreadable_file_is_a_problem_with_words_in_both_languages(tmp_path: Path, validator: Any) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    report = check_file(empty)
    assert report.error is not None
    assert (report.error.code, report.error.args) == ("empty", {})
    zh, en = report.to_dict("zh"), report.to_dict("en")
    validator.validate(zh)
    assert (zh["error"], en["error"]) == ("文件为空", "the file is empty")
    assert zh["problem"] == en["problem"] == {"code": "empty", "args": {}}
    assert Report.from_dict(zh).error == report.error


def test_cli_json_validates(validator: Any) -> None:
    result = CliRunner().invoke(app, ["check", str(SEEDS), "--json", "--lang", "en"])
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 5
    for obj in objects:
        validator.validate(obj)
    (seed4,) = [o for o in objects if o["source"].endswith("004_88a6af14f6d602ea.txt")]
    balance = [f for f in seed4["findings"] if f["code"] == "APP-BALANCE"]
    assert [f["args"]["lhs"] for f in balance] == [2, 2]


# ------------------------------------------------------------------ report data given by hand
def hand_written(version: str, year: int) -> dict[str, Any]:
    """What another system would export: no source, no tables, no sections; cells as plain numbers."""
    report = synthetic(version, year, body="某某县人民政府")
    cells = {cid: (float(c.value) if isinstance(c.value, Decimal) else c.value) for cid, c in report.cells.items()}
    return {"version": version, "year": year, "body": "某某县人民政府",
            "title": f"某某县人民政府{year}年政府信息公开工作年度报告", "cells": cells}


def render(*args: str) -> Any:
    result = CliRunner().invoke(app, ["render", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# docx: python-docx takes about a second per report (slow)
@pytest.mark.parametrize("to", ["md", "html", pytest.param("docx", marks=pytest.mark.slow)])
@pytest.mark.parametrize(("version", "year"), [("2019", 2020), ("2021", 2024)])
def test_hand_written_data_renders_every_cell(version: str, year: int, to: str, tmp_path: Path) -> None:
    data = hand_written(version, year)
    source = tmp_path / "data.json"
    source.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = tmp_path / f"report.{to}"
    result = render(str(source), "--to", to, "-o", str(out), "--force")  # distinct values break the sums
    assert result.exit_code == 0, result.stderr
    parsed = parse_bytes(out.read_bytes(), out.name)
    assert (parsed.version, parsed.year, parsed.body) == (version, year, "某某县人民政府")
    got = {cid: parsed.cells[cid].value for cid in data["cells"]}
    assert got == {cid: (Decimal(repr(v)) if isinstance(v, float) else v) for cid, v in data["cells"].items()}


@pytest.mark.libreoffice
@pytest.mark.parametrize(("version", "year"), [("2019", 2020), ("2021", 2024)])
def test_hand_written_data_renders_every_cell_to_pdf(version: str, year: int, tmp_path: Path) -> None:
    data = hand_written(version, year)
    source = tmp_path / "data.jsonl"  # JSON Lines with one object is report data too
    source.write_text(json.dumps(data, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "report.pdf"
    result = render(str(source), "--to", "pdf", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    parsed = parse_bytes(out.read_bytes(), out.name)
    got = {cid: parsed.cells[cid].value for cid in data["cells"]}
    assert got == {cid: (Decimal(repr(v)) if isinstance(v, float) else v) for cid, v in data["cells"].items()}


@pytest.mark.parametrize(("content", "zh"), [
    ('{"hello": 1}', "不是报告数据：缺少 cells, version/year（报告数据至少要有 cells，以及 version 或 year）"),
    ('{"cells": {}}', "不是报告数据：缺少 version/year（报告数据至少要有 cells，以及 version 或 year）"),
    ('[1, 2]', "不是报告数据：JSON 顶层应为对象（{…}），实际是 int"),
    ('[]', "没有报告数据"),
    ('{"year": 2024, "cells": {"t3.new.total": 1}}', "报告数据有 1 个未知的单元格编号：t3.new.total（编号见 spec/cells.md）"),
    ('{"year": "二〇二四", "cells": {}}', "报告数据的 year 无效：'二〇二四'"),
    ('{"year": 2024, "cells": ', "JSON 无法解析（第 1 行）：Expecting value"),
])
def test_json_that_is_not_report_data_exits_2(content: str, zh: str, tmp_path: Path) -> None:
    source = tmp_path / "data.json"
    source.write_text(content, "utf-8")
    out = tmp_path / "out.md"
    result = render(str(source), "--to", "md", "-o", str(out), "--force")
    assert result.exit_code == 2
    assert result.stderr == f"无法读取报告数据 {source}：{zh}\n"
    assert not out.exists()


def test_not_report_data_in_english(tmp_path: Path) -> None:
    source = tmp_path / "data.json"
    source.write_text('{"hello": 1}', "utf-8")
    result = render(str(source), "--to", "md", "--lang", "en")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"cannot read report data {source}: not report data: cells, version/year missing "
                             "(report data needs cells and a version or year)\n")


def test_a_document_without_tables_is_not_rendered(tmp_path: Path) -> None:
    """A text with no standard table must not become an official-looking report of zeros."""
    source = tmp_path / "notes.txt"
    source.write_text("某某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作情况良好。\n", "utf-8")
    out = tmp_path / "out.md"
    result = render(str(source), "--to", "md", "-o", str(out), "--force")
    assert result.exit_code == 2
    assert "没有找到报告表格的数据" in result.stderr
    assert not out.exists()


def test_a_workbook_that_is_not_the_form_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "123"])
    source = tmp_path / "contacts.xlsx"
    wb.save(source)
    out = tmp_path / "out.md"
    result = render(str(source), "--to", "md", "-o", str(out), "--force")
    assert result.exit_code == 2
    assert result.stderr == f"无法读取报告数据 {source}：没有找到报告表格的数据（表二、表三、表四都未识别），不能据此生成报告\n"
    assert not out.exists()


def test_from_dict_names_what_is_missing() -> None:
    with pytest.raises(ReportDataError) as info:
        Report.from_dict({"source": "x", "version": "2021"})
    assert info.value.message("en") == "not report data: cells missing (report data needs cells and a version or year)"


def test_body_as_printed_survives_beside_the_normalised_body(validator: Any) -> None:
    text = "淮 安 市人民政府 2024 年政府信息公開工作年度報告\n一、总体情况\n2024年……\n".encode()
    report = parse_bytes(text, "page.txt")
    first, again = round_trip(report)
    validator.validate(first)
    assert (first["body"], first["body_printed"]) == ("淮安市人民政府", "淮 安 市人民政府")
    assert (again.body, again.body_printed) == ("淮安市人民政府", "淮 安 市人民政府")
    del first["body_printed"]  # a record written before the field existed still reads
    assert Report.from_dict(first).body_printed is None

"""The CLI per spec/contract.md: parse, check (human and JSON Lines), exit codes, languages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from zfxxgk.cli import app

from .conftest import SEEDS, seed

runner = CliRunner()


def test_check_folder_human_summary_in_chinese() -> None:
    result = runner.invoke(app, ["check", str(SEEDS)])
    assert result.exit_code == 1  # seed 004 has error findings
    out = result.output
    assert "Traceback" not in out
    for body in ("夹河子乡", "平等乡人民政府", "波密县玉许乡人民政府", "长春市双阳区鹿乡镇人民政府", "贵南县沙沟乡"):
        assert body in out
    assert out.count("格式版本: 2019") == 5 and out.count("年度: 2020") == 5
    assert "“总计”列：本年新收 2 + 上年结转 0 = 2，但（七）总计 0 + 结转下年度 0 = 0" in out
    assert "共 5 份报告：4 个错误，" in out


def test_check_english() -> None:
    result = runner.invoke(app, ["check", str(seed("004")), "--lang", "en"])
    assert result.exit_code == 1
    assert "column 'total': 2 new + 0 carried over = 2, but 0 handled + 0 carried forward = 0" in result.output
    assert "1 reports: 4 errors" in result.output


def test_check_exit_zero_without_errors() -> None:
    result = runner.invoke(app, ["check", str(seed("000")), str(seed("002"))])
    assert result.exit_code == 0


def test_check_json_lines_follow_the_contract() -> None:
    result = runner.invoke(app, ["check", str(SEEDS), "--json"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 5
    obj = lines[4]
    for key in ("source", "sha256", "format", "version", "year", "body", "title", "published", "cells", "findings",
                "error"):
        assert key in obj
    assert (obj["format"], obj["version"], obj["year"], obj["error"]) == ("text", "2019", 2020, None)
    assert len(obj["cells"]) == 198
    assert obj["cells"]["t3.new_received.total"] == {"value": 2, "raw": "2", "unit": None, "source": {"line": 119}}
    assert obj["cells"]["t3.granted.natural_person"] == {"value": None, "raw": "", "unit": None,
                                                         "source": {"line": 132}, "status": "blank"}
    assert obj["cells"]["t2.procurement.amount"]["value"] == 1066730.5
    balance = [f for f in obj["findings"] if f["code"] == "APP-BALANCE"]
    assert balance[1]["cells"] == ["t3.new_received.total", "t3.carried_over.total", "t3.total.total",
                                   "t3.carried_forward.total"]
    assert balance[1]["severity"] == "error"
    assert balance[1]["locations"]["t3.total.total"] == {"line": 344}
    assert "2 + 上年结转 0 = 2" in balance[1]["message"]


def test_parse_json_and_human() -> None:
    result = runner.invoke(app, ["parse", str(seed("001")), "--json"])
    assert result.exit_code == 0
    obj = json.loads(result.output)
    assert obj["findings"] == [] and obj["body"] == "平等乡人民政府"
    assert obj["cells"]["t2.procurement.amount"] == {"value": 2.3873, "raw": "2.3873", "unit": "万元",
                                                     "source": {"line": 38}}
    human = runner.invoke(app, ["parse", str(seed("001"))])
    assert human.exit_code == 0
    assert "政府集中采购·采购总金额" in human.output and "2.3873" in human.output


def test_bad_arguments_exit_2() -> None:
    assert runner.invoke(app, ["check", "/no/such/path"]).exit_code == 2
    assert runner.invoke(app, ["check", str(SEEDS), "--lang", "fr"]).exit_code == 2
    assert runner.invoke(app, ["check", str(SEEDS), "--deadline", "soon"]).exit_code == 2
    assert runner.invoke(app, ["parse", "/no/such/file"]).exit_code == 2


def test_check_pdf_shows_page_routes() -> None:
    from .conftest import FIXTURES

    result = runner.invoke(app, ["check", str(FIXTURES / "real" / "huaian-city-2024.pdf")])
    assert result.exit_code == 0
    assert "页面: 文字层 1, 2, 3, 4, 5, 6" in result.output
    assert "格式版本: 2021    机关: 淮安市人民政府    年度: 2024" in result.output

"""`zfxxgk render` and `zfxxgk form` on the command line: checks before generation, --force, --prefill."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.inputs.form import read_form
from zfxxgk.pipeline import parse_bytes

from .conftest import SEEDS

SEED4 = SEEDS / "004_88a6af14f6d602ea.txt"


def _json(tmp_path: Path, path: Path) -> Path:
    result = CliRunner().invoke(app, ["parse", str(path), "--json"])
    out = tmp_path / "report.json"
    out.write_text(result.stdout, "utf-8")
    return out


def test_errors_stop_generation_unless_forced(tmp_path: Path) -> None:
    data = _json(tmp_path, SEED4)
    out = tmp_path / "r.md"
    result = CliRunner().invoke(app, ["render", str(data), "--to", "md", "-o", str(out)])
    assert result.exit_code == 1
    assert "数据有 4 个错误，未生成报告（确认无误可加 --force 强制生成）：" in result.output
    assert "  APP-BALANCE  “总计”列：本年新收 2 + 上年结转 0 = 2，但（七）总计 0 + 结转下年度 0 = 0" in result.output
    assert not out.exists()
    forced = CliRunner().invoke(app, ["render", str(data), "--to", "md", "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "12 个空白或“/”单元格按 0 填写" in forced.output
    assert parse_bytes(out.read_bytes()).cells["t3.new_received.total"].value == 2


def test_render_english_messages(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["render", str(SEED4), "--to", "md", "--lang", "en"])
    assert result.exit_code == 1
    assert "the data has 4 errors; no report written (add --force to write it anyway):" in result.output


def test_render_to_stdout_and_prefill(tmp_path: Path) -> None:
    last = json.loads(CliRunner().invoke(app, ["parse", str(SEED4), "--json"]).stdout)
    for cell in ("other_org", "total"):
        last["cells"][f"t3.carried_forward.{cell}"]["value"] = 3
    last_path = tmp_path / "last.json"
    last_path.write_text(json.dumps(last, ensure_ascii=False), "utf-8")
    this = json.loads(CliRunner().invoke(app, ["parse", str(SEEDS / "000_aaece2b81b13b19d.txt"), "--json"]).stdout)
    for cid in list(this["cells"]):
        if cid.startswith("t3.carried_over."):
            del this["cells"][cid]
    this_path = tmp_path / "this.json"
    this_path.write_text(json.dumps(this, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(app, ["render", str(this_path), "--to", "md", "--prefill", str(last_path), "--force"])
    assert result.exit_code == 0, result.output
    assert "“上年结转”按上年报告“结转下年度继续办理”填写" in result.output
    assert "| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 3 | 3 |" in result.output


def test_form_command(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(app, ["form", "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0
    # the content, not only the zip header: the form reads back as a blank 2025 report of all 200 cells
    form = read_form(out.read_bytes())
    assert (form.year, form.version, len(form.cells)) == (2025, "2021", 200)
    assert {c.kind for c in form.cells.values()} == {"blank"}
    bad = CliRunner().invoke(app, ["form", "--year", "2015", "-o", str(out)])
    assert bad.exit_code == 2
    assert "年度无效：2015（须为 2019 年及以后）" in bad.output

"""The fill-in form: written with the official tables and validation, read back, refused when wrong."""

from __future__ import annotations

import functools
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.inputs import load_report
from zfxxgk.inputs.form import read_form
from zfxxgk.outputs.form import FormError, positions, write_form
from zfxxgk.outputs.prefill import prefill_from
from zfxxgk.templates import FORMATS

from .outputs_helpers import synthetic


@functools.cache
def _blank_2025() -> bytes:
    """The blank 2025 form, written once for the tests that fill it in (test_form_layout_and_validation
    writes its own)."""
    return write_form(2025)


def _fill(data: bytes, values: dict[str, object], version: str = "2021") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    where = positions(version)
    for cid, value in values.items():
        pos = where[cid]
        wb[pos.sheet].cell(pos.row, pos.col).value = value
    wb["基本信息"]["B2"] = "测试县人民政府"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _all(version: str) -> dict[str, object]:
    return {cid: (1.5 if cid.endswith(".amount") else i) for i, cid in enumerate(FORMATS[version].cell_ids())}


def test_form_layout_and_validation() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_form(2025)))
    assert wb.sheetnames == ["基本信息", "表二", "表三", "表四"]
    t3 = wb["表三"]
    assert "A3:C5" in {str(r) for r in t3.merged_cells.ranges}  # the 勾稽 note, rowspan 3 × colspan 3
    assert t3["A8"].value == "三、本年度办理结果" and t3["C28"].value == "3.其他"
    rules = {(dv.type, dv.operator, dv.formula1) for dv in t3.data_validations.dataValidation if dv.sqref}
    assert rules == {("whole", "greaterThanOrEqual", "0")}
    t2 = wb["表二"]
    kinds = {dv.type: str(dv.sqref) for dv in t2.data_validations.dataValidation if dv.sqref}
    assert kinds["decimal"] == "B16"  # 本年收费金额（单位：万元）
    assert t2["B16"].comment.text == "单位：万元"
    assert t3.protection.sheet and not t3["D6"].protection.locked and t3["A6"].protection.locked


def test_form_round_trip_through_render(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(_fill(_blank_2025(), _all("2021")))
    report = load_report(path)
    assert (report.year, report.version, report.body) == (2025, "2021", "测试县人民政府")
    assert report.cells["t2.fees.amount"].value == Decimal("1.5")
    assert report.cells["t3.total.total"].value == FORMATS["2021"].cell_ids().index("t3.total.total")


@pytest.mark.parametrize(("cell", "value", "message"), [
    ("t3.new_received.natural_person", "三件", "表三!D6（一、本年新收政府信息公开申请数量·自然人）：不是数字（填的是“三件”）"),
    ("t3.granted.total", -2, "表三!J8（（一）予以公开·总计）：不能为负数（填的是“-2”）"),
    ("t2.licensing.decisions", 2.5, "表二!B9（行政许可·本年处理决定数量）：件数必须是整数（填的是“2.5”）"),
])
def test_bad_cells_are_refused_by_name(cell: str, value: object, message: str) -> None:
    data = _fill(_blank_2025(), {cell: value})
    with pytest.raises(FormError) as exc:
        read_form(data)
    assert str(exc.value) == message


def test_missing_sheet_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_form(2025)))
    del wb["表四"]
    path = tmp_path / "form.xlsx"
    wb.save(path)
    with pytest.raises(FormError, match="填报表缺少工作表“表四”"):
        read_form(path.read_bytes())
    result = CliRunner().invoke(app, ["render", str(path), "--to", "md"])
    assert result.exit_code == 2
    assert "填报表缺少工作表“表四”" in result.output


def test_english_messages() -> None:
    with pytest.raises(FormError) as exc:
        read_form(_fill(_blank_2025(), {"t4.review.upheld": "x"}), lang="en")
    assert str(exc.value) == "表四!A6 (administrative review: upheld): not a number (found “x”)"


def test_prefill_from_last_year(tmp_path: Path) -> None:
    last = synthetic("2021", 2024)
    pre = prefill_from(last)
    ids = FORMATS["2021"].cell_ids()
    assert pre.values["t3.carried_over.total"] == ids.index("t3.carried_forward.total") + 1
    assert pre.hints["t2.regulations.in_force"] == "上年（2024年）现行有效件数：3"
    wb = openpyxl.load_workbook(io.BytesIO(write_form(2025, prefill=pre)))
    pos = positions("2021")["t3.carried_over.natural_person"]
    assert wb[pos.sheet].cell(pos.row, pos.col).value == ids.index("t3.carried_forward.natural_person") + 1
    in_force = positions("2021")["t2.regulations.in_force"]
    assert wb["表二"].cell(in_force.row, in_force.col).comment.text == "上年（2024年）现行有效件数：3"

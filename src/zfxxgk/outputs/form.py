"""The fill-in workbook: the official tables as an Excel form, and reading a filled form back.

`write_form(year)` lays each table out in the official layout (layout.py grids, merged cells) on its
own sheet, with a sheet of report details. Value cells are unlocked and validated (whole numbers
≥ 0; decimals ≥ 0 for amounts; whole numbers for the signed 2019 本年增/减); everything else is
protected. `read_form` gives back a Report, refusing anything that is not a number where a number
belongs, with a message naming the cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from ..i18n import t
from ..templates import FORMATS, version_for_year
from ..templates.model import ColumnKind
from ..values import Number
from .layout import TABLE_KEYS, Grid, Role, grid
from .prefill import Prefill

INFO_SHEET = "基本信息"
TABLE_SHEETS = {key: FORMATS["2021"].tables[key].short for key in TABLE_KEYS}  # one sheet per table: 表二 …
FIRST_ROW = 3  # grid row 0 goes to sheet row 3: row 1 holds the table title
INFO_ROWS = (("body", "机关名称"), ("year", "年度"), ("title", "报告标题"), ("published", "发布日期"),
              ("version", "格式版本"))
_WIDTHS = {"t2": [22] + [9] * 6, "t3": [8, 16, 34] + [10] * 7, "t4": [8] * 15}


class FormError(ValueError):
    """A filled form that cannot be read; the message names the sheet and cell."""


@dataclass(frozen=True, slots=True)
class Position:
    sheet: str
    row: int  # 1-based sheet row
    col: int  # 1-based sheet column

    @property
    def coordinate(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.col)}{self.row}"


def positions(version: str) -> dict[str, Position]:
    """Where each cell id sits in a form of this version."""
    out: dict[str, Position] = {}
    for key in TABLE_KEYS:
        for slot in grid(key, version).values():
            out[slot.cell_id or ""] = Position(TABLE_SHEETS[key], FIRST_ROW + slot.row, 1 + slot.col)
    return out


def write_form(year: int, body: str = "", prefill: Prefill | None = None, lang: str = "zh") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    version = version_for_year(year)
    if version is None:
        raise FormError(t("form.bad_year", lang, year=year))
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    values = {"body": body, "year": year, "title": f"{body}{year}年政府信息公开工作年度报告" if body else "",
              "published": "", "version": f"{version}（{FORMATS[version].document}）"}
    info.append(["项目", "内容"])
    for key, label in INFO_ROWS:
        info.append([label, values[key]])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60
    info.append([])
    info.append(["说明", t("form.instructions", "zh")])
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=10)
    fill = PatternFill("solid", fgColor="FFF9E5")
    for key in TABLE_KEYS:
        g: Grid = grid(key, version)
        ws = wb.create_sheet(TABLE_SHEETS[key])
        ws.cell(1, 1, f"{TABLE_SHEETS[key]}　{g.title}").font = Font(name="黑体", size=12)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=g.width)
        validations = {
            ColumnKind.COUNT: DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                             allow_blank=True, showErrorMessage=True, errorTitle="整数",
                                             error="请填写大于或等于 0 的整数"),
            ColumnKind.AMOUNT: DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                              allow_blank=True, showErrorMessage=True, errorTitle="金额",
                                              error="请填写大于或等于 0 的数（单位：万元，可带小数）"),
            ColumnKind.SIGNED: DataValidation(type="whole", operator="between", formula1="-1000000",
                                              formula2="1000000", allow_blank=True, showErrorMessage=True,
                                              errorTitle="整数", error="请填写整数（可为负数）"),
        }
        for dv in validations.values():
            ws.add_data_validation(dv)
        for i, width in enumerate(_WIDTHS[key][: g.width], start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for row in g.rows:
            for s in row:
                r, c = FIRST_ROW + s.row, 1 + s.col
                for dr in range(s.rowspan):
                    for dc in range(s.colspan):
                        ws.cell(r + dr, c + dc).border = border
                cell = ws.cell(r, c)
                cell.font = font
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                if s.rowspan > 1 or s.colspan > 1:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r + s.rowspan - 1, end_column=c + s.colspan - 1)
                if s.role is not Role.VALUE:
                    cell.value = s.text
                    continue
                column = s.column
                assert column is not None and s.cell_id is not None
                cell.protection = Protection(locked=False)
                cell.fill = fill
                validations[column.kind].add(cell.coordinate)
                if column.kind is ColumnKind.AMOUNT:
                    cell.number_format = "0.0000"
                    cell.comment = Comment(f"单位：{column.unit or '万元'}", "zfxxgk")
                else:
                    cell.number_format = "0"
                if prefill is not None:
                    if s.cell_id in prefill.values:
                        cell.value = _excel_number(prefill.values[s.cell_id])
                        cell.comment = Comment(prefill.note(s.cell_id), "zfxxgk")
                    elif s.cell_id in prefill.hints:
                        cell.comment = Comment(prefill.hints[s.cell_id], "zfxxgk")
        ws.protection.sheet = True
        ws.freeze_panes = ws.cell(FIRST_ROW, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _excel_number(value: Number) -> int | float:
    return float(value) if isinstance(value, Decimal) else value

"""The batch review workbook: one sheet of findings, one of cell values, both filterable."""

from __future__ import annotations

import io

from ..i18n import t
from ..report import Report
from .export import META_COLUMNS, excel_value, rows


def review_xlsx(reports: list[Report], lang: str = "zh") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = t("review.sheet_findings", lang)
    header = [t("review.unit", lang), t("review.col.source", lang), t("review.year", lang), t("review.col.rule", lang),
              t("review.col.severity", lang), t("review.cells", lang), t("review.col.message", lang),
              t("review.where", lang)]
    ws.append(header)
    colours = {"error": "FFD9D9", "warning": "FFF2CC", "info": "DDEBF7"}
    for r in reports:
        if r.error:  # not a finding of any rule: the file could not be read at all
            ws.append([excel_value(v) for v in (r.body, r.source, r.year, "", t("review.unreadable", lang), "",
                                                r.error.message(lang), "")])
            continue
        for f in r.findings:
            ws.append([excel_value(v) for v in (r.body, r.source, r.year, f.code, t(f"severity.{f.severity}", lang),
                                                ", ".join(f.cells), f.message(lang, r.version),
                                                f.source.describe(lang) if f.source else "")])
            fill = PatternFill("solid", fgColor=colours[f.severity])
            ws.cell(ws.max_row, 5).fill = fill
    for i, width in enumerate((24, 40, 8, 22, 8, 40, 80, 16), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _filterable(ws, Font)

    cells = wb.create_sheet(t("review.sheet_cells", lang))
    columns, data = rows([r for r in reports if not r.error], "wide")
    cells.append(columns)
    for row in data:
        cells.append([excel_value(row.get(c)) for c in columns])
    for i in range(1, len(META_COLUMNS) + 1):
        cells.column_dimensions[get_column_letter(i)].width = 18
    _filterable(cells, Font)
    cells.freeze_panes = cells.cell(2, len(META_COLUMNS) + 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _filterable(ws, font_cls) -> None:  # type: ignore[no-untyped-def]
    for cell in ws[1]:
        cell.font = font_cls(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

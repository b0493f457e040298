"""Reading the fill-in form that `zfxxgk form` writes (outputs/form.py holds its layout).

A filled form is report data: every value cell is read by its position, checked by its column's
rule (whole, non-negative…) and kept with its sheet position as source. Bad cells are listed together.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from ..document import Source
from ..i18n import t
from ..outputs.form import INFO_ROWS, INFO_SHEET, TABLE_SHEETS, FormError, positions
from ..report import MISSING, Cell, Report
from ..templates import FORMATS, TABLE_KEYS, cell_name, version_for_year
from ..templates.model import Column, ColumnKind
from ..values import Kind, Number


def is_form(data: bytes) -> bool:
    """A workbook with our details sheet (cheap check on a zip's names)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist() and INFO_SHEET.encode() in z.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError):
        return False


def read_form(data: bytes, source: str = "form.xlsx", lang: str = "zh") -> Report:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), data_only=True)
    if INFO_SHEET not in wb.sheetnames:
        raise FormError(t("form.missing_sheet", lang, sheet=INFO_SHEET))
    details: dict[str, Any] = {}
    labels = {label: key for key, label in INFO_ROWS}
    for label, value, *_ in wb[INFO_SHEET].iter_rows(min_row=2, values_only=True):
        if label in labels:
            details[labels[label]] = value
    year = _year(details.get("year"), lang)
    version = version_for_year(year)
    if version is None:
        raise FormError(t("form.bad_year", lang, year=year))
    for key in TABLE_KEYS:
        if TABLE_SHEETS[key] not in wb.sheetnames:
            raise FormError(t("form.missing_sheet", lang, sheet=TABLE_SHEETS[key]))
    body = str(details.get("body") or "").strip() or None
    title = str(details.get("title") or "").strip() or None
    published = details.get("published")
    report = Report(source=source, format="xlsx", version=version, year=year, body=body,
                    title=title or (f"{body}{year}年政府信息公开工作年度报告" if body else None),
                    published=published.strftime("%Y-%m-%d") if hasattr(published, "strftime")
                    else (str(published).strip() or None if published else None))
    errors: list[str] = []
    kinds = {f"{row.id}.{c.id}": c for table in FORMATS[version].tables.values() for row in table.rows
             for c in row.columns}
    for cid, pos in positions(version).items():
        raw = wb[pos.sheet].cell(pos.row, pos.col).value
        column = kinds[cid]
        name = cell_name(cid, version)[lang]
        where = f"{pos.sheet}!{pos.coordinate}" + (f"（{name}）" if lang == "zh" else f" ({name})")
        src = Source(table=list(TABLE_SHEETS.values()).index(pos.sheet) + 1, row=pos.row, col=pos.col)
        try:
            value = _number(raw, column)
        except ValueError as exc:
            errors.append(t("form.bad_cell", lang, where=where, value=raw, reason=t(str(exc), lang)))
            continue
        text = "" if raw is None else str(raw)
        kind = Kind.BLANK if value is None else Kind.NUMBER
        unit = column.unit if value is not None and column.kind is ColumnKind.AMOUNT else None
        report.cells[cid] = Cell(cid, value, text, kind, unit, None, src)
    if errors:
        raise FormError("\n".join(errors))
    for table in FORMATS[version].tables.values():
        for cid in table.cell_ids():
            report.cells.setdefault(cid, Cell(cid, None, None, MISSING))
    return report


def _year(value: Any, lang: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise FormError(t("form.bad_year", lang, year=value)) from None


def _number(raw: Any, column: Column) -> Number | None:
    """A form value as a number; ValueError carries an i18n key saying why not (the column's own rule)."""
    kind = column.kind
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError("form.not_number")
    if isinstance(raw, (int, float)):
        value: Number = int(raw) if float(raw).is_integer() and kind is not ColumnKind.AMOUNT else Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError("form.not_number") from None
        if value == value.to_integral_value() and kind is not ColumnKind.AMOUNT and "." not in text:
            value = int(value)
    problem = column.problem(value)
    if problem:
        raise ValueError(f"form.{problem}")
    if isinstance(value, Decimal) and value == value.to_integral_value() and (
            kind is not ColumnKind.AMOUNT or "." not in format(value, "f")):
        value = int(value)
    return value

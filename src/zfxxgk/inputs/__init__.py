"""Report data that comes in as data, not as a published document: report JSON (records or
hand-written objects) and the fill-in form. `load_report` decides which an input is and never
reads data as a report document (a JSON object is not a report with its text in section 一).
"""

from __future__ import annotations

from pathlib import Path

from ..pipeline import parse_file
from ..report import Report, ReportDataError
from .report_data import read_report_data


def load_reports(path: Path) -> list[Report]:
    """Every report an input holds: report JSON (one, an array, or JSON Lines), a form, or a document."""
    reports = read_report_data(path)
    if reports is not None:
        if not reports:
            raise ReportDataError("empty")
        return reports
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head[:4] == b"PK\x03\x04":
        from .form import is_form, read_form

        data = path.read_bytes()
        if is_form(data):
            return [read_form(data, str(path))]
    report = parse_file(path)
    if report.error:
        raise ReportDataError("unreadable", problem=report.error)
    if report.version is None or not any(c.value is not None for c in report.cells.values()):
        raise ReportDataError("no_tables")
    return [report]


def load_report(path: Path) -> Report:
    """The one report an input holds (render, --prefill)."""
    reports = load_reports(path)
    if len(reports) > 1:
        raise ReportDataError("several", n=len(reports))
    return reports[0]


__all__ = ["ReportDataError", "load_report", "load_reports", "read_report_data"]

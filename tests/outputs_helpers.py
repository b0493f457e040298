"""Helpers shared by the tests of outputs/: synthetic reports and cell comparison."""

from __future__ import annotations

from decimal import Decimal

from zfxxgk.report import Cell, Report
from zfxxgk.templates import FORMATS
from zfxxgk.values import Kind


def synthetic(version: str, year: int, body: str = "测试县人民政府") -> Report:
    """A report whose every cell holds a distinct number (amounts with decimals), so misplacement shows."""
    r = Report(source="synthetic", year=year, body=body, version=version)
    for i, cid in enumerate(FORMATS[version].cell_ids(), start=1):
        value = Decimal(f"{i}.25") if cid.endswith(".amount") else i
        r.cells[cid] = Cell(cid, value, str(value), Kind.NUMBER)
    return r


def expected_values(r: Report) -> dict[str, object]:
    """What a generated report prints for each cell: the number, and 0 for blank or N/A cells."""
    return {cid: (c.value if c.kind == Kind.NUMBER else 0) for cid, c in r.cells.items()}


def mismatches(original: Report, parsed: Report) -> list[tuple[str, object, object]]:
    want = expected_values(original)
    bad = []
    for cid, value in want.items():
        got = parsed.cells.get(cid)
        if got is None or got.value != value or (original.cells[cid].unit and got.unit != original.cells[cid].unit):
            bad.append((cid, value, None if got is None else (got.value, got.unit)))
    return bad

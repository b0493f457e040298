"""Loading a Report back from its contract JSON (spec/contract.md), e.g. `zfxxgk parse X --json`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..document import Source
from ..report import Cell, Finding, Prose, Report, Section, TableInfo
from ..values import Kind, Number


class ReportJsonError(ValueError):
    """The JSON is not a report object."""


def load_reports(path: Path) -> list[Report]:
    """One report object, a JSON array of them, or JSON Lines (one object per line)."""
    text = path.read_text("utf-8-sig")
    try:
        data = json.loads(text)
        objects = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        objects = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [report_from_json(o) for o in objects]


def try_load_reports(path: Path) -> list[Report] | None:
    """The reports in a JSON file, or None when the file is not report JSON (a report text may start with '[')."""
    with open(path, "rb") as handle:
        head = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] not in (b"{", b"[") or b'"' not in head[:64]:
        return None
    try:
        return load_reports(path)
    except (ValueError, UnicodeDecodeError):
        return None


def report_from_json(data: Any) -> Report:
    if not isinstance(data, dict) or "cells" not in data or "source" not in data:
        raise ReportJsonError("not a report object (needs 'source' and 'cells')")
    r = Report(
        source=str(data["source"]),
        sha256=data.get("sha256"),
        format=data.get("format"),
        encoding=data.get("encoding"),
        version=data.get("version"),
        year=data.get("year"),
        body=data.get("body"),
        title=data.get("title"),
        published=data.get("published"),
        published_basis=data.get("published_basis"),
        signed=data.get("signed"),
        preamble=data.get("preamble") or "",
        error=data.get("error"),
    )
    for number, s in (data.get("sections") or {}).items():
        src = _source(s.get("source")) or Source()
        r.sections[int(number)] = Section(int(number), s.get("title", ""), src, s.get("text") or "")
        for para in (s.get("text") or "").split("\n"):
            if para.strip():
                r.prose.append(Prose(int(number), para, src))
    for key, info in (data.get("tables") or {}).items():
        r.tables[key] = TableInfo(key, info.get("version"), bool(info.get("found")), _source(info.get("source")),
                                  missing_headers=list(info.get("missing_headers") or []),
                                  missing_rows=list(info.get("missing_rows") or []))
    for cid, c in data["cells"].items():
        r.cells[cid] = Cell(cid, to_number(c.get("value")), c.get("raw"), c.get("status") or Kind.NUMBER,
                            c.get("unit"), c.get("note"), _source(c.get("source")))
    for f in data.get("findings") or []:
        r.findings.append(Finding(f["code"], f["severity"], list(f.get("cells") or []), {}, _source(f.get("source")),
                                  {k: s for k, v in (f.get("locations") or {}).items() if (s := _source(v))},
                                  f.get("message", "")))
    return r


def to_number(value: Any) -> Number | None:
    """JSON numbers back to the engine's numbers: integers stay int, decimals become Decimal."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value) if "." in value else int(value)
    raise ReportJsonError(f"not a number: {value!r}")


def _source(data: Any) -> Source | None:
    if not data:
        return None
    return Source(**{k: int(v) for k, v in data.items() if k in Source.__slots__})

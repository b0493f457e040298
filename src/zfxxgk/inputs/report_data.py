"""Report objects in JSON: one object, an array of them, or JSON Lines (one object per line).

Any object with `cells` and a `version` or `year` is report data (Report.from_dict says what is
missing otherwise). A file that begins like JSON is JSON: if it does not parse, or is not report
data, that is an error to report, not a document to read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..report import Report, ReportDataError

# The start of a JSON object or array (after a BOM and white space): `{"`, `{}`, `[{`, `[]`, `[` + newline.
_JSON_START = re.compile(rb'^(?:\{\s*["}]|\[\s*[{\]\s])')
_BLANK = b"\xef\xbb\xbf \t\r\n"


def looks_like_json(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(_BLANK)
    return path.suffix.lower() in (".json", ".jsonl", ".ndjson") or bool(_JSON_START.match(head))


def read_report_data(path: Path) -> list[Report] | None:
    """The reports in a JSON file, or None when the file is not JSON (a document to read instead)."""
    if not looks_like_json(path):
        return None
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportDataError("bad_json", line=1, reason=str(exc)) from None
    return [Report.from_dict(obj) for obj in parse_objects(text)]


def parse_objects(text: str) -> list[Any]:
    """One JSON value (an array gives its items) or JSON Lines."""
    try:
        data = _loads(text, 1)
    except json.JSONDecodeError as whole:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) < 2:
            raise ReportDataError("bad_json", line=whole.lineno, reason=whole.msg) from None
        objects = []
        for n, line in lines:
            try:
                objects.append(_loads(line, n))
            except json.JSONDecodeError as exc:
                raise ReportDataError("bad_json", line=n, reason=exc.msg) from None
        return objects
    return data if isinstance(data, list) else [data]


def _loads(text: str, line: int) -> Any:
    """json.loads, with its non-syntax failures (a 5,000-digit number, arrays nested 100,000 deep) as data errors."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as exc:
        raise ReportDataError("bad_json", line=line, reason=f"{type(exc).__name__}: {exc}"[:200]) from None

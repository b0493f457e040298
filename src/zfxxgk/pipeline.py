"""bytes → reader → Document → locator → extractor → Report → checks.

The public entry points: parse_file / parse_bytes build a Report, check_file adds the findings.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .document import Document
from .errors import ReadError
from .extract import detect_version, extract_table, missing_table
from .locate import locate
from .options import Options
from .readers import DEFAULT_MAX_BYTES, load, read_bytes
from .report import Report
from .rules import run_checks
from .sanitize import clean_document, clean_path
from .templates import version_for_year

TABLE_KEYS = ("t2", "t3", "t4")


def build_report(doc: Document, source: str, sha256: str | None = None, options: Options | None = None,
                 previous: Report | None = None) -> Report:
    """Everything after the reader: nothing here knows the input format. `previous`: the body's report of the
    year before, which may settle how a run of digits in crawled text splits (runs.carried).

    The one place file text enters a report: the document's text and the name are cleaned here (sanitize.py).
    """
    doc, source = clean_document(doc), clean_path(source)
    unreadable_below = (options or Options()).unreadable_confidence
    loc = locate(doc)
    r = Report(source=source, sha256=sha256, format=doc.format, encoding=doc.meta.get("encoding"))
    r.pages = dict(doc.meta.get("pages") or {})
    r.title, r.title_source, r.body, r.body_printed = loc.title, loc.title_source, loc.body, loc.body_printed
    r.year = loc.title_year or (loc.period_years[0] if loc.period_years and 2000 < loc.period_years[0] < 2100 else None)
    r.preamble, r.prose, r.sections, r.section_variants = loc.preamble, loc.prose, loc.sections, loc.section_variants
    r.period_years, r.signed = loc.period_years, loc.signed
    if loc.published:
        r.published, r.published_basis = loc.published, "metadata"
    elif loc.signed:
        r.published, r.published_basis = loc.signed, "signature"

    detected = {kind: detect_version(kind, tables) for kind, tables in loc.tables.items()}
    r.version = _report_version(detected, version_for_year(r.year), bool(loc.tables))
    if r.version is None:
        return r
    for kind in TABLE_KEYS:
        tables = loc.tables.get(kind)
        if tables:
            table_version, seen = detected[kind]
            prose = "\n".join(p.text for p in loc.prose) if any(t.runs for t in tables) else ""
            cells, info = extract_table(kind, table_version or r.version, tables, unreadable_below, prose, previous)
            info.fingerprints = seen
        else:
            cells, info = missing_table(kind, r.version)
        r.cells.update(cells)
        r.tables[kind] = info
    return r


def _report_version(detected: dict[str, tuple[str | None, dict[str, list[str]]]], by_year: str | None,
                    any_table: bool) -> str | None:
    """The version of the report: the year's where the tables show it, else what the tables show."""
    shown = [detected[k][0] for k in ("t2", "t3") if k in detected and detected[k][0]]
    if by_year and (by_year in shown or not shown):
        return by_year if any_table else None
    if shown:
        return shown[0]
    return "2021" if any_table else None


def parse_bytes(data: bytes, source: str = "<bytes>", options: Options | None = None, previous: Report | None = None
                ) -> Report:
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = read_bytes(data)
    except ReadError as exc:
        return Report(source=source, sha256=sha, error=exc.problem())
    del data  # the document holds the text now; do not keep the bytes through extraction
    return build_report(doc, source, sha, options, previous)


def parse_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, options: Options | None = None) -> Report:
    try:  # the bytes are handed over without a name here, so parse_bytes can release them
        return parse_bytes(load(Path(path), max_bytes), str(path), options)
    except ReadError as exc:  # from load: parse_bytes reports its own
        return Report(source=str(path), error=exc.problem())


def check_file(path: str | Path, options: Options | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    report = parse_file(path, max_bytes, options)
    if report.error is None:
        run_checks(report, options)
    return report

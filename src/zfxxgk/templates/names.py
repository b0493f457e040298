"""Names of cells, rows, columns, tables, sections, groups, blocks and topics, in Chinese and English.

Findings carry ids (t3.granted, t4.review, section 3); whoever shows them to people asks here for the
words. `version` picks the labels that format prints; without one (or for an id it lacks) the 2021
labels are used, then the 2019 ones. An unknown id is its own name, so nothing is ever lost.
"""

from __future__ import annotations

from functools import cache

from .formats import FORMATS
from .model import Column, Name, Row, SectionTemplate, TableTemplate

TABLE_KEYS = ("t2", "t3", "t4")


def _versions(version: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (version, "2021", "2019") if v in FORMATS))


@cache
def _cells() -> dict[tuple[str, str], Name]:
    names: dict[tuple[str, str], Name] = {}
    for version, fmt in FORMATS.items():
        for table in fmt.tables.values():
            for row in table.rows:
                for col in row.columns:
                    zh = col.label if not row.label else f"{row.label}·{col.label}"
                    en = col.en if not row.label else f"{row.en} / {col.en}"
                    names[(version, f"{row.id}.{col.id}")] = Name(zh, en)
    return names


def cell_name(cell_id: str, version: str | None = None) -> Name:
    """A cell as its format prints it: （一）予以公开·自然人 / granted / natural persons."""
    names = _cells()
    return next((names[(v, cell_id)] for v in _versions(version) if (v, cell_id) in names), Name(cell_id, cell_id))


def table(key: str, version: str | None = None) -> TableTemplate | None:
    return next((FORMATS[v].tables[key] for v in _versions(version) if key in FORMATS[v].tables), None)


def table_name(key: str, version: str | None = None) -> Name:
    """表三（依申请公开） / table 三 (applications)."""
    found = table(key, version)
    return found.name if found else Name(key, key)


def find_row(row_id: str, version: str | None = None) -> Row | None:
    key = row_id.split(".", 1)[0]
    for v in _versions(version):
        template = FORMATS[v].tables.get(key)
        if template and (row := template.row(row_id)):
            return row
    return None


def row_name(row_id: str, version: str | None = None) -> Name:
    """（一）予以公开 / granted; 规范性文件 in a 2019 report, 行政规范性文件 in a 2021 one."""
    row = find_row(row_id, version)
    return row.name if row else Name(row_id, row_id)


def column(column_id: str, key: str = "t3", version: str | None = None) -> Column | None:
    found = table(key, version)
    columns = {c.id: c for r in found.rows for c in r.columns} if found else {}
    return columns.get(column_id)


def column_name(column_id: str, key: str = "t3", version: str | None = None) -> Name:
    """A column of a table whose rows share their columns (表三 by default): 自然人 / natural persons."""
    found = column(column_id, key, version)
    return Name(found.label, found.en) if found else Name(column_id, column_id)


def section(number: int, version: str | None = None) -> SectionTemplate | None:
    return next((s for s in FORMATS[_versions(version)[0]].sections if s.number == number), None)


def section_title(number: int, version: str | None = None) -> Name:
    """The official title: 三、收到和处理政府信息公开申请情况 / 三 applications."""
    found = section(number, version)
    return found.name if found else Name(str(number), str(number))


def section_numeral(number: int) -> Name:
    """A section's number as each language counts it: 五 / 5."""
    found = section(number)
    return Name(found.numeral if found else str(number), str(number))


def group_name(group_id: str, version: str | None = None) -> Name:
    """（三）不予公开 / withheld; accepts the group's label as well as its id."""
    for v in _versions(version):
        for template in FORMATS[v].tables.values():
            if group := template.group(group_id):
                return group.name
    return Name(group_id, group_id)


def block_name(block_id: str) -> Name:
    """A block of 表四: 行政诉讼（未经复议直接起诉） / litigation without review."""
    for template in FORMATS["2021"].tables.values():
        for block in template.blocks:
            if block.id == block_id:
                return block.name
    return Name(block_id, block_id)


def topic_name(topic_id: str) -> Name:
    """Something a section must address: 政府信息管理 / information management."""
    for fmt in FORMATS.values():
        for s in fmt.sections:
            for topic in s.topics:
                if topic.id == topic_id:
                    return topic.name
    return Name(topic_id, topic_id)


def document(version: str) -> str:
    """The official document that set a format: 国办公开办函〔2021〕30号."""
    fmt = FORMATS.get(version)
    return fmt.document if fmt else version

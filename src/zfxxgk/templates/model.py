"""The shape of a format declaration: sections, tables, rows, columns, labels, units, cell ids.

Everything a module needs to know about the official format is a field here, filled in once in
formats.py / sections.py, so that no other module names a table, a row or a section by its words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ..normalize import core, norm

# The numbering an official label starts with: 一、 （一） 1.
_LEADING_NUMBER = ("、", "）", ".")


@dataclass(frozen=True, slots=True)
class Name:
    """A name in Chinese and English; `name[lang]` picks one (Chinese for any language but English)."""

    zh: str
    en: str

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def get(self, lang: str, default: str | None = None) -> str:
        return self[lang]


class ColumnKind(StrEnum):
    COUNT = "count"  # whole number >= 0
    SIGNED = "signed"  # whole number, may be negative (2019 本年增/减)
    AMOUNT = "amount"  # money, decimals allowed


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    label: str
    en: str
    kind: ColumnKind = ColumnKind.COUNT
    unit: str | None = None  # the template's unit (万元 for money); None for counts
    variants: tuple[str, ...] = ()
    # The header spanning this column and its neighbours in the official grid (表三 法人或其他组织).
    header: str | None = None
    # A total of the other columns of its row or block (表三 总计, 表四 each block's 总计).
    total: bool = False

    def problem(self, value: int | Decimal) -> str | None:
        """Why a value cannot stand in this column ("not_whole", "negative"), or None when it can.

        One definition for the check (VAL-NOT-COUNT) and the fill-in form: counts are whole numbers
        ≥ 0, the 2019 本年增/减 may be negative, amounts may have decimals but are not negative.
        """
        if self.kind is not ColumnKind.AMOUNT and isinstance(value, Decimal) and value != value.to_integral_value():
            return "not_whole"
        if self.kind is not ColumnKind.SIGNED and value < 0:
            return "negative"
        return None


class RowRole(StrEnum):
    """What a 表三 row does in the table's own relation (第一项加第二项之和，等于第三项加第四项之和)."""

    RECEIVED = "received"  # 一、本年新收 and 二、上年结转: the applications to handle
    OUTCOME = "outcome"  # one way an application was handled: （一）…（六） and their numbered rows
    TOTAL = "total"  # （七）总计: the sum of the outcomes
    FORWARD = "forward"  # 四、结转下年度继续办理


@dataclass(frozen=True, slots=True)
class Group:
    """Rows printed under one label: a 表二 block caption or a 表三 group such as （三）不予公开.

    Rows name their group by its label (`Row.group`); the id is what findings carry.
    """

    id: str
    label: str
    en: str

    @property
    def name(self) -> Name:
        return Name(self.label, self.en)


@dataclass(frozen=True, slots=True)
class Block:
    """One of 表四's three blocks of columns; its columns' ids start with the block id."""

    id: str
    label: str  # the header path as the column labels carry it: 行政诉讼·未经复议直接起诉
    name: Name  # as messages call it: 行政诉讼（未经复议直接起诉）


@dataclass(frozen=True, slots=True)
class Row:
    """A data row: one label and its value columns. `id` is the cell-id prefix (t3.granted)."""

    id: str
    label: str
    en: str
    columns: tuple[Column, ...]
    variants: tuple[str, ...] = ()
    # Generic labels ("3.其他") only match with their numbering, never by keywords alone.
    strict: bool = False
    # The label grouping it: a 表二 block caption (第二十条第（一）项) or a 表三 group (（三）不予公开).
    group: str | None = None
    role: RowRole | None = None
    ids: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: the extractor asks for a row's ids for every printed row.
        object.__setattr__(self, "ids", tuple(f"{self.id}.{c.id}" for c in self.columns))

    def cell_ids(self) -> tuple[str, ...]:
        return self.ids

    @property
    def name(self) -> Name:
        return Name(self.label, self.en)

    @property
    def bare(self) -> str:
        """The label without its leading numbering, as prose names the row (结转下年度继续办理)."""
        for mark in _LEADING_NUMBER:
            head, sep, rest = self.label.partition(mark)
            if sep and rest and len(head) <= 3 and core(head + sep) == "":
                return rest
        return self.label

    def match_keys(self) -> set[str]:
        labels = (self.label, *self.variants)
        if self.strict:
            return {norm(x) for x in labels}
        return {core(x) for x in labels} | {norm(x) for x in labels}


@dataclass(frozen=True, slots=True)
class TableTemplate:
    key: str  # t2, t3, t4
    version: str
    title: str  # the official title: the title of the section the table stands in
    rows: tuple[Row, ...]
    # Labels that structure the table but carry no numbers: captions, group labels, header labels.
    structure_labels: tuple[str, ...]
    # Header labels a complete table prints (FMT-HEADER-INCOMPLETE when absent).
    header_labels: tuple[str, ...]
    header_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Label strings that only this version prints (format.md §3.6).
    fingerprints: tuple[str, ...] = ()
    # Data rows without a label (table 四): values are read from the first unlabelled value row.
    unlabelled: bool = False
    # How people call the table: 表二 (a form's sheet), 表二（主动公开） / table 二 (…) in messages.
    short: str = ""
    name: Name = Name("", "")
    section: int = 0  # the section (二/三/四) it stands in
    groups: tuple[Group, ...] = ()
    blocks: tuple[Block, ...] = ()
    # Labels too common to tell which table a cell belongs to (总计, 其他, 信息内容).
    generic_labels: tuple[str, ...] = ()
    # Rows that print fewer values than columns hold their last ones (a zero row printing only its 总计).
    right_aligned: bool = False
    # A column header some reports subtotal in an extra column before its columns (APP-SUBTOTAL-COLUMN).
    subtotal_header: str | None = None
    # Some reports print a subtotal row under a group label (表三 （三）不予公开…, APP-SUBTOTAL-ROW).
    subtotal_groups: bool = False
    # Rows whose label followed directly by numbers shows this version (2019's single （六）其他处理
    # row: the 2021 table prints the same words as a group label over three rows).
    fingerprint_rows: tuple[str, ...] = ()
    # When both versions' fingerprints appear, the version with more of them wins (表二: 2019 tables
    # also write 行政规范性文件); otherwise a table showing both is undecided.
    majority_fingerprints: bool = False
    # Cells of the official grid that are not row or column labels (layout):
    corner: str | None = None  # above the row labels: 表二 信息内容, 表三 the relation note
    header: str | None = None  # spanning all value columns: 表三 申请人情况
    outcome_label: str | None = None  # spanning the outcome and total rows: 表三 三、本年度办理结果

    def cell_ids(self) -> list[str]:
        return [cid for row in self.rows for cid in row.cell_ids()]

    def row(self, row_id: str) -> Row | None:
        return next((r for r in self.rows if r.id == row_id), None)

    def rows_with(self, *roles: RowRole) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.role in roles)

    def group(self, key: str) -> Group | None:
        """A group by its id or its label (as Row.group and the extractor name it)."""
        return next((g for g in self.groups if key in (g.id, g.label)), None)

    def group_rows(self, group: Group) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.group == group.label)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The value columns, when every row has the same ones (表三, 表四)."""
        return self.rows[0].columns


@dataclass(frozen=True, slots=True)
class Topic:
    """Something a prose section must address (format.md §1.1), by id; rules find it by keywords."""

    id: str
    name: Name
    governments_only: bool = False  # only reports of a 人民政府 must address it
    heading: str = ""  # how a generated report heads the item (defaults to the name)
    default: str = ""  # what a generated report says when the user wrote nothing ("" → placeholder)


@dataclass(frozen=True, slots=True)
class SectionTemplate:
    """One of the six sections: number, official title, how to recognise it, what it holds."""

    number: int
    numeral: str
    title: str  # official wording without the numbering: 总体情况
    en: str
    # Words a (renamed or unnumbered) title carries; `excludes` rule a title out (二 never says 申请).
    keywords: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()  # renamed titles seen in published reports (format.md §1.2)
    table: str | None = None  # the standard table it holds
    topics: tuple[Topic, ...] = ()
    itemised: bool = False  # its topics are reported as numbered items （一）…（四） (六 in 2021)
    optional: bool = False  # nothing is required: a report with nothing to say writes 无 (六 in 2019)

    @property
    def official(self) -> str:
        return f"{self.numeral}、{self.title}"

    @property
    def name(self) -> Name:
        return Name(self.official, f"{self.numeral} {self.en}")


@dataclass(frozen=True, slots=True)
class Format:
    version: str
    name: str
    document: str
    years: range
    tables: dict[str, TableTemplate]
    sections: tuple[SectionTemplate, ...] = ()

    def cell_ids(self) -> list[str]:
        return [cid for table in self.tables.values() for cid in table.cell_ids()]

    def section(self, number: int) -> SectionTemplate:
        return next(s for s in self.sections if s.number == number)

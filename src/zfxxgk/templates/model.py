"""The shape of a format declaration: tables, rows, columns, labels, units, cell ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..normalize import core, norm


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
    ids: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: the extractor asks for a row's ids for every printed row.
        object.__setattr__(self, "ids", tuple(f"{self.id}.{c.id}" for c in self.columns))

    def cell_ids(self) -> tuple[str, ...]:
        return self.ids

    def match_keys(self) -> set[str]:
        labels = (self.label, *self.variants)
        if self.strict:
            return {norm(x) for x in labels}
        return {core(x) for x in labels} | {norm(x) for x in labels}


@dataclass(frozen=True, slots=True)
class TableTemplate:
    key: str  # t2, t3, t4
    version: str
    title: str
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

    def cell_ids(self) -> list[str]:
        return [cid for row in self.rows for cid in row.cell_ids()]


@dataclass(frozen=True, slots=True)
class Format:
    version: str
    name: str
    document: str
    years: range
    tables: dict[str, TableTemplate]

    def cell_ids(self) -> list[str]:
        return [cid for table in self.tables.values() for cid in table.cell_ids()]


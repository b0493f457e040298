"""Synthetic reports for tests: complete annual reports written as text in the seed style.

`render_report(cells, version)` writes a whole report (title, six numbered sections, the three
standard tables with one cell per tab-prefixed line and a blank line between rows) from a dict
{cell_id: value}. Labels, row order and cell ids come from `zfxxgk.templates.FORMATS`; the prose
addresses every topic the content rules look for, so a consistent report gets no finding at all.

`consistent_cells(version, source)` draws values that satisfy every certain relation (APP-BALANCE,
APP-ROW-SUM, APP-OUTCOME-SUM, LIT-SUM, ACT-ITEMS-NEGATIVE) and the strong ones (ACT-STOCK,
ACT-PUBLISHED-TOTAL, ACT-PROCUREMENT-PAIR); it also keeps ACT-MADE-NOT-PUBLISHED and
LIT-WITHOUT-APPLICATIONS quiet. `source` is a `random.Random` or a hypothesis `DataObject`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from zfxxgk.templates import FORMATS, ColumnKind, Row, TableTemplate
from zfxxgk.templates.formats import T3_COLUMNS

Value = int | Decimal | str  # a str is printed as is: "" (blank), "/", "见附件"

TOWNSHIP = "某某乡人民政府"  # has no rule-making power: its 规章 row must be 0
PROVINCE = "某某省人民政府"  # may make 规章
DEFAULT_YEAR = {"2019": 2020, "2021": 2021}

T3_APPLICANTS = [c.id for c in T3_COLUMNS[:-1]]
T3_ORGS = [c.id for c in T3_COLUMNS[1:-1]]
T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_PARTS = ("upheld", "corrected", "other", "pending")

_T3_TOP_LEVEL = ("t3.new_received", "t3.carried_over", "t3.carried_forward")  # rows printed without indent

SECTION1 = (
    "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好主动公开工作，"
    "规范依申请公开办理流程，加强政府信息管理和保密审查，依托门户网站和政务新媒体推进平台建设，"
    "强化监督保障，建立工作考核、社会评议和责任追究制度。"
)
SECTION5 = (
    "本年度政府信息公开工作取得一定成效，但仍存在公开内容不够全面、更新不够及时等问题。"
    "下一步将加强业务培训，完善工作机制，提高政务公开工作水平。"
)
SECTION6_2021 = (
    "本年度按照《政府信息公开信息处理费管理办法》执行信息处理费收取工作，收费通知的发出情况已如实统计。"
    "认真落实上级年度政务公开工作要点，做好人大代表建议和政协提案办理结果公开，积极推进政务公开工作创新。"
)
SECTION6_2019 = "本年度没有其他需要报告的事项。"


def t2_rows(version: str) -> tuple[Row, ...]:
    return FORMATS[version].tables["t2"].rows


def t3_rows(version: str) -> tuple[Row, ...]:
    return FORMATS[version].tables["t3"].rows


def t3_outcome_rows(version: str) -> list[str]:
    """Row ids whose sum is the （七）总计 row: （一） … （六）."""
    ids = [r.id for r in t3_rows(version)]
    return ids[ids.index("t3.granted") : ids.index("t3.total")]


def cell_ids(version: str) -> list[str]:
    return FORMATS[version].cell_ids()


def zero_cells(version: str) -> dict[str, Value]:
    return dict.fromkeys(cell_ids(version), 0)


def with_totals(cells: Mapping[str, Value], version: str) -> dict[str, Value]:
    """Fill in the derived cells: every 表三 总计 column, the （七）总计 row, and each 表四 总计.

    The applicant columns of the outcome rows and of the 一/二/四 rows must be given (missing = 0);
    APP-BALANCE is the caller's business.
    """
    out: dict[str, Value] = {cid: cells.get(cid, 0) for cid in cell_ids(version)}
    for col in T3_APPLICANTS:
        out[f"t3.total.{col}"] = sum(int(out[f"{r}.{col}"]) for r in t3_outcome_rows(version))
    for row in t3_rows(version):
        out[f"{row.id}.total"] = sum(int(out[f"{row.id}.{c}"]) for c in T3_APPLICANTS)
    for block in T4_BLOCKS:
        out[f"t4.{block}.total"] = sum(int(out[f"t4.{block}.{p}"]) for p in T4_PARTS)
    return out


# ------------------------------------------------------------------ rendering
def _show(value: Value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _row(*cells: str) -> list[str]:
    return [f"\t{c}" for c in cells] + [""]


def _table2(cells: Mapping[str, Value], version: str) -> list[str]:
    """Each block: its caption (the rows' group, 第二十条第（…）项), a header row, its rows."""
    template = FORMATS[version].tables["t2"]
    item = next(s for s in template.structure_labels if s == "信息内容")
    lines: list[str] = []
    block: str | None = None
    for row in template.rows:
        if row.group != block:
            block = row.group
            lines += _row(block or "")
            lines += _row(item, *(c.label for c in row.columns))
        lines += _row(row.label, *(_show(cells.get(cid, 0)) for cid in row.cell_ids()))
    return lines


def _table3(cells: Mapping[str, Value], version: str, subtotal_column: bool | Mapping[str, Value],
            subtotal_rows: Mapping[str, Sequence[Value]]) -> list[str]:
    template = FORMATS[version].tables["t3"]
    caption, outcome_caption = template.structure_labels[0], template.structure_labels[1]
    headers = template.header_labels  # 申请人情况 自然人 法人或其他组织 商业企业 … 其他 总计
    lines = _row(caption, headers[0])
    lines += _row("", headers[1], headers[2], headers[-1])
    lines += _row("", "", *headers[3:-1], "")
    seen_groups: set[str] = set()
    for row in template.rows:
        values = [_show(cells.get(cid, 0)) for cid in row.cell_ids()]
        if subtotal_column is not False:
            given = subtotal_column if isinstance(subtotal_column, Mapping) else {}
            sub = given.get(row.id, sum(int(cells.get(f"{row.id}.{c}", 0)) for c in T3_ORGS))
            values.insert(1, _show(sub))
        if row.id in _T3_TOP_LEVEL:
            lines += _row(row.label, *values)
        elif row.id == "t3.granted":
            lines += _row(outcome_caption, row.label, *values)
        elif row.group is None:
            lines += _row("", row.label, *values)
        elif row.group in seen_groups:
            lines += _row("", "", row.label, *values)
        else:
            seen_groups.add(row.group)
            if row.group in subtotal_rows:
                lines += _row("", row.group, *(_show(v) for v in subtotal_rows[row.group]))
                lines += _row("", "", row.label, *values)
            else:
                lines += _row("", row.group, row.label, *values)
    return lines


def _table4(cells: Mapping[str, Value], version: str) -> list[str]:
    template: TableTemplate = FORMATS[version].tables["t4"]
    (row,) = template.rows
    blocks = list(dict.fromkeys(c.label.rsplit("·", 1)[0] for c in row.columns))  # 行政复议, 行政诉讼·…
    results = [c.label.rsplit("·", 1)[1] for c in row.columns[: len(row.columns) // len(blocks)]]
    review, litigation = blocks[0], blocks[1].split("·")[0]
    lawsuits = [b.split("·")[1] for b in blocks[1:]]
    lines = _row(review, litigation)
    lines += _row(*results, *lawsuits)
    lines += _row(*([""] * len(results)), *results * len(lawsuits))
    lines += _row(*(_show(cells.get(cid, 0)) for cid in row.cell_ids()))
    return lines


def render_report(
    cells: Mapping[str, Value],
    version: str,
    *,
    body: str = TOWNSHIP,
    year: int | None = None,
    section6: str | None = None,
    subtotal_column: bool | Mapping[str, Value] = False,
    subtotal_rows: Mapping[str, Sequence[Value]] | None = None,
) -> str:
    """A whole report as text. Cells absent from `cells` are printed as 0.

    subtotal_column: print a non-standard 法人或其他组织 小计 column after 自然人 in 表三 (True: the
    correct sums; a mapping row id -> value overrides single rows).
    subtotal_rows: group label ("（三）不予公开") -> the 7 values of a subtotal row printed above its items.
    """
    year = year or DEFAULT_YEAR[version]
    if section6 is None:
        section6 = SECTION6_2021 if version == "2021" else SECTION6_2019
    intro = "该部分以表格形式报告。"
    lines = [f"{body}{year}年政府信息公开工作年度报告", ""]
    lines += ["一、总体情况", SECTION1, ""]
    lines += ["二、主动公开政府信息情况", intro, *_table2(cells, version), ""]
    lines += ["三、收到和处理政府信息公开申请情况", intro,
              *_table3(cells, version, subtotal_column, subtotal_rows or {}), ""]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", intro, *_table4(cells, version), ""]
    lines += ["五、存在的主要问题及改进情况", SECTION5, ""]
    lines += ["六、其他需要报告的事项", section6, ""]
    return "\n".join(lines)


# ------------------------------------------------------------------ consistent values
class _Draw(Protocol):
    def integer(self, lo: int, hi: int) -> int: ...


class _RandomDraw:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class _HypothesisDraw:
    def __init__(self, data: Any) -> None:
        self.data = data

    def integer(self, lo: int, hi: int) -> int:
        from hypothesis import strategies as st

        return int(self.data.draw(st.integers(lo, hi)))


_SCALES = (0, 1, 3, 20, 500, 10**6)  # largest count in a report: from all zeros to very large


def consistent_cells(version: str, source: random.Random | Any, *, regulations: bool = False) -> dict[str, Value]:
    """Values satisfying every certain and strong relation of `version`.

    regulations=False keeps the 规章 row at 0 (a township cannot make rules, ACT-REGULATIONS-POWER).
    """
    draw: _Draw = _RandomDraw(source) if isinstance(source, random.Random) else _HypothesisDraw(source)
    scale = _SCALES[draw.integer(0, len(_SCALES) - 1)]

    def count(hi: int | None = None) -> int:
        top = scale if hi is None else hi
        # Half the cells are 0, as in real reports.
        return 0 if top == 0 or draw.integer(0, 1) == 0 else draw.integer(0, top)

    def amount() -> Decimal:
        return Decimal(count(scale * 100)) / 100

    cells: dict[str, Value] = zero_cells(version)
    # 表三: per applicant column, outcomes and carried forward freely, then 一 + 二 = （七） + 四.
    for col in T3_APPLICANTS:
        for row_id in t3_outcome_rows(version):
            cells[f"{row_id}.{col}"] = count()
        handled = sum(int(cells[f"{r}.{col}"]) for r in t3_outcome_rows(version))
        forward = count()
        over = draw.integer(0, handled + forward)
        cells[f"t3.carried_forward.{col}"] = forward
        cells[f"t3.carried_over.{col}"] = over
        cells[f"t3.new_received.{col}"] = handled + forward - over
    # 表四: free parts; cases only when there were applications (LIT-WITHOUT-APPLICATIONS).
    any_applications = any(int(cells[f"t3.{r}.{c}"]) for r in ("new_received", "carried_over") for c in T3_APPLICANTS)
    for block in T4_BLOCKS:
        for part in T4_PARTS:
            cells[f"t4.{block}.{part}"] = count() if any_applications else 0
    # 表二
    doc_rows = ("t2.regulations", "t2.normative_docs") if regulations else ("t2.normative_docs",)
    if version == "2019":
        for row in doc_rows:
            made = count()
            published = made + count()  # made <= published (ACT-MADE-NOT-PUBLISHED)
            cells[f"{row}.new_made"], cells[f"{row}.new_published"] = made, published
            cells[f"{row}.total_published"] = published + count()  # ACT-PUBLISHED-TOTAL
        for row in ("t2.licensing", "t2.other_services", "t2.punishment", "t2.coercion", "t2.fees"):
            prev = count()
            cells[f"{row}.prev_items"] = prev
            cells[f"{row}.change"] = draw.integer(-prev, max(prev, scale))  # ACT-ITEMS-NEGATIVE
            if f"{row}.decisions" in cells:
                cells[f"{row}.decisions"] = count()
        projects = count()
        cells["t2.procurement.projects"] = projects
        # ACT-PROCUREMENT-PAIR: both zero or both non-zero.
        cells["t2.procurement.amount"] = Decimal(draw.integer(1, 10**8)) / 100 if projects else 0
    else:
        for row in doc_rows:
            issued, repealed = count(), count()
            cells[f"{row}.issued"], cells[f"{row}.repealed"] = issued, repealed
            cells[f"{row}.in_force"] = max(0, issued - repealed) + count()  # ACT-STOCK
        for row in ("t2.licensing", "t2.punishment", "t2.coercion"):
            cells[f"{row}.decisions"] = count()
        cells["t2.fees.amount"] = amount()
    # The derived totals.
    return with_totals(cells, version)


def columns_of(version: str, kind: ColumnKind) -> list[str]:
    """Cell ids of one column kind (count, signed, amount)."""
    return [f"{row.id}.{col.id}" for table in FORMATS[version].tables.values() for row in table.rows
            for col in row.columns if col.kind is kind]

"""Carrying last year's report into this year's: 上年结转 from 结转下年度继续办理, and 现行有效件数 shown.

`carried_over` (二、上年结转政府信息公开申请数量) must equal last year's `carried_forward`
(四、结转下年度继续办理), column by column. For the 2021 format, last year's `in_force` (现行有效件数)
is shown beside each row as a hint, since this year's = last year's + issued − repealed when no
clean-up happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report import Report
from ..templates import FORMATS, RowRole
from ..values import Number
from .layout import format_number

_T3 = FORMATS["2021"].tables["t3"]  # the rows carried are the same in both formats
_FORWARD = _T3.rows_with(RowRole.FORWARD)[0]  # last year's 结转下年度继续办理 …
_CARRIED_OVER = _T3.row("t3.carried_over")  # … is this year's 上年结转
assert _CARRIED_OVER is not None
_IN_FORCE = "in_force"  # the 2021 表二 column of documents in force


@dataclass(slots=True)
class Prefill:
    year: int | None
    values: dict[str, Number] = field(default_factory=dict)  # cell id -> value to fill in
    hints: dict[str, str] = field(default_factory=dict)  # cell id -> text shown beside the cell
    last_in_force: dict[str, Number] = field(default_factory=dict)  # this year's cell id -> last year's value

    def note(self, cell_id: str) -> str:
        return f"按{self.year or '上'}年报告“{_FORWARD.bare}”预填" if cell_id in self.values else ""


def prefill_from(last: Report) -> Prefill:
    out = Prefill(last.year)
    for col in _T3.columns:
        value = last.number(f"{_FORWARD.id}.{col.id}")
        if value is not None:
            out.values[f"{_CARRIED_OVER.id}.{col.id}"] = value
    for row in FORMATS["2021"].tables["t2"].rows:
        for c in row.columns:
            if c.id == _IN_FORCE:
                cid = f"{row.id}.{c.id}"
                value = last.number(cid)
                if value is not None:
                    out.last_in_force[cid] = value
                    out.hints[cid] = f"上年（{last.year or '—'}年）{c.label}：{format_number(value)}"
    return out

"""The official grids (format.md §3) derived from templates/formats.py."""

from __future__ import annotations

from zfxxgk.outputs.layout import Role, grid


def _spans(key: str, version: str) -> list[tuple[str, int, int, int, int]]:
    return [(s.text, s.row, s.col, s.rowspan, s.colspan) for row in grid(key, version).rows for s in row
            if s.role is not Role.VALUE and (s.rowspan > 1 or s.colspan > 1)]


def test_table3_2021_merges() -> None:
    g = grid("t3", "2021")
    assert g.width == 10 and len(g.rows) == 28  # as the official blank template: 28 rows × 10 columns
    assert len(g.values()) == 175
    spans = _spans("t3", "2021")
    assert spans[:3] == [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0, 3, 3),
                         ("申请人情况", 0, 3, 1, 7), ("自然人", 1, 3, 2, 1)]
    assert ("三、本年度办理结果", 5, 0, 22, 1) in spans
    assert ("（三）不予公开", 7, 1, 8, 1) in spans
    assert ("（四）无法提供", 15, 1, 3, 1) in spans
    assert ("（五）不予处理", 18, 1, 5, 1) in spans
    assert ("（六）其他处理", 23, 1, 3, 1) in spans
    assert ("（七）总计", 26, 1, 1, 2) in spans
    assert ("四、结转下年度继续办理", 27, 0, 1, 3) in spans


def test_table3_2019_has_single_other_row() -> None:
    g = grid("t3", "2019")
    assert len(g.rows) == 26 and len(g.values()) == 161
    assert ("三、本年度办理结果", 5, 0, 20, 1) in _spans("t3", "2019")
    assert ("（六）其他处理", 23, 1, 1, 2) in _spans("t3", "2019")


def test_table2_and_table4() -> None:
    t2 = grid("t2", "2021")
    assert (t2.width, len(t2.rows), len(t2.values())) == (4, 14, 10)  # the template's 14 × 4
    assert [(s.text, s.colspan) for s in t2.rows[5]] == [("信息内容", 1), ("本年处理决定数量", 3)]
    t2_2019 = grid("t2", "2019")
    assert len(t2_2019.values()) == 22
    assert [s.text for s in t2_2019.rows[0]] == ["第二十条第（一）项"]
    t4 = grid("t4", "2021")
    assert (t4.width, len(t4.rows), len(t4.values())) == (15, 4, 15)
    assert [(s.text, s.colspan) for s in t4.rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [(s.text, s.rowspan, s.colspan) for s in t4.rows[1]][4:] == [
        ("总计", 2, 1), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)]

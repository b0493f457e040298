"""The Word output: real merged cells as in the official blank template, fonts and page set-up."""

from __future__ import annotations

import io

import docx
import pytest

from zfxxgk.outputs.compose import compose
from zfxxgk.outputs.render_docx import render_docx

from .conftest import FIXTURES
from .outputs_helpers import synthetic


@pytest.fixture(scope="module")
def ours() -> bytes:
    """The synthetic 2021 report rendered once (python-docx takes about a second), read by both tests."""
    return render_docx(compose(synthetic("2021", 2024)))


def _shape(table) -> list[list[tuple[int, str | None]]]:  # type: ignore[no-untyped-def]
    return [[(tc.grid_span, tc.vMerge) for tc in row._tr.tc_lst] for row in table.rows]


@pytest.mark.slow
def test_merges_match_the_official_template(ours: bytes) -> None:
    mine_doc = docx.Document(io.BytesIO(ours))
    official = docx.Document(str(FIXTURES / "real" / "template-2021-blank.docx"))
    assert len(mine_doc.tables) == len(official.tables) == 3
    for mine, theirs in zip(mine_doc.tables, official.tables, strict=True):
        assert _shape(mine) == _shape(theirs)


@pytest.mark.slow
def test_page_fonts_and_explicit_numbers(ours: bytes) -> None:
    d = docx.Document(io.BytesIO(ours))
    s = d.sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(s.top_margin.cm, 1), round(s.left_margin.cm, 1)) == (3.7, 2.8)
    titles = [p.text for p in d.paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert titles == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                      "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    heading = next(p for p in d.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    t3 = d.tables[1]
    assert [c.text for c in t3.rows[3].cells][3:] == [str(n) for n in range(11, 18)]  # after the 10 cells of 表二
    t2 = d.tables[0]
    assert t2.rows[13].cells[1].text == "10.25"  # 本年收费金额（单位：万元）, the 10th cell of the 2021 format

"""Word (.docx/.doc/.wps/.rtf) and LibreOffice-made HTML: every value cell read back exactly."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from zfxxgk import check_file
from zfxxgk.document import Paragraph, Table
from zfxxgk.pipeline import parse_bytes, parse_file
from zfxxgk.readers import read_bytes, sniff
from zfxxgk.readers.libreoffice import convert_files, read_many
from zfxxgk.values import parse_value

from .office_helpers import TEMPLATE_2021, build_docx, distinct_values, fill_template, one_libreoffice_call

CONVERSIONS = {"doc": "doc:MS Word 97", "rtf": "rtf", "html": "html:HTML (StarWriter)"}


def _assert_cells(report, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert report.error is None, report.error
    assert set(report.cells) == set(values)
    wrong = {cid: (values[cid], report.cells[cid].raw) for cid in values if report.cells[cid].raw != values[cid]}
    assert wrong == {}
    for cid, raw in values.items():
        assert report.cells[cid].value == parse_value(raw).value
        assert report.cells[cid].kind == "number"


@pytest.fixture(scope="session")
def word_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return {
        "template": fill_template(distinct_values("2021")),
        "built2019": build_docx("2019", distinct_values("2019")),
        "built2021": build_docx("2021", distinct_values("2021"), year=2022),
    }


@pytest.fixture(scope="session")
def converted(word_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each Word file converted to .doc, .rtf and .html: one LibreOffice call per target format."""
    root = tmp_path_factory.mktemp("lo")
    inputs = []
    for name, data in word_files.items():
        path = root / f"{name}.docx"
        path.write_bytes(data)
        inputs.append(path)
    out: dict[tuple[str, str], Path] = {}
    for ext, target in CONVERSIONS.items():
        results = convert_files(inputs, target, root / ext)
        for path, result in zip(inputs, results, strict=True):
            assert result is not None, (path, target)
            out[(path.stem, ext)] = result
    return out


@pytest.fixture(scope="module")
def read_back(converted: dict[tuple[str, str], Path]) -> Iterator[None]:
    """The .doc and .rtf files read back through LibreOffice in one call for the whole module:
    parse_file then sniffs and reads them as usual without starting LibreOffice per file."""
    items = [(path.read_bytes(), ext) for (_, ext), path in converted.items() if ext != "html"]
    with one_libreoffice_call(items) as batch:
        assert all(not isinstance(r, Exception) for r in batch.results), batch.results
        yield
    # the readers did take the batch (a change in readers/libreoffice.py would silently convert per file)
    assert batch.served >= len(items)


# ---------------------------------------------------------------- the official blank template
def test_blank_template_is_a_complete_2021_report_with_every_cell_blank() -> None:
    report = check_file(TEMPLATE_2021)
    assert report.error is None
    assert report.format == "docx"
    assert report.version == "2021"
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert len(report.cells) == 200
    assert Counter(c.kind for c in report.cells.values()) == {"blank": 200}
    assert all(c.raw == "" for c in report.cells.values())
    blank = [f for f in report.findings if f.code == "VAL-BLANK"]
    assert sum(len(f.cells) for f in blank) == 200
    assert [f for f in report.findings if f.severity == "error"] == []


def test_blank_template_structure_and_sources() -> None:
    doc = read_bytes(TEMPLATE_2021.read_bytes())
    tables = doc.tables
    assert [len(t.rows) for t in tables] == [14, 28, 4]
    # 表三 h0: the note cell covers three rows and three columns; 申请人情况 spans the 7 value columns.
    note, applicants = tables[1].rows[0]
    assert (note.rowspan, note.colspan, applicants.col, applicants.colspan) == (3, 3, 3, 7)
    # vMerge continuations are not repeated: 三、本年度办理结果 spans 22 rows and appears once.
    result = [c for row in tables[1].rows for c in row if c.text == "三、本年度办理结果"]
    assert len(result) == 1 and result[0].rowspan == 22 and result[0].row == 5
    # The row of 2.其他法律行政法规禁止公开 holds only its label and 7 values.
    row = next(r for r in tables[1].rows if r and r[0].text == "2.其他法律行政法规禁止公开")
    assert [c.col for c in row] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert row[0].source.table == 2 and row[0].source.col == 3
    assert tables[2].rows[3][14].source.to_json() == {"table": 3, "row": 4, "col": 15}
    titles = [p for p in doc.paragraphs if p.text == "三、收到和处理政府信息公开申请情况"]
    assert len(titles) == 1 and titles[0].source.paragraph == 19


# ---------------------------------------------------------------- filled Word files
def test_filled_template_docx_every_cell(word_files: dict[str, bytes]) -> None:
    report = parse_bytes(word_files["template"])
    assert report.version == "2021"
    _assert_cells(report, distinct_values("2021"))


def test_built_2019_docx_every_cell_and_headings(word_files: dict[str, bytes]) -> None:
    report = parse_bytes(word_files["built2019"])
    assert (report.version, report.year, report.body) == ("2019", 2020, "测试镇人民政府")
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    _assert_cells(report, distinct_values("2019"))
    doc = read_bytes(word_files["built2019"])
    levels = {b.text: b.level for b in doc.blocks if isinstance(b, Paragraph)}
    assert levels["测试镇人民政府2020年政府信息公开工作年度报告"] == 1  # Title style
    assert levels["二、主动公开政府信息情况"] == 1  # Heading 1
    assert levels["测试镇人民政府"] is None
    # Body order: heading 二, then its table.
    kinds = ["T" if isinstance(b, Table) else b.text[:2] for b in doc.blocks]
    assert kinds[kinds.index("二、") + 1] == "T"


@pytest.mark.libreoffice
@pytest.mark.parametrize("ext", ["doc", "rtf", "html"])
@pytest.mark.parametrize("name", ["template", "built2019", "built2021"])
def test_converted_by_libreoffice_every_cell(converted: dict[tuple[str, str], Path], read_back: None, ext: str,
                                            name: str) -> None:
    path = converted[(name, ext)]
    report = parse_file(path)
    assert report.format == ext
    version = "2019" if name == "built2019" else "2021"
    assert report.version == version
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    _assert_cells(report, distinct_values(version))


@pytest.mark.libreoffice
def test_wps_and_wrong_extensions_are_sniffed_by_content(converted: dict[tuple[str, str], Path], read_back: None,
                                                        tmp_path: Path) -> None:
    doc_bytes = converted[("template", "doc")].read_bytes()
    html_bytes = converted[("template", "html")].read_bytes()
    for name, data, kind in (("report.wps", doc_bytes, "doc"), ("report", doc_bytes, "doc"),
                             ("report.doc", html_bytes, "html"), ("report.txt", html_bytes, "html")):
        path = tmp_path / name
        path.write_bytes(data)
        assert sniff(data) == kind
        report = parse_file(path)
        assert report.format == kind
        _assert_cells(report, distinct_values("2021"))


def test_docx_renamed_doc_is_read_as_docx(word_files: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "report.doc"
    path.write_bytes(word_files["template"])
    report = parse_file(path)
    assert report.format == "docx"
    _assert_cells(report, distinct_values("2021"))


# ---------------------------------------------------------------- Word grid details
def _docx_with(body_xml: str) -> bytes:
    """A .docx whose body is the given WordprocessingML (w: and friends declared)."""
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    wrapper = parse_xml(f"<w:body {ns}>{body_xml}</w:body>")
    for child in reversed(list(wrapper)):
        body.insert(0, child)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_grid_before_after_spans_and_vmerge() -> None:
    rows = (
        "<w:tr>" + _tc("A", '<w:vMerge w:val="restart"/>') + _tc("B", '<w:gridSpan w:val="2"/>') + _tc("C") + "</w:tr>"
        # WPS: a row starting one grid column in, ending one early
        + '<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>' + _tc("D") + _tc("E") + "</w:tr>"
        + "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("F") + _tc("G") + _tc("H") + "</w:tr>"
    )
    grid = '<w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>'
    doc = read_bytes(_docx_with(f"<w:p><w:r><w:t>前言</w:t></w:r></w:p><w:tbl>{grid}{rows}</w:tbl>"
                                "<w:p><w:r><w:t>后记</w:t></w:r></w:p>"))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    table = doc.tables[0]
    cells = [[(c.text, c.row, c.col, c.rowspan, c.colspan) for c in row] for row in table.rows]
    # A's vMerge restarts at row 0 but row 1 has no cell at column 0 (gridBefore): the merge
    # continues in row 2, so A covers rows 0-2.
    assert cells == [
        [("A", 0, 0, 3, 1), ("B", 0, 1, 1, 2), ("C", 0, 3, 1, 1)],
        [("D", 1, 1, 1, 1), ("E", 1, 2, 1, 1)],
        [("F", 2, 1, 1, 1), ("G", 2, 2, 1, 1), ("H", 2, 3, 1, 1)],
    ]
    assert doc.paragraphs[1].source.paragraph == 2


def test_nested_layout_table_and_text_box() -> None:
    inner = "<w:tbl>" + "".join("<w:tr>" + _tc("规章") + _tc(str(r * 10)) + "</w:tr>" for r in range(2)) + "</w:tbl>"
    # One-cell layout frame around a heading and a real table.
    frame = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p>" + inner
             + "<w:p/></w:tc></w:tr></w:tbl>")
    box = ('<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/>'
           '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r>'
           '</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
           '<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>另一个文本框</w:t></w:r></w:p>'
           '</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')
    doc = read_bytes(_docx_with(frame + box))
    texts = [b.text if isinstance(b, Paragraph) else b.texts() for b in doc.blocks]
    assert texts == ["二、主动公开政府信息情况", [["规章", "0"], ["规章", "10"]], "正文", "另一个文本框"]
    assert doc.tables[0].index == 1 and doc.tables[0].source.table == 1


@pytest.mark.libreoffice
def test_libreoffice_batch_converts_many_files_in_one_call() -> None:
    # Three files, one LibreOffice call; the damaged one fails alone.
    rtf = (b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0 \\uc1 \\u25919?\\u24220? report\\par}")
    results = read_many([(rtf, "rtf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "doc"), (rtf, "rtf")])
    assert [type(r).__name__ for r in results] == ["Document", "ReadError", "Document"]
    assert results[0].paragraphs[0].text == "政府 report"  # type: ignore[union-attr]
    assert results[0].format == "rtf"  # type: ignore[union-attr]

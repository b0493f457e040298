"""Body, year and publication date wherever a document shows them (issue 13 §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zfxxgk import parse_bytes, run_checks

from .conftest import fixture_files

# What each fixture prints: title, body, year, statistical period, publication date (or signature).
EXPECTED = {
    "000": ("夹河子乡政府信息公开工作2020年度报告", "夹河子乡", 2020, [], None),
    "001": ("平等乡人民政府2020年政府信息公开工作年度报告", "平等乡人民政府", 2020, [], None),
    "002": ("波密县玉许乡人民政府2020年政府信息公开工作年度报告", "波密县玉许乡人民政府", 2020, [2020, 2020], "2021-01-19"),
    "003": ("鹿乡镇2020年政府信息公开工作年度报告", "长春市双阳区鹿乡镇人民政府", 2020, [2020], None),
    "004": ("贵南县沙沟乡2020年度政府信息公开工作年度报告", "贵南县沙沟乡", 2020, [2020, 2020], None),
    "hongze-district-2023": ("洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", 2023, [2023, 2023], None),
    "huaian-city-2024": ("淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", 2024, [2024, 2024], None),
}


def _name(path: Path) -> str:
    return path.stem[:3] if path.parent.name == "seeds" else path.stem


@pytest.mark.parametrize("path", [*fixture_files("seeds/*.txt", 5), *fixture_files("real/*.pdf", 2)], ids=_name)
def test_every_fixture_names_its_body_and_year(path: Path) -> None:
    r = parse_bytes(path.read_bytes(), path.name)
    assert (r.title, r.body, r.year, r.period_years, r.published) == EXPECTED[_name(path)]
    assert r.body_printed == r.body  # every fixture prints its body in the normalised form


def read(text: str, name: str = "page.txt") -> tuple[str | None, str | None, int | None, str | None]:
    r = parse_bytes(text.encode("utf-8"), name)
    return r.title, r.body, r.year, r.published


BODY = "一、总体情况\n2025年，我厅……\n"


def test_title_split_over_two_lines() -> None:
    assert read("2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n\n" + BODY) == (
        "2025 年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2025, None)


def test_page_header_lines() -> None:
    header = "标题：平潭综合实验区管委会2024年政府信息公开工作年度报告\n发布时间: 2025-03-08 15:34\n发布机构: 平潭综合实验区管委会办公室\n"
    assert read(header + BODY) == ("平潭综合实验区管委会2024年政府信息公开工作年度报告", "平潭综合实验区管委会", 2024, "2025-03-08")


def test_html_title_without_the_site_name() -> None:
    page = ("<html><head><title>平潭综合实验区2024年政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会"
            "</title></head><body><p>一、总体情况</p><p>2024年……</p></body></html>")
    assert read(page, "page.html") == ("平潭综合实验区2024年政府信息公开工作年度报告", "平潭综合实验区", 2024, None)


def test_signature_after_other_text_on_its_line() -> None:
    text = "鹿乡镇2020年政府信息公开工作年度报告\n" + BODY + "六、其他需要报告的事项\n无 长春市双阳区鹿乡镇人民政府\n2021年1月20日\n"
    assert read(text) == ("鹿乡镇2020年政府信息公开工作年度报告", "长春市双阳区鹿乡镇人民政府", 2020, "2021-01-20")


def test_title_with_a_space_before_nian_is_not_flagged() -> None:
    r = parse_bytes(("淮安市人民政府2024 年政府信息公开工作年度报告\n" + BODY).encode("utf-8"), "page.txt")
    run_checks(r)
    assert (r.body, r.year) == ("淮安市人民政府", 2024)
    assert "META-TITLE" not in [f.code for f in r.findings]


@pytest.mark.parametrize(("text", "body", "printed"), [
    ("淮 安 市人民政府 2024 年政府信息公開工作年度報告\n" + BODY, "淮安市人民政府", "淮 安 市人民政府"),
    ("2024年度 洪 泽 区 政府信息公开工作年度报告\n" + BODY, "洪泽区", "洪 泽 区"),
    ("鹿乡镇2020年政府信息公开工作年度报告\n" + BODY + "六、其他需要报告的事项\n无 長春市雙陽區鹿鄉鎮人民政府\n2021年1月20日\n",
     "长春市双阳区鹿乡镇人民政府", "長春市雙陽區鹿鄉鎮人民政府"),
    ("鹿乡镇2020年政府信息公开工作年度报告\n" + BODY + "六、其他需要报告的事项\n长春市双阳区 鹿乡镇 人民政府\n2021年1月20日\n",
     "长春市双阳区鹿乡镇人民政府", "长春市双阳区 鹿乡镇 人民政府"),
])
def test_body_is_kept_as_printed_beside_its_normalised_form(text: str, body: str, printed: str) -> None:
    """`body` is compared and stored normalised (simplified, no spaces); `body_printed` is what the title or
    signature shows."""
    r = parse_bytes(text.encode("utf-8"), "page.txt")
    assert (r.body, r.body_printed) == (body, printed)

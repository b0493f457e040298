"""The batch review: HTML page checked in a real headless Chromium, and the Excel workbook."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from typer.testing import CliRunner

from zfxxgk.cli import app

from .conftest import CHROMIUM, ROOT, SEEDS

ARTIFACTS = ROOT / "test-artifacts"
BALANCE_CELLS = {"t3.new_received.other_org", "t3.carried_over.other_org", "t3.total.other_org",
                 "t3.carried_forward.other_org", "t3.new_received.total", "t3.carried_over.total",
                 "t3.total.total", "t3.carried_forward.total"}


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("review")
    html, xlsx = out / "review.html", out / "review.xlsx"
    result = CliRunner().invoke(app, ["check", str(SEEDS), "--html", str(html), "--xlsx", str(xlsx)])
    assert result.exit_code == 1, result.output  # seed 004 has errors
    return html, xlsx


def test_page_is_self_contained(review: tuple[Path, Path]) -> None:
    page = review[0].read_text("utf-8")
    for needle in ("http://", "https://", "<link", "@import", "src=", "url("):
        assert needle not in page, needle
    assert page.count('<section class="card report"') == 5
    assert "<svg" in page and "APP-BALANCE" in page
    assert "共 5 份报告：错误 4，警告 8，提示 15" in page


@pytest.mark.browser
def test_page_in_headless_chromium(review: tuple[Path, Path]) -> None:
    from playwright import sync_api

    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, viewport={"width": 1400, "height": 1000},
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(review[0].as_uri())
        page.wait_for_load_state("load")
        assert errors == []
        assert requests == [review[0].as_uri()]
        # seed 004 is the fifth report: its APP-BALANCE cells are highlighted as errors
        highlighted = set(page.eval_on_selector_all("#r4 td.hl-error", "els => els.map(e => e.dataset.cell)"))
        assert highlighted >= BALANCE_CELLS
        assert page.eval_on_selector_all("#r0 td.hl-error", "els => els.length") == 0
        tip = page.get_attribute('#r4 td[data-cell="t3.total.total"]', "title") or ""
        assert "APP-BALANCE" in tip and "APP-OUTCOME-SUM" in tip
        page.click("#r4 .finding.error >> nth=0")
        flashed = page.eval_on_selector_all("td.flash", "els => els.map(e => e.dataset.cell)")
        assert flashed == ["t3.new_received.other_org", "t3.carried_over.other_org", "t3.total.other_org",
                           "t3.carried_forward.other_org"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=False)
        page.locator("#r4").screenshot(path=str(ARTIFACTS / "review-seed-004.png"))
        browser.close()
    assert (ARTIFACTS / "review-seed-004.png").stat().st_size > 10_000
    with Image.open(ARTIFACTS / "review-page.png") as shot:  # the viewport, with something drawn on it
        assert shot.size == (1400, 1000)
        assert len(shot.convert("L").getcolors(256) or []) > 8


def test_workbook(review: tuple[Path, Path]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(review[1].read_bytes()))
    assert wb.sheetnames == ["问题", "单元格数值"]
    findings, cells = wb["问题"], wb["单元格数值"]
    assert [c.value for c in findings[1]] == ["单位", "文件", "年度", "规则", "级别", "涉及单元格", "说明", "原文位置"]
    assert findings.auto_filter.ref == f"A1:H{findings.max_row}" and findings.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in findings.iter_rows(min_row=2)]
    assert len(rows) == 27  # 4 errors + 8 warnings + 15 notes
    balance = [r for r in rows if r[3] == "APP-BALANCE"]
    assert [r[0] for r in balance] == ["贵南县沙沟乡", "贵南县沙沟乡"]
    assert balance[0][4] == "错误"
    assert balance[0][5] == ("t3.new_received.other_org, t3.carried_over.other_org, t3.total.other_org, "
                             "t3.carried_forward.other_org")
    header = [c.value for c in cells[1]]
    assert header[:7] == ["source", "sha256", "body", "year", "version", "title", "published"]
    assert len(header) == 7 + 198 and cells.max_row == 6
    assert cells.auto_filter.ref is not None and cells.freeze_panes == "H2"
    col = header.index("t3.new_received.total") + 1
    assert [cells.cell(r, col).value for r in range(2, 7)] == [0, 0, 0, 0, 2]

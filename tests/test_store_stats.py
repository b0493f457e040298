"""`zfxxgk stats`: a generated region of 1,000 bodies × 3 years, checked against sums computed
independently with pandas over the cells `export --db` writes."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.report import Report
from zfxxgk.store import Store

from .synth import consistent_cells

runner = CliRunner()
CITY = "320800"  # 淮安市 and its 7 districts and counties
COUNTIES = {"320803": "淮安区", "320804": "淮阴区", "320812": "清江浦区", "320813": "洪泽区", "320826": "涟水县",
            "320830": "盱眙县", "320831": "金湖县"}
YEARS = (2021, 2022, 2023)


def _plain(cells: dict[str, object]) -> dict[str, object]:
    return {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in cells.items()}


def fill(url: str, bodies: int, seed: int = 3) -> dict[str, str]:
    """`bodies` departments spread over the city's counties, one report a year; every 50th has none in the last year."""
    rng = random.Random(seed)
    names: dict[str, str] = {}
    with Store(url) as store:
        for i in range(bodies):
            code = list(COUNTIES)[i % len(COUNTIES)]
            name = f"淮安市{COUNTIES[code]}第{i}局"
            names[name] = code
            for year in YEARS:
                if year == YEARS[-1] and i % 50 == 0:
                    continue
                cells = consistent_cells("2021", rng)
                report = Report.from_dict({"version": "2021", "year": year, "body": name, "cells": _plain(cells),
                                           "sha256": f"{i:08d}{year}".ljust(64, "0")})
                report.source = f"{name}-{year}.txt"
                done = store.store(report, report.source, 1000, check=False)
                assert done.status in ("new", "revision")
    return names


@pytest.mark.slow
def test_stats_equal_pandas_over_the_exported_cells(db_url: str, tmp_path: Path) -> None:
    names = fill(db_url, 1000)
    out = tmp_path / "stats.csv"
    result = runner.invoke(app, ["stats", "--region", CITY, "--year", "2023", "--db", db_url, "--csv", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    exported = tmp_path / "cells.csv"
    assert runner.invoke(app, ["export", "--db", db_url, "--region", CITY, "--year", "2023", "--csv", str(exported),
                               "--shape", "long"]).exit_code == 0
    cells = pd.read_csv(exported, dtype={"value": str, "raw": str}, keep_default_na=False, encoding="utf-8-sig")
    cells = cells[cells["status"] == "number"]
    cells["exact"] = cells["value"].map(Decimal)
    expected = cells.groupby("cell_id")["exact"].sum()
    region = data["region"]
    assert region["reports"] == 1000 - 20 == cells["source"].nunique()
    for cid, total in expected.items():
        assert Decimal(str(region[cid])) == total, cid
    # Per child region: the bodies' counties, from the names placed by the store.
    cells["county"] = cells["body"].map(names)
    per_child = cells.groupby(["county", "cell_id"])["exact"].sum()
    children = {c["code"]: c for c in data["children"]}
    for code in COUNTIES:
        assert children[code]["reports"] == cells[cells["county"] == code]["source"].nunique()
        for cid in ("t3.new_received.total", "t3.granted.total", "t4.review.corrected", "t2.normative_docs.in_force"):
            assert Decimal(str(children[code][cid])) == per_child.get((code, cid), 0), (code, cid)
    # The derived rates, from the same sums.
    granted, handled = expected["t3.granted.total"], expected["t3.total.total"]
    assert region["granted"] == pytest.approx(float(round(granted / handled, 4)))
    # The bodies that reported in 2022 but not in 2023.
    assert sorted(m["name"] for m in data["missing"]) == sorted(f"淮安市{COUNTIES[list(COUNTIES)[i % 7]]}第{i}局"
                                                               for i in range(0, 1000, 50))
    # The CSV file carries the same numbers.
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table["scope"]) == ["region", *["child"] * 7]
    assert int(table.loc[0, "t3.new_received.total"]) == expected["t3.new_received.total"]


def test_stats_on_the_fixtures_and_a_region_summary(db_url: str, tmp_path: Path) -> None:
    with Store(db_url) as store:
        for name, new in (("淮安市洪泽区第1局", 3), ("淮安市金湖县第2局", 4), ("淮安市", 9)):
            cells = {k: 0 for k in consistent_cells("2021", random.Random(0))}
            cells.update({"t3.new_received.natural_person": new, "t3.new_received.total": new,
                          "t3.granted.natural_person": new, "t3.granted.total": new,
                          "t3.total.natural_person": new, "t3.total.total": new})
            report = Report.from_dict({"version": "2021", "year": 2024, "body": name, "cells": cells,
                                       "sha256": name.encode().hex()[:64].ljust(64, "0")})
            store.store(report, name, 1, check=False)
    result = runner.invoke(app, ["stats", "--region", CITY, "--year", "2024", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "淮安市（320800）2024 年度汇总：2 份报告" in result.output
    assert "予以公开率" in result.output and "100.0%" in result.output
    # 淮安市 declares it sums up its region (a place, no body): 9 against 3 + 4.
    assert "提示 淮安市人民政府 的报告自称汇总全区域：“一、本年新收政府信息公开申请数量·总计” 报告为 9，下级报告合计 7" in result.output
    unknown = runner.invoke(app, ["stats", "--region", "999999", "--year", "2024", "--db", db_url])
    assert unknown.exit_code == 2 and "没有这个区划代码：999999" in unknown.output

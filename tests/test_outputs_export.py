"""Exports: one row per report, one column per cell id, values equal to the JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.outputs.export import META_COLUMNS

from .conftest import SEEDS, fixture_files

SEED_FILES = fixture_files("seeds/*.txt", 5)


@pytest.fixture(scope="module")
def json_reports() -> list[dict]:
    runner = CliRunner()
    out = []
    for path in SEED_FILES:
        result = runner.invoke(app, ["parse", str(path), "--json"])
        assert result.exit_code == 0
        out.append(json.loads(result.stdout))
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    files = {k: out / f"wide.{k}" for k in ("csv", "xlsx", "parquet", "jsonl")}
    args = ["export", str(SEEDS)] + [x for k, p in files.items() for x in (f"--{k}", str(p))]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "已导出 5 份报告（wide）到" in result.output
    return files


def _read(kind: str, path: Path):  # type: ignore[no-untyped-def]
    return {"csv": pd.read_csv, "xlsx": pd.read_excel, "parquet": pd.read_parquet,
            "jsonl": lambda p: pd.read_json(p, lines=True)}[kind](path)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet", "jsonl"])
def test_wide_values_equal_json(kind: str, exported: dict[str, Path], json_reports: list[dict]) -> None:
    frame = _read(kind, exported[kind])
    cell_ids = list(json_reports[0]["cells"])
    assert frame.shape == (5, len(META_COLUMNS) + len(cell_ids)) == (5, 205)
    assert list(frame.columns[: len(META_COLUMNS)]) == list(META_COLUMNS)
    assert sorted(frame.columns[len(META_COLUMNS):]) == sorted(cell_ids)
    for i, report in enumerate(json_reports):
        row = frame.iloc[i]
        assert row["source"] == report["source"] and row["sha256"] == report["sha256"]
        assert row["body"] == report["body"] and int(row["year"]) == report["year"]
        for cid, cell in report["cells"].items():
            got = row[cid]
            if cell["value"] is None:
                assert pd.isna(got), (kind, report["source"], cid)
            else:
                assert got == cell["value"], (kind, report["source"], cid)


def test_long_shape(tmp_path: Path, json_reports: list[dict]) -> None:
    out = tmp_path / "long.csv"
    result = CliRunner().invoke(app, ["export", str(SEEDS), "--shape", "long", "--csv", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == [*META_COLUMNS, "cell_id", "value", "raw", "unit", "status", "location"]
    assert len(frame) == 5 * 198
    row = frame[(frame.body == "贵南县沙沟乡") & (frame.cell_id == "t2.procurement.amount")].iloc[0]
    assert (row.value, row.raw, row.unit, row.status, row.location) == (1066730.5, "1066730.5元", "元", "number",
                                                                         '{"line": 90}')
    blank = frame[(frame.body == "贵南县沙沟乡") & (frame.cell_id == "t3.granted.natural_person")].iloc[0]
    assert pd.isna(blank.value) and blank.status == "blank"


def test_export_reads_report_json(tmp_path: Path, json_reports: list[dict]) -> None:
    lines = tmp_path / "reports.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in json_reports), "utf-8")
    out = tmp_path / "from-json.csv"
    assert CliRunner().invoke(app, ["export", str(lines), "--csv", str(out)]).exit_code == 0
    frame = pd.read_csv(out)
    assert list(frame.body) == [r["body"] for r in json_reports]
    assert frame["t2.procurement.amount"].tolist()[1] == 2.3873


def test_export_needs_an_output() -> None:
    result = CliRunner().invoke(app, ["export", str(SEEDS)])
    assert result.exit_code == 2
    assert "请至少指定一个输出" in result.output

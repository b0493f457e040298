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


# ------------------------------------------------------------------ streaming (outputs/export.py Exporter)
def _in_memory(shape: str, kind: str, path: Path) -> None:
    """The export as it was before streaming: every report in memory, one writer call."""
    from zfxxgk.outputs.export import export
    from zfxxgk.pipeline import parse_file

    export([parse_file(f) for f in sorted(SEEDS.glob("*.txt"))], kind, shape, path)


@pytest.mark.parametrize(("shape", "group", "kinds"), [
    ("wide", 2, ("csv", "jsonl", "parquet")), ("long", 400, ("csv", "jsonl", "parquet")),
    pytest.param("wide", 2, ("csv", "parquet", "xlsx"), marks=pytest.mark.slow)])  # Excel: still in memory
def test_streamed_export_equals_the_in_memory_one(tmp_path: Path, shape: str, group: int, kinds: tuple[str, ...],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl
    import pyarrow.parquet as pq

    from zfxxgk.outputs import export

    monkeypatch.setattr(export, "ROW_GROUP", group)  # several row groups, and a last one that is not full
    streamed = {k: tmp_path / f"s.{k}" for k in kinds}
    result = CliRunner().invoke(app, ["export", str(SEEDS), "--shape", shape,
                                      *(x for k, p in streamed.items() for x in (f"--{k}", str(p)))])
    assert result.exit_code == 0, result.output
    for kind in kinds:
        _in_memory(shape, kind, tmp_path / f"m.{kind}")
    for kind in set(kinds) & {"csv", "jsonl"}:
        assert streamed[kind].read_bytes() == (tmp_path / f"m.{kind}").read_bytes(), kind
    table, expected = pq.read_table(streamed["parquet"]), pq.read_table(tmp_path / "m.parquet")
    assert table.schema == expected.schema and table.equals(expected)
    assert pq.ParquetFile(streamed["parquet"]).metadata.num_row_groups == 3  # 5 reports, or 990 cells
    if "xlsx" in kinds:
        got, want = (list(openpyxl.load_workbook(p).active.values) for p in (streamed["xlsx"], tmp_path / "m.xlsx"))
        assert got == want
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"s.{k}" for k in kinds] + [f"m.{k}" for k in kinds])


def test_parquet_column_types_are_those_of_the_whole_column() -> None:
    from decimal import Decimal

    import pyarrow as pa

    from zfxxgk.outputs.export import ParquetColumn

    def typed(*values: object) -> pa.DataType:
        column = ParquetColumn()
        for v in values:
            column.add(v)
        return column.arrow_type()

    assert typed(1, None, 2**62) == pa.int64()
    assert typed(1, Decimal("2.5")) == pa.float64()
    assert typed(2**63, Decimal("0.1")) == pa.decimal128(20, 1)  # 2**63: 19 digits, and one after the point
    assert typed(Decimal("3.14159265358979323846264338327950288419716939937510")) == pa.string()
    assert typed(Decimal("NaN"), 1) == pa.string()
    assert typed("a", None) == pa.string() and typed(None) == pa.null() and typed(True) == pa.bool_()


@pytest.mark.slow
def test_export_memory_stays_flat(tmp_path: Path) -> None:
    """3,000 generated reports exported with -j 2: the parent's peak grows by less than 40 MB over 300."""
    import random
    import subprocess
    import sys

    from .conftest import ROOT
    from .store_data import report_text
    from .synth import consistent_cells, with_totals

    rng = random.Random(7)
    peaks = {}
    for n in (300, 3000):
        folder = tmp_path / f"r{n}"
        folder.mkdir()
        for i in range(n):
            cells = with_totals(consistent_cells("2021", rng), "2021")
            (folder / f"{i:05d}.txt").write_text(report_text(cells, "2021", 2024, body=f"某某市第{i}局"), "utf-8")
        code = ("import resource, sys\nfrom zfxxgk.cli import app\nsys.argv = ['zfxxgk', *sys.argv[1:]]\n"
                "try:\n    app()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        out = tmp_path / f"e{n}"
        done = subprocess.run([sys.executable, "-c", code, "export", "-j", "2", str(folder), "--csv", f"{out}.csv",
                               "--jsonl", f"{out}.jsonl", "--parquet", f"{out}.parquet"],
                              capture_output=True, text=True, timeout=600, env={"PYTHONPATH": str(ROOT / "src"),
                                                                              "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr[-2000:]
        peaks[n] = int(done.stdout.split()[-1]) // 1024
        assert len(Path(f"{out}.jsonl").read_text("utf-8").splitlines()) == n
    assert peaks[3000] - peaks[300] < 40, peaks

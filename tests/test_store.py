"""The report store on SQLite and on PostgreSQL: ingest, versions, reading back, bad databases."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.store import Store, file_item
from zfxxgk.store.schema import cells, findings, regions, reports, source_files

from .conftest import SEEDS, seed
from .store_data import pair, report_text

runner = CliRunner()


def count(url: str, table: object) -> int:
    with Store(url) as store, store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


@pytest.mark.slow  # ~0.8 s: three migrations from nothing
def test_opening_migrates_to_head_and_matches_the_tables(db_url: str, tmp_path: Path) -> None:
    """Alembic brings a new database to head, and the migrated schema is exactly schema.py's."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from zfxxgk.store.schema import metadata

    if not db_url.startswith("postgresql"):  # db_url is a copy of a migrated store: start from nothing here
        db_url = str(tmp_path / "new.db")
    with Store(db_url) as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0003"
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [d for d in diff if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")] == []
        # The built-in division tree is loaded once: 3211 province/city/county divisions.
        assert conn.execute(select(func.count()).select_from(regions)).scalar_one() == 3211
    with Store(db_url) as again, again.engine.connect() as conn:  # reopening changes nothing
        assert conn.execute(select(func.count()).select_from(regions)).scalar_one() == 3211


@pytest.mark.slow  # 0.3-0.4 s: keeps the fast layer under 20 s
def test_ingesting_a_folder_twice_leaves_one_report_per_file(db_url: str) -> None:
    first = runner.invoke(app, ["ingest", str(SEEDS), "--db", db_url])
    assert first.exit_code == 1, first.output  # seed 004 has error findings
    assert "共 5 个文件：新增 5，新版本 0，重复 0，无法读取 0，改派 0；未匹配机关或年度 2" in first.output
    assert "有错误的报告 1" in first.output
    second = runner.invoke(app, ["ingest", str(SEEDS), "--db", db_url, "--lang", "en"])
    assert second.exit_code == 0, second.output
    assert "5 files: 0 new, 0 new versions, 5 duplicates" in second.output
    assert count(db_url, reports) == 5 and count(db_url, source_files) == 5
    assert count(db_url, cells) == 5 * 198
    with Store(db_url) as store:
        placed = {r.body: r.year for r in store._rows() if r.body}
        assert placed == {"波密县玉许乡人民政府": 2020, "双阳区鹿乡镇人民政府": 2020, "贵南县沙沟乡人民政府": 2020}
        assert sorted(r.printed_body or "" for r in store.unplaced()) == ["夹河子乡", "平等乡人民政府"]


@pytest.mark.slow  # about 0.6 s with SQLite
def test_a_corrected_file_becomes_version_2_and_show_gives_its_cells(db_url: str, tmp_path: Path) -> None:
    first, _ = pair("2021")
    v1 = tmp_path / "v1.txt"
    v1.write_text(report_text(first, "2021", 2023), "utf-8")
    corrected = dict(first, **{"t2.licensing.decisions": int(first["t2.licensing.decisions"]) + 5})
    v2 = tmp_path / "v2.txt"
    v2.write_text(report_text(corrected, "2021", 2023), "utf-8")
    assert runner.invoke(app, ["ingest", str(v1), "--db", db_url]).exit_code == 0
    again = runner.invoke(app, ["ingest", str(v2), "--db", db_url, "--json"])
    assert again.exit_code == 0, again.output
    line = json.loads(again.stdout.splitlines()[-1])
    assert (line["status"], line["revision"], line["body"], line["year"]) == ("revision", 2, "淮安市洪泽区人民政府", 2023)
    shown = runner.invoke(app, ["show", "洪泽区人民政府", "2023", "--db", db_url, "--json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.stdout)
    assert record["cells"]["t2.licensing.decisions"]["value"] == int(first["t2.licensing.decisions"]) + 5
    assert (record["store"]["revision"], record["store"]["current"]) == (2, True)
    old = runner.invoke(app, ["show", "淮安市洪泽区人民政府", "2023", "--db", db_url, "--json", "--revision", "1"])
    assert json.loads(old.stdout)["cells"]["t2.licensing.decisions"]["value"] == first["t2.licensing.decisions"]
    history = runner.invoke(app, ["history", "淮安市洪泽区人民政府", "2023", "--db", db_url, "--json"])
    rows = [json.loads(x) for x in history.stdout.splitlines()]
    assert [(r["revision"], r["current"], Path(r["source"]).name) for r in rows] == [(1, False, "v1.txt"), (2, True, "v2.txt")]
    table = runner.invoke(app, ["history", "淮安市洪泽区人民政府", "2023", "--db", db_url])
    assert "淮安市洪泽区人民政府 2023 年度报告的版本" in table.output and "v2.txt" in table.output


def _ingest_in_child(url: str, path: str, barrier: object) -> None:
    store = Store(url)
    barrier.wait()  # type: ignore[attr-defined]
    store.ingest(file_item(Path(path)))
    store.close()


@pytest.mark.slow  # starts two processes: ~0.5 s
def test_two_processes_ingesting_the_same_file_store_one_report(db_url: str) -> None:
    Store(db_url).close()  # migrated once; both children then race on the same file
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    children = [ctx.Process(target=_ingest_in_child, args=(db_url, str(seed("002")), barrier)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    assert count(db_url, reports) == 1 and count(db_url, source_files) == 1


def test_a_bad_file_is_stored_as_unreadable_and_the_batch_goes_on(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_broken.pdf").write_bytes(b"%PDF-1.7\n\x00\x01garbage")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c.txt").write_bytes(seed("002").read_bytes())
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    assert "共 3 个文件：新增 1，新版本 0，重复 0，无法读取 2" in result.output, result.output
    assert "无法读取" in result.output and "b_empty.txt" in result.output
    with Store(db_url) as store:
        bad = {Path(r.source).name: r.problem["code"] for r in store.unplaced() if r.problem}
    assert bad == {"a_broken.pdf": "pdf_truncated", "b_empty.txt": "empty"}


def test_zip_archives_are_opened_and_gbk_member_names_read(db_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "reports.zip"
    gbk = "玉许乡.txt".encode("gbk")
    placeholder = b"X" * len(gbk)
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("沙沟乡.txt", seed("004").read_bytes())  # flagged UTF-8 by Python
        z.writestr(placeholder.decode(), seed("002").read_bytes())
    # As Chinese Windows writes it: GBK bytes, no UTF-8 flag.
    archive.write_bytes(archive.read_bytes().replace(placeholder, gbk))
    result = runner.invoke(app, ["ingest", str(archive), "--db", db_url, "--json"])
    sources = sorted(json.loads(x)["source"].split("!")[1] for x in result.stdout.splitlines())
    assert sources == ["沙沟乡.txt", "玉许乡.txt"]
    assert count(db_url, reports) == 2


@pytest.mark.slow  # 0.3-0.4 s: keeps the fast layer under 20 s
def test_unplaced_reports_are_listed_and_assigned_with_body(db_url: str) -> None:
    runner.invoke(app, ["ingest", str(seed("000")), "--db", db_url])
    listed = runner.invoke(app, ["bodies", "--unmatched", "--db", db_url])
    assert "夹河子乡" in listed.output and "无法确定" in listed.output
    assigned = runner.invoke(app, ["ingest", str(seed("000")), "--db", db_url, "--body", "贵南县沙沟乡人民政府", "--json"])
    line = json.loads(assigned.stdout)
    assert (line["status"], line["body"], line["year"], line["match"]) == ("reassigned", "贵南县沙沟乡人民政府", 2020, "assigned")
    assert count(db_url, reports) == 1
    assert "所有报告都已匹配机关和年度" in runner.invoke(app, ["bodies", "--unmatched", "--db", db_url]).output


@pytest.mark.slow  # ~0.4 s
def test_export_from_the_store_gives_the_shapes_of_export(db_url: str, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(seed("002")), str(seed("004")), "--db", db_url])
    out = tmp_path / "cells.csv"
    result = runner.invoke(app, ["export", "--db", db_url, "--csv", str(out), "--shape", "long"])
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[0] == "source,sha256,body,year,version,title,published,cell_id,value,raw,unit,status,location"
    assert len(lines) == 1 + 2 * 198
    money = [x for x in lines if ",t2.procurement.amount," in x and "004_" in x]
    assert money and ",1066730.5,1066730.5元,元," in money[0]


# ------------------------------------------------------------------ bad databases
def test_unknown_database_kind_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(seed("002")), "--db", "nosuchdb://x/y"])
    assert result.exit_code == 2
    assert "数据库地址无效：nosuchdb://x/y" in result.output


def test_unreachable_postgresql_is_exit_2() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = runner.invoke(app, ["bodies", "--db", url, "--lang", "en"], env={"ZFXXGK_DB_TIMEOUT": "2"})
    assert result.exit_code == 2
    assert "cannot connect to the database postgresql+psycopg://nobody:***@127.0.0.1:1/none" in result.output
    assert "secret" not in result.output


def test_corrupt_sqlite_file_is_exit_2_and_left_alone(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["ingest", str(seed("002")), "--db", str(bad)])
    assert result.exit_code == 2
    assert "不是可用的 SQLite 数据库" in result.output
    assert bad.read_bytes() == b"this is not a database" * 100


@pytest.mark.slow  # 0.3-0.4 s: keeps the fast layer under 20 s
def test_locked_sqlite_file_is_exit_2_with_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "z.db"
    Store(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, ["ingest", str(seed("002")), "--db", str(path)], env={"ZFXXGK_DB_TIMEOUT": "0.3"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert "被另一个程序锁定" in result.output
    assert count(str(path), reports) == 0


def test_missing_folder_for_the_database_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bodies", "--db", str(tmp_path / "no" / "z.db")])
    assert result.exit_code == 2 and "数据库文件所在的文件夹不存在" in result.output


@pytest.mark.slow  # 0.3-0.4 s: keeps the fast layer under 20 s
def test_unknown_body_or_year_is_exit_2(db_url: str) -> None:
    runner.invoke(app, ["ingest", str(seed("002")), "--db", db_url])
    missing = runner.invoke(app, ["show", "黔南州人民政府", "2020", "--db", db_url])
    assert missing.exit_code == 2 and "库中没有这个机关：黔南州人民政府" in missing.output
    no_year = runner.invoke(app, ["history", "波密县玉许乡人民政府", "2019", "--db", db_url, "--lang", "en"])
    assert no_year.exit_code == 2 and "波密县玉许乡人民政府 has no report for 2019" in no_year.output


def test_findings_are_stored_with_their_review_state(db_url: str) -> None:
    runner.invoke(app, ["ingest", str(seed("004")), "--db", db_url])
    with Store(db_url) as store, store.engine.connect() as conn:
        rows = conn.execute(select(findings.c.code, findings.c.severity, findings.c.review)
                            .where(findings.c.severity == "error").order_by(findings.c.id)).all()
    assert sorted(r.code for r in rows) == ["APP-BALANCE", "APP-BALANCE", "APP-OUTCOME-SUM", "APP-OUTCOME-SUM"]
    assert {r.review for r in rows} == {"open"}


@pytest.mark.parametrize("flag", ["--db"])
def test_default_database_is_zfxxgk_db_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                flag: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZFXXGK_DB", raising=False)
    assert runner.invoke(app, ["ingest", str(seed("002"))]).exit_code == 0
    assert (tmp_path / "zfxxgk.db").is_file()
    monkeypatch.setenv("ZFXXGK_DB", str(tmp_path / "other.db"))
    assert runner.invoke(app, ["ingest", str(seed("002"))]).exit_code == 0
    assert (tmp_path / "other.db").is_file()

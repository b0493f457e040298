"""Bodies and regions: printed names placed in the built-in division tree; `regions import`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.regions import Gazetteer, builtin
from zfxxgk.store import Store
from zfxxgk.store.schema import bodies, regions

from .conftest import seed

runner = CliRunner()
G = Gazetteer(builtin())


@pytest.mark.parametrize(("printed", "region", "role", "township", "display"), [
    ("淮安市洪泽区人民政府", "320813", "人民政府", None, "淮安市洪泽区人民政府"),
    ("洪泽区人民政府", "320813", "人民政府", None, "淮安市洪泽区人民政府"),
    ("江苏省淮安市洪泽区政府", "320813", "人民政府", None, "淮安市洪泽区人民政府"),
    ("淮安市洪泽区人民政府办公室", "320813", "人民政府办公室", None, "淮安市洪泽区人民政府办公室"),
    ("淮安市洪泽区财政局", "320813", "财政局", None, "淮安市洪泽区财政局"),
    ("淮安市人民政府", "320800", "人民政府", None, "淮安市人民政府"),
    ("黔南州人民政府", "522700", "人民政府", None, "黔南布依族苗族自治州人民政府"),
    ("贵南县沙沟乡", "632525", "人民政府", "沙沟乡", "贵南县沙沟乡人民政府"),
    ("长春市双阳区鹿乡镇人民政府", "220112", "人民政府", "鹿乡镇", "双阳区鹿乡镇人民政府"),
    ("淮安市洪泽区高良涧街道办事处", "320813", "人民政府", "高良涧街道", "洪泽区高良涧街道人民政府"),
])
def test_printed_names_are_placed(printed: str, region: str, role: str, township: str | None, display: str) -> None:
    m = G.resolve(printed)
    assert (m.status, m.region, m.role, m.township) == ("matched", region, role, township)
    assert G.display(m.region or "", m.role, m.township) == display
    assert G.ancestors("320813") == ["320813", "320800", "320000"]


def test_ocr_confusions_are_suggested_never_merged() -> None:
    m = G.resolve("宿迁市沐阳县人民政府")  # 沭阳县 misread
    assert (m.status, m.reason, m.suggestions) == ("unresolved", "unknown_place", ["宿迁市沭阳县人民政府"])
    alone = G.resolve("沐阳县人民政府")
    assert (alone.status, alone.suggestions) == ("unresolved", ["沭阳县人民政府"])


def test_a_name_of_two_places_is_ambiguous() -> None:
    m = G.resolve("朝阳区人民政府")
    assert (m.status, m.candidates) == ("ambiguous", ["110105", "220104"])


def test_a_township_without_its_county_is_unresolved() -> None:
    assert G.resolve("夹河子乡").status == "unresolved"
    assert G.resolve("").status == "unresolved"


def test_the_builtin_tree_covers_every_county() -> None:
    levels = [r.level for r in builtin()]
    assert (levels.count("province"), levels.count("city"), levels.count("county")) == (33, 333, 2845)


# ------------------------------------------------------------------ regions import
def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("code,name,parent_code,level,aliases\n" + "\n".join(lines) + "\n", "utf-8")
    return path


def region_count(url: str) -> int:
    with Store(url) as store, store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(regions)).scalar_one())


@pytest.mark.slow  # 0.3-0.4 s: keeps the fast layer under 20 s
def test_import_adds_townships_and_bodies_that_reports_then_match(db_url: str, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "r.csv",
                    "632525100,沙沟乡,632525,township,沙沟",
                    "632525100001,沙沟乡党政综合办公室,632525100,body,沙沟乡综合办|贵南县沙沟乡")
    result = runner.invoke(app, ["regions", "import", str(csv), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "已导入 1 个区划、1 个机关（新增 2，覆盖 0）" in result.output
    assert region_count(db_url) == 3212
    ingested = runner.invoke(app, ["ingest", str(seed("004")), "--db", db_url, "--json"])
    assert '"body":"沙沟乡党政综合办公室"' in ingested.stdout
    again = runner.invoke(app, ["regions", "import", str(csv), "--db", db_url, "--lang", "en"])
    assert "imported 1 regions and 1 bodies (0 new, 2 replaced)" in again.output


@pytest.mark.parametrize(("lines", "message"), [
    (("900001,甲,900002,township,", "900002,乙,900001,township,"), "区划文件形成循环：900001 → 900002 → 900001"),
    (("900001,甲,999999,township,",), "区划文件第 3 行：900001（甲）的上级代码 999999 不存在"),
    (("900001,甲,320813,hamlet,",), "区划文件第 3 行：层级“hamlet”无效"),
    (("900001,甲,320813,township,", "900001,乙,320813,township,"), "区划文件第 4 行：代码 900001 重复"),
])
def test_bad_regions_files_are_exit_2_and_write_nothing(db_url: str, tmp_path: Path, lines: tuple[str, ...],
                                                        message: str) -> None:
    csv = write_csv(tmp_path / "r.csv", "320813900,新村,320813,township,", *lines)
    result = runner.invoke(app, ["regions", "import", str(csv), "--db", db_url])
    assert result.exit_code == 2
    assert message in result.output
    assert region_count(db_url) == 3211
    with Store(db_url) as store, store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(bodies)).scalar_one() == 0


def test_a_regions_file_without_the_columns_is_exit_2(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("id,name\n1,x\n", "utf-8")
    result = runner.invoke(app, ["regions", "import", str(csv), "--db", str(tmp_path / "z.db"), "--lang", "en"])
    assert result.exit_code == 2 and "lacks columns: code, parent_code, level" in result.output

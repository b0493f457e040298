"""Batches (issue 12): -j gives the lines -j 1 gives, faults are one file's result, --resume does the rest once."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zfxxgk.pipeline
from zfxxgk.batch import Fault, Limits, Pool, read_done
from zfxxgk.cli import app

from .conftest import hang_guard
from .synth import consistent_cells, render_report

runner = CliRunner()


def write_reports(folder: Path, n: int, seed: int = 12) -> list[Path]:
    """n distinct consistent 2021 reports as text (distinct bodies and values, so distinct sha256)."""
    rng = random.Random(seed)
    folder.mkdir(exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"r{i:03d}.txt"
        path.write_text(render_report(consistent_cells("2021", rng), "2021", body=f"某某乡{i}人民政府"), "utf-8")
        files.append(path)
    return files


def lines(text: str) -> list[str]:
    return sorted(text.splitlines())


@pytest.mark.slow
def test_j2_gives_the_lines_of_j1(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 40)
    with hang_guard(120):
        one = runner.invoke(app, ["check", "--json", "-j", "1", str(tmp_path / "in")])
        two = runner.invoke(app, ["check", "--json", "-j", "2", str(tmp_path / "in")])
    assert one.exit_code == two.exit_code == 0
    assert len(one.stdout.splitlines()) == 40
    assert lines(one.stdout) == lines(two.stdout)
    # -j 1: the input order, as without -j
    assert [json.loads(x)["source"] for x in one.stdout.splitlines()] == \
        [str(tmp_path / "in" / f"r{i:03d}.txt") for i in range(40)]


# ------------------------------------------------------------------ faults
def _stub_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files whose first line names a fault do it in the reader; workers are forked, so they inherit the stub."""
    real = zfxxgk.pipeline.read_bytes

    def read(data: bytes) -> object:
        if data.startswith(b"SLEEP"):
            time.sleep(10**6)
        if data.startswith(b"SEGV"):
            os.kill(os.getpid(), signal.SIGSEGV)
        if data.startswith(b"HOG"):
            hog = []
            while True:
                hog.append(bytearray(64 * 1024 * 1024))
        return real(data)

    monkeypatch.setattr(zfxxgk.pipeline, "read_bytes", read)


@pytest.mark.slow
def test_a_hang_a_crash_and_a_memory_hog_are_each_one_files_result(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_reader(monkeypatch)
    folder = tmp_path / "in"
    good = write_reports(folder, 12)
    for name in ("SLEEP", "SEGV", "HOG"):
        (folder / f"{name.lower()}.txt").write_bytes(name.encode() + b"\n")
    with hang_guard(120):
        result = runner.invoke(app, ["check", "--json", "-j", "2", "--timeout", "5", "--memory", "512", str(folder)])
    assert result.exit_code == 0, result.output
    got = {Path(d["source"]).name: d for d in map(json.loads, result.stdout.splitlines())}
    assert sorted(got) == sorted([p.name for p in good] + ["hog.txt", "segv.txt", "sleep.txt"])
    assert got["sleep.txt"]["error"] == "读取此文件超过时间限制（5 秒），已放弃"
    assert got["segv.txt"]["error"] == "读取此文件时工作进程意外退出（SIGSEGV），已放弃"
    assert got["hog.txt"]["error"] == "读取此文件需要的内存过多，已放弃"
    assert all(got[p.name]["error"] is None and got[p.name]["version"] == "2021" for p in good)
    assert got["sleep.txt"]["sha256"] is not None  # so --resume does not try it again


def test_the_pool_gives_every_task_once_with_faults_between() -> None:
    def work(n: int) -> int:
        if n == 3:
            os._exit(7)
        return n * n

    pool: Pool[int, object] = Pool(work, lambda n, why: why, jobs=2, limits=Limits(30, None), chunk=4)
    with hang_guard(60):
        got = dict(pool.run(range(10)))
    assert got == {**{n: n * n for n in range(10) if n != 3}, 3: Fault("crashed", {"exit": 7})}


def test_the_pool_takes_a_time_limit_of_any_size() -> None:
    for seconds in (float("inf"), 1e12):  # `--timeout inf` is a float typer accepts; poll takes a C int of ms
        pool: Pool[int, object] = Pool(lambda n: n + 1, lambda n, why: why, jobs=2, limits=Limits(seconds, None))
        with hang_guard(60):
            assert dict(pool.run(range(5))) == {n: n + 1 for n in range(5)}


# ------------------------------------------------------------------ --resume
def test_resume_reads_compact_lines_and_those_of_earlier_versions(tmp_path: Path) -> None:
    sha = "ab" * 32
    out = tmp_path / "out.jsonl"
    out.write_text('{"schema":"zfxxgk.report/1","source":"a.txt","sha256":"' + sha + '","format":"text"}\n'
                   '{"schema": "zfxxgk.report/1", "source": "b\\"q.txt", "sha256": null, "format": "text"}\n'
                   '{"schema":"zfxxgk.report/1","source":"c.txt","sha', "utf-8")
    done = read_done(out)
    assert done.shas == {sha} and done.sources == {'b"q.txt'}
    assert out.read_text("utf-8").count("\n") == 2 and out.read_text("utf-8").endswith("}\n")  # the cut line is gone


@pytest.mark.slow
def test_resume_does_the_rest_and_nothing_twice(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 36)
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    with hang_guard(120):
        assert runner.invoke(app, ["check", "-j", "2", "--jsonl", str(full), str(tmp_path / "in")]).exit_code == 0
        done = full.read_bytes()
        cut = sum(len(line) for line in done.splitlines(keepends=True)[:18])
        out.write_bytes(done[:cut] + done[cut:cut + 500])  # killed half-way: 18 lines and a cut-off one
        assert len(read_done(out).shas) == 18 and out.read_bytes() == done[:cut]
        out.write_bytes(done[:cut] + done[cut:cut + 500])
        result = runner.invoke(app, ["check", "-j", "2", "--resume", "--jsonl", str(out), str(tmp_path / "in")])
    assert result.exit_code == 0
    assert "--resume：跳过已完成的 18 个文件，处理其余 18 个" in result.stderr
    assert sorted(out.read_text("utf-8").splitlines()) == sorted(full.read_text("utf-8").splitlines())


def test_resume_needs_an_output(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", "utf-8")
    result = runner.invoke(app, ["check", "--resume", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == "--resume 需要一个输出文件（--jsonl FILE）或报告库（ingest）\n"


SLOW_CHECK = """
import sys, time
import zfxxgk.pipeline
from zfxxgk.cli import app
# 0.5 s a file: 40 files take 10 s in two workers, far more than the 8 lines the test waits for even on a busy machine
real = zfxxgk.pipeline.read_bytes
zfxxgk.pipeline.read_bytes = lambda data: (time.sleep(0.5), real(data))[1]
sys.argv = ["zfxxgk", *sys.argv[1:]]
app()
"""


@pytest.mark.slow
def test_ctrl_c_says_how_far_it_got_and_resume_does_the_rest(tmp_path: Path) -> None:
    import subprocess
    import sys

    write_reports(tmp_path / "in", 40)
    out, full = tmp_path / "out.jsonl", tmp_path / "full.jsonl"
    args = ["check", "-j", "2", "--jsonl"]
    with hang_guard(120):
        proc = subprocess.Popen([sys.executable, "-c", SLOW_CHECK, *args, str(out), str(tmp_path / "in")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while not out.exists() or out.read_bytes().count(b"\n") < 8:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate()
        first = out.read_bytes().count(b"\n")
        assert proc.returncode == 130
        assert f"已中断：完成 {first}/40 个文件。加 --resume 重新运行可接着处理其余文件" in err
        assert 8 <= first < 40
        result = runner.invoke(app, ["check", "-j", "2", "--resume", "--jsonl", str(out), str(tmp_path / "in")])
        assert result.exit_code == 0
        assert runner.invoke(app, ["check", "-j", "2", "--jsonl", str(full), str(tmp_path / "in")]).exit_code == 0
    assert f"处理其余 {40 - first} 个" in result.stderr
    assert sorted(out.read_text("utf-8").splitlines()) == sorted(full.read_text("utf-8").splitlines())


@pytest.mark.slow
def test_ingest_in_workers_stores_in_file_order_a_crash_as_unreadable_and_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_reader(monkeypatch)
    folder = tmp_path / "in"
    write_reports(folder, 10)
    (folder / "r004x.txt").write_bytes(b"SEGV\n")
    db = str(tmp_path / "s.db")
    with hang_guard(120):
        first = runner.invoke(app, ["ingest", "--json", "-j", "2", "--db", db, str(folder)])
        write_reports(tmp_path / "more", 12)  # the same ten, and two more
        (tmp_path / "more" / "r004x.txt").write_bytes(b"SEGV\n")
        again = runner.invoke(app, ["ingest", "--json", "-j", "2", "--resume", "--db", db, str(tmp_path / "more")])
    assert first.exit_code == 0, first.output
    rows = [json.loads(x) for x in first.stdout.splitlines()]
    assert [Path(r["source"]).name for r in rows] == sorted(p.name for p in folder.iterdir())
    assert [r["status"] for r in rows] == ["new"] * 5 + ["unreadable"] + ["new"] * 5
    assert [(Path(r["source"]).name, r["status"]) for r in map(json.loads, again.stdout.splitlines())] == \
        [("r010.txt", "new"), ("r011.txt", "new")]


@pytest.mark.slow
def test_dask_local_gives_the_lines_of_j1(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 40)
    with hang_guard(180):
        one = runner.invoke(app, ["check", "--json", "-j", "1", str(tmp_path / "in")])
        on_dask = runner.invoke(app, ["check", "--json", "-j", "2", "--dask", "local", str(tmp_path / "in")])
    assert one.exit_code == on_dask.exit_code == 0
    assert len(on_dask.stdout.splitlines()) == 40
    assert lines(on_dask.stdout) == lines(one.stdout)


@pytest.mark.slow
def test_ingest_on_dask_stores_what_j1_stores(tmp_path: Path) -> None:
    """70 files (two Dask chunks, a copy in each, an empty file): in file order, the same results as -j 1."""
    files = write_reports(tmp_path / "in", 68)
    (tmp_path / "in" / "r020-copy.txt").write_bytes(files[20].read_bytes())
    (tmp_path / "in" / "r070-copy.txt").write_bytes(files[5].read_bytes())
    (tmp_path / "in" / "r069-empty.txt").write_bytes(b"")
    with hang_guard(240):
        one = runner.invoke(app, ["ingest", "--json", "-j", "1", "--db", str(tmp_path / "one.db"), str(tmp_path / "in")])
        on_dask = runner.invoke(app, ["ingest", "--json", "-j", "2", "--dask", "local", "--db", str(tmp_path / "dask.db"),
                                      str(tmp_path / "in")])
    assert one.exit_code == on_dask.exit_code == 0, on_dask.output
    rows = [json.loads(x) for x in on_dask.stdout.splitlines()]
    assert rows == [json.loads(x) for x in one.stdout.splitlines()]
    assert [Path(r["source"]).name for r in rows] == sorted(p.name for p in (tmp_path / "in").iterdir())
    assert [r["status"] for r in rows].count("duplicate") == 2 and rows[-1]["status"] == "duplicate"


@pytest.mark.slow
def test_export_in_workers_writes_what_one_process_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_reader(monkeypatch)
    write_reports(tmp_path / "in", 12)
    (tmp_path / "in" / "segv.txt").write_bytes(b"SEGV\n")
    with hang_guard(120):
        result = runner.invoke(app, ["export", "-j", "2", "--jsonl", str(tmp_path / "two.jsonl"), str(tmp_path / "in")])
        (tmp_path / "in" / "segv.txt").unlink()
        runner.invoke(app, ["export", "--jsonl", str(tmp_path / "one.jsonl"), str(tmp_path / "in")])
    assert result.exit_code == 0
    two = (tmp_path / "two.jsonl").read_text("utf-8").splitlines()  # the rows in the files' order
    crashed = [json.loads(x) for x in two if "segv.txt" in x]
    assert [(r["version"], r["year"], r["sha256"] is not None) for r in crashed] == [(None, None, True)]
    assert [x for x in two if "segv.txt" not in x] == (tmp_path / "one.jsonl").read_text("utf-8").splitlines()


def test_progress_off_a_terminal_is_a_plain_line_every_few_seconds() -> None:
    import io

    from zfxxgk.batch import BatchProgress

    now = [0.0]
    stream = io.StringIO()
    progress = BatchProgress(40, "en", stream=stream, every=5, clock=lambda: now[0])
    with progress:
        for i in range(1, 41):  # four files a second; every tenth has errors, the seventh is unreadable
            now[0] = i / 4
            progress.advance(i % 10 == 0, i == 7)
    assert stream.getvalue() == ("20/40 files done (4/s; 2 with errors, 1 unreadable)\n"
                                 "40/40 files done (4/s; 4 with errors, 1 unreadable)\n")


# ------------------------------------------------------------------ Word files LibreOffice converts, in groups
@pytest.mark.libreoffice
def test_old_word_files_are_converted_in_one_libreoffice_call_with_the_reports_of_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zfxxgk.batch.office import office_groups, parse_group
    from zfxxgk.pipeline import parse_file
    from zfxxgk.readers import libreoffice

    from .conftest import FIXTURES

    folder = tmp_path / "in"
    write_reports(folder, 2)
    for name in ("a", "b", "c"):
        (folder / f"{name}.docx").write_bytes(write_docx_report(tmp_path, name))
    with hang_guard(300):
        libreoffice.convert_files(sorted(folder.glob("*.docx")), "doc", folder)
        libreoffice.convert_files([FIXTURES / "real" / "template-2021-blank.docx"], "rtf", folder)
        for docx in folder.glob("*.docx"):
            docx.unlink()
        files = sorted(folder.iterdir())
        assert [f.name for f in files] == ["a.doc", "b.doc", "c.doc", "r000.txt", "r001.txt",
                                           "template-2021-blank.rtf"]
        assert office_groups(files, 10**8) == ([3, 4, 5], [[0, 1, 2]])  # a lone RTF is read as usual
        calls = []
        real = libreoffice.read_many
        monkeypatch.setattr("zfxxgk.batch.office.read_many", lambda items: calls.append(len(items)) or real(items))
        grouped = parse_group(files[:3], 10**8)
        one_by_one = [parse_file(f) for f in files[:3]]
        assert calls == [3]
        assert [r.to_dict() for r in grouped] == [r.to_dict() for r in one_by_one]
        assert [(r.format, r.version, r.body) for r in grouped] == [("doc", "2021", f"某某乡{n}人民政府") for n in "abc"]
        here = runner.invoke(app, ["check", "--json", str(folder)])  # a small batch: one by one, in this process
        workers = runner.invoke(app, ["check", "--json", "-j", "2", str(folder)])
    assert here.exit_code == workers.exit_code
    assert lines(workers.stdout) == lines(here.stdout)


def write_docx_report(tmp_path: Path, name: str) -> bytes:
    """A consistent report in the official layout as .docx (zfxxgk render), body 某某乡<name>人民政府."""
    from decimal import Decimal

    from zfxxgk.outputs.generate import render_report
    from zfxxgk.report import Report
    from zfxxgk.values import json_number

    cells = consistent_cells("2021", random.Random(name))
    data = {k: json_number(v) if isinstance(v, Decimal) else v for k, v in cells.items()}
    return render_report(Report.from_dict({"cells": data, "year": 2021, "body": f"某某乡{name}人民政府"}), "docx",
                         force=True).content


def _store_state(db: str) -> tuple[list[tuple], list[tuple]]:
    """Every stored report (body, year, revision, current, status, counts, file) and finding, by file name."""
    from sqlalchemy import select

    from zfxxgk.store import Store
    from zfxxgk.store.schema import findings, reports, source_files

    store = Store(db, migrate=False)
    try:
        with store.engine.connect() as conn:
            names = dict(conn.execute(select(reports.c.id, source_files.c.name).join(source_files)).all())
            rows = sorted((names[r.id], r.body_id, r.year, r.revision, r.current, r.status, r.errors, r.warnings, r.infos)
                          for r in conn.execute(select(reports)))
            found = sorted((names[f.report_id], f.code, f.severity, names.get(f.previous_report_id))
                           for f in conn.execute(select(findings)))
    finally:
        store.close()
    return rows, found


@pytest.mark.slow
def test_batched_ingest_stores_what_one_by_one_stores(tmp_path: Path) -> None:
    """Store.ingest_parsed (a transaction per batch) against Store.ingest (one per report): the same results and
    rows: new bodies, last year's report before and after this year's (cross-year findings both ways), a revision,
    a copy in the same batch and one of an earlier batch (duplicates; the latter undoes its batch, which is then
    stored one by one), an unreadable file."""
    from zfxxgk.store import Store, items
    from zfxxgk.store.core import parse_item

    from .store_data import pair, report_text

    first, second = pair("2021")
    second = dict(second, **{"t3.carried_over.natural_person": int(first["t3.carried_forward.natural_person"]) + 1})
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a-2024.txt": report_text(second, "2021", 2024), "b-2023.txt": report_text(first, "2021", 2023),
             "c-other.txt": report_text(second, "2021", 2024, body="淮安市涟水县人民政府"),
             "e-2024-revised.txt": report_text(second, "2021", 2024, fresh_prose=True),
             "g-empty.txt": ""}
    for name, text in texts.items():
        (folder / name).write_text(text, "utf-8")
    order = ["a-2024.txt", "b-2023.txt", "c-other.txt", "a-2024.txt", "e-2024-revised.txt", "b-2023.txt", "g-empty.txt"]
    files = [folder / name for name in order]

    def results(found: list) -> list[tuple]:
        return [(Path(r.source).name, r.status, r.body, r.year, r.revision, r.errors, r.match) for r in found]

    one_db, batch_db = str(tmp_path / "one.db"), str(tmp_path / "batch.db")
    with Store(one_db) as store:
        one = [store.ingest(item) for item in items(files, lambda p: [p], 10**7)]
    with Store(batch_db) as store:
        parsed = ((item, parse_item(item)) for item in items(files, lambda p: [p], 10**7))
        batched = list(store.ingest_parsed(parsed, batch=3))
    assert results(batched) == results(one)
    assert [r[1] for r in results(one)] == ["new", "new", "new", "duplicate", "revision", "duplicate", "unreadable"]
    assert _store_state(batch_db) == _store_state(one_db)
    _, found = _store_state(one_db)
    yoy = {(Path(f[0]).name, f[1]) for f in found if f[3] is not None and Path(f[3]).name == "b-2023.txt"}
    assert yoy == {("a-2024.txt", "YOY-CARRY"), ("a-2024.txt", "YOY-TEXT-REPEAT"), ("e-2024-revised.txt", "YOY-CARRY")}

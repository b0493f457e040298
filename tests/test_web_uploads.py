"""Uploads and the job queue (issue 10): limits while reading, zip bombs, safe names, jobs in worker processes
(a crash or hang fails that file only), the pages and the API, and a server killed while a job runs."""

from __future__ import annotations

import contextlib
import faulthandler
import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import zfxxgk.pipeline
from zfxxgk.store.schema import jobs, reports, source_files
from zfxxgk.web.jobs import JobRunner

from .conftest import hang_guard
from .web_helpers import SHARED, Web, csrf_of, make_web

pytestmark = pytest.mark.slow

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _api_upload(client: Any, files: list[tuple[str, bytes]]) -> Any:
    return client.post("/api/v1/uploads", files=[("files", (name, data)) for name, data in files],
                       headers={"X-CSRF-Token": csrf_of(client)})


def _run(web: Web, **settings: Any) -> int:
    """Drive the queue by hand (the `web` fixture starts no runner): every queued job, then return."""
    from zfxxgk.web.settings import Settings

    runner = JobRunner(web.app.state.store, Settings(db=str(web.path), **settings))
    with hang_guard(120):
        return runner.run_pending()


def _jobs(web: Web) -> list[dict[str, Any]]:
    with web.app.state.store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(jobs).order_by(jobs.c.id))]


def _stub_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """As tests/test_batch.py: a file's first word makes the (forked) worker hang, crash or be slow."""
    real = zfxxgk.pipeline.read_bytes

    def read(data: bytes) -> object:
        if data.startswith(b"SLEEP"):
            time.sleep(10**6)
        if data.startswith(b"ABORT"):
            faulthandler.disable()  # no traceback dump in the test's output: the abort is the point
            os.abort()
        return real(data)

    monkeypatch.setattr(zfxxgk.pipeline, "read_bytes", read)


# ------------------------------------------------------------------ jobs
def test_seeds_in_a_zip_become_one_job_each_and_are_stored_with_their_counts(web: Web) -> None:
    client = web.client("reviewer")
    # one byte more than the stored seeds: new files (a new sha256), the same findings
    members = {f"年报/{p.name}": p.read_bytes() + b"\n" for p in SEEDS}
    response = _api_upload(client, [("seeds.zip", _zip(members))])
    assert response.status_code == 201, response.text
    body = response.json()
    assert [j["name"] for j in body["jobs"]] == [p.name for p in SEEDS]
    assert {j["state"] for j in body["jobs"]} == {"queued"}
    assert _run(web) == 5
    got = client.get(f"/api/v1/jobs?batch={body['batch']}").json()
    assert [(j["state"], j["state_text"], j["attempts"], j["error"]) for j in got] == [("done", "已完成", 1, None)] * 5
    # the seeds' bodies are outside 淮安市: stored, but the reviewer is not shown them
    assert [(j["outcome"], j["report_id"], j["errors"]) for j in got] == [("new", None, None)] * 2 + \
        [("revision", None, None)] * 3  # the first two seeds name no body the store places: each is new
    assert client.get(f"/jobs/{body['batch']}").text.count("该报告不在您的查看范围内") == 5
    with web.app.state.store.engine.connect() as conn:
        stored = {r.name: (r.id, r.errors, r.warnings) for r in conn.execute(
            select(source_files.c.name, reports.c.id, reports.c.errors, reports.c.warnings).join(reports))}
    assert [stored[j["name"]][0] for j in _jobs(web)] == [j["report_id"] for j in _jobs(web)]
    # the seeds were stored before under their path: the same counts for the same content
    assert [stored[p.name][1:] for p in SEEDS] == [stored[str(p)][1:] for p in SEEDS]
    admin = web.client("admin").get(f"/api/v1/jobs?batch={body['batch']}").json()
    assert [(j["report_id"], j["errors"], j["warnings"]) for j in admin] == [stored[p.name] for p in SEEDS]
    page = web.client("admin").get(f"/jobs/{body['batch']}")
    assert page.status_code == 200
    assert "已完成 5/5" in page.text and page.text.count('class="job-report"') == 5


def test_the_form_uploads_and_the_applications_own_runner_finishes_the_batch(
        tmp_path: Path, web_template: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    web = make_web(tmp_path, web_template, start_jobs=True)
    with web.client() as client:  # the context runs the lifespan: the runner starts and stops with it
        from .web_helpers import login

        login(client, "huaian")
        form = client.get("/upload")
        assert form.status_code == 200 and 'id="upload-form"' in form.text and "合计不超过 50 MB" in form.text
        files = [("files", ("a.txt", SEEDS[0].read_bytes() + b"\n")), ("files", ("b.txt", SEEDS[1].read_bytes() + b"\n"))]
        response = client.post("/upload", files=files, data={"csrf": csrf_of(client)})
        assert response.status_code == 303
        batch = response.headers["location"].removeprefix("/jobs/")
        deadline = time.monotonic() + 60
        while {j["state"] for j in client.get(f"/api/v1/jobs?batch={batch}").json()} != {"done"}:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        page = client.get(f"/jobs/{batch}").text
        assert "已完成 2/2" in page and "全部处理完毕" in page and page.count('class="job-report"') == 2
        listing = client.get("/jobs").text
        assert f'href="/jobs/{batch}"' in listing and "已完成 2/2" in listing
    web.app.state.store.close()


def test_a_submitters_upload_lands_in_their_body(web: Web) -> None:
    client = web.client("hongze")
    text = SEEDS[0].read_bytes() + b"\n\n"  # a report printed for another body: the submitter's body wins
    response = _api_upload(client, [("report.txt", text)])
    assert response.status_code == 201
    assert _run(web) == 1
    job = _jobs(web)[0]
    assert job["body_id"] == web.bodies["淮安市洪泽区人民政府"]
    with web.app.state.store.engine.connect() as conn:
        assert conn.execute(select(reports.c.body_id).where(reports.c.id == job["report_id"])).scalar_one() == \
            web.bodies["淮安市洪泽区人民政府"]
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["report_id"] == job["report_id"]


def test_a_crash_and_a_hang_fail_their_own_jobs_and_the_others_are_done(web: Web,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_reader(monkeypatch)
    client = web.client("reviewer")
    files = [("a.txt", SEEDS[1].read_bytes() + b"\n"), ("crash.txt", b"ABORT"), ("hang.txt", b"SLEEP"),
             ("b.txt", SEEDS[2].read_bytes() + b"\n")]
    batch = _api_upload(client, files).json()["batch"]
    assert _run(web, job_timeout=3.0, workers=2) == 4
    got = {j["name"]: j for j in client.get(f"/api/v1/jobs?batch={batch}").json()}
    assert got["a.txt"]["state"] == got["b.txt"]["state"] == "done"
    assert got["crash.txt"]["state"] == got["hang.txt"]["state"] == "failed"
    assert got["crash.txt"]["error"] == {"code": "crashed", "args": {"how": "SIGABRT"}}
    assert got["crash.txt"]["message"] == "读取此文件时工作进程意外退出（SIGABRT），已放弃"
    assert got["hang.txt"]["error"] == {"code": "timeout", "args": {"seconds": 3.0}}
    assert got["hang.txt"]["message"] == "读取此文件超过时间限制（3 秒），已放弃"
    page = client.get(f"/jobs/{batch}").text
    assert "读取此文件时工作进程意外退出（SIGABRT），已放弃" in page and "已完成 4/4" in page


def test_another_users_job_is_not_found_by_page_and_api(web: Web) -> None:
    owner = web.client("hongze")
    batch = _api_upload(owner, [("r.txt", SEEDS[0].read_bytes() + b"\n")]).json()["batch"]
    job_id = _jobs(web)[0]["id"]
    other = web.client("huaian")
    assert other.get(f"/jobs/{batch}").status_code == 404
    assert other.get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert other.get(f"/api/v1/jobs?batch={batch}").json() == []
    assert batch not in other.get("/jobs").text
    assert batch in owner.get("/jobs").text
    assert web.client("admin").get(f"/api/v1/jobs/{job_id}").status_code == 200


# ------------------------------------------------------------------ limits
def test_a_60_mb_upload_is_refused_with_a_message_and_no_job(web: Web) -> None:
    client = web.client("hongze")
    big = os.urandom(1024) * (60 * 1024)
    response = _api_upload(client, [("big.pdf", big)])
    assert response.status_code == 413
    assert response.json() == {"detail": "上传内容超过 50 MB 的限制，未处理任何文件"}
    page = client.post("/upload", files=[("files", ("big.pdf", big))], data={"csrf": csrf_of(client)})
    assert page.status_code == 413 and "上传内容超过 50 MB 的限制，未处理任何文件" in page.text
    assert _jobs(web) == []


def test_the_limit_is_checked_while_reading(tmp_path: Path) -> None:
    from zfxxgk.web.settings import Settings
    from zfxxgk.web.uploads import UploadRefused, read_uploads

    class Spy(io.BytesIO):
        def __init__(self, data: bytes) -> None:
            super().__init__(data)
            self.taken = 0

        def read(self, n: int | None = -1) -> bytes:
            got = super().read(n)
            self.taken += len(got)
            return got

    class File:
        def __init__(self, name: str, data: bytes) -> None:
            self.filename, self.file = name, Spy(data)

    files = [File("a.txt", b"x" * 3_000_000), File("b.txt", b"y" * 3_000_000), File("c.txt", b"z" * 3_000_000)]
    with pytest.raises(UploadRefused) as refused:
        read_uploads(files, Settings(max_upload=4_000_000))
    assert (refused.value.status, refused.value.key, refused.value.args_) == (413, "web.upload.too_large",
                                                                            {"limit": "3.81 MB"})
    assert [f.file.taken for f in files] == [3_000_000, 1024 * 1024, 0]  # stopped at the first chunk past the limit


def test_a_zip_bomb_is_refused_with_a_message(web: Web) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("zeros.txt", "w") as member:
        block = bytes(16 * 1024 * 1024)
        for _ in range(64):  # 1 GB of zeros, about 1 MB deflated
            member.write(block)
    client = web.client("reviewer")
    response = _api_upload(client, [("report.zip", buffer.getvalue())])
    assert response.status_code == 413
    assert response.json() == {"detail": "压缩包 report.zip 的压缩比异常或解压后超过 50 MB（疑似“压缩炸弹”），已拒绝，未处理任何文件"}
    assert _jobs(web) == []


def test_upload_names_are_safe_base_names_and_nothing_is_written_outside(web: Web, tmp_path: Path) -> None:
    client = web.client("reviewer")
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    text = SEEDS[3].read_bytes()
    files = [("../../etc/passwd.txt", text + b"\n"), ("..\\x.pdf", text + b"\n\n"),
             ("a\u202egpj.txt", text + b"\n\n\n"), ("empty.txt", b"")]
    response = _api_upload(client, files)
    assert response.status_code == 201
    got = [(j["name"], j["state"], j["message"]) for j in response.json()["jobs"]]
    assert got == [("passwd.txt", "queued", None), ("x.pdf", "queued", None), ("agpj.txt", "queued", None),
                   ("empty.txt", "failed", "空文件，未处理")]
    zipped = _api_upload(client, [("n.zip", _zip({"../../evil/../a.txt": text + b"\r\n", "dir/": b"",
                                                  "inner.zip": _zip({"x.txt": text})}))])
    assert [j["name"] for j in zipped.json()["jobs"]] == ["a.txt", "inner.zip"]
    assert _run(web) == 5
    outcomes = {j["name"]: j["outcome"] for j in _jobs(web)}
    assert outcomes == {"passwd.txt": "revision", "x.pdf": "revision", "agpj.txt": "revision", "empty.txt": None,
                        "a.txt": "revision", "inner.zip": "unreadable"}  # a nested zip is not opened: unsupported
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert not Path("/etc/passwd.txt").exists()


# ------------------------------------------------------------------ restart
SERVER = """
import sys, time
import uvicorn
import zfxxgk.pipeline
from zfxxgk.web.app import create_app
from zfxxgk.web.settings import Settings

real = zfxxgk.pipeline.read_bytes

def read(data):
    if data.startswith(b"SLOW\\n"):  # a parse that takes a while: time to kill the server meanwhile
        time.sleep(float(sys.argv[3]))
        data = data[5:]
    return real(data)

zfxxgk.pipeline.read_bytes = read
uvicorn.run(create_app(Settings(db=sys.argv[1], workers=1)), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(db: Path, port: int, slow: float) -> subprocess.Popen[bytes]:
    import httpx

    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port), str(slow)], start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)


def _job_state(web: Web, job_id: int) -> tuple[str, int]:
    row = next(j for j in _jobs(web) if j["id"] == job_id)
    return row["state"], row["attempts"]


def test_a_job_running_when_the_server_is_killed_completes_once_after_the_restart(web: Web) -> None:
    import httpx

    from zfxxgk.store.schema import users
    from zfxxgk.web.accounts import add_token

    with web.app.state.store.engine.connect() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.name == "hongze")).scalar_one()
    token = add_token(web.app.state.store.engine, user_id, "test")
    data = b"SLOW\n" + SEEDS[4].read_bytes()
    port = _free_port()
    first = _serve(web.path, port, slow=3.0)
    try:
        response = httpx.post(f"http://127.0.0.1:{port}/api/v1/uploads", files=[("files", ("slow.txt", data))],
                              headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert response.status_code == 201, response.text
        job_id = response.json()["jobs"][0]["id"]
        deadline = time.monotonic() + 30
        while _job_state(web, job_id)[0] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        assert _job_state(web, job_id) == ("running", 1)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the orphaned worker (it could store nothing: no database)
            os.killpg(first.pid, signal.SIGKILL)
    second = _serve(web.path, port, slow=0.5)
    try:
        deadline = time.monotonic() + 60
        while _job_state(web, job_id)[0] != "done":
            assert time.monotonic() < deadline, _jobs(web)
            time.sleep(0.1)
        got = httpx.get(f"http://127.0.0.1:{port}/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {token}"},
                        timeout=10).json()
        assert (got["state"], got["attempts"], got["outcome"]) == ("done", 2, "new")
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(10)
    with web.app.state.store.engine.connect() as conn:
        stored = conn.execute(select(reports.c.id).join(source_files).where(
            source_files.c.sha256 == hashlib.sha256(data).hexdigest())).scalars().all()
    assert stored == [got["report_id"]]


def test_too_many_files_a_damaged_zip_and_no_file_are_refused_whole(tmp_path: Path,
                                                                   web_template: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    web = make_web(tmp_path, web_template, max_files=3)
    client = web.client("hongze")
    text = SEEDS[0].read_bytes()
    response = _api_upload(client, [("a.zip", _zip({f"{i}.txt": text + bytes([i]) for i in range(4)}))])
    assert (response.status_code, response.json()) == (413, {"detail": "文件数超过每次 3 个的限制，未处理任何文件"})
    damaged = _zip({"a.txt": text})[:-30]  # the end of the central directory cut off
    response = _api_upload(client, [("b.zip", damaged)])
    assert response.status_code == 400
    assert response.json()["detail"].startswith("压缩包 b.zip 已损坏或无法解压（")
    response = client.post("/api/v1/uploads", data={"x": "1"}, headers={"X-CSRF-Token": csrf_of(client)})
    assert (response.status_code, response.json()) == (400, {"detail": "没有收到文件，请选择要上传的文件"})
    english = client.post("/api/v1/uploads?lang=en", files=[("files", ("e.txt", b""))],
                          headers={"X-CSRF-Token": csrf_of(client)})
    assert english.status_code == 201
    assert [(j["state_text"], j["message"]) for j in english.json()["jobs"]] == [("failed", "empty file, not processed")]
    assert web.client().post("/api/v1/uploads", files=[("files", ("e.txt", b"x"))]).status_code == 401
    assert client.post("/api/v1/uploads", files=[("files", ("e.txt", b"x"))]).status_code == 403  # no CSRF token
    assert len(_jobs(web)) == 1
    web.app.state.store.close()


def test_serve_with_two_server_processes_answers_and_runs_the_queue_once(web: Web) -> None:
    """`zfxxgk serve --workers 2`: two processes answer requests, the supervising one alone runs the jobs."""
    import httpx

    from zfxxgk.web.accounts import add_token, user_by_name

    engine = web.app.state.store.engine
    token = add_token(engine, user_by_name(engine, "hongze").id, "test")  # type: ignore[union-attr]
    web.app.state.store.close()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zfxxgk", "serve", "--db", str(web.path), "--port", str(port),
                             "--workers", "2"], start_new_session=True, stderr=subprocess.PIPE)
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        files = [("files", (f"seed{i}.txt", SEEDS[i].read_bytes() + b"\n")) for i in (1, 4)]  # not yet stored
        batch = httpx.post(base + "/api/v1/uploads", files=files, headers=headers, timeout=30).json()["batch"]
        while True:
            got = httpx.get(base + f"/api/v1/jobs?batch={batch}", headers=headers, timeout=10).json()
            if all(j["state"] in ("done", "failed") for j in got):
                break
            assert time.monotonic() < deadline, got
            time.sleep(0.1)
        # both are 2020 reports put in the submitter's body: whichever is stored second (they are parsed side by
        # side) is a new revision of the other
        assert sorted((j["state"], j["attempts"], j["outcome"]) for j in got) == [("done", 1, "new"),
                                                                                  ("done", 1, "revision")]
        for job in got:  # answered by either process
            assert httpx.get(base + f"/api/v1/reports/{job['report_id']}", headers=headers, timeout=10).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)

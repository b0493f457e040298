"""Reviewers browsing while bodies upload: `python bench/bench_web_load.py [--seconds 60] [--reviewers 20] [--uploaders 5]`.

1. Builds a store in a temporary folder: the two real PDFs, and 280 generated text reports of 140 bodies of 淮安市
   (2022 and 2023), plus 20 reviewer accounts (region 320800) and 5 submitter accounts (淮安市洪泽区人民政府).
2. Starts `zfxxgk serve --workers 2` on a loopback port in a child process: two server processes answer the
   requests, the supervising process runs the job queue whose worker processes parse the uploads.
3. For --seconds: each reviewer thread logs in and browses in a loop (the report list, a filtered list, a
   report page, its findings through the API, a cell's source); each uploader posts the text-layer PDF of 洪泽
   (a distinct copy each time: a comment appended after %%EOF) through the API and polls its job until the
   findings are there.
4. Prints: requests, errors, median and 95th percentile page time, uploads done, and the median and slowest time
   from upload to findings. The issue's bounds: no error, median page under 300 ms, upload to findings under 3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.store_data import report_text  # noqa: E402
from tests.synth import consistent_cells, with_totals  # noqa: E402

SHARED = ROOT.parent / "shared" / "fixtures"
HONGZE = SHARED / "real" / "hongze-district-2023.pdf"
PASSWORD = "load test password"
COUNTIES = ("清江浦区", "淮阴区", "淮安区", "洪泽区", "涟水县", "盱眙县", "金湖县")
OFFICES = ("教育局", "公安局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
           "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会", "应急管理局", "审计局",
           "市场监督管理局", "统计局", "医疗保障局", "人民政府办公室")


def build(folder: Path) -> Path:
    from zfxxgk.store import Store, file_item
    from zfxxgk.store.sources import Item
    from zfxxgk.web.accounts import add_user

    db = folder / "load.db"
    rng = random.Random(2026)
    with Store(str(db)) as store:
        store.ingest(file_item(HONGZE))
        store.ingest(file_item(SHARED / "real" / "huaian-city-2024.pdf"))
        for county in COUNTIES:
            for office in OFFICES:
                body = f"淮安市{county}{office}"
                for year in (2022, 2023):
                    text = report_text(with_totals(consistent_cells("2021", rng), "2021"), "2021", year, body=body)
                    path = folder / f"{county}{office}{year}.txt"
                    path.write_text(text, "utf-8")
                    item: Item = file_item(path)
                    store.ingest(item)
        hongze = store.find_body("淮安市洪泽区人民政府")
        assert hongze is not None
        for i in range(20):
            add_user(store.engine, f"reviewer{i}", PASSWORD, "reviewer", region="320800")
        for i in range(5):
            add_user(store.engine, f"submitter{i}", PASSWORD, "submitter", body_id=int(hongze["id"]))
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.uploads: list[float] = []
        self.errors: list[str] = []

    def page(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.pages.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


def login_token(client: object, base: str) -> str:
    """The login form's CSRF token (its cookie is kept by the client)."""
    page = client.get(base + "/login")  # type: ignore[attr-defined]
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


PAGES = (("list", "/reports"), ("filtered list", "/reports?year=2023&state=errors"), ("report page", "/reports/{rid}"),
         ("findings (API)", "/api/v1/reports/{rid}/findings"), ("cell source", "/reports/{rid}/cells/t3.total.total/source"))


def reviewer(base: str, name: str, until: float, stats: Stats) -> None:
    import httpx

    rng = random.Random(name)
    with httpx.Client(timeout=30) as client:
        token = login_token(client, base)
        r = client.post(base + "/login", data={"name": name, "password": PASSWORD, "csrf": token, "next": "/"})
        if r.status_code != 303:
            stats.error(f"{name} login {r.status_code}")
            return
        ids = [int(i) for i in re.findall(r'href="/reports/(\d+)"', client.get(base + "/reports").text)]
        if not ids:
            stats.error(f"{name}: no reports listed")
            return
        while time.monotonic() < until:
            rid = rng.choice(ids)
            for kind, path in PAGES:
                path = path.format(rid=rid)
                started = time.perf_counter()
                r = client.get(base + path)
                elapsed = time.perf_counter() - started
                if r.status_code != 200:
                    stats.error(f"GET {path} {r.status_code}")
                else:
                    stats.page(kind, elapsed)


def uploader(base: str, token: str, until: float, stats: Stats, pdf: bytes) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    with httpx.Client(timeout=60, headers=headers) as client:
        while time.monotonic() < until:
            n += 1
            data = pdf + f"\n% copy {token[-6:]} {n}\n".encode()
            started = time.perf_counter()
            r = client.post(base + "/api/v1/uploads", files={"files": (f"洪泽{n}.pdf", data, "application/pdf")})
            if r.status_code != 201:
                stats.error(f"upload {r.status_code} {r.text[:100]}")
                continue
            job = r.json()["jobs"][0]
            while job["state"] in ("queued", "running"):
                time.sleep(0.05)
                job = client.get(f"{base}/api/v1/jobs/{job['id']}").json()
            if job["state"] != "done" or job["report_id"] is None:
                stats.error(f"job {job['id']} {job['state']} {job.get('message')}")
                continue
            findings = client.get(f"{base}/api/v1/reports/{job['report_id']}/findings")
            if findings.status_code != 200:
                stats.error(f"findings {findings.status_code}")
                continue
            with stats.lock:
                stats.uploads.append(time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="zfxxgk serve --workers (server processes)")
    args = parser.parse_args()
    import httpx

    from zfxxgk.web import accounts

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        db = build(folder)
        print(f"store built in {time.perf_counter() - started:.1f} s")
        from zfxxgk.store import Store

        with Store(str(db)) as store:
            tokens = [accounts.add_token(store.engine, accounts.user_by_name(store.engine, f"submitter{i}").id, "load")
                      for i in range(args.uploaders)]  # type: ignore[union-attr]
        port = free_port()
        command = os.environ.get("BENCH_SERVER_CMD")  # an experiment: another way to start the server
        argv = command.format(db=db, port=port).split() if command else [
            sys.executable, "-m", "zfxxgk", "serve", "--db", str(db), "--port", str(port), "--workers", str(args.workers)]
        server = subprocess.Popen(argv, env={**os.environ, "PYTHONUNBUFFERED": "1", "ZFXXGK_DB": str(db)})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/login", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.2)
            stats = Stats()
            until = time.monotonic() + args.seconds
            pdf = HONGZE.read_bytes()
            threads = [threading.Thread(target=reviewer, args=(base, f"reviewer{i}", until, stats))
                       for i in range(args.reviewers)]
            threads += [threading.Thread(target=uploader, args=(base, tokens[i], until, stats, pdf))
                        for i in range(args.uploaders)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(30)
    pages = sorted(stats.pages)
    print(f"{args.reviewers} reviewers and {args.uploaders} uploaders for {args.seconds:.0f} s on loopback "
          f"({os.cpu_count()} cores, zfxxgk serve --workers {args.workers})")
    print(f"requests: {len(pages)} ({len(pages) / args.seconds:.0f}/s), errors: {len(stats.errors)}")
    if pages:
        p95 = pages[int(len(pages) * 0.95) - 1]
        print(f"page time: median {statistics.median(pages) * 1000:.0f} ms, 95th percentile {p95 * 1000:.0f} ms")
        for kind, times in stats.by_kind.items():
            print(f"  {kind}: median {statistics.median(times) * 1000:.0f} ms ({len(times)} requests)")
    if stats.uploads:
        ups = sorted(stats.uploads)
        print(f"uploads: {len(ups)}, upload to findings: median {statistics.median(ups):.2f} s, 95th percentile "
              f"{ups[max(0, int(len(ups) * 0.95) - 1)]:.2f} s, slowest {ups[-1]:.2f} s")
    for e in stats.errors[:10]:
        print("error:", e)


if __name__ == "__main__":
    main()

"""`zfxxgk collect` against a server on 127.0.0.1 serving saved pages (issue 12): nothing leaves the machine.

The site: an annual-report column of two list pages (paging by 下一页), three report pages (one with its
tables in an attached PDF), a link that is a 404, one to a slow server, a redirect loop and a huge file.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from zfxxgk.cli import app
from zfxxgk.collect import USER_AGENT, Cache, Fetcher, Policy, crawl

from .conftest import FIXTURES, hang_guard, seed

runner = CliRunner()
PDF = (FIXTURES / "real" / "huaian-city-2024.pdf").read_bytes()
HUGE = 3 * 1024 * 1024  # over the 1 MB limit the tests set


def page(title: str, body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>".encode()


def report_page(n: str) -> bytes:
    text = seed(n).read_text("utf-8")
    return page("年报", "".join(f"<p>{line}</p>" for line in text.splitlines()))


SITE: dict[str, tuple[int, str, bytes]] = {
    "/ndbg/index.html": (200, "text/html", page("政府信息公开年报", """
        <ul><li><a href="a/2020-000.html">某某乡2020年政府信息公开工作年度报告</a></li>
        <li><a href="a/2020-001.html">某某镇2020年政府信息公开工作年度报告</a></li>
        <li><a href="missing.html">某某局2020年政府信息公开年报（已删除）</a></li></ul>
        <a href="index_1.html">下一页</a>""")),
    "/ndbg/index_1.html": (200, "text/html", page("政府信息公开年报", """
        <ul><li><a href="a/huaian.html">淮安市2024年政府信息公开工作年度报告</a></li>
        <li><a href="/slow.html">某某区2023年政府信息公开工作年度报告</a></li>
        <li><a href="/loop.html">某某县2023年政府信息公开工作年度报告</a></li></ul>
        <a href="index.html">1</a> <a href="index_1.html">2</a>""")),
    "/ndbg/a/2020-000.html": (200, "text/html", report_page("000")),
    "/ndbg/a/2020-001.html": (200, "text/html", report_page("001")),
    "/ndbg/a/huaian.html": (200, "text/html", page("淮安市2024年政府信息公开工作年度报告", """
        <p>淮安市2024年政府信息公开工作年度报告全文见附件。</p>
        <a href="/files/huaian-2024.pdf">附件：淮安市2024年报告.pdf</a> <a href="/files/big.zip">other</a>
        <a href="/files/huge.pdf">附件2（扫描件）</a>""")),
    "/files/huaian-2024.pdf": (200, "application/pdf", PDF),
}


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        Handler.seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/loop.html":
            self.send_response(302)
            self.send_header("Location", "/loop2.html")
            self.end_headers()
        elif self.path == "/loop2.html":
            self.send_response(301)
            self.send_header("Location", "/loop.html")
            self.end_headers()
        elif self.path == "/slow.html":
            time.sleep(2)  # the client gives up after 0.5 s; bounded, so the server thread ends
            self._send(200, "text/html", page("slow", "late"))
        elif self.path == "/files/huge.pdf":  # no length given: the client stops reading at its limit
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            try:
                for _ in range(HUGE // 65536):
                    self.wfile.write(b"%" * 65536)
            except OSError:
                pass
        elif self.path in SITE:
            self._send(*SITE[self.path])
        else:
            self._send(404, "text/html", page("404", "not found"))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that stopped reading (the huge file, the slow page) is what the tests do


@pytest.fixture
def site() -> Iterator[str]:
    Handler.seen = []
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


POLICY = Policy(timeout=0.5, retries=1, backoff=0.01, per_host=0, max_bytes=1024 * 1024)


@pytest.mark.slow
def test_the_column_is_followed_to_the_reports_and_their_attachments(site: str, tmp_path: Path) -> None:
    with hang_guard(60):
        got = list(crawl([f"{site}/ndbg/index.html"], Fetcher(POLICY), Cache(tmp_path)))
    summary = [(g.role, g.record.url.removeprefix(site), g.record.problem) for g in got]
    assert summary == [
        ("list", "/ndbg/index.html", None),
        ("report", "/ndbg/a/2020-000.html", None),
        ("report", "/ndbg/a/2020-001.html", None),
        ("report", "/ndbg/missing.html", "http_404"),
        ("list", "/ndbg/index_1.html", None),
        ("report", "/ndbg/a/huaian.html", None),
        ("report", "/slow.html", "timeout"),
        ("report", "/loop.html", "redirect_loop"),
        ("attachment", "/files/huaian-2024.pdf", None),
        ("attachment", "/files/huge.pdf", "too_large"),
    ]
    pdf = next(g.record for g in got if g.record.url.endswith("huaian-2024.pdf"))
    assert pdf.referrer == f"{site}/ndbg/a/huaian.html" and pdf.content_type == "application/pdf"
    assert (tmp_path / pdf.path).read_bytes() == PDF and pdf.path.endswith(f"{pdf.sha256}.pdf")
    lines = (tmp_path / "provenance.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 10 and json.loads(lines[8])["url"] == f"{site}/files/huaian-2024.pdf"
    assert {agent for _, agent in Handler.seen} == {USER_AGENT}
    assert sum(path == "/slow.html" for path, _ in Handler.seen) == 2  # one retry
    assert sum(path == "/ndbg/missing.html" for path, _ in Handler.seen) == 1  # a 404 is not retried


@pytest.mark.slow
def test_collect_check_reads_the_report_from_its_attached_pdf(site: str, tmp_path: Path) -> None:
    with hang_guard(120):
        result = runner.invoke(app, ["collect", f"{site}/ndbg/a/huaian.html", "--cache", str(tmp_path / "c"),
                                     "--timeout", "0.5", "--retries", "0", "--per-host", "0", "--max-size", "1",
                                     "--check", "--json"])
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["provenance"]["url"].removeprefix(site), r["format"], r["year"], r["version"]) for r in rows] == [
        ("/ndbg/a/huaian.html", "html", 2024, None),
        ("/files/huaian-2024.pdf", "pdf", 2024, "2021")]
    assert rows[1]["provenance"]["referrer"] == f"{site}/ndbg/a/huaian.html"
    assert "未能下载 " + site + "/files/huge.pdf：文件超过大小上限" in result.stderr
    # The page without tables is an incomplete report; the PDF holds the tables.
    assert [[f["code"] for f in r["findings"]] for r in rows] == [["FMT-SECTIONS"], ["CNT-OVERVIEW-TOPICS"]]
    assert result.exit_code == 1


def test_collect_needs_a_url() -> None:
    result = runner.invoke(app, ["collect"])
    assert result.exit_code == 2 and result.stderr == "没有给出网址（URL 参数或 --urls FILE）\n"


@pytest.mark.slow
def test_collect_from_a_url_list_into_the_store(site: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# two reports\n{site}/ndbg/a/2020-000.html\n\n{site}/ndbg/a/2020-001.html\n", "utf-8")
    db = str(tmp_path / "s.db")
    with hang_guard(60):
        result = runner.invoke(app, ["collect", "--urls", str(urls), "--cache", str(tmp_path / "c"), "--per-host", "0",
                                     "--db", db, "--json"])
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["status"], r["year"]) for r in rows[2:]] == [("new", 2020), ("new", 2020)]
    assert [r["role"] for r in rows[:2]] == ["report", "report"]
    assert [r["source"] for r in rows[2:]] == [r["file"] for r in rows[:2]]  # the cached files, provenance beside


def test_one_host_is_asked_at_most_once_per_interval(site: str) -> None:
    waits: list[float] = []
    fetcher = Fetcher(Policy(timeout=5, retries=0, per_host=30), sleep=waits.append)
    with hang_guard(30):
        first = fetcher.get(f"{site}/ndbg/a/2020-000.html")
        second = fetcher.get(f"{site}/nothing-here.html")
    assert (first.status, first.problem, second.problem) == (200, None, "http_404")
    assert len(waits) == 1 and 29 < waits[0] <= 30  # the second request waited out the interval

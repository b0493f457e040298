"""`collect`: download reports from the sites that publish them, then check or store them.

Every file goes into a content-addressed cache with its provenance (collect/cache.py); messages go
to stderr, so stdout can carry JSON Lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..i18n import t
from ..rules import Options
from .common import DEFAULT_MAX_MB, JsonOpt, Lang, LangOpt, MaxSizeOpt, console, dump, fail, max_bytes, say

if TYPE_CHECKING:
    from ..collect.crawl import Collected


def collect(
    urls: Annotated[list[str] | None, typer.Argument(
        help="年报栏目或报告的网址 / URLs of report columns or reports")] = None,
    urls_file: Annotated[Path | None, typer.Option("--urls", help="网址列表文件，每行一个 / file of URLs")] = None,
    cache: Annotated[Path, typer.Option("--cache", help="下载缓存文件夹 / download cache folder")] = Path("zfxxgk-cache"),
    check: Annotated[bool, typer.Option("--check", help="核对收集到的报告 / check what was collected")] = False,
    db: Annotated[str | None, typer.Option("--db", help="存入报告库 / ingest into the store")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="每次请求的超时（秒）/ per request (s)")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="失败后重试次数 / retries")] = 2,
    per_host: Annotated[float, typer.Option(
        "--per-host", min=0, help="同一网站两次请求的最短间隔（秒）/ seconds between requests to one host")] = 1.0,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="最多访问的网页数 / pages at most")] = 200,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
) -> None:
    """从政府网站收集年度报告（网页及附件），可随即核对或入库。Collect reports from the web."""
    from ..collect import Cache, Fetcher, Policy, crawl

    given = list(urls or [])
    if urls_file is not None:
        if not urls_file.is_file():
            fail(t("cli.no_such_path", lang, path=urls_file))
        given += [u.strip() for u in urls_file.read_text("utf-8").splitlines() if u.strip() and not u.startswith("#")]
    if not given:
        fail(t("collect.no_urls", lang))
    limit = max_bytes(max_size, lang)
    if cache.exists() and not cache.is_dir():
        fail(t("cli.output_is_dir", lang, path=cache))
    store = Cache(cache)
    fetcher = Fetcher(Policy(timeout=timeout, retries=retries, per_host=per_host, max_bytes=limit))
    files: list[tuple[Path, Collected]] = []
    for got in crawl(given, fetcher, store, max_pages):
        r = got.record
        if as_json and not check:
            dump({"role": got.role, **_provenance(got), "file": r.path and str(cache / r.path), "sha256": r.sha256,
                  "content_type": r.content_type, "problem": r.problem})
        elif r.problem is not None:
            say(t("collect.failed", lang, url=r.url, reason=_reason(r.problem, lang)))
        file = store.file(r)
        if file is not None and got.role != "list":
            files.append((file, got))
    say(t("collect.summary", lang, files=len(files), cache=cache))
    if db is not None:
        from .store import ingest

        ingest([f for f, _ in files], db=db, as_json=as_json, lang=lang, max_size=max_size, jobs=1)
    if check:
        _check(files, limit, as_json, lang)


def _provenance(got: Collected) -> dict[str, Any]:
    r = got.record
    return {"url": r.url, "final_url": r.final_url, "retrieved": r.retrieved, "referrer": r.referrer}


def _reason(problem: str, lang: str) -> str:
    kind, _, code = problem.partition("_")
    if kind == "http":
        return t("collect.problem.http", lang, code=code)
    return t(f"collect.problem.{problem}", lang)


def _check(files: list[tuple[Path, Collected]], limit: int, as_json: bool, lang: str) -> None:
    """Each collected file checked; with --json its report record carries where it came from."""
    from .check import safe_check
    from .show import print_findings, print_header

    out = console()
    errors = 0
    for file, got in files:
        report = safe_check(file, Options(), limit, file, lang)
        errors += any(f.severity == "error" for f in report.findings)
        if as_json:
            dump({**report.to_dict(lang), "provenance": _provenance(got)})
        else:
            print_header(out, report, lang)
            out.print(got.record.url, soft_wrap=True, markup=False)
            print_findings(out, report, lang)
    raise typer.Exit(1 if errors else 0)

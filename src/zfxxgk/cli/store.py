"""`ingest`, `history`, `show`, `bodies`, `regions import`, `stats`: the report store on the command line.

Every command takes `--db` (a SQLite file path or a database URL; default $ZFXXGK_DB, else
zfxxgk.db here). A database that cannot be opened, a bad regions file or an unknown body is a
message and exit 2; a bad report file is stored as unreadable and the batch goes on.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table as RichTable

from ..batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Fault, Limits, Pool, fault_problem, file_sha256
from ..i18n import t
from ..pipeline import parse_file
from ..report import Report
from ..rules import Options, run_checks
from .batching import DaskOpt, JobsOpt, MemoryOpt, ResumeOpt, TimeoutOpt, ingest_on_dask, workers
from .common import DEFAULT_MAX_MB, JsonOpt, Lang, LangOpt, MaxSizeOpt, console, dump, fail, files_under, max_bytes, say

if TYPE_CHECKING:  # SQLAlchemy (a fifth of a second) is imported by the commands that open a store, not at start
    from ..store import Ingested, Item, Store
    from ..store.core import StoredReport

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql+psycopg://… "
                                                        "（默认 $ZFXXGK_DB 或 ./zfxxgk.db）/ database file or URL")]

regions_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                          help="区划与机关 / regions and bodies")


def open_store(db: str | None, lang: str) -> Store:
    """The store, or exit 2 saying why it cannot be opened."""
    from ..store import Store, StoreError

    try:
        return Store(db)
    except StoreError as exc:
        fail(exc.message(lang))


@contextmanager
def guarded(store: Store, lang: str) -> Iterator[None]:
    """A database that fails mid-command (locked, gone, damaged): a message and exit 2, never a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..store import StoreError

    try:
        yield
    except StoreError as exc:
        fail(exc.message(lang))
    except SQLAlchemyError as exc:
        fail(store.connect_error(exc).message(lang))
    finally:
        store.close()


def _body_id(store: Store, body: str, lang: str) -> tuple[int, str]:
    found = store.find_body(body)
    if found is None:
        fail(t("store.no_body", lang, body=body))
    return int(found["id"]), str(found["name"])


# ------------------------------------------------------------------ ingest
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件、文件夹或 zip 压缩包 / files, folders or zip archives")],
    db: DbOpt = None,
    body: Annotated[str | None, typer.Option("--body", help="指定机关（不按报告上的名称匹配）/ assign the body")] = None,
    year: Annotated[int | None, typer.Option("--year", help="指定年度 / assign the year")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="每个文件一行 JSON / JSON Lines")] = False,
    jobs: JobsOpt = 0,
    lang: LangOpt = Lang.zh,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    resume: ResumeOpt = False,
    timeout: TimeoutOpt = DEFAULT_SECONDS,
    memory: MemoryOpt = DEFAULT_MEMORY_MB,
    dask: DaskOpt = None,
) -> None:
    """解析、核对并存入报告库（同一文件只存一次；同一机关同一年度的新文件成为新版本）。Parse, check and store reports."""
    limit = max_bytes(max_size, lang)
    for path in paths:
        if not path.exists() and not path.is_symlink():
            fail(t("cli.no_such_path", lang, path=path))
    files = [f for p in paths for f in files_under(p)]
    if not files:
        fail(t("cli.no_files", lang, path=", ".join(map(str, paths))))
    store = open_store(db, lang)
    done: list[Ingested] = []
    out = console()
    err = Console(stderr=True, highlight=False)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, transient=True, disable=as_json or not err.is_terminal)
    with guarded(store, lang), progress:
        if resume:  # the files stored already are left out, not reported again as duplicates
            files = [f for f in files if store.known(file_sha256(f, limit) or "") is None]
        task = progress.add_task(t("store.ingest.progress", lang), total=len(files))
        # Worker processes pay off only on a batch: a few files are parsed here.
        for result in ingest_files(store, files, limit, body, year, jobs if dask else workers(jobs, len(files)),
                                   lambda: progress.advance(task), Limits(timeout, memory), dask):
            done.append(result)
            if as_json:
                dump(_ingested_json(result))
            elif result.status in ("unreadable", "reassigned") or result.match in ("unresolved", "ambiguous") \
                    or result.year is None:
                progress.console.print(_line(result, lang), soft_wrap=True)
    statuses = Counter(r.status for r in done)
    unmatched = sum(1 for r in done if r.status != "unreadable" and (r.body is None or r.year is None))
    with_errors = sum(1 for r in done if r.errors and r.status != "duplicate")
    if not as_json:
        out.print(t("store.ingest.summary", lang, files=len(done), new=statuses["new"], revision=statuses["revision"],
                    duplicate=statuses["duplicate"], unreadable=statuses["unreadable"],
                    reassigned=statuses["reassigned"], unmatched=unmatched, errors=with_errors), soft_wrap=True)
    raise typer.Exit(1 if with_errors else 0)


def ingest_files(store: Store, files: list[Path], limit: int, body: str | None, year: int | None, jobs: int,
                 advance: Callable[[], None], limits: Limits | None = None, dask: str | None = None) -> Iterator[Ingested]:
    """Store the files in order; with jobs ≥ 1 (or on Dask), worker processes parse and check while this one writes.

    In the workers a file that hangs, crashes its worker or exhausts its memory is stored as unreadable.
    """
    from ..store import items
    from ..store.core import parse_item

    if jobs <= 0 and dask is None:
        for file in files:
            for item in items([file], lambda p: [p], limit):
                yield store.ingest(item, body=body, year=year)
            advance()
        return

    def tasks() -> Iterator[tuple[Item, bool]]:
        """Each input with the file it ends; a file already stored needs no parsing (no data sent)."""
        for file in files:
            entries = list(items([file], lambda p: [p], limit))
            if not entries:
                advance()
            for n, item in enumerate(entries):
                known = store.known(item.sha256) is not None
                yield (item.bare() if known else item), \
                    n == len(entries) - 1

    def fault(task: tuple[Item, bool], why: Fault) -> Report | None:
        return Report(source=task[0].name, sha256=task[0].sha256, error=fault_problem(why))

    pool: Pool[tuple[Item, bool], Report | None] = Pool(
        lambda task: parse_item(task[0]) if task[0].data is not None else None, fault, jobs, limits or Limits())
    ends: deque[bool] = deque()  # per item handed to the store: whether it ends its file (for the progress)

    def parsed() -> Iterator[tuple[Item, Report | None]]:
        if dask is not None:
            for item, report, last_of_file in ingest_on_dask(dask, files, limit, jobs, limits or Limits(),
                                                             lambda sha: store.known(sha) is not None, advance):
                ends.append(last_of_file)
                yield item, report
            return
        for (item, last_of_file), report in pool.run(tasks(), ordered=True):
            ends.append(last_of_file)
            yield item.bare(), report

    # Stored in order, BATCH reports per transaction (Store.ingest_parsed), not one transaction each.
    for result in store.ingest_parsed(parsed(), body=body, year=year):
        yield result
        if ends.popleft():
            advance()


def _ingested_json(r: Ingested) -> dict[str, Any]:
    return {"status": r.status, "report_id": r.report_id, "source": r.source, "body": r.body, "year": r.year,
            "revision": r.revision, "errors": r.errors, "match": r.match}


def _line(r: Ingested, lang: str) -> str:
    status = t(f"store.status.{r.status}", lang)
    body = r.body or f"[yellow]{t('store.match.' + (r.match or 'unresolved'), lang)}[/yellow]"
    revision = t("store.ingest.revision", lang, n=r.revision) if r.revision > 1 else ""
    year = r.year if r.year is not None else f"[yellow]{t('store.match.no_year', lang)}[/yellow]"
    return t("store.ingest.line", lang, status=status, source=escape(r.source), body=body, year=year, revision=revision)


# ------------------------------------------------------------------ history and show
def history(
    body: Annotated[str, typer.Argument(help="机关名称或编号 / body name or id")],
    year: Annotated[int, typer.Argument(help="年度 / year")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出一个机关一个年度报告的全部版本。List the versions of a body's report for a year."""
    store = open_store(db, lang)
    with guarded(store, lang):
        name, rows = _versions(store, body, year, lang)
        if as_json:
            for r in rows:
                dump(_row_json(r))
            return
        table = RichTable(title=t("store.history.title", lang, body=name, year=year), title_justify="left")
        for key in ("store.col.revision", "store.col.current", "store.col.file", "store.col.sha", "store.col.ingested",
                    "store.col.findings"):
            table.add_column(t(key, lang), overflow="fold")
        for r in rows:
            table.add_row(str(r.revision), "✓" if r.current else "", escape(r.source), r.sha256[:12],
                          r.ingested_at.strftime("%Y-%m-%d %H:%M:%S"), f"{r.errors}/{r.warnings}/{r.infos}")
        console().print(table)


def _versions(store: Store, body: str, year: int, lang: str) -> tuple[str, list[StoredReport]]:
    """The body's name and its report's versions for the year; exit 2 when there is none."""
    body_id, name = _body_id(store, body, lang)
    rows = store.history(body_id, year)
    if not rows:
        fail(t("store.no_report", lang, body=name, year=year))
    return name, rows


def _row_json(r: StoredReport) -> dict[str, Any]:
    return {"id": r.id, "body": r.body, "year": r.year, "revision": r.revision, "current": r.current,
            "source": r.source, "sha256": r.sha256, "status": r.status, "version": r.version, "errors": r.errors,
            "warnings": r.warnings, "infos": r.infos, "ingested_at": r.ingested_at.isoformat(),
            "printed_body": r.printed_body, "match": r.match, "problem": r.problem}


def show(
    body: Annotated[str, typer.Argument(help="机关名称或编号 / body name or id")],
    year: Annotated[int, typer.Argument(help="年度 / year")],
    db: DbOpt = None,
    revision: Annotated[int | None, typer.Option("--revision", help="第几版（默认当前版）/ which version")] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """显示库中一份报告（默认当前版本）：问题和单元格。Show a stored report."""
    from .show import print_findings, print_header, print_tables

    store = open_store(db, lang)
    with guarded(store, lang):
        name, rows = _versions(store, body, year, lang)
        chosen = [r for r in rows if (r.revision == revision if revision is not None else r.current)]
        if not chosen:
            fail(t("store.no_revision", lang, body=name, year=year, n=revision))
        row = chosen[0]
        report = store.load(row.id)
        if as_json:
            dump({**report.to_dict(lang), "store": _row_json(row)})
            return
        out = console()
        print_header(out, report, lang)
        out.print(f"{t('store.col.body', lang)}: {escape(name)}    {t('store.col.revision', lang)}: {row.revision}/"
                  f"{len(rows)}    sha256: {row.sha256[:12]}")
        print_findings(out, report, lang)
        if report.error is None:
            print_tables(out, report, lang)


# ------------------------------------------------------------------ bodies and regions
def bodies(
    db: DbOpt = None,
    unmatched: Annotated[bool, typer.Option(
        "--unmatched", help="只列出未匹配机关或年度的报告 / reports without a body or year")] = False,
    region: Annotated[str | None, typer.Option("--region", help="区划代码 / region code")] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出库中的机关，或未能匹配机关、年度的报告。List bodies, or reports without a body or year."""
    store = open_store(db, lang)
    with guarded(store, lang):
        g = store.gazetteer()
        if region is not None and region not in g.regions:
            fail(t("store.stats.no_region", lang, code=region))
        if unmatched:
            rows = store.unplaced()
            if as_json:
                for r in rows:
                    dump(_row_json(r))
                return
            if not rows:
                console().print(t("store.bodies.none_unmatched", lang))
                return
            table = RichTable(show_lines=False)
            for key in ("store.col.file", "store.col.printed", "store.col.years", "store.col.reason",
                        "store.col.candidates"):
                table.add_column(t(key, lang), overflow="fold")
            for r in rows:
                match = r.match or {}
                if r.status == "unreadable":
                    reason = t("store.status.unreadable", lang)
                elif r.body is None:
                    reason = t("store.match." + (match.get("status") or "unresolved"), lang)
                else:
                    reason = t("store.match.no_year", lang)
                others = [g.display(c) for c in match.get("candidates") or [] if c in g.regions]
                others += list(match.get("suggestions") or [])
                table.add_row(escape(r.source), escape(r.printed_body or "—"), str(r.year or "—"), reason,
                              escape("、".join(others)))
            out = console()
            out.print(table)
            out.print(t("store.bodies.assign_hint", lang))
            return
        listed = store.body_list(region)
        if as_json:
            for b in listed:
                dump(b)
            return
        table = RichTable(show_lines=False)
        for key in ("store.col.body", "store.col.region", "store.col.reports", "store.col.years"):
            table.add_column(t(key, lang))
        for b in listed:
            years = f"{b['first']}–{b['last']}" if b["first"] is not None else "—"
            table.add_row(f"{b['id']} {escape(b['name'])}", b["region_code"] or "—", str(b["reports"]), years)
        console().print(table)


@regions_app.command("import")
def regions_import(
    file: Annotated[Path, typer.Argument(help="CSV：code, name, parent_code, level, aliases")],
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """导入或覆盖区划和机关（CSV；全部成功或全部不导入）。Import regions and bodies from CSV (all or nothing)."""
    from ..store import StoreError
    from ..store.regions_import import import_regions, read_regions_csv

    if not file.is_file():
        fail(t("cli.no_such_path", lang, path=file))
    try:
        rows = read_regions_csv(file)
    except StoreError as exc:
        fail(exc.message(lang))
    store = open_store(db, lang)
    with guarded(store, lang):
        try:
            result = import_regions(store, rows)
        except StoreError as exc:
            fail(exc.message(lang))
        console().print(t("store.imported", lang, **result), soft_wrap=True)


# ------------------------------------------------------------------ stats
def stats(
    region: Annotated[str, typer.Option("--region", help="区划代码，如 320800 / region code")],
    year: Annotated[int, typer.Option("--year", help="年度 / year")],
    db: DbOpt = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="CSV 文件 / CSV file")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Excel 文件 / Excel file")] = None,
    parquet: Annotated[Path | None, typer.Option("--parquet", help="Parquet 文件 / Parquet file")] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """汇总一个区划本年度全部当前报告（及各下级区划），含派生比率。Sum a region's reports of a year."""
    from ..outputs.export import WRITERS
    from ..store import StoreError
    from ..store.stats import RATES, TOTALS, region_stats, table_rows

    store = open_store(db, lang)
    with guarded(store, lang):
        if region not in store.gazetteer().regions:
            fail(t("store.stats.no_region", lang, code=region))
        try:
            result = region_stats(store, region, year)
        except StoreError as exc:
            fail(exc.message(lang))
        columns, rows = table_rows(result)
        for kind, path in (("csv", csv_out), ("xlsx", xlsx), ("parquet", parquet)):
            if path is not None:
                try:
                    path.write_bytes(WRITERS[kind](columns, rows))
                except ImportError as exc:
                    fail(t("export.failed", lang, path=path, reason=f"pip install 'zfxxgk[all]' ({exc.name})"))
                except OSError as exc:
                    fail(t("export.failed", lang, path=path, reason=exc.strerror or exc))
                say(t("store.stats.written", lang, path=path))
        if as_json:
            dump({"region": rows[0], "children": rows[1:], "missing": result.missing,
                  "summary_checks": [{**c, "reported": _num(c["reported"]), "summed": _num(c["summed"])}
                                     for c in result.summary_checks]})
            return
        out = console()
        s = result.region
        out.print(t("store.stats.title", lang, name=s.name, code=s.code, year=year, reports=s.reports), soft_wrap=True)
        measures = RichTable(show_lines=False)
        measures.add_column(t("store.col.measure", lang))
        measures.add_column(t("store.col.value", lang), justify="right")
        for name in TOTALS:
            measures.add_row(t(f"store.rate.{name}", lang), str(rows[0][name]))
        for name in RATES:
            measures.add_row(t(f"store.rate.{name}", lang), _percent(rows[0][name]))
        out.print(measures)
        shown = [r for r in rows[1:] if r["reports"]]
        if shown:
            table = RichTable(title=t("store.stats.children", lang), title_justify="left", show_lines=False)
            table.add_column(t("store.col.region", lang))
            table.add_column(t("store.col.reports", lang), justify="right")
            brief = ("received", "handled", "granted_or_partial", "unable", "review_corrected")
            for name in brief:
                table.add_column(t(f"store.rate.{name}", lang), justify="right")
            for row in shown:
                table.add_row(f"{row['code']} {escape(row['name'])}", str(row["reports"]),
                              *(str(row[k]) if k in TOTALS else _percent(row[k]) for k in brief))
            out.print(table)
        if result.missing:
            out.print(t("store.stats.missing", lang, n=len(result.missing),
                        names="、".join(m["name"] for m in result.missing)), soft_wrap=True)
        from ..templates import cell_name

        for c in result.summary_checks:
            out.print(t("store.stats.summary_check", lang, body=c["body"], cell=cell_name(c["cell"])[lang],
                        reported=c["reported"], summed=c["summed"]), soft_wrap=True)


def _percent(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _num(v: Any) -> Any:
    from decimal import Decimal

    return float(v) if isinstance(v, Decimal) else v


# ------------------------------------------------------------------ check --previous / --db
class CrossYear:
    """Last year's report for each report `check` reads: one given file (--previous), or the store's (--db)."""

    def __init__(self, store: Store | None, previous: Report | None, options: Options, lang: str) -> None:
        self.store, self.previous, self.options, self.lang = store, previous, options, lang

    def last_year(self, report: Report) -> Report | None:
        if self.previous is not None:
            return self.previous
        if self.store is None or report.year is None or not report.body:
            return None
        found = self.store.find_body(report.body)
        return self.store.current(int(found["id"]), report.year - 1) if found else None

    def apply(self, report: Report) -> None:
        """Check the report again, now with its previous year's report beside it."""
        if report.error is not None:
            return
        prev = self.last_year(report)
        if prev is not None:
            run_checks(report, self.options, previous=prev)

    def stored(self) -> Iterator[Report]:
        """Every current report of the store, checked again against the body's report of the year before."""
        assert self.store is not None
        with guarded(self.store, self.lang):
            for body_id, year, report in self.store.current_with_bodies():
                if report.error is None:
                    prev = self.store.current(body_id, year - 1) if body_id is not None and year is not None else None
                    run_checks(report, self.options, previous=prev)
                yield report


def cross_year(db: str | None, previous: Path | None, options: Options, limit: int, lang: str) -> CrossYear | None:
    """What `check --previous FILE` / `check --db URL` compare with; None when neither is given."""
    if db is None and previous is None:
        return None
    prev = None
    if previous is not None:
        if not previous.is_file():
            fail(t("cli.no_such_path", lang, path=previous))
        prev = parse_file(previous, limit)
        if prev.error is not None:
            fail(t("store.previous.unreadable", lang, path=previous, reason=prev.error.message(lang)))
    return CrossYear(open_store(db, lang) if db is not None else None, prev, options, lang)


def stored_reports(db: str, region: str | None, year: int | None, lang: str) -> Iterator[Report]:
    """`export --db`: the store's current reports (of a region and year when given), one at a time."""
    store = open_store(db, lang)
    with guarded(store, lang):
        if region is not None and region not in store.gazetteer().regions:
            fail(t("store.stats.no_region", lang, code=region))
        yield from store.current_reports(region, year)

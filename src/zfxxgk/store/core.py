"""The report store: open (and migrate) a database, ingest reports, read them back.

SQLite by default (a file, `zfxxgk.db`); PostgreSQL for an office (`postgresql+psycopg://…`). Every
write is one transaction: a report with its file, cells and findings is stored whole or not at all.
Files are identified by sha256, so ingesting the same file twice stores one report, also when two
processes do it at once (the unique sha256 decides; the loser sees a duplicate). A different file
for the same body and year becomes the next revision and the current one; earlier ones are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, create_engine, event, func, select, update
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, NoSuchModuleError, OperationalError

from ..i18n import t
from ..regions import GOVERNMENT, Gazetteer, Match, Region, builtin, normalise
from ..report import Finding, Problem, Report
from ..rules import Options, run_checks
from ..values import Kind, json_data
from .schema import bodies, cells, findings, metadata, regions, reports, source_files
from .sources import Item

DEFAULT_DB = "zfxxgk.db"
ENV = "ZFXXGK_DB"
YOY_PREFIX = "YOY-"
BATCH = 200  # reports per transaction when a batch is ingested (Store.ingest_parsed)



def writing(engine: Engine) -> Any:
    """A write transaction (on SQLite it takes the write lock at once, waiting its turn up to the timeout)."""
    return engine.execution_options(immediate=True).begin()

class StoreError(Exception):
    """The store cannot do what was asked; the message (i18n `store.<key>`) says why and what to do."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key, self.args_ = key, args

    def message(self, lang: str = "zh") -> str:
        return t(f"store.{self.key}", lang, **self.args_)

    def __str__(self) -> str:
        return self.message("zh")


def resolve_url(db: str | None) -> str:
    """--db, else $ZFXXGK_DB, else zfxxgk.db here; a plain path means a SQLite file."""
    value = db or os.environ.get(ENV) or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value)}"


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@dataclass(slots=True)
class Ingested:
    """What happened to one input."""

    status: str  # new, revision, duplicate, unreadable, reassigned
    report_id: int
    source: str
    body: str | None
    year: int | None
    revision: int
    errors: int = 0
    match: str | None = None  # matched, assigned, unresolved, ambiguous


@dataclass(slots=True)
class StoredReport:
    """A report's row: which body and year, which revision, from which file, when."""

    id: int
    body_id: int | None
    body: str | None
    year: int | None
    revision: int
    current: bool
    source: str
    sha256: str
    status: str
    version: str | None
    errors: int
    warnings: int
    infos: int
    ingested_at: datetime
    printed_body: str | None = None
    match: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None


def record_of(report: Report) -> dict[str, Any]:
    """The lossless record, findings as data only (their words are rendered where shown)."""
    kept, report.findings = report.findings, []
    try:
        data = report.to_dict()
    finally:
        report.findings = kept
    data["findings"] = [f.to_dict() for f in kept]
    return data


def pack(data: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def unpack(blob: bytes) -> Report:
    return Report.from_dict(json.loads(zlib.decompress(blob)))


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """One database of reports. Opening it brings its schema to the newest migration."""

    def __init__(self, url: str | None = None, *, timeout: float | None = None, migrate: bool = True) -> None:
        self.url = resolve_url(url)
        # How long to wait for a lock (SQLite) or a connection (PostgreSQL); $ZFXXGK_DB_TIMEOUT, default 30 s.
        self.timeout = timeout if timeout is not None else float(os.environ.get("ZFXXGK_DB_TIMEOUT") or 30)
        self.engine = self._engine()
        self._gazetteer: Gazetteer | None = None
        self._body_ids: dict[str, int] = {}
        self._aliases: dict[str, int] | None = None
        self._body_names: dict[int, str] = {}
        if migrate:
            self.migrate()

    # ------------------------------------------------------------------ opening
    def _engine(self) -> Engine:
        shown = display_url(self.url)
        try:
            if self.url.startswith("sqlite"):
                path = self.url.split(":///", 1)[1] if ":///" in self.url else ""
                if path and path != ":memory:":
                    parent = Path(path).parent
                    if not parent.is_dir():
                        raise StoreError("no_folder", url=shown, folder=parent)
                engine = create_engine(self.url, connect_args={"timeout": self.timeout})
                _sqlite_setup(engine)
            else:
                args: dict[str, Any] = {"connect_timeout": max(1, int(self.timeout))} if "postgresql" in self.url else {}
                engine = create_engine(self.url, connect_args=args, pool_pre_ping=True)
        except NoSuchModuleError:
            raise StoreError("bad_url", url=shown, reason="unknown database kind") from None
        except ArgumentError as exc:
            raise StoreError("bad_url", url=shown, reason=str(exc)) from None
        except ModuleNotFoundError as exc:
            raise StoreError("needs_driver", url=shown, module=exc.name or "") from None
        return engine

    def connect_error(self, exc: Exception) -> StoreError:
        """A database error while opening or writing, as a message a person can act on."""
        shown = display_url(self.url)
        text = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "locked" in text or "could not obtain lock" in text:
            return StoreError("locked", url=shown)
        if "not a database" in text or "malformed" in text or "file is encrypted" in text:
            return StoreError("corrupt", url=shown, reason=text)
        return StoreError("unreachable", url=shown, reason=text)

    def migrate(self) -> None:
        """Upgrade to the newest schema (Alembic, `upgrade head`), under a lock, then load the built-in regions."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files(__package__).joinpath("migrations")))
        try:
            with self.writing() as conn:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7311)")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if conn.execute(select(func.count()).select_from(regions)).scalar_one() == 0:
                    self._insert_regions(conn, builtin())
        except (OperationalError, DatabaseError) as exc:
            raise self.connect_error(exc) from None

    def writing(self) -> Any:
        return writing(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ regions and bodies
    @staticmethod
    def _insert_regions(conn: Connection, rows: Iterable[Region]) -> None:
        data = [{"code": r.code, "name": r.name, "parent_code": r.parent, "level": r.level, "kind": r.kind,
                 "aliases": list(r.aliases) or None, "origin": r.origin} for r in rows]
        if data:
            conn.execute(regions.insert(), data)

    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            with self.engine.connect() as conn:
                rows = conn.execute(select(regions)).mappings().all()
            self._gazetteer = Gazetteer(
                Region(r["code"], r["name"], r["parent_code"], r["level"], r["kind"], tuple(r["aliases"] or ()),
                       r["origin"]) for r in rows)
        return self._gazetteer

    def _body_aliases(self, conn: Connection) -> dict[str, int]:
        """Printed names that name a body directly: names and aliases of bodies imported or assigned by hand."""
        if self._aliases is None:
            out: dict[str, int] = {}
            q = select(bodies.c.id, bodies.c.name, bodies.c.aliases).where(bodies.c.origin != "auto")
            for row in conn.execute(q):
                for name in (row.name, *(row.aliases or ())):
                    out.setdefault(normalise(name), row.id)
            self._aliases = out
        return self._aliases

    def match(self, printed: str | None) -> Match:
        if not printed:
            return Match("unresolved", reason="no_name")
        return self.gazetteer().resolve(printed)

    def find_body(self, name: str) -> dict[str, Any] | None:
        """A body by id, exact name, alias or the name as a report would print it."""
        with self.engine.connect() as conn:
            if name.isdigit() and len(name) <= 9:  # a longer number is no id (and would overflow the query)
                row = conn.execute(select(bodies).where(bodies.c.id == int(name))).mappings().first()
                if row:
                    return dict(row)
            body_id = self._body_aliases(conn).get(normalise(name))
            if body_id is None:
                m = self.match(name)
                if m.status != "matched":
                    return None
                key = _body_key(m)
                row = conn.execute(select(bodies).where(bodies.c.key == key)).mappings().first()
                return dict(row) if row else None
            row = conn.execute(select(bodies).where(bodies.c.id == body_id)).mappings().first()
            return dict(row) if row else None

    def _ensure_body(self, conn: Connection, m: Match | None, assigned: str | None) -> int | None:
        """The body a match names, created on first sight (a township named in no list becomes a region)."""
        if m is None or m.status != "matched":
            if assigned is None:
                return None
            key, name, region, role = f"name|{normalise(assigned)}", assigned, None, assigned
        else:
            g = self.gazetteer()
            region = m.region
            if m.township and region is not None:
                region = self._ensure_township(conn, region, m.township)
            key = _body_key(m)
            name = g.display(m.region, m.role, m.township) if m.region else (assigned or "")
            role = m.role
        if key in self._body_ids:
            return self._body_ids[key]
        found = conn.execute(select(bodies.c.id).where(bodies.c.key == key)).scalar()
        if found is None:
            origin = "assigned" if assigned and (m is None or m.status != "matched") else "auto"
            values = {"key": key, "name": name, "region_code": region, "role": role, "origin": origin}
            if conn.dialect.name == "sqlite":  # the write lock is ours since BEGIN IMMEDIATE: nobody else inserts
                found = conn.execute(bodies.insert(), values).inserted_primary_key[0]
            else:
                try:
                    with conn.begin_nested():  # a savepoint: a failed insert must not abort the whole transaction
                        found = conn.execute(bodies.insert(), values).inserted_primary_key[0]
                except IntegrityError:  # another process created it a moment ago
                    found = None
            if found is None:
                found = conn.execute(select(bodies.c.id).where(bodies.c.key == key)).scalar_one()
            if origin == "assigned":
                self._aliases = None
        self._body_ids[key] = int(found)
        return int(found)

    def _body_name(self, conn: Connection, body_id: int | None) -> str | None:
        if body_id is None:
            return None
        if body_id not in self._body_names:
            self._body_names[body_id] = conn.execute(select(bodies.c.name).where(bodies.c.id == body_id)).scalar_one()
        return self._body_names[body_id]

    def _ensure_township(self, conn: Connection, county: str, township: str) -> str:
        code = f"{county}/{township}"
        exists = conn.execute(select(regions.c.code).where(regions.c.code == code)).scalar()
        if exists is None:
            with contextlib.suppress(IntegrityError), conn.begin_nested():  # another process may have added it
                conn.execute(regions.insert().values(code=code, name=township, parent_code=county,
                                                     level="township", kind=None, origin="auto"))
            g = self.gazetteer()
            if code not in g.regions:
                self._gazetteer = None
        return code

    # ------------------------------------------------------------------ ingest
    def known(self, sha256: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(reports.c.id).join(source_files).where(source_files.c.sha256 == sha256)).scalar()

    def ingest(self, item: Item, *, body: str | None = None, year: int | None = None,
               options: Options | None = None, parsed: Report | None = None) -> Ingested:
        """Parse, check and store one input (see the module doc); never raises for a bad file.

        `parsed`: the report `parse_item` made of this item elsewhere (a worker process), if any.
        """
        # With `parsed`, the caller has just asked known(); a file stored meanwhile fails its unique sha256 below.
        existing = self.known(item.sha256) if parsed is None else None
        if existing is not None:
            return self._duplicate(existing, item, body, year, options)
        report = parsed if parsed is not None else parse_item(item, options)
        report = self._with_last_year(item, report, body, year, options)
        return self.store(report, item.name, item.size, body=body, year=year, options=options)

    def _with_last_year(self, item: Item, report: Report, body: str | None, year: int | None,
                        options: Options | None) -> Report:
        """Runs of digits in crawled text that the format alone could not split (cells unread, with their
        candidates): read again with the body's stored report of the year before, whose carry-over and stock
        figures may leave one reading (issue 13). Anything else is the report as first read."""
        if not _unread_runs(report):
            return report
        found = self.find_body(body or report.body or "")
        target = year if year is not None else report.year
        if found is None or target is None:
            return report
        with self.engine.connect() as conn:
            last = self._current(conn, int(found["id"]), target - 1)
        if last is None:
            return report
        # Parsed in a worker (ingest -j N, --dask), the input comes without its bytes: read it again here.
        whole = item if item.data is not None else _read_again(item)
        return parse_item(whole, options, previous=last[1]) if whole is not None else report

    def store(self, report: Report, name: str, size: int, *, body: str | None = None, year: int | None = None,
              options: Options | None = None, check: bool = True) -> Ingested:
        """Store a parsed and checked report: place its body, add the cross-year findings against last year's
        report (`check`), write it in one transaction."""
        m, match_status = self._placing(report, body, year)
        for attempt in range(5):
            try:
                with self.writing() as conn:
                    return self._store_in(conn, report, name, size, body, m, match_status, options, check)
            except IntegrityError as exc:
                self._forget()  # what the rolled-back transaction made (bodies, names, aliases) is gone
                existing = self.known(report.sha256 or "")
                if existing is not None:  # another process stored this file meanwhile
                    return self._duplicate(existing, Item(name, size, report.sha256 or ""), None, None, options)
                if attempt == 4:
                    raise self.connect_error(exc) from None
            except (OperationalError, DatabaseError) as exc:
                raise self.connect_error(exc) from None
        raise AssertionError("unreachable")

    def _placing(self, report: Report, body: str | None, year: int | None) -> tuple[Match | None, str | None]:
        """Before the transaction: --year applied, and the body the printed name (or --body) matches."""
        if year is not None:
            report.year = year
        if report.error is None or body is not None:
            m = self.match(body or report.body)
            return m, "assigned" if body is not None else m.status
        return None, None

    def _store_in(self, conn: Connection, report: Report, name: str, size: int, body: str | None, m: Match | None,
                  match_status: str | None, options: Options | None, check: bool) -> Ingested:
        """One report written inside the caller's transaction: its body, cross-year findings, rows."""
        body_id = self._body_aliases(conn).get(normalise(body or report.body or "")) \
            if report.error is None or body is not None else None
        if body_id is not None:
            match_status = "assigned" if body is not None else "matched"
        else:
            body_id = self._ensure_body(conn, m, body)
        near = self._neighbours(conn, body_id, report.year)
        if check and report.error is None and near.get("prev") is not None:
            add_cross_year(report, self._record(conn, near["prev"]), options)
        return self._write(conn, report, name, size, body_id, m, match_status, near)

    def store_many(self, entries: list[tuple[Report, str, int]], *, body: str | None = None, year: int | None = None,
                   options: Options | None = None) -> list[Ingested]:
        """Parsed and checked reports stored in order in one transaction: what `store` gives each in turn.

        A transaction costs a commit (an fsync on SQLite); a batch of reports shares one. Should one file
        turn out stored already (by another process meanwhile, or twice in the batch), the batch is undone
        and stored report by report, as `store` does, so revisions, cross-year findings and duplicates are
        those of one-by-one storing.
        """
        if len(entries) < 2:
            return [self.store(r, n, s, body=body, year=year, options=options) for r, n, s in entries]
        placed = [self._placing(report, body, year) for report, _, _ in entries]
        try:
            with self.writing() as conn:
                return [self._store_in(conn, report, name, size, body, m, status, options, True)
                        for (report, name, size), (m, status) in zip(entries, placed, strict=True)]
        except IntegrityError:
            self._forget()
        except (OperationalError, DatabaseError) as exc:
            self._forget()
            raise self.connect_error(exc) from None
        return [self.store(r, n, s, body=body, year=year, options=options) for r, n, s in entries]

    def ingest_parsed(self, parsed: Iterable[tuple[Item, Report | None]], *, body: str | None = None,
                      year: int | None = None, options: Options | None = None, batch: int = BATCH) -> Iterator[Ingested]:
        """Inputs parsed elsewhere (worker processes) stored in order, `batch` reports per transaction.

        An item without a report (its sha256 was known when it was handed out) is ingested on its own,
        after the reports before it; so is a second copy of a file in the same batch (a duplicate).
        """
        pending: list[tuple[Report, str, int]] = []
        shas: set[str] = set()

        def flush() -> list[Ingested]:
            done = self.store_many(pending, body=body, year=year, options=options)
            pending.clear()
            shas.clear()
            return done

        for item, report in parsed:
            if report is None or item.sha256 in shas:
                yield from flush()
                yield self.ingest(item, body=body, year=year, options=options)
                continue
            if _unread_runs(report):  # as `ingest` does; last year's report may be in the batch: stored first
                yield from flush()
                report = self._with_last_year(item, report, body, year, options)
            pending.append((report, item.name, item.size))
            shas.add(item.sha256)
            if len(pending) >= batch:
                yield from flush()
        yield from flush()

    def _forget(self) -> None:
        """After a rollback: cached ids and names may be of rows that are gone."""
        self._body_ids.clear()
        self._body_names.clear()
        self._aliases = None

    def _write(self, conn: Connection, report: Report, name: str, size: int, body_id: int | None, m: Match | None,
               match_status: str | None, near: dict[str, int | None]) -> Ingested:
        sha = report.sha256 or ""
        file_id = conn.execute(source_files.insert(), {  # parameters apart: one cached statement for every file
            "sha256": sha, "name": name, "size": size, "format": report.format, "added_at": _now()}).inserted_primary_key[0]
        revision = 1
        if body_id is not None and report.year is not None:
            last = near.get("revision")
            revision = (last or 0) + 1
            if last:
                conn.execute(update(reports).where(reports.c.body_id == body_id, reports.c.year == report.year)
                             .values(current=False))
        severities = [f.severity for f in report.findings]
        match_json = m.to_json() if m else None
        if match_json is not None:
            match_json["status"] = match_status
        report_id = conn.execute(reports.insert(), dict(
            file_id=file_id, body_id=body_id, year=report.year, revision=revision, current=True,
            version=report.version, printed_body=report.body_printed or report.body, title=report.title,
            status="unreadable" if report.error else "ok",
            problem={"code": report.error.code, "args": json_data(report.error.args)} if report.error else None,
            match=match_json, summary=declares_summary(report),
            errors=severities.count("error"), warnings=severities.count("warning"), infos=severities.count("info"),
            record=pack(record_of(report)), ingested_at=_now())).inserted_primary_key[0]
        self._write_cells(conn, report_id, report)
        self._write_findings(conn, report_id, report.findings, near.get("prev"))
        body_name = self._body_name(conn, body_id)
        status = "unreadable" if report.error else "revision" if revision > 1 else "new"
        if report.error is None and near.get("next") is not None:
            self._recheck_next(conn, int(near["next"] or 0), report_id, report)
        return Ingested(status, int(report_id), name, body_name, report.year, revision, severities.count("error"),
                        match_status)

    @staticmethod
    def _write_cells(conn: Connection, report_id: int, report: Report) -> None:
        """All cells in one executemany straight to the driver: ~200 rows a report, the hot path of ingest."""
        if not report.cells:
            return
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        rows = [(report_id, cid, _exact_text(c.value) if sqlite else c.value, c.raw, str(c.kind), c.unit, c.confidence,
                 _source_json(c.source.to_json()) if c.source else None)
                for cid, c in report.cells.items()]
        columns = "report_id, cell_id, value, raw, kind, unit, confidence, source"
        conn.exec_driver_sql(f"INSERT INTO cells ({columns}) VALUES ({', '.join([mark] * 8)})", rows)

    @staticmethod
    def _write_findings(conn: Connection, report_id: int, found: list[Finding], previous_id: int | None) -> None:
        rows = []
        for f in found:
            data = f.to_dict()
            rows.append({"report_id": report_id, "code": f.code, "severity": f.severity, "cells": data["cells"],
                         "args": data["args"], "source": data["source"], "review": "open",
                         "previous_report_id": previous_id if f.code.startswith(YOY_PREFIX) else None})
        if rows:
            conn.execute(findings.insert(), rows)

    def _neighbours(self, conn: Connection, body_id: int | None, year: int | None) -> dict[str, int | None]:
        """In one query: the body's last revision for the year, and its current reports of the years around it."""
        if body_id is None or year is None:
            return {}
        out: dict[str, int | None] = {}
        q = select(reports.c.id, reports.c.year, reports.c.revision, reports.c.current, reports.c.status).where(
            reports.c.body_id == body_id, reports.c.year.between(year - 1, year + 1))
        for row in conn.execute(q):
            if row.year == year:
                out["revision"] = max(out.get("revision") or 0, row.revision)
            elif row.current and row.status == "ok":
                out["prev" if row.year == year - 1 else "next"] = row.id
        return out

    @staticmethod
    def _record(conn: Connection, report_id: int | None) -> Report:
        return unpack(conn.execute(select(reports.c.record).where(reports.c.id == report_id)).scalar_one())

    def _recheck_next(self, conn: Connection, next_id: int, report_id: int, report: Report) -> None:
        """The body's report of next year, if stored, gets its cross-year findings again against this one."""
        next_report = self._record(conn, next_id)
        fresh = add_cross_year(next_report, report, None)
        conn.execute(findings.delete().where(findings.c.report_id == next_id,
                                             findings.c.code.like(YOY_PREFIX + "%")))
        self._write_findings(conn, next_id, fresh, report_id)
        severities = [f.severity for f in next_report.findings]
        conn.execute(update(reports).where(reports.c.id == next_id).values(
            errors=severities.count("error"), warnings=severities.count("warning"), infos=severities.count("info"),
            record=pack(record_of(next_report))))

    def _duplicate(self, report_id: int, item: Item, body: str | None, year: int | None,
                   options: Options | None) -> Ingested:
        """The same file again: nothing new, unless --body/--year now place a report that had no body or year."""
        row = self.report_row(report_id)
        if (body is not None or year is not None) and (row.body_id is None or row.year is None):
            return self._reassign(row, body, year, options)
        return Ingested("duplicate", report_id, item.name, row.body, row.year, row.revision, row.errors,
                        (row.match or {}).get("status"))

    def _reassign(self, row: StoredReport, body: str | None, year: int | None, options: Options | None) -> Ingested:
        report = self.load(row.id)
        with self.writing() as conn:
            ids = [row.id]
            conn.execute(findings.delete().where(findings.c.report_id.in_(ids)))
            conn.execute(cells.delete().where(cells.c.report_id.in_(ids)))
            file_id = conn.execute(select(reports.c.file_id).where(reports.c.id == row.id)).scalar_one()
            conn.execute(reports.delete().where(reports.c.id == row.id))
            conn.execute(source_files.delete().where(source_files.c.id == file_id))
        done = self.store(report, row.source, 0, body=body, year=year, options=options)
        done.status = "reassigned"
        return done

    # ------------------------------------------------------------------ reading back
    def _current(self, conn: Connection, body_id: int | None, year: int | None) -> tuple[int, Report] | None:
        if body_id is None or year is None:
            return None
        row = conn.execute(select(reports.c.id, reports.c.record).where(
            reports.c.body_id == body_id, reports.c.year == year, reports.c.current.is_(True),
            reports.c.status == "ok")).first()
        return (int(row.id), unpack(row.record)) if row else None

    def current(self, body_id: int, year: int) -> Report | None:
        with self.engine.connect() as conn:
            found = self._current(conn, body_id, year)
        return found[1] if found else None

    def load(self, report_id: int) -> Report:
        with self.engine.connect() as conn:
            blob = conn.execute(select(reports.c.record).where(reports.c.id == report_id)).scalar_one()
        return unpack(blob)

    def _rows(self, *where: Any) -> list[StoredReport]:
        q = (select(reports.c.id, reports.c.body_id, bodies.c.name.label("body"), reports.c.year, reports.c.revision,
                    reports.c.current, source_files.c.name.label("source"), source_files.c.sha256, reports.c.status,
                    reports.c.version, reports.c.errors, reports.c.warnings, reports.c.infos, reports.c.ingested_at,
                    reports.c.printed_body, reports.c.match, reports.c.problem)
             .select_from(reports.join(source_files).outerjoin(bodies, bodies.c.id == reports.c.body_id))
             .where(*where).order_by(reports.c.body_id, reports.c.year, reports.c.revision, reports.c.id))
        with self.engine.connect() as conn:
            return [StoredReport(**dict(r)) for r in conn.execute(q).mappings()]

    def report_row(self, report_id: int) -> StoredReport:
        (row,) = self._rows(reports.c.id == report_id)
        return row

    def history(self, body_id: int, year: int) -> list[StoredReport]:
        return self._rows(reports.c.body_id == body_id, reports.c.year == year)

    def unplaced(self) -> list[StoredReport]:
        """Reports kept without a body or a year (and unreadable files): to be assigned with --body/--year."""
        return self._rows((reports.c.body_id.is_(None)) | (reports.c.year.is_(None)))

    def body_list(self, region: str | None = None) -> list[dict[str, Any]]:
        q = (select(bodies.c.id, bodies.c.name, bodies.c.region_code, bodies.c.role, bodies.c.origin,
                    func.count(reports.c.id).label("reports"), func.min(reports.c.year).label("first"),
                    func.max(reports.c.year).label("last"))
             .select_from(bodies.outerjoin(reports, and_(reports.c.body_id == bodies.c.id, reports.c.current.is_(True))))
             .group_by(bodies.c.id, bodies.c.name, bodies.c.region_code, bodies.c.role, bodies.c.origin)
             .order_by(bodies.c.region_code, bodies.c.name))
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        if region is not None:
            inside = self.gazetteer().descendants(region)
            rows = [r for r in rows if r["region_code"] in inside]
        return rows

    def current_with_bodies(self) -> Iterator[tuple[int | None, int | None, Report]]:
        """(body id, year, report) of every current report, in the order stored."""
        q = select(reports.c.body_id, reports.c.year, reports.c.record).where(reports.c.current.is_(True)) \
            .order_by(reports.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        for row in rows:
            yield row.body_id, row.year, unpack(row.record)

    def current_reports(self, region: str | None = None, year: int | None = None) -> Iterator[Report]:
        """The current report of every body (and the reports with no body), optionally of a region and year."""
        where: list[Any] = [reports.c.current.is_(True)]
        if year is not None:
            where.append(reports.c.year == year)
        q = (select(reports.c.record, bodies.c.region_code)
             .select_from(reports.outerjoin(bodies, bodies.c.id == reports.c.body_id)).where(*where)
             .order_by(reports.c.id))
        inside = self.gazetteer().descendants(region) if region is not None else None
        with self.engine.connect() as conn:
            for row in conn.execute(q):
                if inside is None or row.region_code in inside:
                    yield unpack(row.record)


def _unread_runs(report: Report) -> bool:
    """Whether the report has runs of digits left unread with candidates (what last year's report may settle; other
    unread cells, an OCR's for one, are not read again)."""
    from ..runs import note_candidates

    return report.error is None and any(c.kind == Kind.UNREADABLE and note_candidates(c.note) is not None
                                        for c in report.cells.values())


def _read_again(item: Item) -> Item | None:
    """The input with its bytes, read again from its path (`ARCHIVE!MEMBER` from its archive); None when it is
    gone or has changed since (another sha256)."""
    from .sources import DEFAULT_MAX_BYTES, items

    name = item.name
    paths = [name, *(name[:i] for i, ch in enumerate(name) if ch == "!")]
    path = next((Path(p) for p in paths if Path(p).is_file()), None)
    if path is None:
        return None
    limit = max(item.size, DEFAULT_MAX_BYTES)
    return next((x for x in items([path], lambda p: [p], limit)
                 if x.name == name and x.sha256 == item.sha256 and x.data is not None), None)


def parse_item(item: Item, options: Options | None = None, previous: Report | None = None) -> Report:
    """An input read and checked on its own (the cross-year rules come when it is stored); never raises.

    Runs in a worker process when `ingest --jobs` is above 1, so it touches no database. `previous`: the body's
    report of the year before, for splitting run-together digits (pipeline.build_report).
    """
    if item.data is None:
        return Report(source=item.name, sha256=item.sha256, error=item.problem)
    from ..pipeline import parse_bytes

    try:
        report = parse_bytes(item.data, item.name, previous=previous)
        if report.error is None:
            run_checks(report, options)
    except Exception as exc:  # one bad file must not stop a batch
        report = Report(source=item.name, sha256=item.sha256,
                        error=Problem("internal", {"kind": type(exc).__name__, "reason": str(exc)}))
    return report


def add_cross_year(report: Report, previous: Report, options: Options | None) -> list[Finding]:
    """Replace the report's YOY-* findings with those against `previous`; returns the new ones."""
    from ..rules import catalogue

    codes = [code for code in catalogue() if code.startswith(YOY_PREFIX)]
    kept = [f for f in report.findings if not f.code.startswith(YOY_PREFIX)]
    fresh = run_checks(report, options, only=codes, previous=previous)
    report.findings = sorted(kept + fresh, key=lambda f: ("error", "warning", "info").index(f.severity))
    return fresh


def _source_json(position: dict[str, int]) -> str:
    """A source position (small ints only) as compact JSON, without json.dumps' cost on ~200 cells a report."""
    return "{" + ",".join(f'"{k}":{int(v)}' for k, v in position.items()) + "}"


def _exact_text(value: int | Decimal | None) -> str | None:
    """A cell value as the SQLite column stores it (schema.ExactDecimal): canonical text, exact."""
    if value is None:
        return None
    return str(value) if isinstance(value, int) else format(value, "f")


def _body_key(m: Match) -> str:
    region = f"{m.region}/{m.township}" if m.township else m.region
    return f"{region}|{m.role or GOVERNMENT}"


_SUMMARY_WORDS = ("汇总", "本行政区域", "全市各级", "全县各级", "全区各级", "全省各级")


def declares_summary(report: Report) -> bool:
    """A report on a whole region: its title names a place and no body (淮安市2024年…), or its text says it sums up."""
    if report.error is not None:
        return False
    name = normalise(report.body or "")
    if name and name[-1] in "省市县区旗州盟" and "政府" not in name:
        return True
    return any(word in report.preamble for word in _SUMMARY_WORDS)


def _sqlite_setup(engine: Engine) -> None:
    """WAL for readers beside a writer; writes BEGIN IMMEDIATE so two writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            mode = cursor.execute("PRAGMA journal_mode").fetchone()
            if mode and mode[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ingest_all(store: Store, items: Iterable[Item], **kwargs: Any) -> Iterator[Ingested]:
    for item in items:
        yield store.ingest(item, **kwargs)


__all__ = ["DEFAULT_DB", "ENV", "Ingested", "Store", "StoreError", "StoredReport", "declares_summary", "ingest_all",
           "metadata", "pack", "record_of", "resolve_url", "unpack"]

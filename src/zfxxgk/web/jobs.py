"""The job queue: uploaded files parsed in worker processes, stored by the application, one row per file.

The `jobs` table is the queue, so it survives a restart: `start()` puts back to `queued` what a killed
process left `running`, and a job is taken with a conditional update (`queued` → `running`), so one
process takes it once. Parsing runs in batch.Pool's workers with the per-file time limit and a memory
limit: a file that hangs, crashes or eats memory fails that job with the reason, the others go on. The
parent stores the report (`Store.store`) and marks the job `done` with its report and outcome; a restart
between the two stores nothing twice: the file's sha256 is unique in the store, so the second time it
is a `duplicate` of the report the first time stored.

Pool starts its workers in `run()` and stops them when its task source is exhausted (a blocking task
source would stop it watching the time limits), so the runner runs one pool per burst of work: every
job queued meanwhile is taken by the same pool. The workers are forked from this process after the
readers are imported, so a new pool costs a fork, not the imports.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, func, insert, select, update
from sqlalchemy.engine import Engine

from ..batch import DEFAULT_MEMORY_MB, Fault, Limits, Pool, fault_problem
from ..i18n import t
from ..report import Report
from ..store import Store
from ..store.core import parse_item, writing
from ..store.schema import bodies, jobs, reports
from ..store.sources import Item
from . import blobs
from .access import jobs_of, reports_of
from .accounts import User
from .returns import after_store
from .settings import Settings

log = logging.getLogger(__name__)

STATES = ("queued", "running", "done", "failed")


@dataclass(frozen=True, slots=True)
class Task:
    """One job as a worker gets it: the bytes travel with it (a worker opens no database)."""

    job_id: int
    name: str
    size: int
    sha256: str
    body_id: int | None
    data: bytes


def now() -> datetime:
    return datetime.now(UTC)


def enqueue(engine: Engine, user: User, files: list[tuple[str, bytes]],
            refused: Iterable[tuple[str, str, dict[str, Any]]] = ()) -> str:
    """Keep the files' bytes and queue one job per file; the batch id that groups them.

    `refused`: files the upload refused one by one (name, message key, args): failed at once with that
    reason, so the batch's page and the API show them beside the others.
    """
    batch = secrets.token_hex(8)
    at = now()
    with writing(engine) as conn:
        for name, data in files:
            sha = blobs.put(conn, data)
            conn.execute(insert(jobs).values(user_id=user.id, body_id=user.body_id, batch=batch, name=name, sha256=sha,
                                             size=len(data), state="queued", attempts=0, created_at=at))
        for name, key, args in refused:
            conn.execute(insert(jobs).values(user_id=user.id, body_id=user.body_id, batch=batch, name=name, sha256="",
                                             size=0, state="failed", attempts=0, created_at=at, finished_at=at,
                                             error={"code": key, "args": args}))
    return batch


def error_message(error: dict[str, Any] | None, lang: str) -> str | None:
    """A failed job's reason in words: `read.<code>` for a worker's fault, a full key for an upload's refusal."""
    if not error:
        return None
    code = str(error.get("code", ""))
    return t(code if "." in code else f"read.{code}", lang, **(error.get("args") or {}))


def requeue(engine: Engine) -> int:
    """Jobs a previous process left running go back to the queue; how many."""
    with writing(engine) as conn:
        return conn.execute(update(jobs).where(jobs.c.state == "running").values(state="queued", started_at=None)).rowcount


def _parse(task: Task) -> Report:
    """In a worker: the CLI's parse and checks of one input (never raises; a read error is the report's)."""
    return parse_item(Item(task.name, task.size, task.sha256, task.data))


def _faulted(task: Task, fault: Fault) -> Fault:
    return fault


class JobRunner:
    """The worker pool and the thread that feeds it from the `jobs` table."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life
    def start(self) -> None:
        """Re-queue what a previous run left running, then take queued jobs in id order in the background."""
        requeue(self.store.engine)
        import zfxxgk.pipeline  # noqa: F401  (imported once here: the forked workers inherit it)

        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="zfxxgk-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Take no more jobs; a job still parsing stays `running` and is re-queued by the next start."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """New jobs were queued: take them now rather than at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_pending()
            except Exception:  # a database hiccup must not end the queue for the application's life
                log.exception("job runner")
            self._wake.wait(self.settings.job_poll_seconds)

    # ------------------------------------------------------------------ work
    def run_pending(self) -> int:
        """Parse and store every queued job (and those queued meanwhile); how many were finished."""
        first = None if self._stop.is_set() else self._claim()
        if first is None:  # nothing queued: no worker processes are started (this runs every poll)
            return 0
        limits = Limits(seconds=self.settings.job_timeout, memory_mb=DEFAULT_MEMORY_MB)
        pool: Pool[Task, Report | Fault] = Pool(_parse, _faulted, self.settings.workers, limits, chunk=1)
        finished = 0
        with closing(pool.run(itertools.chain((first,), self._claims()))) as results:  # closing stops the workers
            for task, result in results:
                self._finish(task, result)
                finished += 1
        return finished

    def _claims(self) -> Iterator[Task]:
        """Queued jobs in id order, each marked running as a worker takes it."""
        while not self._stop.is_set():
            task = self._claim()
            if task is None:
                return
            yield task

    def _claim(self) -> Task | None:
        engine = self.store.engine
        while True:
            with engine.connect() as conn:
                row = conn.execute(select(jobs.c.id, jobs.c.name, jobs.c.size, jobs.c.sha256, jobs.c.body_id)
                                   .where(jobs.c.state == "queued").order_by(jobs.c.id).limit(1)).first()
            if row is None:
                return None
            with writing(engine) as conn:
                taken = conn.execute(update(jobs).where(jobs.c.id == row.id, jobs.c.state == "queued").values(
                    state="running", started_at=now(), attempts=jobs.c.attempts + 1)).rowcount
            if not taken:  # another process took it a moment ago
                continue
            with engine.connect() as conn:
                data = blobs.get(conn, row.sha256)
            if data is None:  # cannot happen while blobs are kept; fail the job rather than the queue
                self._fail(row.id, {"code": "worker_error", "args": {"kind": "blob", "reason": "missing"}})
                continue
            return Task(row.id, row.name, row.size, row.sha256, row.body_id, data)

    def _finish(self, task: Task, result: Report | Fault) -> None:
        if isinstance(result, Fault):
            problem = fault_problem(result)
            self._fail(task.job_id, {"code": problem.code, "args": problem.args})
            return
        try:
            body = self._body_name(task.body_id)
            # As `zfxxgk ingest` stores it: runs of digits left unread are read again with last year's report.
            done = self.store.ingest(Item(task.name, task.size, task.sha256, task.data), body=body, parsed=result)
        except Exception as exc:  # a store error fails this job only
            log.exception("storing job %s", task.job_id)
            self._fail(task.job_id, {"code": "worker_error", "args": {"kind": type(exc).__name__,
                                                                      "reason": str(exc)[:300]}})
            return
        with writing(self.store.engine) as conn:
            conn.execute(update(jobs).where(jobs.c.id == task.job_id, jobs.c.state == "running").values(
                state="done", report_id=done.report_id, outcome=done.status, error=None, finished_at=now()))
        if done.status == "revision":  # a re-submission: the reviewers of the body's region hear of it
            try:
                after_store(self.store.engine, done.report_id)
            except Exception:  # the notification is also caught up on read (returns.catch_up)
                log.exception("notifying the re-submission of report %s", done.report_id)

    def _fail(self, job_id: int, error: dict[str, Any]) -> None:
        with writing(self.store.engine) as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.state == "running").values(
                state="failed", error=error, finished_at=now()))

    def _body_name(self, body_id: int | None) -> str | None:
        if body_id is None:
            return None
        with self.store.engine.connect() as conn:
            return conn.execute(select(bodies.c.name).where(bodies.c.id == body_id)).scalar_one_or_none()


def jobs_for(engine: Engine, user: User, *, batch: str | None = None, job_id: int | None = None,
             newest_first: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
    """The user's jobs (access.jobs_of) with their report's counts when the user may see that report."""
    seen = reports.c.id == jobs.c.report_id
    q = (select(jobs, reports.c.errors, reports.c.warnings, reports.c.problem, reports.c.id.label("visible_report"))
         .select_from(jobs.outerjoin(reports, seen & reports_of(user))).where(jobs_of(user)))
    if batch is not None:
        q = q.where(jobs.c.batch == batch)
    if job_id is not None:
        q = q.where(jobs.c.id == job_id)
    q = q.order_by(jobs.c.id.desc() if newest_first else jobs.c.id)
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def batches_for(engine: Engine, user: User, limit: int = 200) -> list[dict[str, Any]]:
    """The user's uploads, newest first: batch, when, files, and how many are queued/running/done/failed."""
    states = {s: func.sum((jobs.c.state == s).cast(Integer)).label(s) for s in STATES}
    q = (select(jobs.c.batch, func.min(jobs.c.created_at).label("created_at"), func.count().label("total"),
                func.min(jobs.c.name).label("first"), func.max(jobs.c.id).label("last_id"), *states.values())
         .where(jobs_of(user)).group_by(jobs.c.batch).order_by(func.max(jobs.c.id).desc()).limit(limit))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def submit(engine: Engine, runner: JobRunner | None, user: User, files: list[tuple[str, bytes]],
           refused: Iterable[tuple[str, str, dict[str, Any]]] = ()) -> str:
    """Queue an upload's files and wake this process's runner, if it has one (under `serve --workers N` the
    supervising process's runner finds them at its next look); the batch id."""
    batch = enqueue(engine, user, files, refused)
    if runner is not None:
        runner.wake()
    return batch

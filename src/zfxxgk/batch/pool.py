"""Worker processes that contain a file's faults: a time limit, a memory limit, a crash is one file's result.

A `concurrent.futures` pool breaks as a whole when one worker dies; here each worker is watched on its
own. The parent hands out small chunks of tasks; a worker sends back one result per task, so the task
a worker is on is always the first unanswered one of its chunk, and its clock starts at the last answer.
A worker that overruns the time limit is killed, one that dies is noticed by its sentinel; either way
that task gets `fault(task, reason)` as its result, the rest of its chunk goes back to the queue and a
fresh worker takes the place. Results come out as they finish, not in task order.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import resource
import select
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_SECONDS = 120.0
DEFAULT_MEMORY_MB = 2048
CHUNK = 8  # tasks per message: fewer round trips, and a crash costs at most a retry of the rest


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file time limit (seconds) and per-worker memory limit (MB of address space; None: none)."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int | None = DEFAULT_MEMORY_MB


@dataclass(frozen=True, slots=True)
class Fault:
    """Why a task has no result of its own: `timeout` (seconds), `crashed` (exit code or signal), `error`."""

    reason: str
    args: dict[str, Any] = field(default_factory=dict)


def _serve(conn: Connection, work: Callable[[Any], Any], memory_mb: int | None) -> None:
    """A worker's loop: chunks in, one (index, ok, value) per task out, until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # What the worker inherited (every module the parent imported) is never garbage: out of the collector's
    # sight, the collections a report's objects set off no longer walk it (a fifth of the worker's time).
    gc.freeze()
    if memory_mb is not None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        chunk = conn.recv()
        if chunk is None:
            return
        for index, task in chunk:
            try:
                conn.send((index, True, work(task)))
            except Exception as exc:  # the work is guarded; this is the last resort, never the batch's end
                conn.send((index, False, Fault("error", {"kind": type(exc).__name__, "reason": str(exc)[:300]})))


class _Worker:
    def __init__(self, work: Callable[[Any], Any], limits: Limits) -> None:
        ctx = multiprocessing.get_context("fork")  # the work function is inherited, never pickled
        self.conn, child = ctx.Pipe()
        self.proc: BaseProcess = ctx.Process(target=_serve, args=(child, work, limits.memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.chunk: deque[tuple[int, Any]] = deque()
        self.since = 0.0

    def give(self, chunk: list[tuple[int, Any]]) -> None:
        self.chunk.extend(chunk)
        self.since = time.monotonic()
        self.conn.send(chunk)

    def stop(self, kill: bool = False) -> None:
        if kill or self.chunk:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class Pool(Generic[T, R]):
    """`run(tasks)` yields (task, result) as tasks finish; `fault(task, Fault)` makes a faulted task's result."""

    def __init__(self, work: Callable[[T], R], fault: Callable[[T, Fault], R], jobs: int,
                 limits: Limits = Limits(), chunk: int = CHUNK) -> None:
        self.work, self.fault, self.limits, self.chunk = work, fault, limits, chunk
        self.jobs = max(1, jobs)

    def run(self, tasks: Iterable[T], ordered: bool = False) -> Generator[tuple[T, R], None, None]:
        """Tasks are taken from `tasks` as workers get free, so a generator of large tasks stays lazy.

        ordered: yield in task order, taking at most a window of tasks beyond the oldest unfinished one.
        """
        source = enumerate(tasks)
        retry: deque[tuple[int, T]] = deque()
        pending: dict[int, T] = {}
        ready: dict[int, R] = {}
        window = self.jobs * self.chunk * 4
        state = {"next_in": 0, "next_out": 0, "more": True}

        def take(n: int) -> list[tuple[int, T]]:
            out = [retry.popleft() for _ in range(min(n, len(retry)))]
            while len(out) < n and state["more"] and (not ordered or state["next_in"] - state["next_out"] < window):
                try:
                    index, task = next(source)
                except StopIteration:
                    state["more"] = False
                    break
                pending[index] = task
                state["next_in"] = index + 1
                out.append((index, task))
            return out

        def finished(index: int, result: R) -> Iterator[tuple[T, R]]:
            if not ordered:
                yield pending.pop(index), result
                return
            ready[index] = result
            while state["next_out"] in ready:
                n = state["next_out"]
                state["next_out"] = n + 1
                yield pending.pop(n), ready.pop(n)

        # One poll object for the run (multiprocessing's wait() and Connection.poll() build a selector on
        # every call: a third of this loop's time at a thousand results a second).
        poller = select.poll()

        def start() -> _Worker:
            w = _Worker(self.work, self.limits)
            for fd in (w.conn.fileno(), w.proc.sentinel):
                poller.register(fd, select.POLLIN)
            return w

        def retire(w: _Worker) -> None:
            for fd in (w.conn.fileno(), w.proc.sentinel):
                poller.unregister(fd)

        workers = [start() for _ in range(self.jobs)]
        try:
            while True:
                for w in workers:
                    if not w.chunk:
                        chunk = take(self.chunk)
                        if chunk:
                            w.give(chunk)
                busy = [w for w in workers if w.chunk]
                if not busy:
                    return
                timeout = max(0.0, min(w.since + self.limits.seconds for w in busy) - time.monotonic())
                # At most an hour a wait (the loop looks again): poll takes milliseconds as a C int, and --timeout inf.
                fired = {fd for fd, _ in poller.poll(math.ceil(min(timeout, 3600.0) * 1000))}
                for i, w in enumerate(workers):
                    if not w.chunk:
                        if w.proc.sentinel in fired:  # an idle worker died (killed from outside): a new one
                            retire(w)
                            w.stop(kill=True)
                            workers[i] = start()
                        continue
                    said = w.conn.fileno() in fired
                    if not said and w.proc.sentinel not in fired and time.monotonic() - w.since <= self.limits.seconds:
                        continue
                    # One result a wake-up (the next poll tells of the rest); a worker that died or overran may
                    # have sent results first.
                    if said or w.conn.poll():
                        try:
                            index, ok, value = w.conn.recv()
                        except (EOFError, OSError):
                            pass
                        else:
                            w.chunk.popleft()
                            w.since = time.monotonic()
                            yield from finished(index, value if ok else self.fault(pending[index], value))
                            continue
                    fault = self._fault_of(w)
                    if fault is None:
                        continue
                    index, _ = w.chunk.popleft()
                    retry.extendleft(reversed(w.chunk))  # the rest of the chunk, for the other workers
                    w.chunk.clear()
                    retire(w)
                    w.stop(kill=True)
                    workers[i] = start()
                    yield from finished(index, self.fault(pending[index], fault))
        finally:
            for w in workers:
                w.stop()

    def _fault_of(self, w: _Worker) -> Fault | None:
        """Why a worker with a task left is to be replaced: it died, or its task overran the time limit."""
        if not w.chunk:
            return None
        if not w.proc.is_alive():
            code = w.proc.exitcode or 0
            return Fault("crashed", {"signal": signal.Signals(-code).name} if code < 0 else {"exit": code})
        if time.monotonic() - w.since > self.limits.seconds:
            return Fault("timeout", {"seconds": self.limits.seconds})
        return None


def cpu_count() -> int:
    """Cores this process may use (a container's or taskset's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1

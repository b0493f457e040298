"""The same batch on a Dask distributed cluster (`--dask local` or `--dask tcp://HOST:8786`; extra `dask`).

Each Dask task is a chunk of files run through a one-worker `Pool` on the Dask worker, so the fault rules
are the pool's (a time limit, a memory limit, a crash is one file's result) and the results are the
same as with `-j`. The workers must see the files under the same paths (a shared file system) and need
`distributed.worker.daemon: False` (a daemonic process may not start the per-file process). Only a
window of chunks is in flight, so the parent's memory stays flat however many files there are.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .pool import Fault, Limits, Pool, cpu_count

T = TypeVar("T")
R = TypeVar("R")
CHUNK = 64  # files per Dask task


def run_chunk(work: Callable[[T], R], fault: Callable[[T, Fault], R], limits: Limits, chunk: Sequence[T]) -> list[R]:
    """On a Dask worker: the chunk's results, each file in a child process with the limits."""
    return [result for _, result in Pool(work, fault, 1, limits).run(chunk)]


def run_on_dask(address: str, tasks: Sequence[T], work: Callable[[T], R], fault: Callable[[T, Fault], R],
                jobs: int, limits: Limits, chunk: int = CHUNK, ordered: bool = False) -> Iterator[R]:
    """Results as chunks finish on the cluster at `address` ("local": a LocalCluster of `jobs` processes).

    ordered: in task order (a chunk that finishes early waits for the ones before it; `ingest` needs it).
    """
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    cluster: Any = None
    with dask.config.set({"distributed.worker.daemon": False}):
        if address == "local":
            cluster = LocalCluster(n_workers=jobs or cpu_count(), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address)
    try:
        slices: Iterator[list[T] | None] = (list(tasks[i:i + chunk]) for i in range(0, len(tasks), chunk))
        window = 4 * max(1, len(client.scheduler_info()["workers"]))
        if ordered:
            queue: deque[Any] = deque()
            for part in slices:
                queue.append(client.submit(run_chunk, work, fault, limits, part, pure=False))
                if len(queue) >= window:
                    break
            while queue:
                future = queue.popleft()
                yield from future.result()
                future.release()
                part = next(slices, None)
                if part is not None:
                    queue.append(client.submit(run_chunk, work, fault, limits, part, pure=False))
            return
        running = as_completed()
        for part in slices:
            running.add(client.submit(run_chunk, work, fault, limits, part, pure=False))
            if running.count() >= window:
                break
        for future in running:
            yield from future.result()
            future.release()
            part = next(slices, None)
            if part is not None:
                running.add(client.submit(run_chunk, work, fault, limits, part, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

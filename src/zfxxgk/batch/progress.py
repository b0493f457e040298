"""How far a batch is: a Rich bar on a terminal, a plain line every few seconds otherwise (logs, CI).

Counts files done of the total, reports per second, the time left, and the files with error findings
and the unreadable ones. Everything goes to stderr, so stdout can carry the JSON Lines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..i18n import t

PLAIN_EVERY = 10.0  # seconds between plain lines


class BatchProgress:
    def __init__(self, total: int, lang: str, enabled: bool = True, stream: IO[str] | None = None,
                 every: float = PLAIN_EVERY, clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.lang, self.every, self.clock = total, lang, every, clock
        self.done = self.errors = self.unreadable = 0
        self.start = self.last = clock()
        self.stream = stream or sys.stderr
        terminal = enabled and self.stream.isatty()
        self.plain = enabled and not terminal
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            TextColumn("{task.fields[counts]}"),
                            console=Console(file=self.stream, highlight=False), transient=True, disable=not terminal)
        self.task = self.bar.add_task(t("batch.progress", lang), total=total, rate="", counts="")

    def __enter__(self) -> BatchProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.bar.__exit__(kind, exc, tb)

    def rate(self) -> float:
        elapsed = self.clock() - self.start
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, errors: bool = False, unreadable: bool = False) -> None:
        self.done += 1
        self.errors += errors
        self.unreadable += unreadable
        now = self.clock()
        if self.plain and now - self.last >= self.every:
            self.last = now
            self.stream.write(self.line() + "\n")
            self.stream.flush()
        if self.bar.disable:
            return
        self.bar.update(self.task, advance=1, rate=t("batch.rate", self.lang, rate=f"{self.rate():.0f}"),
                        counts=t("batch.counts", self.lang, errors=self.errors, unreadable=self.unreadable))

    def line(self) -> str:
        return t("batch.line", self.lang, done=self.done, total=self.total, rate=f"{self.rate():.0f}",
                 errors=self.errors, unreadable=self.unreadable)

"""Errors a user can get for a file that cannot be read as a report.

Each carries a message key and arguments, so the CLI can say it in Chinese or English.
"""

from __future__ import annotations

from typing import Any

from .i18n import t
from .report import Problem


class ReadError(Exception):
    """The file could not be read at all (empty, binary, unknown encoding, too large...)."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args

    def message(self, lang: str = "zh") -> str:
        return t(f"read.{self.key}", lang, **self.args_)

    def problem(self) -> Problem:
        """The error as data for the report record; words are rendered where it is shown."""
        return Problem(self.key, {k: v if isinstance(v, (int, float)) else str(v) for k, v in self.args_.items()})

    def __str__(self) -> str:
        return self.message("zh")

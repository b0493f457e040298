"""What every command shares: options, the language, files under a path, messages and exit codes.

Exit codes (spec/contract.md): 0 fine, 1 some report has an error finding, 2 the command could not run.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..readers import DEFAULT_MAX_BYTES


class Lang(StrEnum):
    zh = "zh"
    en = "en"


LangOpt = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON / JSON output")]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", help="单个文件大小上限（MB）/ file size limit (MB)")]
DEFAULT_MAX_MB = DEFAULT_MAX_BYTES / 1024 / 1024


def max_bytes(megabytes: float) -> int:
    return int(megabytes * 1024 * 1024)


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def fail(message: str) -> NoReturn:
    """The command cannot run: say why on stderr, exit 2."""
    print(message, file=sys.stderr)
    raise typer.Exit(2)


def say(message: str) -> None:
    """A message beside the output: stderr, so stdout can carry a file or JSON."""
    print(message, file=sys.stderr)


def files_under(path: Path) -> list[Path]:
    """A file as given; a folder's files recursively, sorted, skipping hidden ones."""
    if not path.is_dir():
        return [path]
    out: list[Path] = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return out


def dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")

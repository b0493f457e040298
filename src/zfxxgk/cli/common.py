"""What every command shares: options, the language, files under a path, messages and exit codes.

Exit codes (spec/contract.md): 0 fine, 1 some report has an error finding, 2 the command could not run.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..errors import ReadError
from ..i18n import t
from ..readers import DEFAULT_MAX_BYTES, MAX_NESTING
from ..report import Problem, Report, ReportDataError
from ..sanitize import clean_object, clean_path, clean_text, json_line


class Lang(StrEnum):
    zh = "zh"
    en = "en"


LangOpt = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON / JSON output")]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", help="单个文件大小上限（MB）/ file size limit (MB)")]
DEFAULT_MAX_MB = DEFAULT_MAX_BYTES / 1024 / 1024


def max_bytes(megabytes: float, lang: str = "zh") -> int:
    """--max-size in bytes; nan, inf and non-positive sizes are refused before any reading."""
    if not math.isfinite(megabytes) or megabytes <= 0:
        fail(t("cli.bad_max_size", lang, value=megabytes))
    return int(megabytes * 1024 * 1024)


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _write(stream: IO[str], text: str) -> None:
    """Write cleaned text; a terminal that cannot show a character gets a replacement, not a crash."""
    text = clean_text(text)
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "replace").decode(encoding))
    stream.flush()


def fail(message: str) -> NoReturn:
    """The command cannot run: say why on stderr, exit 2."""
    _write(sys.stderr, message + "\n")
    raise typer.Exit(2)


def say(message: str) -> None:
    """A message beside the output: stderr, so stdout can carry a file or JSON."""
    _write(sys.stderr, message + "\n")


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
    """One JSON line on stdout; strings cleaned, so no file content can make it unwritable."""
    _write(sys.stdout, json_line(obj))


# ------------------------------------------------------------------ the per-file guard
def link_outside(file: Path, root: Path) -> Path | None:
    """Where a file link found under `root` leads when that is outside `root` (else None).

    A path given on the command line is the user's choice and is followed; links met while
    walking a folder must not read files the folder does not hold (`r.txt -> /etc/passwd`).
    """
    if file == root or not file.is_symlink():
        return None
    try:
        target = file.resolve()
        inside = target.is_relative_to(root.resolve()) or not target.exists()  # dangling: nothing to read
    except (OSError, RuntimeError):  # a loop of links
        return file
    return None if inside else target


def guarded(file: Path, root: Path, work: Callable[[], Report], lang: str = "zh") -> Report:
    """Run one file's work so that nothing in the file can stop the batch or the writers.

    Every failure becomes that report's error with a code (never a traceback). The file's text was
    cleaned where it entered (sanitize.clean_document); here only the name and the error (a message
    from a library may quote the file) are cleaned, not the whole report (sanitize.py).
    """
    source = clean_path(file)
    target = link_outside(file, root)
    if target is not None:
        report = Report(source=source, error=Problem("link_outside", {"target": clean_path(target)}))
    else:
        try:
            report = work()
        except Exception as exc:  # every failure is this file's error; the run goes on
            report = Report(source=source, error=problem_of(exc, lang))
    report.source = clean_path(report.source)
    if report.error is not None:
        clean_object(report.error)
    return report


def problem_of(exc: BaseException, lang: str = "zh") -> Problem:
    """The per-file error for an exception: known failures have their own code, only bugs are "internal"."""
    if isinstance(exc, ReadError):
        return exc.problem()
    if isinstance(exc, ReportDataError):
        return Problem("report_data", {"reason": exc.message(lang)})
    if isinstance(exc, RecursionError):
        return Problem("too_deep", {"limit": MAX_NESTING})
    if isinstance(exc, MemoryError):
        return Problem("out_of_memory", {})
    return Problem("internal", {"kind": type(exc).__name__, "reason": clean_text(str(exc))[:300]})


# ------------------------------------------------------------------ output paths
def check_outputs(outputs: Iterable[Path | None], inputs: Iterable[Path], lang: str) -> None:
    """Refuse, before any reading, an output into a missing folder, onto a folder, or onto an input."""
    given = [p for p in inputs if p is not None]
    for out in outputs:
        if out is None or str(out) == "-":
            continue
        if out.is_dir():
            fail(t("cli.output_is_dir", lang, path=out))
        folder = out.parent
        if not folder.is_dir():
            fail(t("cli.output_no_folder", lang, path=out, folder=folder))
        identity = _identity(out)  # stated once, compared with each input's (a year has 100,000)
        if identity is not None and any(_identity(p) == identity for p in given):
            fail(t("cli.output_is_input", lang, path=out))


def _identity(path: Path) -> tuple[int, int] | None:
    """The file a path leads to (device, inode), or None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino

"""What `ingest` reads: files, folders (recursively) and zip archives (each member a file).

Every input becomes an Item with its bytes and sha256, or with the problem that kept it from being
read (too large, not a regular file, a damaged archive): such an item is still stored, as unreadable.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReadError
from ..readers import DEFAULT_MAX_BYTES, load
from ..report import Problem


@dataclass(slots=True)
class Item:
    name: str  # the path as given; an archive member is ARCHIVE!MEMBER
    size: int
    sha256: str
    data: bytes | None = None
    problem: Problem | None = None

    def bare(self) -> Item:
        """The input without its bytes (what the store needs of it once it is parsed elsewhere)."""
        return Item(self.name, self.size, self.sha256, None, self.problem)


def _item(name: str, data: bytes) -> Item:
    return Item(name, len(data), hashlib.sha256(data).hexdigest(), data)


def _unreadable(name: str, problem: Problem, size: int = 0, sha: str | None = None) -> Item:
    """An input without bytes: keyed by the hash of its name, so re-running does not store it twice."""
    return Item(name, size, sha or hashlib.sha256(b"unreadable:" + name.encode("utf-8", "replace")).hexdigest(),
                None, problem)


def is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04" and zipfile.is_zipfile(path) and not _is_office(path)
    except OSError:
        return False


def _is_office(path: Path) -> bool:
    """A .docx/.xlsx is a zip too, but a report, not an archive of reports."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def member_name(info: zipfile.ZipInfo) -> str:
    """Archives made on Chinese Windows store names in GBK without saying so (flag bit 11 unset)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def zip_items(path: Path, max_bytes: int) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield _unreadable(str(path), Problem("corrupt", {"kind": "zip"}) if isinstance(exc, zipfile.BadZipFile)
                          else Problem("os", {"reason": str(exc)}))
        return
    with archive:
        for info in archive.infolist():
            name = member_name(info)
            if info.is_dir() or any(part.startswith(".") or part == "__MACOSX" for part in name.split("/")):
                continue
            label = f"{path}!{name}"
            if info.file_size > max_bytes:
                size = f"{info.file_size / 1024 / 1024:.1f} MB"
                yield _unreadable(label, Problem("too_large", {"size": size, "limit": f"{max_bytes / 1024 / 1024:.1f} MB"}),
                                  info.file_size)
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(max_bytes + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError) as exc:
                yield _unreadable(label, Problem("os", {"reason": f"{type(exc).__name__}: {exc}"}))
                continue
            if len(data) > max_bytes:  # the header lied about the size
                yield _unreadable(label, Problem("too_large", {"size": f"> {max_bytes / 1024 / 1024:.1f} MB",
                                                               "limit": f"{max_bytes / 1024 / 1024:.1f} MB"}))
                continue
            yield _item(label, data)


def file_item(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    try:
        return _item(str(path), load(path, max_bytes))
    except ReadError as exc:
        return _unreadable(str(path), exc.problem())


def items(paths: list[Path], files_under: Callable[[Path], list[Path]],
          max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Every input under the paths (files_under: the CLI's walk, sorted, hidden skipped); archives opened."""
    for path in paths:
        for file in files_under(path):
            if is_zip(file):
                yield from zip_items(file, max_bytes)
            else:
                yield file_item(file, max_bytes)

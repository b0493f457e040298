"""Word files that need LibreOffice (.doc/.wps, RTF, ODT, Word 2003 XML), converted in groups.

Starting LibreOffice costs about a second; a batch of old Word files converts a group in one start
(readers/libreoffice.py `read_many`). Only the files' bytes decide (as `sniff` does): a file is looked
at whole only when its first bytes are those of an OLE2 compound file or RTF. A group's reports are
those `parse_file` gives each file, except that a file LibreOffice makes nothing of says so without
LibreOffice's own last words.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import defaultdict
from pathlib import Path

from ..document import Document
from ..errors import ReadError
from ..options import Options
from ..pipeline import build_report
from ..readers import load, sniff
from ..readers.libreoffice import KINDS, read_many
from ..readers.sniff import OLE2
from ..report import Report

GROUP = 16  # files per LibreOffice start
_HEADS = (OLE2, b"{\\rtf")


def office_kind(path: Path, max_bytes: int) -> str | None:
    """The LibreOffice kind of a regular file (never a link), or None."""
    try:  # three system calls a file: the parent does this for every file of a batch before the first starts
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:  # gone, unreadable, or a link (O_NOFOLLOW)
        return None
    try:
        head = os.read(fd, 8) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        return None
    finally:
        os.close(fd)
    if not head.startswith(_HEADS):
        return None
    try:
        kind = sniff(load(path, max_bytes))
    except (OSError, ReadError):
        return None
    return kind if kind in KINDS else None


def office_groups(paths: list[Path], max_bytes: int) -> tuple[list[int], list[list[int]]]:
    """Indexes of the files read one by one, and groups (of one kind, at most GROUP) to convert together."""
    singles: list[int] = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, path in enumerate(paths):
        kind = office_kind(path, max_bytes)
        (by_kind[kind] if kind else singles).append(i)
    groups = [found[i:i + GROUP] for found in by_kind.values() for i in range(0, len(found), GROUP)]
    singles += [g[0] for g in groups if len(g) == 1]  # a lone file is read as usual
    return sorted(singles), [g for g in groups if len(g) > 1]


def parse_group(paths: list[Path], max_bytes: int, options: Options | None = None) -> list[Report]:
    """`parse_file` for each file, with one LibreOffice call for all of them."""
    reports: list[Report | None] = [None] * len(paths)
    items: list[tuple[int, bytes, str]] = []
    for i, path in enumerate(paths):
        try:
            data = load(path, max_bytes)
        except ReadError as exc:
            reports[i] = Report(source=str(path), error=exc.problem())
            continue
        items.append((i, data, sniff(data)))
    try:
        docs: list[Document | ReadError] = read_many([(data, kind) for _, data, kind in items])
    except ReadError as exc:  # LibreOffice missing, or the group's conversion failed or timed out
        docs = [exc] * len(items)
    for (i, data, _), doc in zip(items, docs, strict=True):
        sha = hashlib.sha256(data).hexdigest()
        if isinstance(doc, ReadError):
            reports[i] = Report(source=str(paths[i]), sha256=sha, error=doc.problem())
        else:
            reports[i] = build_report(doc, str(paths[i]), sha, options)
    return [r for r in reports if r is not None]

"""--resume: which files an earlier, interrupted run already wrote to its JSON Lines output.

A line of the report record begins `{"schema":…,"source":…,"sha256":…`; only that head is read,
so resuming a year's output does not parse gigabytes of JSON. A last line cut short by a kill is
removed, so the lines appended next start on a line of their own.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# Compact (this version) or with spaces after the separators (json.dumps: outputs of earlier versions).
_HEAD = re.compile(r'^\{"schema": ?"[^"]*", ?"source": ?("(?:[^"\\]|\\.)*"), ?"sha256": ?(?:null|"([0-9a-f]{64})")')


@dataclass(slots=True)
class Done:
    """What an output already holds: files by content (sha256) and, for those without one, by name."""

    shas: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def holds(self, source: str, sha256: str | None) -> bool:
        return (sha256 is not None and sha256 in self.shas) or source in self.sources


def read_done(path: Path) -> Done:
    """The files a JSON Lines output holds; a cut-off last line is truncated away."""
    done = Done()
    if not path.exists():
        return done
    good = 0
    with path.open("rb+") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            good += len(raw)
            m = _HEAD.match(raw.decode("utf-8", "replace"))
            if m is None:
                continue
            if m.group(2):
                done.shas.add(m.group(2))
            else:
                done.sources.add(json.loads(m.group(1)))
        handle.truncate(good)
    return done


def file_sha256(path: Path, max_bytes: int) -> str | None:
    """The sha256 the pipeline gives a file (of its bytes), or None when it would not read it (too large, gone)."""
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None

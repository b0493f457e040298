"""A content-addressed cache of downloaded files, with each file's provenance.

`objects/<first two hex digits>/<sha256>.<ext>` holds each body once, whatever URLs gave it;
`provenance.jsonl` records every retrieval (URL, final URL, time, type, sha256, the page that linked it,
or why it failed), appended line by line, so a later run knows what it has and where it came from.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

from .fetch import Fetched

# The extension a body is kept under: from its declared type, else from the URL's path.
TYPES = {"text/html": "html", "application/pdf": "pdf", "application/msword": "doc",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
         "application/vnd.ms-excel": "xls",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
         "image/png": "png", "image/jpeg": "jpg", "text/plain": "txt"}
EXTENSIONS = {"html", "htm", "shtml", "pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "png", "jpg", "jpeg", "txt"}


@dataclass(frozen=True, slots=True)
class Record:
    url: str
    final_url: str
    retrieved: str
    status: int | None
    content_type: str
    sha256: str | None
    path: str | None  # relative to the cache
    referrer: str | None
    problem: str | None


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "objects").mkdir(parents=True, exist_ok=True)
        self.log = root / "provenance.jsonl"

    def put(self, fetched: Fetched, referrer: str | None = None) -> Record:
        """Keep a fetched body (once per content) and append its provenance line."""
        sha = path = None
        if fetched.data is not None:
            sha = hashlib.sha256(fetched.data).hexdigest()
            ext = TYPES.get(fetched.content_type) or extension(fetched.final_url) or "bin"
            target = self.root / "objects" / sha[:2] / f"{sha}.{ext}"
            if not target.exists():
                target.parent.mkdir(exist_ok=True)
                partial = target.with_suffix(".part")
                partial.write_bytes(fetched.data)
                partial.replace(target)
            path = str(target.relative_to(self.root))
        record = Record(fetched.url, fetched.final_url, fetched.retrieved, fetched.status, fetched.content_type, sha,
                        path, referrer, fetched.problem)
        with self.log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        return record

    def file(self, record: Record) -> Path | None:
        return self.root / record.path if record.path else None


def extension(url: str) -> str | None:
    """A known file extension of a URL's path (`.../a.PDF` → `pdf`), else None."""
    name = posixpath.basename(urllib.parse.urlsplit(url).path)
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return ext if ext in EXTENSIONS else None

"""An upload (one or many files, or zip archives of them) turned into named bytes the job queue can take.

Limits are checked while reading, so a huge request is stopped at the limit, not read to its end: the
request's bytes (`settings.max_upload`), files per upload (`settings.max_files`), a zip's members, their
declared and actual uncompressed size and compression ratio (a zip bomb is refused before it is inflated).
A file's kind is decided by its content as the CLI does (readers/sniff.py): a `.pdf` that is a zip is
opened as an archive, a `.zip` that is a .docx is a report. Nested archives are not opened (they are parsed
as files and reported unsupported, as `zfxxgk ingest` does). Names keep only a cleaned base name: no
folders, no `..`, no control or bidi characters; nothing is ever written to disk under an uploaded name.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from ..i18n import t
from ..readers.sniff import sniff
from ..sanitize import clean_text
from ..store.sources import member_name
from .deps import lang
from .settings import Settings

CHUNK = 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed of one member: text reports reach ~10, a bomb ~1000
RATIO_FLOOR = 1024 * 1024  # members smaller than this are never bombs, whatever their ratio
MAX_NAME = 160
FORM_OVERHEAD = 256 * 1024  # multipart headers and the CSRF field around the files
# Bidirectional controls (U+202A–U+202E, U+2066–U+2069, marks) turn "gpj.pdf" into "fdp.jpg" on screen.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ARCHIVES = frozenset({"zip"})  # docx/xlsx/odt/ods are zips too, but reports


class UploadRefused(Exception):
    """The whole upload is refused; `key`/`args` name the message (web.texts), `status` the HTTP status."""

    def __init__(self, status: int, key: str, **args: Any) -> None:
        super().__init__(key)
        self.status, self.key, self.args_ = status, key, args


class UploadLike(Protocol):
    """What is used of FastAPI's/Starlette's UploadFile: its name and its (spooled) file."""

    filename: str | None
    file: BinaryIO


@dataclass
class Upload:
    """The files to queue, and those refused one by one (name, message key, args)."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    refused: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.3g} MB"


def safe_name(raw: str | None, fallback: str = "file") -> str:
    """The base name only (`../../etc/passwd.txt` → `passwd.txt`, `..\\x.pdf` → `x.pdf`), cleaned."""
    text = clean_text(raw or "")
    text = _BIDI.sub("", text).replace("\ufffd", "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    base = re.split(r"[\\/]", text)[-1].strip().lstrip(".").strip()
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:MAX_NAME]
    return base or fallback


def read_uploads(uploads: Iterable[UploadLike], settings: Settings) -> Upload:
    """Read every uploaded file within the limits and open the zip archives among them."""
    budget = settings.max_upload
    total = 0
    out = Upload()
    for upload in uploads:
        name = safe_name(upload.filename)
        parts = bytearray()
        while chunk := upload.file.read(CHUNK):
            total += len(chunk)
            if total > budget:  # stop reading here: the rest of the request is never looked at
                raise UploadRefused(413, "web.upload.too_large", limit=megabytes(budget))
            parts += chunk
        data = bytes(parts)
        if not data and not upload.filename:  # a form's file field left empty
            continue
        if data and sniff(data) in _ARCHIVES:
            _expand(name, data, settings, out)
        else:
            _add(out, name, data, settings)
    if not out.files and not out.refused:
        raise UploadRefused(400, "web.upload.nothing")
    return out


def _add(out: Upload, name: str, data: bytes, settings: Settings) -> None:
    if not data:
        out.refused.append((name, "web.upload.empty", {}))
    elif len(data) > settings.max_file:
        out.refused.append((name, "web.upload.file_too_large", {"size": megabytes(len(data)),
                                                                 "limit": megabytes(settings.max_file)}))
    else:
        out.files.append((name, data))
        if len(out.files) > settings.max_files:
            raise UploadRefused(413, "web.upload.too_many", limit=settings.max_files)


def _hidden(path: str) -> bool:
    """A hidden file or folder (`.DS_Store`, `__MACOSX/`) is no report; `..` is no folder and only loses its path."""
    return any((part.startswith(".") and part not in (".", "..")) or part == "__MACOSX"
               for part in path.replace("\\", "/").split("/"))


def _expand(archive_name: str, data: bytes, settings: Settings, out: Upload) -> None:
    """A zip's members as files; refused whole when damaged, too many, too large or a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UploadRefused(400, "web.upload.bad_zip", name=archive_name, reason=str(exc)[:200]) from None
    members = [i for i in infos if not i.is_dir() and not _hidden(member_name(i))]
    if len(out.files) + len(members) > settings.max_files:
        raise UploadRefused(413, "web.upload.too_many", limit=settings.max_files)
    limit = settings.max_upload
    for info in members:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UploadRefused(413, "web.upload.zip_bomb", name=archive_name, limit=megabytes(limit))
    if sum(i.file_size for i in members) > limit:
        raise UploadRefused(413, "web.upload.zip_too_large", name=archive_name, limit=megabytes(limit))
    inflated = 0
    with archive:
        for info in members:
            try:
                with archive.open(info) as member:  # the header may lie: never inflate past what is left
                    content = member.read(limit - inflated + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError, ValueError) as exc:
                raise UploadRefused(400, "web.upload.bad_zip", name=archive_name,
                                    reason=f"{safe_name(member_name(info))}: {str(exc)[:200]}") from None
            inflated += len(content)
            if inflated > limit:
                raise UploadRefused(413, "web.upload.zip_bomb", name=archive_name, limit=megabytes(limit))
            _add(out, safe_name(member_name(info)), content, settings)


def content_length_guard(request: Request) -> None:
    """A dependency placed before the CSRF check (which parses the form): a request that says it is larger
    than the limit is refused before its body is read."""
    settings: Settings = request.app.state.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload + FORM_OVERHEAD:
        raise HTTPException(413, detail=t("web.upload.too_large", lang(request), limit=megabytes(settings.max_upload)))


async def receive(request: Request) -> Upload:
    """The files of a multipart request's `files` field, read within the limits (UploadRefused otherwise)."""
    settings: Settings = request.app.state.settings
    form = await request.form(max_files=settings.max_files + 1)
    files = [v for v in form.getlist("files") if isinstance(v, StarletteUpload)]
    return await run_in_threadpool(read_uploads, files, settings)


def refusal(request: Request, exc: UploadRefused) -> HTTPException:
    return HTTPException(exc.status, detail=t(exc.key, lang(request), **exc.args_))

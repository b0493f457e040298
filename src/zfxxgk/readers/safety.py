"""Guards for container formats (OOXML zips) before any library expands them.

A .docx or .xlsx is a zip of XML parts. A hostile one can declare gigabytes of XML in a few
kilobytes (zip bomb) or carry a DTD with external or exponential entities. Python's zipfile never
inflates a member past the size its directory declares (and checks the CRC), so checking the
declared sizes before python-docx or openpyxl opens the file bounds memory. Every member is then
inflated once in chunks: damaged deflate data or a bad CRC is `read.corrupt` here, not a zlib
error inside a library, and OOXML parts never need a DTD, so any part that reads as XML and
declares one (anywhere in it, under any name) is refused instead of trusting each parser's settings.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from ..errors import ReadError

# Elements nested deeper than this (HTML tags, tables in tables, MIME parts) are refused (read.too_deep):
# a report nests a few dozen levels at most, and walking deeper would exhaust the stack.
MAX_NESTING = 200
# Grid positions covered by one file's table cells (rowspan × colspan, summed): a report's tables cover
# a few thousand; 400 cells of rowspan=65535 colspan=50000 would otherwise fill gigabytes.
MAX_SPAN_AREA = 1_000_000
# Cells merged in a workbook (openpyxl creates an object for every merged position).
MAX_MERGED_CELLS = 250_000
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one XML part
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # uncompressed / compressed, for members large enough to matter
_RATIO_FLOOR = 1024 * 1024
# A DTD can declare entities (billion laughs, external files); a plain <!DOCTYPE html> (an embedded web
# page, altChunk) cannot.
_DTD = re.compile(rb"<!ENTITY|<!DOCTYPE(?!\s+html\s*>)", re.IGNORECASE)
_CHUNK = 1024 * 1024
_OVERLAP = 32


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open an OOXML container after checking member count, sizes, ratios and DTDs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ReadError("corrupt", kind=kind) from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ReadError("zip_bomb", kind=kind, reason=f"{len(infos)} members")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise ReadError("zip_bomb", kind=kind, reason=f"{info.filename}: {info.file_size} bytes")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError("zip_bomb", kind=kind,
                            reason=f"{info.filename}: ratio {info.file_size // max(info.compress_size, 1)}")
    if total > MAX_TOTAL_BYTES:
        raise ReadError("zip_bomb", kind=kind, reason=f"{total} bytes in all")
    for info in infos:
        try:
            _scan_member(archive, info, kind)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError,
                struct.error) as exc:
            raise ReadError("corrupt", kind=kind) from exc
    return archive


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> None:
    """Inflate one member in chunks: a damaged one (CRC, deflate data) is found here, with a message,
    and any DTD in a part that reads as XML is refused, wherever it stands and whatever the part's name.
    """
    with archive.open(info) as handle:
        head = handle.read(_CHUNK)
        start = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
        markup = start[:1] == b"<"
        utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:2] == b"\x00" or head[:1] == b"\x00"
        tail = b""
        chunk = head
        while chunk:
            if markup:
                text = chunk.replace(b"\x00", b"") if utf16 else chunk
                if _DTD.search(tail + text):
                    raise ReadError("xml_dtd", kind=kind, part=info.filename)
                tail = text[-_OVERLAP:]
            chunk = handle.read(_CHUNK)

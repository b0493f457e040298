"""Guards for container formats (OOXML zips) before any library expands them.

A .docx or .xlsx is a zip of XML parts. A hostile one can declare gigabytes of XML in a few
kilobytes (zip bomb) or carry a DTD with external or exponential entities. Python's zipfile never
inflates a member past the size its directory declares (and checks the CRC), so checking the
declared sizes before python-docx or openpyxl opens the file bounds memory. OOXML parts never
need a DTD, so any part that declares one is refused instead of trusting each parser's settings.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import ReadError

MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one XML part
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # uncompressed / compressed, for members large enough to matter
_RATIO_FLOOR = 1024 * 1024
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_SUFFIXES = (".xml", ".rels", ".vml")


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
        if info.filename.lower().endswith(_XML_SUFFIXES) or info.filename == "[Content_Types].xml":
            try:
                head = _xml_prolog(archive, info)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
                raise ReadError("corrupt", kind=kind) from exc
            if _DTD.search(head):
                raise ReadError("xml_dtd", kind=kind, part=info.filename)
    return archive


def _xml_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes before the root element: where a DOCTYPE would have to stand."""
    with archive.open(info) as handle:
        head = handle.read(64 * 1024)
    # The prolog ends at the first tag that is not <?...?>, <!--...--> or <!...>.
    m = re.search(rb"<[A-Za-z_]", head)
    prolog = head[: m.start()] if m else head
    # A UTF-16 part: compare without the interleaved NULs.
    return prolog.replace(b"\x00", b"")

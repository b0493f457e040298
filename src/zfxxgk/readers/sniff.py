"""Decide what a file is from its bytes; the name and extension are never trusted.

Reports arrive as .doc files that are really HTML or RTF, .wps files that are Word 97 documents,
.docx files renamed .doc, and pages saved without an extension. Each kind names one reader (or a
kind we recognise but cannot read, which gets a clear message).
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import ReadError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Magic numbers of kinds that are never reports we can read, with their kind names.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "rar"),
)
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

# OLE2 directory entry names are UTF-16LE; finding one tells what the compound file holds.
_OLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("EncryptedPackage", "encrypted"),  # a password-protected .docx/.xlsx
    ("WordDocument", "doc"),  # Word 97-2003 and WPS 文字 .wps
    ("Workbook", "xls"),  # Excel 97-2003 and WPS 表格 .et
    ("Book", "xls"),  # Excel 5
    ("PowerPoint Document", "ppt"),
)

_MARKUP = re.compile(
    r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|h[1-6]|span|font|center|base)\b",
    re.DOTALL,
)


def sniff(data: bytes) -> str:
    """The content kind: docx, xlsx, doc, rtf, html, mht, odt, wordml, pdf, text, or another name."""
    head = data[:16]
    if head.startswith(OLE2):
        return _ole2_kind(data)
    if head.startswith(_ZIP_MAGICS):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for signature, kind in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return kind
    text = _head_text(data[:4096]).lstrip("\ufeff \t\r\n").lower()
    if text.startswith("{\\rtf"):
        return "rtf"
    if text.startswith("mime-version:") or (text[:2000].find("content-type: multipart/related") >= 0
                                            and text.startswith(("from:", "date:", "subject:", "message-id:",
                                                                 "x-", "content-type:"))):
        return "mht"
    if text.startswith("<?xml"):
        if "<w:worddocument" in text or 'progid="word.document"' in text:
            return "wordml"  # Word 2003 XML
        if "<office:document" in text:
            return "fodt"  # flat OpenDocument
        return "html"  # XHTML
    if _MARKUP.match(text):
        return "html"
    return "text"


def _ole2_kind(data: bytes) -> str:
    for name, kind in _OLE_STREAMS:
        if name.encode("utf-16-le") in data:
            return kind
    return "ole2"


def _zip_kind(data: bytes) -> str:
    """docx / xlsx / odt by the parts the archive holds (truncated archives by their local headers)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, KeyError):
        # No readable central directory (truncated): the local file headers still name the parts.
        window = data[:65536]
        if b"word/" in window:
            return "docx"
        if b"xl/" in window:
            return "xlsx"
        return "zip"
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    return "zip"


def _head_text(head: bytes) -> str:
    """The start of a file as text, for markup sniffing; undecodable bytes become U+FFFD."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if b"\x00" in head[:200]:
        odd = head[1::2].count(0) > head[0::2].count(0)
        return head.decode("utf-16-le" if odd else "utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


_IMAGES = frozenset({"png", "jpeg", "gif", "tiff"})
_LEGACY = {"xls": "Excel 97-2003/WPS 表格 (.xls/.et)", "ods": "OpenDocument 表格 (.ods)",
           "ppt": "PowerPoint (.ppt)", "ole2": "OLE2 复合文档"}


def unsupported(kind: str) -> ReadError:
    """The error for a kind no reader handles, with what the user can do about it."""
    if kind in _IMAGES:
        return ReadError("image_only", kind=kind.upper())
    if kind == "encrypted":
        return ReadError("encrypted")
    if kind in _LEGACY:
        return ReadError("unsupported_legacy", kind=_LEGACY[kind])
    return ReadError("unsupported", kind=kind)

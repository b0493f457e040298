"""Text from files made safe to write anywhere: JSON, terminals, XML (Excel, Word), HTML, file names.

Text is cleaned once, where it enters: a reader's Document (`clean_document`, called where every
Document becomes a Report, pipeline.build_report) and file names (`clean_path`). Report-data files
(JSON, forms) are cleaned whole when loaded (`clean_object`), and the writers check what they write
(`json_line` falls back to cleaning every string when a line shows an unclean one), so a hostile or
broken file cannot make a writer fail or reach the terminal raw:
- lone surrogates (a `<w:sym w:char="D83D"/>`, a ToUnicode map to U+D83D) cannot be encoded to
  UTF-8: they become U+FFFD; bytes of a non-UTF-8 file name (kept by Python as U+DC80–U+DCFF)
  become `\\xb1`-style escapes, so the name stays recognisable;
- C0/C1 control characters other than tab and line breaks (ESC, BS, NUL …), and U+FFFE/U+FFFF,
  are not allowed in XML and move terminals about: they become U+FFFD; so do the bidi embedding,
  override and isolate controls (U+202A–U+202E, U+2066–U+2069), which make text show in another
  order than it is read;
- console markup (`[bold red]`, `[/]`) is escaped where text is printed with Rich (`console_text`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any, TypeVar

import orjson
from rich.markup import escape

from .document import Document, Paragraph

# XML 1.0 forbids C0 controls other than \t \n \r; C1 controls and DEL are terminal escapes; bidi embeddings,
# overrides and isolates show text in another order than it is read ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# json.dumps output (ensure_ascii=False) as UTF-8: DEL, C1 controls (U+0080-U+009F: \xc2\x80-\xc2\x9f), the bidi
# controls (\xe2\x80\xaa-\xae, \xe2\x81\xa6-\xa9) and U+FFFE/U+FFFF (\xef\xbf\xbe-\xbf) are there as they are,
# C0 controls escaped (\u0000-\u001f, \b, \f). A literal backslash before a `b` or `f` (escaped as \\) looks
# the same: that only costs the slow path. Each expression starts with a literal byte, which the search skips
# to (one expression of alternatives was ten times slower).
# Each search is made only where its first bytes occur (`in` is a memchr, several times faster than the
# expression's own scan); a lone surrogate (\xed\xa0-\xbf) only json.dumps writes, orjson refuses it.
_RARE_UTF8 = ((b"\xc2", re.compile(b"\xc2[\x80-\x9f]")),
              (b"\xe2", re.compile(b"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")),
              (b"\xef\xbf", re.compile(b"\xef\xbf[\xbe\xbf]")), (b"\xed", re.compile(b"\xed[\xa0-\xbf]")))
_C0_ESCAPES = (b"\\u00", b"\\b", b"\\f")
T = TypeVar("T")


def clean_text(text: str) -> str:
    """The text with surrogates and control characters replaced (U+FFFD); tab and newlines kept."""
    if not _UNSAFE.search(text):
        return text
    text = _ESCAPED_BYTE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}", text)
    return _UNSAFE.sub("\ufffd", text)


def clean_path(path: str | Path) -> str:
    """A file name as text: undecodable bytes shown as `\\xNN`, control characters replaced."""
    return clean_text(str(path))


def console_text(text: object) -> str:
    """Text from a file for Rich: cleaned, and its `[...]` shown as printed, never as markup."""
    return escape(clean_text(str(text)))


def clean_data(value: T) -> T:
    """JSON-like data (dicts, lists, strings) with every string cleaned; keys too."""
    if isinstance(value, str):
        return clean_text(value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(clean_data(v) for v in value)  # type: ignore[return-value]
    return value


def clean_object(obj: Any, _seen: set[int] | None = None) -> Any:
    """Clean every string held by a dataclass tree in place (a Report and its cells, findings, …).

    Frozen dataclasses (Source, Problem) keep their fields; the lists and dicts they hold are cleaned.
    """
    if isinstance(obj, str):
        return clean_text(obj)
    seen = _seen if _seen is not None else set()
    if id(obj) in seen:
        return obj
    seen.add(id(obj))
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            obj[i] = clean_object(item, seen)
        return obj
    if isinstance(obj, dict):
        items = [(clean_object(k, seen), clean_object(v, seen)) for k, v in obj.items()]
        obj.clear()
        obj.update(items)
        return obj
    if isinstance(obj, tuple):
        return tuple(clean_object(v, seen) for v in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        frozen = obj.__dataclass_params__.frozen  # type: ignore[attr-defined]
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if frozen and not isinstance(value, (list, dict)):
                continue
            cleaned = clean_object(value, seen)
            if cleaned is not value:
                setattr(obj, f.name, cleaned)
    return obj


def clean_document(doc: Document) -> Document:
    """A reader's document with every text cleaned in place: the one place file text enters a report.

    Most strings are printable (no control, surrogate or noncharacter can be), which str.isprintable tells
    four times faster than the search; meta values (a web page's title) too.
    """
    search = _UNSAFE.search
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if not block.text.isprintable() and search(block.text):
                block.text = clean_text(block.text)
            continue
        for row in block.rows:
            for cell in row:
                if not cell.text.isprintable() and search(cell.text):
                    cell.text = clean_text(cell.text)
    if doc.meta:
        doc.meta = clean_data(doc.meta)
    return doc


def json_line(data: Any) -> str:
    """JSON data as one compact line, every string clean (see json_bytes)."""
    return json_bytes(data).decode("utf-8")


def json_bytes(data: Any) -> bytes:
    """JSON data as one compact line of UTF-8 ending in a newline, every string clean.

    Reports are clean already (clean_document), so the line is made once and checked (its UTF-8 bytes
    searched: a tenth of a regular expression over the text); only a line that shows an unclean string
    (data that did not come through a reader) is made again from cleaned data. Both ways give the same
    bytes for clean data.
    """
    raw = dumps(data)
    if not _clean_json(raw):
        raw = dumps(clean_data(data))
    return raw + b"\n"


def dumps(data: Any) -> bytes:
    """Compact JSON as UTF-8 (non-ASCII as is): orjson, a fifth of json.dumps' time on a report's 200 cells.

    What orjson refuses (integers beyond 64 bits, lone surrogates, keys that are not strings) goes through
    json.dumps with the same separators; the two write the same bytes but for a float's exponent (1e16 and
    1e+16), and which of them writes a line depends on the data alone.
    """
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _clean_json(raw: bytes) -> bool:
    """Whether a line of JSON (UTF-8) holds no string that clean_text would change."""
    if b"\x7f" in raw or any(lead in raw and rare.search(raw) for lead, rare in _RARE_UTF8):
        return False
    return b"\\" not in raw or not any(escape in raw for escape in _C0_ESCAPES)

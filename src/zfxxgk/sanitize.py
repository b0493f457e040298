"""Text from files made safe to write anywhere: JSON, terminals, XML (Excel, Word), HTML, file names.

Everything the tool writes out passes through here once, at the edge (the CLI's per-file guard and
its writers), so a hostile or broken file cannot make a writer fail or reach the terminal raw:
- lone surrogates (a `<w:sym w:char="D83D"/>`, a ToUnicode map to U+D83D) cannot be encoded to
  UTF-8: they become U+FFFD; bytes of a non-UTF-8 file name (kept by Python as U+DC80–U+DCFF)
  become `\\xb1`-style escapes, so the name stays recognisable;
- C0/C1 control characters other than tab and line breaks (ESC, BS, NUL …), and U+FFFE/U+FFFF,
  are not allowed in XML and move terminals about: they become U+FFFD;
- console markup (`[bold red]`, `[/]`) is escaped where text is printed with Rich (`console_text`).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, TypeVar

from rich.markup import escape

# XML 1.0 forbids C0 controls other than \t \n \r; C1 controls and DEL are terminal escapes.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
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

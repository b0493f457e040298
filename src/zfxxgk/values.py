"""Numbers: reading one table cell's text as a value, and numbers in and out of JSON.

A cell is a number (with an optional unit and note), blank, an N/A mark, or unreadable. Nothing is
guessed: a blank is never a zero, and text that is not a number stays unreadable. This is the one
place that decides what a number looks like (readers, extractor, forms and records all use it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

Number = int | Decimal


class Kind(StrEnum):
    NUMBER = "number"
    BLANK = "blank"
    NA = "na"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Parsed:
    kind: Kind
    value: Number | None = None
    unit: str | None = None
    note: str | None = None  # text printed beside the number: "（其中修订16件）"


# Marks that say "not applicable / none" rather than a number.
NA_MARKS = frozenset({"/", "\\", "-", "--", "---", "—", "——", "－", "─", "无", "/无", "不适用", "×"})
UNITS = ("万元", "元", "件", "个", "次", "条", "项", "人次", "家", "份", "宗", "起")
MONEY_UNITS = frozenset({"万元", "元"})
_UNIT_RE = "|".join(sorted(UNITS, key=len, reverse=True))
_NUM = re.compile(
    rf"^(?P<sign>[+-])?(?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?\s*(?P<unit>{_UNIT_RE})?"
    r"(?P<rest>.*)$"
)
# A bare numeric token as readers meet it in page text (no unit): "1,234", "-3", "12.5".
NUMERIC_TOKEN = re.compile(r"^[+\-]?\d[\d,.]*$")
_WORDY = re.compile(rf"^(?P<word>增加|新增|增|减少|减|共)(?P<num>\d+)(?P<unit>{_UNIT_RE})?$")
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> Parsed:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", raw))
    if not text:
        return Parsed(Kind.BLANK)
    if text in NA_MARKS:
        return Parsed(Kind.NA)
    m = _NUM.match(text)
    if m:
        rest = m.group("rest")
        if rest and not _is_note(rest):
            return Parsed(Kind.UNREADABLE)
        digits = m.group("int").replace(",", "")
        frac = m.group("frac")
        value: Number = Decimal(digits + frac) if frac else int(digits)
        if m.group("sign") == "-":
            value = -value
        return Parsed(Kind.NUMBER, value, m.group("unit"), rest or None)
    w = _WORDY.match(text)
    if w:
        n = int(w.group("num"))
        return Parsed(Kind.NUMBER, -n if w.group("word").startswith("减") else n, w.group("unit"), None)
    return Parsed(Kind.UNREADABLE)


def _is_note(rest: str) -> bool:
    """A note is parenthesised text after the number: 22（其中修订16件）."""
    return rest[0] in "(（[【" and rest[-1] in ")）]】"


def is_value_text(raw: str) -> bool:
    """True when the text reads as a value cell (number, blank or N/A), not as a label."""
    return parse_value(raw).kind is not Kind.UNREADABLE


# ------------------------------------------------------------------ numbers in JSON and in print
def json_number(value: Number | float | None) -> int | float | None:
    """A JSON number: integers stay integers, decimals become floats (contract.md)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


def from_json_number(value: object) -> Number | None:
    """A JSON number back to the engine's numbers: int stays int, a fraction becomes Decimal."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        return Decimal(text) if "." in text else int(text)
    raise ValueError(f"not a number: {value!r}")


def json_data(value: object) -> object:
    """Any finding argument or record field as plain JSON data (Decimal → number, tuple → list)."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dict):
        return {str(k): json_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_data(v) for v in value]
    return value


def format_number(value: Number | float | None) -> str:
    """A number as a report prints it: no exponent, no float noise."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)

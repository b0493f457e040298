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
    rf"^(?P<sign>[+-])?(?P<int>[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?P<frac>\.[0-9]+)?\s*(?P<unit>{_UNIT_RE})?"
    r"(?P<rest>.*)$"
)
# Digits in one number (integer and decimal places): a count of 10³¹ has 32, an amount printed with 50
# decimals 51; thousands of digits are damage (and int() refuses more than 4,300), so such a cell is
# unreadable, never an error.
MAX_DIGITS = 100
# Digits apart ("12 3"): two numbers, or a number and a mark, never one number.
_APART = re.compile(r"[0-9][ \t\u00a0\u3000\u2000-\u200a]+[0-9]")
# A bare numeric token as readers meet it in page text (no unit): "1,234", "-3", "12.5".
NUMERIC_TOKEN = re.compile(r"^[+\-]?\d[\d,.]*$")
_WORDY = re.compile(rf"^(?P<word>增加|新增|增|减少|减|共)(?P<num>[0-9]{{1,{MAX_DIGITS}}})(?P<unit>{_UNIT_RE})?$")
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> Parsed:
    if raw.isdigit() and raw.isascii() and len(raw) <= MAX_DIGITS:
        return Parsed(Kind.NUMBER, int(raw))  # plain digits, what most cells print: what the steps below give
    if _marked(raw):
        return Parsed(Kind.UNREADABLE)
    normal = unicodedata.normalize("NFKC", raw)
    if _APART.search(normal):
        return Parsed(Kind.UNREADABLE)
    text = _SPACES.sub("", normal)
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
        if len(digits) + len(frac or "") > MAX_DIGITS:
            return Parsed(Kind.UNREADABLE)
        value: Number = Decimal(digits + frac) if frac else int(digits)
        if m.group("sign") == "-":
            value = -value
        return Parsed(Kind.NUMBER, value, m.group("unit"), rest or None)
    w = _WORDY.match(text)
    if w:
        n = int(w.group("num"))
        return Parsed(Kind.NUMBER, -n if w.group("word").startswith("减") else n, w.group("unit"), None)
    return Parsed(Kind.UNREADABLE)


def _marked(raw: str) -> bool:
    """Superscript, subscript, circled or fraction digits (Unicode "other number": ², ₁, ①, ½).

    NFKC would turn `5²` into 52 and `①` into 1: a footnote mark glued onto a number, or a list
    number, read as a different number. Such a cell is unreadable instead.
    """
    return not raw.isascii() and any(unicodedata.category(ch) == "No" for ch in raw)


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

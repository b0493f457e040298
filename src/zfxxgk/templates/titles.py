"""Recognising a section title by its numbering and keywords (format.md §1.2).

Format knowledge used by the locator and by readers that must stop a table at the next section
(a PDF without rulings). A title must look like one (short, no sentence punctuation), so the same
words inside prose do not count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..normalize import clean, simplified
from .formats import FORMAT_2021
from .sections import KEYWORD_ORDER

_SECTIONS = {s.number: s for s in FORMAT_2021.sections}  # titles and keywords are the same in both formats
_NUMERALS = {s.numeral: s.number for s in _SECTIONS.values()}
_NUMBERED_TITLE = re.compile(rf"^([{''.join(_NUMERALS)}])\s*[、.．,，:：]\s*(\S.*)$")
_UNNUMBERED_END = re.compile(r"(情况|事项|措施|举措)$")
_TITLE_MAX = 40
# Longer than this before cleaning, a paragraph is prose, never a title: skip cleaning megabytes.
_RAW_TITLE_MAX = 1000
_clean = lru_cache(maxsize=4096)(clean)


def section_number(text: str) -> int | None:
    """The section a paragraph is the title of, or None when it is not a section title."""
    if len(text) > _RAW_TITLE_MAX:
        return None
    title = simplified(_clean(text)).rstrip("：:。.")  # 繁體 mirror pages match too
    if not title or len(title) > _TITLE_MAX or "。" in title:
        return None
    m = _NUMBERED_TITLE.match(title)
    if m:
        number = _NUMERALS[m.group(1)]
        return number if _has_keyword(number, m.group(2)) else None
    if len(title) <= 25 and "，" not in title and _UNNUMBERED_END.search(title):
        return section_keyword_number(title)
    return None


def section_keyword_number(text: str) -> int | None:
    """The section whose keywords a phrase carries ("存在的主要问题" → 5), or None."""
    return next((n for n in KEYWORD_ORDER if _has_keyword(n, text)), None)


def _has_keyword(number: int, text: str) -> bool:
    section = _SECTIONS[number]
    if any(x in text for x in section.excludes):
        return False
    return any(k in text for k in section.keywords)

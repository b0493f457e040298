"""What a user may set for reading and checking, in one place; the defaults are the rules' own.

- deadline: META-DEADLINE's publication deadline, as month and day of year Y+1 (条例: 1 月 31 日).
- low_confidence: an OCR cell read with less confidence is reported (VAL-LOW-CONFIDENCE), its value used.
- unreadable_confidence: below this the OCR text is not used at all: the cell is unreadable (docs/pdf.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    deadline: tuple[int, int] = (1, 31)
    low_confidence: float = 0.90
    unreadable_confidence: float = 0.50

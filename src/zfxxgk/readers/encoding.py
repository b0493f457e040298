"""Decide how a text file is encoded, and say which; refuse rather than guess.

Reports come as UTF-8 (with or without BOM), GB18030/GBK (older Windows tools), UTF-16 (Word's
"Unicode text"), and now and then Big5 from traditional mirrors. A decoding is accepted only when
it is strict and the result looks like text.
"""

from __future__ import annotations

import codecs
import re

from ..errors import ReadError

BOMS = (  # byte-order marks and the codec that drops them
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Words nearly every report contains; they pick between legacy encodings that both decode.
_REPORT_WORDS = ("政府", "信息", "公开", "申请", "报告", "年度", "情况", "工作")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Return the text and the name of the encoding used."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(name)), name.replace("-sig", "") + " (BOM)"
            except UnicodeDecodeError as exc:
                raise ReadError("encoding") from exc
    binary = False
    try:
        return _checked(data.decode("utf-8")), "utf-8"  # a stray NUL in UTF-8 text is still text
    except UnicodeDecodeError:
        repaired = _nearly_utf8(data)
        if repaired is not None:
            return repaired
    except ReadError:
        binary = True  # valid UTF-8 but full of control characters: binary, or ASCII-heavy UTF-16
    if b"\x00" in data[:4096]:
        found = _utf16_without_bom(data)
        if found is None:
            raise ReadError("binary")
        return found
    if binary:
        raise ReadError("binary")
    candidates: list[tuple[int, str, str]] = []
    for name in ("gb18030", "big5"):
        try:
            text = _checked(data.decode(name))
        except (UnicodeDecodeError, ReadError):
            continue
        candidates.append((sum(text.count(w) for w in _REPORT_WORDS), name, text))
    if not candidates:
        # Control bytes cannot be GB18030 or Big5 text either: say binary rather than "encoding".
        raise ReadError("binary" if len(_CONTROL_BYTES.findall(data[:4096])) > 8 else "encoding")
    # GB18030 wins ties: it is the national standard and a superset of GBK.
    _, name, text = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))
    return text, name


MAX_REPLACED = 16  # invalid sequences in a UTF-8 file that is otherwise sound (a flipped byte, a cut character)


def _nearly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes, read with U+FFFD in their place (said in the encoding's name).

    GB18030 text read as UTF-8 fails at nearly every character; a UTF-8 report with one damaged byte
    or cut mid-character at the end fails once among thousands of good multi-byte characters.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # replacements made, not ones printed
    if bad > MAX_REPLACED:
        return None
    good = sum(1 for ch in text[:200_000] if ord(ch) > 0x7F) - bad
    if good < 20 * bad:
        return None
    try:
        return _checked(text), f"utf-8 ({bad} invalid bytes replaced)"
    except ReadError:
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM, or None: its ASCII characters put NULs on one side of each code unit."""
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if max(odd_nuls, even_nuls) < 2 or min(odd_nuls, even_nuls) * 4 > max(odd_nuls, even_nuls):
        return None  # NULs on both sides alike: binary data, not text
    name = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        return _checked(data.decode(name)), name
    except (UnicodeDecodeError, ReadError):
        return None


def _checked(text: str) -> str:
    """Reject decodings full of control characters: that is binary data, not a report."""
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise ReadError("binary")
    return text

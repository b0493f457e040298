"""Text normalisation for matching labels, titles and numbers.

Published reports write the same label with full- or half-width brackets, stray spaces, line
breaks, curly or straight quotes, markdown markers, Word bookmarks and traditional characters.
Matching works on a normalised form; the raw text is always kept elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Artefacts of Word-to-text extraction and markdown conversion.
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\*\*|__|^#+\s*", re.MULTILINE)
# NBSP, full-width space, zero-width characters, BOM.
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u3000": " ", "\u200b": "", "\u200c": "", "\u200d": "",
                             "\ufeff": "", "\u2002": " ", "\u2003": " ", "\u2009": " "})
_WS = re.compile(r"\s+")

# Traditional characters that occur in the standard labels and titles; mirrors of government
# pages often serve 繁體. A full converter belongs to the HTML reader; this covers matching.
_T2S = str.maketrans(
    "開據請數為處結轉計總與國機關規許項決務費採購額業構組織會錄訊複議訴訟審維糾紛護權聯實報應區縣鄉鎮辦"
    "類內過執檢範圍際門戶網絡時間來發佈廢現況統產響適書聽證從號條於當無長專員幾萬並論營體團勞動險",
    "开据请数为处结转计总与国机关规许项决务费采购额业构组织会录讯复议诉讼审维纠纷护权联实报应区县乡镇办"
    "类内过执检范围际门户网络时间来发布废现况统产响适书听证从号条于当无长专员几万并论营体团劳动险",
)

_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "'": "", "‘": "", "’": "", "「": "", "」": "",
                         "『": "", "』": ""})
_PUNCT = str.maketrans({"、": ".", "．": ".", "，": ",", "：": ":", "；": ";", "—": "-", "－": "-",
                        "–": "-", "─": "-"})

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[.、:,]|\([一二三四五六七八九十]+\)[.、]?|\d{1,2}[.)、]|[①-⑳])"
)
_PAREN = re.compile(r"\([^()]*\)")


def clean(text: str) -> str:
    """Remove extraction artefacts and odd spaces; keep the text readable."""
    text = _ARTEFACTS.sub("", text.translate(_ODD_SPACES))
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Comparable form: NFKC, simplified, no spaces, quotes or markdown, unified punctuation."""
    text = unicodedata.normalize("NFKC", clean(text)).translate(_T2S)
    text = text.translate(_QUOTES).translate(_PUNCT)
    return _WS.sub("", text)


@lru_cache(maxsize=65536)
def core(text: str) -> str:
    """The label without its numbering and parenthetical annotations (for fuzzy matching)."""
    text = norm(text)
    while True:
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    while True:
        stripped = _PAREN.sub("", text)
        if stripped == text:
            break
        text = stripped
    return text.strip(".:,;-")


def numbering(text: str) -> str:
    """The leading numbering of a label ('一.', '(三)', '2.'), or ''."""
    m = _NUMBERING.match(norm(text))
    return m.group(0) if m else ""

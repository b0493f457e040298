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
_HAS_ODD_SPACE = re.compile("[" + "".join(chr(c) for c in _ODD_SPACES) + "]")

# Traditional characters that occur in the standard labels and titles; mirrors of government
# pages often serve 繁體. A full converter belongs to the HTML reader; this covers matching: every
# character of the official labels, section titles and seed reports that has a traditional form.
_T2S = str.maketrans(
    "開據請數為處結轉計總與國機關規許項決務費採購額業構組織會錄訊複議訴訟審維糾紛護權聯實報應區縣鄉鎮辦"
    "類內過執檢範圍際門戶網絡時間來發佈廢現況統產響適書聽證從號條於當無長專員幾萬並論營體團勞動險"
    "兩嚴個臨舉習買親們眾優傳黨養農準減創製華協單廳參雙變後谘迴圓場堅聲復夠頭夾奬學寬對導將盡層屬崗廣強歸徹態擴擬揮斷顯曉極標欄樣檔殘匯溝沒澤潔濟滿點熱牽環電暢監礎"
    "確離種積稱穩籌簡糧緊級紀納細終經繞繼續編縫繳罰職脫輿節獲銜補見觀認讓訓記設訪評識話詢該語誤說讀調負財責質貧貼貴資載較運還這進選裏鑒錯問聞隊陽順須領題駐駕驗裡衆",
    "开据请数为处结转计总与国机关规许项决务费采购额业构组织会录讯复议诉讼审维纠纷护权联实报应区县乡镇办"
    "类内过执检范围际门户网络时间来发布废现况统产响适书听证从号条于当无长专员几万并论营体团劳动险"
    "两严个临举习买亲们众优传党养农准减创制华协单厅参双变后咨回圆场坚声复够头夹奖学宽对导将尽层属岗广强归彻态扩拟挥断显晓极标栏样档残汇沟没泽洁济满点热牵环电畅监础"
    "确离种积称稳筹简粮紧级纪纳细终经绕继续编缝缴罚职脱舆节获衔补见观认让训记设访评识话询该语误说读调负财责质贫贴贵资载较运还这进选里鉴错问闻队阳顺须领题驻驾验里众",
)

_TRADITIONAL = re.compile("[" + "".join(chr(c) for c in _T2S) + "]")

_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "'": "", "‘": "", "’": "", "「": "", "」": "",
                         "『": "", "』": ""})
_PUNCT = str.maketrans({"、": ".", "．": ".", "，": ",", "：": ":", "；": ";", "—": "-", "－": "-",
                        "–": "-", "─": "-"})

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[.、:,]|\([一二三四五六七八九十]+\)[.、]?|\d{1,2}[.)、]|[①-⑳])"
)
_PAREN = re.compile(r"\([^()]*\)")


def simplified(text: str) -> str:
    """Traditional characters of the standard vocabulary as simplified (for matching, not display)."""
    return text.translate(_T2S) if _TRADITIONAL.search(text) else text  # translate() is slow on long text


def clean(text: str) -> str:
    """Remove extraction artefacts and odd spaces; keep the text readable."""
    if _HAS_ODD_SPACE.search(text):  # translate() with a dict is slow on long text: only when needed
        text = text.translate(_ODD_SPACES)
    text = _ARTEFACTS.sub("", text)
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

"""CNT-* (what the prose sections must address) and TXT-* (prose against tables)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..locate import section_keyword_number
from ..report import Finding, Prose
from .registry import Context, check

# ------------------------------------------------------------------ CNT
_TOPICS: tuple[tuple[dict[str, str], tuple[str, ...]], ...] = (
    ({"zh": "主动公开", "en": "proactive disclosure"}, ("主动公开",)),
    ({"zh": "依申请公开", "en": "disclosure on application"}, ("依申请公开", "公开申请", "申请公开")),
    ({"zh": "政府信息管理", "en": "information management"}, ("信息管理", "信息发布", "保密审查", "公开目录", "清理")),
    ({"zh": "平台建设", "en": "platforms"},
     ("平台", "网站", "门户", "专栏", "公示栏", "公开栏", "新媒体", "公众号", "政务微博")),
    ({"zh": "监督保障", "en": "oversight"}, ("监督保障", "监督", "考核", "培训", "保障")),
)
_ACCOUNTABILITY = ({"zh": "工作考核、社会评议和责任追究结果", "en": "appraisal, public evaluation and accountability"},
                   ("考核", "评议", "责任追究"))


@check("CNT-OVERVIEW-TOPICS")
def overview_topics(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    section = r.sections.get(1)
    if section is None:
        return
    text = section.text
    missing = [name for name, words in _TOPICS if not any(w in text for w in words)]
    if r.version == "2021" and r.body and "人民政府" in r.body:
        name, words = _ACCOUNTABILITY
        if not all(w in text for w in words):
            missing.append(name)
    if missing:
        yield ctx.finding([], source=section.source, missing=missing)


_SUBSTANCE = re.compile(r"[\s，。、；：,.;:！!？?（）()“”\"]")


@check("CNT-SECTION5-EMPTY")
def section5_empty(ctx: Context) -> Iterator[Finding]:
    section = ctx.report.sections.get(5)
    if section is None:
        return
    text = _SUBSTANCE.sub("", section.text)
    if len(text) < 20 or text in ("无", "暂无", "没有"):
        yield ctx.finding([], source=section.source, length=len(text))


_SECTION6_ITEMS = (
    ({"zh": "信息处理费", "en": "information processing fees"}, ("信息处理费", "处理费")),
    ({"zh": "落实上级年度政务公开工作要点情况", "en": "implementation of the year's work points"}, ("工作要点",)),
    ({"zh": "人大代表建议和政协提案办理结果公开情况", "en": "deputies' suggestions and proposals"},
     ("建议", "提案")),
    ({"zh": "年度政务公开工作创新情况", "en": "innovations"}, ("创新",)),
)


@check("CNT-SECTION6-ITEMS")
def section6_items(ctx: Context) -> Iterator[Finding]:
    section = ctx.report.sections.get(6)
    if section is None:
        return
    missing = [name for name, words in _SECTION6_ITEMS if not any(w in section.text for w in words)]
    if missing:
        yield ctx.finding([], source=section.source, missing=missing)


# ------------------------------------------------------------------ TXT
_NUM = r"(\d+)\s*(?:件|个|条|份)"
_RECEIVED = re.compile(r"(?<![未没无])(?:收到|新收|受理|接收|接到)[^。；，,\d]{0,16}?申请(?:共|合计|总计)?\s*" + _NUM)
_CLOSED = re.compile(r"(?:办结|答复|办理完成|处理完毕)[^。；，,\d]{0,12}?" + _NUM)
_NONE_APPLICATIONS = re.compile(r"(?:未|没有)(?:收到|接到|受理|发生)?[^。；，,\d]{0,8}?(?:依申请公开|公开申请|申请)")
_NONE_CASES = re.compile(r"(?:未|没有)(?:发生|收到|接到|出现)?[^。；，,\d]{0,15}?(?:行政复议|行政诉讼)")


def _matches(ctx: Context, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], Prose]]:
    """Matches in the report's prose paragraphs (tables are not prose), with their paragraph."""
    for para in ctx.report.prose:
        for m in pattern.finditer(para.text):
            yield m, para


@check("TXT-APPLICATIONS")
def applications(ctx: Context) -> Iterator[Finding]:
    new, over = ctx.n("t3.new_received.total"), ctx.n("t3.carried_over.total")
    total = ctx.n("t3.total.total")
    if new is None or over is None:
        return
    for m, para in _matches(ctx, _RECEIVED):
        stated = int(m.group(1))
        if stated not in (new, new + over):
            yield ctx.finding(["t3.new_received.total", "t3.carried_over.total"], source=para.source,
                              quote=m.group(0), stated=stated, what={"zh": "本年新收", "en": "new applications"},
                              table=new)
    if total is None:
        return
    for m, para in _matches(ctx, _CLOSED):
        if "申请" not in para.text[max(0, m.start() - 30): m.end()]:
            continue
        stated = int(m.group(1))
        if stated not in (total, new, new + over):
            yield ctx.finding(["t3.total.total"], source=para.source, quote=m.group(0), stated=stated,
                              what={"zh": "（七）总计", "en": "applications handled"}, table=total)


@check("TXT-NONE-CLAIM")
def none_claim(ctx: Context) -> Iterator[Finding]:
    new = ctx.n("t3.new_received.total")
    if new:
        for m, para in _matches(ctx, _NONE_APPLICATIONS):
            yield ctx.finding(["t3.new_received.total"], source=para.source, quote=m.group(0),
                              what={"zh": "表三本年新收", "en": "table 三 new applications"}, table=new)
            break
    totals = ["t4.review.total", "t4.litigation_direct.total", "t4.litigation_after_review.total"]
    cases = [ctx.n(i) for i in totals]
    if all(c is not None for c in cases) and sum(cases) > 0:  # type: ignore[arg-type]
        for m, para in _matches(ctx, _NONE_CASES):
            yield ctx.finding(totals, source=para.source, quote=m.group(0),
                              what={"zh": "表四复议诉讼总计", "en": "table 四 cases"}, table=sum(cases))  # type: ignore[arg-type]
            break


_DOCS = re.compile(
    r"(?:制发|制定|出台|印发|发布|公开|废止|清理)[^。；，,\d]{0,10}?(行政规范性文件|规范性文件|规章)\s*(\d+)\s*(?:件|个|部|份)"
)


@check("TXT-DOCUMENTS")
def documents(ctx: Context) -> Iterator[Finding]:
    for m, para in _matches(ctx, _DOCS):
        row = "t2.regulations" if m.group(1) == "规章" else "t2.normative_docs"
        ids = [cid for cid in ctx.report.cells if cid.startswith(row + ".")]
        values = [ctx.n(cid) for cid in ids]
        stated = int(m.group(2))
        if values and all(v is not None for v in values) and stated not in values:
            yield ctx.finding(ids, source=para.source, quote=m.group(0), stated=stated, row=m.group(1),
                              values=[str(v) for v in values])


_PARTS = re.compile(
    r"(?:本报告|本年报|年度报告|全文|报告)(?:内容)?(?:共|主要)?(?:由|包括|分为|包含|涵盖)(?P<list>[^。]{2,200}?)(?:[。]|$)"
)
_PART_COUNT = re.compile(r"([一二三四五六七八九]|\d)\s*(?:个)?部分")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@check("TXT-PARTS-LIST")
def parts_list(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    found = next(((m, p) for p in r.prose if p.section == 0 and (m := _PARTS.search(p.text))), None)
    if found is None:
        return
    m, para = found
    text = m.group("list")
    body = re.sub(r"等?[一二三四五六七八九\d]\s*(?:个)?部分.*$", "", text)
    listed = {n for x in re.split(r"[、，,；;和及与]", body) if (n := section_keyword_number(x))}
    claimed = _PART_COUNT.search(text)
    claimed_n = (int(claimed.group(1)) if claimed.group(1).isdigit() else _CN[claimed.group(1)]) if claimed else None
    present = set(r.sections)
    if (listed and listed != present) or (claimed_n is not None and claimed_n != len(listed)):
        yield ctx.finding([], source=para.source, quote=m.group(0).rstrip("。"), listed=len(listed),
                          names=body, present=len(present))


@check("TXT-YEAR")
def year(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.year is None or not r.period_years:
        return
    if any(y != r.year for y in r.period_years):
        yield ctx.finding([], title_year=r.year, period="、".join(str(y) for y in r.period_years))

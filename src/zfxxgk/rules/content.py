"""CNT-* (what the prose sections must address) and TXT-* (prose against tables).

What a section must address is declared in the templates (topics); the words that show a topic is
addressed, and the phrases the prose rules look for, are this module's heuristics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..report import Finding, Prose
from ..templates import FORMATS, RowRole, SectionTemplate, Topic, section_keyword_number
from .registry import Context, check

# ------------------------------------------------------------------ CNT
# Words that show a topic is addressed: any of them, or (ALL_OF) all of them.
_TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "proactive": ("主动公开",),
    "on_application": ("依申请公开", "公开申请", "申请公开"),
    "management": ("信息管理", "信息发布", "保密审查", "公开目录", "清理"),
    "platforms": ("平台", "网站", "门户", "专栏", "公示栏", "公开栏", "新媒体", "公众号", "政务微博"),
    "oversight": ("监督保障", "监督", "考核", "培训", "保障"),
    "accountability": ("考核", "评议", "责任追究"),
    "fees": ("信息处理费", "处理费"),
    "work_points": ("工作要点",),
    "proposals": ("建议", "提案"),
    "innovation": ("创新",),
}
_ALL_OF = frozenset({"accountability"})  # 工作考核、社会评议和责任追究: each of the three must be reported
_GOVERNMENT = "人民政府"  # a body that is a people's government (its name says so)


def _section(ctx: Context, number: int) -> SectionTemplate:
    return FORMATS[ctx.report.version or "2019"].section(number)


def _missing(ctx: Context, number: int, text: str) -> list[str]:
    """The topics of a section its text does not address (by keywords)."""
    body = ctx.report.body or ""
    missing: list[str] = []
    for topic in _section(ctx, number).topics:
        if topic.governments_only and _GOVERNMENT not in body:
            continue
        if not _addressed(topic, text):
            missing.append(topic.id)
    return missing


def _addressed(topic: Topic, text: str) -> bool:
    words = _TOPIC_WORDS[topic.id]
    return all(w in text for w in words) if topic.id in _ALL_OF else any(w in text for w in words)


@check("CNT-OVERVIEW-TOPICS")
def overview_topics(ctx: Context) -> Iterator[Finding]:
    section = ctx.report.sections.get(1)
    if section is None:
        return
    missing = _missing(ctx, 1, section.text)
    if missing:
        yield ctx.finding([], source=section.source, topics=missing)


_SUBSTANCE = re.compile(r"[\s，。、；：,.;:！!？?（）()“”\"]")


@check("CNT-SECTION5-EMPTY")
def section5_empty(ctx: Context) -> Iterator[Finding]:
    section = ctx.report.sections.get(5)
    if section is None:
        return
    text = _SUBSTANCE.sub("", section.text)
    if len(text) < 20 or text in ("无", "暂无", "没有"):
        yield ctx.finding([], source=section.source, length=len(text))


# Of section 六's items only the 信息处理费 statement is required of every body (spec rules.md); the
# work points, proposals and innovation items are common but not owed by every body, so not reported.
_REQUIRED_OF_ALL = frozenset({"fees"})


@check("CNT-SECTION6-ITEMS")
def section6_items(ctx: Context) -> Iterator[Finding]:
    section = ctx.report.sections.get(6)
    if section is None:
        return
    missing = [t for t in _missing(ctx, 6, section.text) if t in _REQUIRED_OF_ALL]
    if missing:
        yield ctx.finding([], source=section.source, topics=missing)


# ------------------------------------------------------------------ TXT
_NUM = r"(\d+)\s*(?:件|个|条|份)"
_RECEIVED = re.compile(r"(?<![未没无])(?:收到|新收|受理|接收|接到)[^。；，,\d]{0,16}?申请(?:共|合计|总计)?\s*" + _NUM)
_CLOSED = re.compile(r"(?:办结|答复|办理完成|处理完毕)[^。；，,\d]{0,12}?" + _NUM)
_NONE_APPLICATIONS = re.compile(r"(?:未|没有)(?:收到|接到|受理|发生)?[^。；，,\d]{0,8}?(?:依申请公开|公开申请|申请)")
_NONE_CASES = re.compile(r"(?:未|没有)(?:发生|收到|接到|出现)?[^。；，,\d]{0,15}?(?:行政复议|行政诉讼)")
# A claim's scope is its whole clause: "未发生因依申请公开被行政复议纠错或行政诉讼败诉情形" denies an
# outcome (纠错, 败诉), not that applications or cases exist.
_CLAUSE_END = re.compile(r"[。；;，,！!？?\n]")
_QUALIFIED = re.compile(r"纠错|纠正|败诉|撤销|违法|被")
# A figure whose sentence names a part of the body ("其中，区政府办…受理申请17件") is not the table's.
_PART = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:办公室|办公厅|政府办|局|委员会|委|厅|署|中心|街道|乡|镇|部门|单位)")
_WHOLE = re.compile(r"^(?:我|本)(?:机关|单位|局|委|办|厅|署|中心|部门|街道|乡|镇|区|县|市|省|州|旗)")


def _matches(ctx: Context, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], Prose]]:
    """Matches in the report's prose paragraphs (tables are not prose), with their paragraph."""
    for para in ctx.report.prose:
        for m in pattern.finditer(para.text):
            yield m, para


def _clause(text: str, start: int) -> str:
    """The clause from start to its end: the scope of a negation found at start."""
    end = _CLAUSE_END.search(text, start)
    return text[start: end.start() if end else len(text)]


def _of_a_part(ctx: Context, text: str, start: int) -> bool:
    """Whether the figure at start is attributed to a part of the body (其中…, a named unit that is not the body)."""
    head = text[max(text.rfind("。", 0, start), text.rfind("；", 0, start)) + 1: start]
    clauses = re.split(r"[，,]", head)
    subject = clauses[-1]
    if "其中" in "".join(clauses[-2:]) or "分别" in subject:
        return True
    body = ctx.report.body or ""
    for m in _PART.finditer(subject):
        unit = m.group(0)  # may start before the name ("本年度平等乡"): any tail of it may be the body
        if not _WHOLE.match(unit) and not any(unit[i:] in body for i in range(len(unit) - 1)):
            return True
    return False


# The 表三 rows the prose speaks of, by role (both formats have them, with the same ids).
_T3 = FORMATS["2021"].tables["t3"]
_NEW, _OVER = (f"{r.id}.total" for r in _T3.rows_with(RowRole.RECEIVED))
_HANDLED = f"{_T3.rows_with(RowRole.TOTAL)[0].id}.total"
_CASES = [f"{row.id}.{c.id}" for row in FORMATS["2021"].tables["t4"].rows for c in row.columns if c.total]


@check("TXT-APPLICATIONS")
def applications(ctx: Context) -> Iterator[Finding]:
    new, over = ctx.n(_NEW), ctx.n(_OVER)
    total = ctx.n(_HANDLED)
    if new is None or over is None:
        return
    for m, para in _matches(ctx, _RECEIVED):
        if _of_a_part(ctx, para.text, m.start()):
            continue
        stated = int(m.group(1))
        if stated not in (new, new + over):
            yield ctx.finding([_NEW, _OVER], source=para.source, kind="received", quote=m.group(0), stated=stated,
                              value=new)
    if total is None:
        return
    for m, para in _matches(ctx, _CLOSED):
        if "申请" not in para.text[max(0, m.start() - 30): m.end()] or _of_a_part(ctx, para.text, m.start()):
            continue
        stated = int(m.group(1))
        if stated not in (total, new, new + over):
            yield ctx.finding([_HANDLED], source=para.source, kind="handled", quote=m.group(0), stated=stated,
                              value=total)


def _unqualified(ctx: Context, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], Prose]]:
    """Negations whose clause denies the thing itself, not a qualified outcome of it."""
    return ((m, p) for m, p in _matches(ctx, pattern) if not _QUALIFIED.search(_clause(p.text, m.start())))


@check("TXT-NONE-CLAIM")
def none_claim(ctx: Context) -> Iterator[Finding]:
    new = ctx.n(_NEW)
    if new:
        for m, para in _unqualified(ctx, _NONE_APPLICATIONS):
            yield ctx.finding([_NEW], source=para.source, kind="applications", quote=m.group(0), value=new)
            break
    cases = [ctx.n(i) for i in _CASES]
    if all(c is not None for c in cases) and sum(cases) > 0:  # type: ignore[arg-type]
        for m, para in _unqualified(ctx, _NONE_CASES):
            yield ctx.finding(_CASES, source=para.source, kind="cases", quote=m.group(0), value=sum(cases))  # type: ignore[arg-type]
            break


def _document_rows() -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern for document counts in prose, built from the 表二 labels of the document rows.

    A printed label names its row (行政规范性文件 and 规范性文件 → t2.normative_docs); longer labels
    are tried first, so 行政规范性文件 is not read as 规范性文件.
    """
    rows = {"t2.regulations", "t2.normative_docs"}
    labels = {label: row.id for fmt in FORMATS.values() for row in fmt.tables["t2"].rows if row.id in rows
              for label in (row.label, *row.variants)}
    names = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?:制发|制定|出台|印发|发布|公开|废止|清理)[^。；，,\d]{{0,10}}?({names})"
                         r"\s*(\d+)\s*(?:件|个|部|份)")
    return pattern, labels


_DOCS, _DOC_ROWS = _document_rows()


@check("TXT-DOCUMENTS")
def documents(ctx: Context) -> Iterator[Finding]:
    for m, para in _matches(ctx, _DOCS):
        row = _DOC_ROWS[m.group(1)]
        ids = [cid for cid in ctx.report.cells if cid.startswith(row + ".")]
        values = [ctx.n(cid) for cid in ids]
        stated = int(m.group(2))
        if values and all(v is not None for v in values) and stated not in values:
            yield ctx.finding(ids, source=para.source, quote=m.group(0), stated=stated, row=row, values=values)


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
                          parts=body, present=len(present))


@check("TXT-YEAR")
def year(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.year is None or not r.period_years:
        return
    if any(y != r.year for y in r.period_years):
        yield ctx.finding([], title_year=r.year, period=list(r.period_years))

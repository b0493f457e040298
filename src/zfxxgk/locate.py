"""Locator: find the six sections, the standard tables and the metadata in a Document.

Works on the format-neutral document only. Section titles are matched by numbering and keywords
(format.md §1.2) and must look like titles (short, no sentence punctuation), so the same words
inside prose do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from .document import Document, Paragraph, Source, Table
from .normalize import clean, norm, simplified
from .report import LabelVariant, Prose, Section
from .templates import FORMATS, TABLE_KEYS, section_number
from .values import is_value_text

_clean = lru_cache(maxsize=2048)(clean)

_SECTIONS = {s.number: s for s in FORMATS["2021"].sections}  # titles and keywords are the same in both formats
# Longer than this before cleaning, a paragraph is prose, never a title: skip cleaning megabytes.
_RAW_TITLE_MAX = 1000

_TITLE_PATTERNS = (
    re.compile(r"^(?P<y>20\d{2})年度?(?P<body>.+?)政府信息公开工作年度报告$"),
    re.compile(r"^(?P<body>.+?)政府信息公开工作(?P<y>20\d{2})年度?报告$"),
    re.compile(r"^(?P<body>.+?)(?P<y>20\d{2})年度?(?:政府)?信息公开(?:工作)?年度报告$"),
    re.compile(r"^(?P<body>.+?)(?P<y>20\d{2})年度?(?:政府)?信息公开(?:工作)?(?:年度)?报告$"),
)
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[）)]$")
_TITLE_PREFIX = re.compile(r"^(?:标题|题目|文章标题|名称)\s*[:：]\s*")  # a page header line: 标题：…
_SITE_SEPARATOR = re.compile(r"\s*[_|｜]\s*|\s+[-—–]\s+")  # …年度报告_政府信息公开年报_平潭综合实验区党工委管委会
_BODY_END = re.compile(r"(人民政府|办事处|政府|局|委员会|委|办公室|办|厅|中心|管委会|院|署|站|所|队|馆)$")
_DATE = re.compile(r"^(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_META_DATE = re.compile(r"(?:发布|成文|公开)(?:日期|时间)\s*[:：]\s*(20\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|区间|周期|口径)?[^。]{0,12}?(\d{4,6})\s*年\s*1\s*月\s*1\s*日[^。]{0,8}?至"
    r"\s*(?:(\d{4,6})\s*年\s*)?12\s*月\s*31\s*日"
)


@dataclass(slots=True)
class Located:
    title: str | None = None
    title_source: Source | None = None
    title_body: str | None = None
    title_body_printed: str | None = None
    title_year: int | None = None
    body: str | None = None
    body_printed: str | None = None  # the body as the document prints it (spaces, traditional characters kept)
    preamble: str = ""
    sections: dict[int, Section] = field(default_factory=dict)
    section_variants: list[LabelVariant] = field(default_factory=list)
    tables: dict[str, list[Table]] = field(default_factory=dict)
    published: str | None = None
    signed: str | None = None
    period_years: list[int] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)


def locate(doc: Document) -> Located:
    _clean.cache_clear()  # a per-report memo: each paragraph is cleaned once, not once per question
    out = Located()
    heads = _find_section_heads(doc)
    first_head = min(heads.values(), default=len(doc.blocks))
    _title(doc, first_head, out)
    starts = {index: number for number, index in heads.items()}
    current: int | None = None
    texts: dict[int | None, list[str]] = {}
    for index, block in enumerate(doc.blocks):
        if index in starts:
            current = starts[index]
            assert isinstance(block, Paragraph)
            title = _clean(block.text)
            out.sections[current] = Section(current, title, block.source)
            official = _SECTIONS[current].official
            if norm(title) != norm(official):
                out.section_variants.append(LabelVariant(title, official, [], block.source))
        elif isinstance(block, Table):
            kind = classify_table(block, current)
            if kind:
                out.tables.setdefault(kind, []).append(block)
        elif block.source != out.title_source and (text := _clean(block.text)):
            texts.setdefault(current, []).append(text)
            out.prose.append(Prose(current or 0, text, block.source))
    for number, section in out.sections.items():
        section.text = "\n".join(texts.get(number, []))
    out.preamble = "\n".join(texts.get(None, []))
    _metadata(doc, out)
    return out


def _find_section_heads(doc: Document) -> dict[int, int]:
    heads: dict[int, int] = {}
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            number = section_number(block.text)
            if number and number not in heads:
                heads[number] = index
    return heads


def _title(doc: Document, first_head: int, out: Located) -> None:
    candidates = [b for b in doc.blocks[:first_head]
                  if isinstance(b, Paragraph) and (len(b.text) > _RAW_TITLE_MAX or _clean(b.text))]
    short = [p for p in candidates[:8] if len(p.text) <= _RAW_TITLE_MAX]
    # A title on one line, split over two (`2025 年上海市人民政府办公厅政府信息公开` / `工作年度报告`),
    # or, failing both, the page's <title> without the site's name appended to it.
    tries = [(_clean(p.text), p.source) for p in short]
    tries += [(_clean(a.text) + _clean(b.text), a.source) for a, b in pairwise(short)]
    if html_title := doc.meta.get("html_title"):
        tries += [(part, None) for part in _SITE_SEPARATOR.split(_clean(html_title))]
    for printed, source in tries:
        printed = _TITLE_PREFIX.sub("", printed)
        m = _title_match(printed)
        if m:
            out.title, out.title_source = printed, source
            out.title_body, out.title_year = m.group("body"), int(m.group("y"))
            out.title_body_printed = _printed_span(printed, m.start("body"), m.end("body"))
            return
    for para in candidates[:3]:
        if len(para.text) > _RAW_TITLE_MAX:
            continue
        text = _clean(para.text)
        if "报告" in simplified(text) and len(text) <= 60:
            out.title, out.title_source = text, para.source
            return


def _printed_span(printed: str, start: int, end: int) -> str:
    """The printed text behind [start, end) of the matched form (simplified, spaces dropped): the body as printed."""
    kept = [i for i, ch in enumerate(printed) if ch != " "]
    if len(simplified(printed)) != len(printed) or end > len(kept) or start >= end:
        return simplified(printed).replace(" ", "")[start:end]  # no char-for-char mapping: the matched form
    return printed[kept[start]:kept[end - 1] + 1]


def _title_match(printed: str) -> re.Match[str] | None:
    text = _TRAILING_NOTE.sub("", simplified(printed)).strip().replace(" ", "")
    return next((m for pattern in _TITLE_PATTERNS if (m := pattern.match(text))), None)


def _metadata(doc: Document, out: Located) -> None:
    printed = [_clean(p.text) for p in doc.paragraphs]
    paragraphs = [simplified(t) for t in printed]
    for text in paragraphs:
        m = _META_DATE.search(text)
        if m:
            out.published = _iso(m)
            break
    tail = [(t, raw) for t, raw in zip(paragraphs[-8:], printed[-8:], strict=True) if t]
    for text, _ in reversed(tail):
        m = _DATE.match(text.replace(" ", ""))
        if m:
            out.signed = _iso(m)
            break
    out.body, out.body_printed = out.title_body, out.title_body_printed
    for text, raw in (t for t in tail if not re.search(r"[:：]", t[0])):  # 发布机构：… is the publisher, not the signature
        # the signature may follow other text on its line
        for name, as_printed in ((*text.split()[-1:], *raw.split()[-1:]), (text.replace(" ", ""), raw)):
            if (
                len(name) <= 30
                and _BODY_END.search(name)
                and not re.search(r"[，。：；、]", name)
                and out.title_body
                and out.title_body in name
                and len(name) > len(out.title_body)
            ):
                out.body = name
                out.body_printed = as_printed if len(simplified(as_printed)) == len(as_printed) else name
                break
    for text in paragraphs:
        m = _PERIOD.search(text)
        if m:
            out.period_years = [int(y) for y in m.groups() if y]
            break


def _iso(m: re.Match[str]) -> str:
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"


# ------------------------------------------------------------------ table classification
def _label_index() -> dict[str, dict[str, str]]:
    """norm(label) -> table kind, from both formats' row, structure and header labels."""
    index: dict[str, dict[str, str]] = {key: {} for key in TABLE_KEYS}
    for fmt in FORMATS.values():
        for key, template in fmt.tables.items():
            labels = [r.label for r in template.rows if r.label] + list(template.structure_labels)
            labels += [v for r in template.rows for v in r.variants] + list(template.header_labels)
            labels += [x for r in template.rows for c in r.columns for x in (c.label, *c.variants)]
            for label in labels:
                index[key][norm(label)] = key
    return index


_LABELS = _label_index()
_GENERIC = {norm(x) for fmt in FORMATS.values() for t in fmt.tables.values() for x in t.generic_labels}


_KINDS_SEEN: dict[str, tuple[str, ...]] = {}  # _label_kinds by cell text, looked up inline in classify_table


def _label_kinds(text: str) -> tuple[str, ...]:
    """The standard tables whose labels include this cell text (kept: labels and values repeat across reports)."""
    if len(_KINDS_SEEN) >= 16384:
        _KINDS_SEEN.clear()
    kinds = _KINDS_SEEN[text] = _kinds_of(text)
    return kinds


def _kinds_of(text: str) -> tuple[str, ...]:
    if not text.strip() or is_value_text(text):
        return ()
    key = norm(text)
    if key in _GENERIC:
        return ()
    return tuple(kind for kind, labels in _LABELS.items() if key in labels)


def classify_table(table: Table, section: int | None = None) -> str | None:
    """Which standard table this is (t2, t3, t4) by the labels it prints, or None.

    Two standard labels are enough anywhere; in its own section one will do, and a table of bare
    numbers belongs to the section it stands in.
    """
    scores = dict.fromkeys(TABLE_KEYS, 0)
    seen = _KINDS_SEEN.get  # inline: this runs for every cell of every table
    for row in table.rows:
        for cell in row:
            kinds = seen(cell.text)
            if kinds is None:
                kinds = _label_kinds(cell.text)
            if kinds:  # most cells are values, of no table
                for kind in kinds:
                    scores[kind] += 1
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= 2 or (scores[best] == 1 and section in _SECTIONS and best == _SECTIONS[section].table):
        return best
    return _kind_by_section(section, table) if scores[best] == 0 else None


def _kind_by_section(section: int | None, table: Table) -> str | None:
    """A table without standard labels (bare numbers) belongs to the section it stands in."""
    key = _SECTIONS[section].table if section in _SECTIONS else None
    if key is None:
        return None
    values = sum(1 for row in table.rows for c in row if is_value_text(c.text) and c.text.strip())
    return key if values >= 3 else None

"""The two official formats, declared once (spec: format.md §3, cells.md).

FORMAT_2019: 国办公开办函〔2019〕60号, reports for 2019 and 2020.
FORMAT_2021: 国办公开办函〔2021〕30号, reports for 2021 onwards.
Table 三 (except its （六） rows) and table 四 are shared by both versions and share their cell ids.
"""

from __future__ import annotations

from .model import Block, Column, ColumnKind, Format, Group, Name, Row, RowRole, TableTemplate
from .sections import SECTIONS_2019, SECTIONS_2021

C, S, A = ColumnKind.COUNT, ColumnKind.SIGNED, ColumnKind.AMOUNT
# A table's official title and its section come from the section it stands in (sections.py).
_TITLES = {s.table: s.title for s in SECTIONS_2021 if s.table}
_SECTION = {s.table: s.number for s in SECTIONS_2021 if s.table}

# How people name the tables: the short form is a form's sheet name, the long one names it in messages.
_T2_NAMES = {"short": "表二", "name": Name("表二（主动公开）", "table 二 (proactive disclosure)"),
             "section": _SECTION["t2"]}
_T3_NAMES = {"short": "表三", "name": Name("表三（依申请公开）", "table 三 (applications)"), "section": _SECTION["t3"]}
_T4_NAMES = {"short": "表四", "name": Name("表四（复议诉讼）", "table 四 (review and litigation)"),
             "section": _SECTION["t4"]}

# ---------------------------------------------------------------- table 二, 2019
# Each block of table 二 has a caption naming the regulation item it reports; it is the rows' group.
_ART20 = {n: Group(f"t2.art20_{i}", f"第二十条第（{n}）项", f"Art. 20 ({i})")
          for n, i in (("一", 1), ("五", 5), ("六", 6), ("八", 8), ("九", 9))}
_C1, _C5, _C6, _C8, _C9 = (_ART20[n].label for n in ("一", "五", "六", "八", "九"))
_INFO = "信息内容"  # the header above 表二's row labels
_T2_DOCS_2019 = (
    Column("new_made", "本年新制作数量", "made this year"),
    Column("new_published", "本年新公开数量", "published this year"),
    Column("total_published", "对外公开总数量", "total published"),
)
_T2_ITEMS_2019 = (
    Column("prev_items", "上一年项目数量", "items last year"),
    Column("change", "本年增/减", "change this year", S, variants=("本年增减", "本年增（减）")),
    Column("decisions", "处理决定数量", "decisions"),
)
T2_2019 = TableTemplate(
    key="t2",
    version="2019",
    title=_TITLES["t2"],
    rows=(
        Row("t2.regulations", "规章", "rules (规章)", _T2_DOCS_2019, group=_C1),
        Row("t2.normative_docs", "规范性文件", "normative documents", _T2_DOCS_2019, group=_C1),
        Row("t2.licensing", "行政许可", "administrative licensing", _T2_ITEMS_2019, group=_C5),
        Row("t2.other_services", "其他对外管理服务事项", "other management services", _T2_ITEMS_2019, group=_C5),
        Row("t2.punishment", "行政处罚", "administrative penalties", _T2_ITEMS_2019, group=_C6),
        Row("t2.coercion", "行政强制", "administrative coercion", _T2_ITEMS_2019, group=_C6),
        Row("t2.fees", "行政事业性收费", "administrative fees", _T2_ITEMS_2019[:2], group=_C8),
        Row(
            "t2.procurement",
            "政府集中采购",
            "government procurement",
            (
                Column("projects", "采购项目数量", "procurement projects"),
                Column("amount", "采购总金额", "procurement amount", A, unit="万元"),
            ),
            group=_C9,
        ),
    ),
    structure_labels=(_C1, _C5, _C6, _C8, _C9, _INFO),
    header_labels=(
        _INFO, "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
        "处理决定数量", "采购项目数量", "采购总金额",
    ),
    fingerprints=(
        "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
        "其他对外管理服务事项", _C9, "政府集中采购", "采购总金额", "采购项目数量",
    ),
    groups=tuple(_ART20.values()),
    generic_labels=(_INFO,),
    majority_fingerprints=True,
    corner=_INFO,
    **_T2_NAMES,  # type: ignore[arg-type]
)

# ---------------------------------------------------------------- table 二, 2021
_T2_DOCS_2021 = (
    Column("issued", "本年制发件数", "issued this year"),
    Column("repealed", "本年废止件数", "repealed this year"),
    Column("in_force", "现行有效件数", "in force", variants=("现行有效件",)),
)
_T2_DECISIONS_2021 = (Column("decisions", "本年处理决定数量", "decisions this year"),)
T2_2021 = TableTemplate(
    key="t2",
    version="2021",
    title=_TITLES["t2"],
    rows=(
        Row("t2.regulations", "规章", "rules (规章)", _T2_DOCS_2021, group=_C1),
        Row("t2.normative_docs", "行政规范性文件", "administrative normative documents", _T2_DOCS_2021,
            variants=("规范性文件",), group=_C1),
        Row("t2.licensing", "行政许可", "administrative licensing", _T2_DECISIONS_2021, group=_C5),
        Row("t2.punishment", "行政处罚", "administrative penalties", _T2_DECISIONS_2021, group=_C6),
        Row("t2.coercion", "行政强制", "administrative coercion", _T2_DECISIONS_2021, group=_C6),
        Row(
            "t2.fees",
            "行政事业性收费",
            "administrative fees",
            (Column("amount", "本年收费金额（单位：万元）", "fees charged this year", A, unit="万元",
                    variants=("本年收费金额",)),),
            group=_C8,
        ),
    ),
    structure_labels=(_C1, _C5, _C6, _C8, _INFO),
    header_labels=(
        _INFO, "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（单位：万元）",
    ),
    header_variants={"现行有效件数": ("现行有效件",), "本年收费金额（单位：万元）": ("本年收费金额",)},
    fingerprints=(
        "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "行政规范性文件",
    ),
    groups=tuple(g for g in _ART20.values() if g.label != _C9),
    generic_labels=(_INFO,),
    majority_fingerprints=True,
    corner=_INFO,
    **_T2_NAMES,  # type: ignore[arg-type]
)

# ---------------------------------------------------------------- table 三 (both versions)
_ORGANISATIONS, _TOTAL, _OTHER_ORG = "法人或其他组织", "总计", "其他"
T3_COLUMNS = (
    Column("natural_person", "自然人", "natural persons"),
    Column("commercial", "商业企业", "businesses", header=_ORGANISATIONS),
    Column("research", "科研机构", "research institutions", header=_ORGANISATIONS),
    Column("nonprofit", "社会公益组织", "non-profit organisations", header=_ORGANISATIONS),
    Column("legal_service", "法律服务机构", "legal service organisations", header=_ORGANISATIONS),
    Column("other_org", _OTHER_ORG, "other organisations", header=_ORGANISATIONS),
    Column("total", _TOTAL, "total", total=True),
)
_O = RowRole.OUTCOME


def _t3(id_: str, label: str, en: str, group: str | None = None, *variants: str, strict: bool = False,
        role: RowRole | None = _O) -> Row:
    return Row(f"t3.{id_}", label, en, T3_COLUMNS, variants=variants, strict=strict, group=group, role=role)


_T3_GROUPS = (Group("t3.withheld", "（三）不予公开", "withheld"), Group("t3.unable", "（四）无法提供", "unable"),
              Group("t3.rejected", "（五）不予处理", "not processed"), Group("t3.other", "（六）其他处理", "other handling"))
_WITHHELD, _UNABLE, _REJECTED, _OTHER = (g.label for g in _T3_GROUPS)
_T3_HEAD = (
    _t3("new_received", "一、本年新收政府信息公开申请数量", "new applications", None,
        "一、本年度新收政府信息公开申请数量", role=RowRole.RECEIVED),
    _t3("carried_over", "二、上年结转政府信息公开申请数量", "carried over from last year", role=RowRole.RECEIVED),
    _t3("granted", "（一）予以公开", "granted"),
    _t3("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially granted", None,
        "（二）部分公开（区分处理的，只计这一情形，不及其他情形）"),
    _t3("withheld.state_secret", "1.属于国家秘密", "withheld: state secret", _WITHHELD),
    _t3("withheld.law_prohibited", "2.其他法律行政法规禁止公开", "withheld: prohibited by other laws", _WITHHELD,
        "2.其他法律法规禁止公开", "2.其他法律行政法规止公开", "2.其他法律行政止公开"),
    _t3("withheld.security_stability", "3.危及“三安全一稳定”", "withheld: endangers security/stability", _WITHHELD),
    _t3("withheld.third_party", "4.保护第三方合法权益", "withheld: third-party rights", _WITHHELD),
    _t3("withheld.internal_affairs", "5.属于三类内部事务信息", "withheld: internal affairs", _WITHHELD),
    _t3("withheld.process_info", "6.属于四类过程性信息", "withheld: process information", _WITHHELD),
    _t3("withheld.enforcement_files", "7.属于行政执法案卷", "withheld: enforcement files", _WITHHELD),
    _t3("withheld.query_matters", "8.属于行政查询事项", "withheld: query matters", _WITHHELD),
    _t3("unable.not_held", "1.本机关不掌握相关政府信息", "unable: not held", _UNABLE),
    _t3("unable.needs_creation", "2.没有现成信息需要另行制作", "unable: would need creating", _UNABLE),
    _t3("unable.unclear", "3.补正后申请内容仍不明确", "unable: unclear after correction", _UNABLE),
    _t3("rejected.complaint", "1.信访举报投诉类申请", "not processed: petitions/complaints", _REJECTED),
    _t3("rejected.duplicate", "2.重复申请", "not processed: duplicate", _REJECTED),
    _t3("rejected.publication", "3.要求提供公开出版物", "not processed: publications", _REJECTED),
    _t3("rejected.excessive", "4.无正当理由大量反复申请", "not processed: excessive", _REJECTED),
    _t3("rejected.confirmation", "5.要求行政机关确认或重新出具已获取信息", "not processed: confirmation", _REJECTED),
)
_T3_TAIL = (
    _t3("total", "（七）总计", "total handled", None, "七、总计", "（七）合计", strict=True, role=RowRole.TOTAL),
    _t3("carried_forward", "四、结转下年度继续办理", "carried forward", role=RowRole.FORWARD),
)
_T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_T3_RESULTS = "三、本年度办理结果"
_T3_STRUCTURE = (_T3_NOTE, _T3_RESULTS, "三、本年度办结结果", _WITHHELD, _UNABLE, _REJECTED)
_APPLICANTS = "申请人情况"
_T3_HEADERS = (_APPLICANTS, "自然人", _ORGANISATIONS, "商业企业", "科研机构", "社会公益组织", "法律服务机构",
               _OTHER_ORG, _TOTAL)
_T3_HEADER_VARIANTS = {_ORGANISATIONS: ("法人及其他组织",)}
_T3 = {
    "key": "t3",
    "title": _TITLES["t3"],
    "header_labels": _T3_HEADERS,
    "header_variants": _T3_HEADER_VARIANTS,
    "generic_labels": (_TOTAL, _OTHER_ORG),
    "right_aligned": True,
    "subtotal_header": _ORGANISATIONS,
    "subtotal_groups": True,
    "corner": _T3_NOTE,
    "header": _APPLICANTS,
    "outcome_label": _T3_RESULTS,
    **_T3_NAMES,
}

T3_2019 = TableTemplate(
    version="2019",
    rows=(*_T3_HEAD, _t3("other", _OTHER, "other handling"), *_T3_TAIL),
    structure_labels=_T3_STRUCTURE,
    groups=_T3_GROUPS[:3],
    fingerprint_rows=("t3.other",),
    **_T3,  # type: ignore[arg-type]
)
T3_2021 = TableTemplate(
    version="2021",
    rows=(
        *_T3_HEAD,
        _t3("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "other: no correction in time", _OTHER),
        _t3("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "other: fee not paid", _OTHER),
        _t3("other.other", "3.其他", "other: other", _OTHER, strict=True),
        *_T3_TAIL,
    ),
    structure_labels=(*_T3_STRUCTURE, _OTHER),
    groups=_T3_GROUPS,
    fingerprints=("逾期不补正", "逾期未按收费通知要求缴纳费用"),
    **_T3,  # type: ignore[arg-type]
)

# ---------------------------------------------------------------- table 四 (both versions)
_T4_RESULTS = (("upheld", "结果维持", "upheld"), ("corrected", "结果纠正", "corrected"),
               ("other", "其他结果", "other result"), ("pending", "尚未审结", "pending"), ("total", _TOTAL, "total"))
_REVIEW, _LITIGATION, _DIRECT, _AFTER = "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"
T4_BLOCKS = (
    Block("review", _REVIEW, Name(_REVIEW, "administrative review")),
    Block("litigation_direct", f"{_LITIGATION}·{_DIRECT}", Name(f"{_LITIGATION}（{_DIRECT}）", "litigation without review")),
    Block("litigation_after_review", f"{_LITIGATION}·{_AFTER}",
          Name(f"{_LITIGATION}（{_AFTER}）", "litigation after review")),
)
T4_ROW = Row(
    "t4",
    "",
    "review and litigation",
    tuple(
        Column(f"{block.id}.{col}", f"{block.label}·{clabel}", f"{block.name.en}: {cen}", total=col == "total")
        for block in T4_BLOCKS
        for col, clabel, cen in _T4_RESULTS
    ),
)
_T4_LABELS = (_REVIEW, _LITIGATION, *(label for _, label, _ in _T4_RESULTS), _DIRECT, _AFTER)
_T4 = {
    "key": "t4",
    "title": _TITLES["t4"],
    "rows": (T4_ROW,),
    "structure_labels": _T4_LABELS,
    "header_labels": _T4_LABELS,
    "unlabelled": True,
    "blocks": T4_BLOCKS,
    "generic_labels": (_TOTAL,),
    **_T4_NAMES,
}
T4_2019 = TableTemplate(version="2019", **_T4)  # type: ignore[arg-type]
T4_2021 = TableTemplate(version="2021", **_T4)  # type: ignore[arg-type]

FORMAT_2019 = Format(
    version="2019",
    name="政府信息公开工作年度报告格式（试行）",
    document="国办公开办函〔2019〕60号",
    years=range(2019, 2021),
    tables={"t2": T2_2019, "t3": T3_2019, "t4": T4_2019},
    sections=SECTIONS_2019,
)
FORMAT_2021 = Format(
    version="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    document="国办公开办函〔2021〕30号",
    years=range(2021, 2100),
    tables={"t2": T2_2021, "t3": T3_2021, "t4": T4_2021},
    sections=SECTIONS_2021,
)
FORMATS = {"2019": FORMAT_2019, "2021": FORMAT_2021}


def version_for_year(year: int | None) -> str | None:
    """The version the official rules prescribe for a statistical year (format.md §0)."""
    if year is None or year < 2019:
        return None
    return "2019" if year <= 2020 else "2021"

"""The six sections of a report (format.md §1), declared once; the tables take their titles from here.

Titles are identical in both formats; what differs is what sections 一 and 六 must address (§1.1).
"""

from __future__ import annotations

from dataclasses import replace

from .model import Name, SectionTemplate, Topic

# What 一、总体情况 covers in both formats (format.md §1.1).
_OVERVIEW = (
    Topic("proactive", Name("主动公开", "proactive disclosure")),
    Topic("on_application", Name("依申请公开", "disclosure on application")),
    Topic("management", Name("政府信息管理", "information management")),
    Topic("platforms", Name("平台建设", "platforms")),
    Topic("oversight", Name("监督保障", "oversight")),
)
# 2021: a 人民政府 also reports 工作考核、社会评议和责任追究结果 under 监督保障 (条例 Art. 50(4)).
_ACCOUNTABILITY = Topic("accountability", Name("工作考核、社会评议和责任追究结果",
                                               "appraisal, public evaluation and accountability"),
                        governments_only=True)
# 2021: what 六、其他需要报告的事项 reports; "无" alone is incomplete.
_OTHER_MATTERS = (
    Topic("fees", Name("信息处理费", "information processing fees"), heading="收取信息处理费情况",
          default="本年度未收取信息处理费。"),
    Topic("work_points", Name("落实上级年度政务公开工作要点情况", "implementation of the year's work points")),
    Topic("proposals", Name("人大代表建议和政协提案办理结果公开情况", "deputies' suggestions and proposals")),
    Topic("innovation", Name("年度政务公开工作创新情况", "innovations")),
)

SECTIONS_2019 = (
    SectionTemplate(1, "一", "总体情况", "overview",
                    keywords=("总体情况", "基本情况", "总体开展", "总体概况", "概述", "工作情况", "概况"),
                    variants=("一、工作总体开展情况", "一、工作基本情况"), topics=_OVERVIEW),
    SectionTemplate(2, "二", "主动公开政府信息情况", "proactive disclosure", keywords=("主动公开",),
                    excludes=("申请",), table="t2",
                    variants=("二、政府信息主动公开情况", "二、行政机关主动公开政府信息情况", "二、主动公开政府信息的情况")),
    SectionTemplate(3, "三", "收到和处理政府信息公开申请情况", "applications", keywords=("申请",), table="t3",
                    variants=("收到和处理政府信息公开申请的情况",)),
    SectionTemplate(4, "四", "政府信息公开行政复议、行政诉讼情况", "review and litigation", keywords=("复议", "诉讼"),
                    table="t4", variants=("四、复议、诉讼和申诉情况", "四、政府信息公开行政复议及行政诉讼情况")),
    SectionTemplate(5, "五", "存在的主要问题及改进情况", "problems and improvements", keywords=("问题", "改进"),
                    variants=("五、存在的问题及下一步改进措施", "五、存在的主要问题及改进举措")),
    SectionTemplate(6, "六", "其他需要报告的事项", "other matters", keywords=("其他需要报告", "其他事项", "其他需报告"),
                    variants=("其他需要报告的事项",), optional=True),
)
SECTIONS_2021 = (
    replace(SECTIONS_2019[0], topics=(*_OVERVIEW, _ACCOUNTABILITY)),
    *SECTIONS_2019[1:5],
    replace(SECTIONS_2019[5], topics=_OTHER_MATTERS, itemised=True, optional=False),
)

# The order in which a phrase's keywords are tried: 一's (概况, 工作情况) are the most generic.
KEYWORD_ORDER = (2, 3, 4, 5, 6, 1)

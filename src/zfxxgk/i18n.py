"""User-facing strings in Chinese (default) and English.

Rule texts and finding messages live in the rule catalogue; this holds everything else a user reads.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # Reading
    "read.empty": {"zh": "文件为空", "en": "the file is empty"},
    "read.binary": {
        "zh": "不是文本文件（含有二进制内容），也不是可识别的报告格式",
        "en": "not a text file (binary content) and not a recognised report format",
    },
    "read.encoding": {
        "zh": "无法确定文本编码（既不是 UTF-8/UTF-16，也不是 GB18030/GBK）",
        "en": "cannot determine the text encoding (not UTF-8/UTF-16, not GB18030/GBK)",
    },
    "read.too_large": {
        "zh": "文件过大（{size}，上限 {limit}）：年度报告不会这么大，请检查文件或调高 --max-size",
        "en": "file too large ({size}, limit {limit}): an annual report is never this big; "
        "check the file or raise --max-size",
    },
    "read.unsupported": {
        "zh": "暂不支持的文件类型：{kind}",
        "en": "unsupported file type: {kind}",
    },
    "read.os": {"zh": "无法读取文件：{reason}", "en": "cannot read the file: {reason}"},
    "read.not_regular": {
        "zh": "不是普通文件（设备、管道或套接字），已跳过",
        "en": "not a regular file (device, pipe or socket); skipped",
    },
    # CLI
    "cli.no_such_path": {"zh": "路径不存在：{path}", "en": "no such path: {path}"},
    "cli.no_files": {"zh": "没有找到可检查的文件：{path}", "en": "no files to check under: {path}"},
    "cli.unknown_rule": {"zh": "没有这条规则：{code}", "en": "no such rule: {code}"},
    "cli.bad_lang": {"zh": "不支持的语言：{lang}（可用 zh、en）", "en": "unsupported language: {lang} (zh, en)"},
    "cli.summary": {
        "zh": "共 {reports} 份报告：{errors} 个错误，{warnings} 个警告，{infos} 条提示，{failed} 份无法读取",
        "en": "{reports} reports: {errors} errors, {warnings} warnings, {infos} notes, {failed} unreadable",
    },
    "cli.version": {"zh": "格式版本", "en": "format version"},
    "cli.version_none": {"zh": "未识别", "en": "not recognised"},
    "cli.body": {"zh": "机关", "en": "body"},
    "cli.year": {"zh": "年度", "en": "year"},
    "cli.title": {"zh": "标题", "en": "title"},
    "cli.published": {"zh": "发布日期", "en": "published"},
    "cli.signed": {"zh": "落款日期", "en": "signed"},
    "cli.encoding": {"zh": "编码", "en": "encoding"},
    "cli.cells": {"zh": "单元格", "en": "cells"},
    "cli.cells_stat": {
        "zh": "{total} 个：{numbers} 个有数值，{blank} 个空白或“/”，{unread} 个无法识别，{missing} 个未找到",
        "en": "{total}: {numbers} with a number, {blank} blank or N/A, {unread} unreadable, {missing} not found",
    },
    "cli.sections": {"zh": "章节", "en": "sections"},
    "cli.no_findings": {"zh": "未发现问题", "en": "no findings"},
    "cli.col.severity": {"zh": "级别", "en": "severity"},
    "cli.col.code": {"zh": "规则", "en": "rule"},
    "cli.col.message": {"zh": "说明", "en": "message"},
    "cli.col.where": {"zh": "位置", "en": "where"},
    "cli.col.cells": {"zh": "单元格", "en": "cells"},
    "cli.col.severity_rule": {"zh": "级别", "en": "severity"},
    "cli.col.versions": {"zh": "适用格式", "en": "formats"},
    "cli.col.title": {"zh": "名称", "en": "title"},
    "cli.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "cli.explanation": {"zh": "说明", "en": "explanation"},
    "cli.example": {"zh": "示例", "en": "example"},
    "severity.error": {"zh": "错误", "en": "error"},
    "severity.warning": {"zh": "警告", "en": "warning"},
    "severity.info": {"zh": "提示", "en": "info"},
    "section.1": {"zh": "一、总体情况", "en": "1 overview"},
    "section.2": {"zh": "二、主动公开政府信息情况", "en": "2 proactive disclosure"},
    "section.3": {"zh": "三、收到和处理政府信息公开申请情况", "en": "3 applications"},
    "section.4": {"zh": "四、政府信息公开行政复议、行政诉讼情况", "en": "4 review and litigation"},
    "section.5": {"zh": "五、存在的主要问题及改进情况", "en": "5 problems and improvements"},
    "section.6": {"zh": "六、其他需要报告的事项", "en": "6 other matters"},
}


def t(key: str, lang: str = "zh", **args: Any) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**args) if args else text

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
    # Reading Word, HTML, Excel (readers/docx.py, html.py, xlsx.py, libreoffice.py)
    "read.corrupt": {
        "zh": "文件已损坏或不完整，无法作为 {kind} 打开",
        "en": "the file is damaged or incomplete and cannot be opened as {kind}",
    },
    "read.zip_bomb": {
        "zh": "{kind} 文件解压后异常巨大（{reason}），疑似压缩炸弹，已拒绝",
        "en": "{kind} file would expand to an abnormal size ({reason}); refused as a likely zip bomb",
    },
    "read.xml_dtd": {
        "zh": "{kind} 文件的 XML 部件 {part} 含有 DTD/实体声明（正常文档没有），为防外部实体攻击已拒绝",
        "en": "{kind} file has a DTD/entity declaration in XML part {part} (normal documents have none); "
        "refused to prevent entity attacks",
    },
    "read.encrypted": {
        "zh": "文件有密码保护（已加密），请先解除密码后再检查",
        "en": "the file is password-protected (encrypted); remove the password first",
    },
    "read.missing_extra": {
        "zh": "读取 {kind} 需要 Python 包 {package}，请安装：pip install 'zfxxgk[{extra}]'",
        "en": "reading {kind} needs the Python package {package}: pip install 'zfxxgk[{extra}]'",
    },
    "read.no_libreoffice": {
        "zh": "读取 {kind} 需要 LibreOffice（未找到 soffice）。请安装（Debian/Ubuntu：apt-get install -y "
        "libreoffice-writer-nogui），或将文件另存为 .docx",
        "en": "reading {kind} needs LibreOffice (soffice not found). Install it (Debian/Ubuntu: apt-get install -y "
        "libreoffice-writer-nogui) or save the file as .docx",
    },
    "read.convert_timeout": {
        "zh": "LibreOffice 转换 {kind} 文件超时（{seconds} 秒），已终止转换",
        "en": "LibreOffice did not convert the {kind} file within {seconds} s; conversion stopped",
    },
    "read.convert_failed": {
        "zh": "LibreOffice 无法转换该 {kind} 文件：{reason}",
        "en": "LibreOffice could not convert the {kind} file: {reason}",
    },
    "read.html_too_complex": {
        "zh": "网页过大或过于复杂（超过 {limit} 个元素），已拒绝；年度报告网页不会这么复杂",
        "en": "web page too large or complex (over {limit} elements); refused: a report page is never this complex",
    },
    "read.image_only": {
        "zh": "是图片文件（{kind}），不是文字版报告：扫描件需先进行文字识别（OCR）",
        "en": "an image file ({kind}), not a text report: scans need OCR first",
    },
    "read.unsupported_legacy": {
        "zh": "暂不支持的文件类型：{kind}（请另存为 .xlsx 或 .docx 后再检查）",
        "en": "unsupported file type: {kind} (save it as .xlsx or .docx and check again)",
    },
    # Reading PDF and images (readers/pdf.py, ocr.py, image.py)
    "read.pdf_truncated": {
        "zh": "PDF 文件不完整（文件末尾缺少 %%EOF 结束标记），可能下载中断，请重新获取完整文件",
        "en": "the PDF is incomplete (no %%EOF marker at its end), perhaps a broken download; get the whole file again",
    },
    "read.pdf_no_pages": {"zh": "PDF 文件没有任何页面", "en": "the PDF has no pages"},
    "read.pdf_too_many_pages": {
        "zh": "PDF 共 {pages} 页，超过上限 {limit} 页：年度报告不会这么长，已拒绝（可拆分后再检查）",
        "en": "the PDF has {pages} pages, over the limit of {limit}: an annual report is never this long; "
        "refused (split it and check the parts)",
    },
    "read.image_too_large": {
        "zh": "图片过大（{pixels} 像素，上限 {limit}），已拒绝",
        "en": "image too large ({pixels} pixels, limit {limit}); refused",
    },
    "read.image_corrupt": {
        "zh": "图片文件已损坏或无法解码（{kind}）",
        "en": "the image ({kind}) is damaged or cannot be decoded",
    },
    "read.no_ocr": {
        "zh": "{kind}没有文字层，需要文字识别（OCR）：请安装 pip install 'zfxxgk[ocr]'（rapidocr、onnxruntime）",
        "en": "{kind} has no text layer and needs OCR: pip install 'zfxxgk[ocr]' (rapidocr, onnxruntime)",
    },
    "read.internal": {
        "zh": "读取时发生内部错误（{kind}）：{reason}。请将文件发给维护者",
        "en": "internal error while reading ({kind}): {reason}. Please send the file to the maintainers",
    },
    "read.message": {"zh": "{message}", "en": "{message}"},
    # Report data given as JSON (render, export, --prefill)
    "data.not_object": {
        "zh": "不是报告数据：JSON 顶层应为对象（{{…}}），实际是 {kind}",
        "en": "not report data: the JSON must be an object ({{…}}), not {kind}",
    },
    "data.missing": {
        "zh": "不是报告数据：缺少 {fields}（报告数据至少要有 cells，以及 version 或 year）",
        "en": "not report data: {fields} missing (report data needs cells and a version or year)",
    },
    "data.bad_field": {"zh": "报告数据的 {field} 无效：{reason}", "en": "report data: invalid {field}: {reason}"},
    "data.unknown_cells": {
        "zh": "报告数据有 {n} 个未知的单元格编号：{cells}（编号见 spec/cells.md）",
        "en": "report data has {n} unknown cell ids: {cells} (see spec/cells.md)",
    },
    "data.bad_json": {"zh": "JSON 无法解析（第 {line} 行）：{reason}", "en": "invalid JSON (line {line}): {reason}"},
    "data.empty": {"zh": "没有报告数据", "en": "no report data"},
    "data.unreadable": {"zh": "{problem}", "en": "{problem}"},
    "data.several": {
        "zh": "文件中有 {n} 份报告，这里只能用一份（可先用 export 或拆分文件）",
        "en": "the file holds {n} reports; this takes one (split the file first)",
    },
    "data.no_tables": {
        "zh": "没有找到报告表格的数据（表二、表三、表四都未识别），不能据此生成报告",
        "en": "no report table data found (none of tables 2–4 recognised); cannot write a report from it",
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
    "cli.pages": {"zh": "页面", "en": "pages"},
    "cli.pages.text": {"zh": "文字层", "en": "text layer"},
    "cli.pages.ocr": {"zh": "OCR 识别", "en": "OCR"},
    "cli.pages.unread": {"zh": "未能读取", "en": "unread"},
    "cli.pages.empty": {"zh": "空白页", "en": "empty"},
    "cli.pages.garbled": {"zh": "文字层乱码（已 OCR）", "en": "garbled text layer (OCR)"},
    "cli.no_findings": {"zh": "未发现问题", "en": "no findings"},
    "cli.col.severity": {"zh": "级别", "en": "severity"},
    "cli.col.code": {"zh": "规则", "en": "rule"},
    "cli.col.message": {"zh": "说明", "en": "message"},
    "cli.col.where": {"zh": "位置", "en": "where"},
    "cli.col.cells": {"zh": "单元格", "en": "cells"},
    "cli.col.value": {"zh": "值", "en": "value"},
    "cli.col.raw": {"zh": "原文", "en": "raw"},
    "cli.not_found": {"zh": "（未找到）", "en": "(not found)"},
    "cli.bad_deadline": {"zh": "--deadline 应为 月-日（如 01-31）：{value}", "en": "--deadline must be MM-DD (e.g. 01-31): {value}"},
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
    # Outputs: forms, generated reports, exports, review pages (outputs/)
    "form.bad_year": {"zh": "年度无效：{year}（须为 2019 年及以后）", "en": "invalid year: {year} (2019 or later)"},
    "form.missing_sheet": {"zh": "填报表缺少工作表“{sheet}”", "en": "the form has no sheet “{sheet}”"},
    "form.bad_cell": {"zh": "{where}：{reason}（填的是“{value}”）", "en": "{where}: {reason} (found “{value}”)"},
    "form.not_number": {"zh": "不是数字", "en": "not a number"},
    "form.not_whole": {"zh": "件数必须是整数", "en": "counts must be whole numbers"},
    "form.negative": {"zh": "不能为负数", "en": "must not be negative"},
    "form.instructions": {
        "zh": "在表二、表三、表四的淡黄色单元格中填写数字（件数填整数，金额单位为万元），没有的填 0；"
        "填好后运行：zfxxgk render 本文件 --to docx -o 报告.docx",
        "en": "Fill the pale yellow cells of 表二/表三/表四 with numbers (counts whole, amounts in 万元), 0 where none; "
        "then run: zfxxgk render THIS_FILE --to docx -o report.docx",
    },
    "render.stopped": {
        "zh": "数据有 {n} 个错误，未生成报告（确认无误可加 --force 强制生成）：",
        "en": "the data has {n} errors; no report written (add --force to write it anyway):",
    },
    "render.filled": {
        "zh": "{n} 个空白或“/”单元格按 0 填写：{cells}",
        "en": "{n} blank or N/A cells written as 0: {cells}",
    },
    "render.unreadable": {
        "zh": "{n} 个单元格没有数字（无法识别或缺失），按 0 填写：{cells}",
        "en": "{n} cells have no number (unreadable or missing), written as 0: {cells}",
    },
    "render.mixed": {
        "zh": "{table} 的数据按 {version} 年版格式的单元格填报，按该格式生成",
        "en": "{table} holds cells of the {version} format and is written in that layout",
    },
    "render.prefilled": {
        "zh": "“上年结转”按上年报告“结转下年度继续办理”填写：{cells}",
        "en": "carried_over filled from last year's carried_forward: {cells}",
    },
    "render.prefill_differs": {
        "zh": "{cell}：本年填 {value}，上年报告结转 {last}",
        "en": "{cell}: {value} this year, last year's report carried forward {last}",
    },
    "render.in_force": {
        "zh": "{cell}：上年 {last}，本年 {value}",
        "en": "{cell}: last year {last}, this year {value}",
    },
    "render.written": {"zh": "已生成：{path}", "en": "written: {path}"},
    "render.no_report": {"zh": "没有可生成的报告数据：{path}", "en": "no report data in: {path}"},
    "render.bad_input": {"zh": "无法读取报告数据 {path}：{reason}", "en": "cannot read report data {path}: {reason}"},
    "render.failed": {"zh": "生成失败：{reason}", "en": "generation failed: {reason}"},
    "render.needs_out": {"zh": "生成 {to} 需要用 -o 指定输出文件", "en": "--to {to} needs an output file (-o)"},
    "export.written": {
        "zh": "已导出 {reports} 份报告（{shape}）到 {path}",
        "en": "exported {reports} reports ({shape}) to {path}",
    },
    "export.no_output": {
        "zh": "请至少指定一个输出：--csv、--xlsx、--parquet 或 --jsonl",
        "en": "give at least one output: --csv, --xlsx, --parquet or --jsonl",
    },
    "export.needs_pyarrow": {
        "zh": "导出 Parquet 需要 pyarrow：pip install 'zfxxgk[parquet]'",
        "en": "Parquet export needs pyarrow: pip install 'zfxxgk[parquet]'",
    },
    "review.written": {"zh": "已写出核查报告：{path}", "en": "review written: {path}"},
    "review.title": {"zh": "政府信息公开工作年度报告核查结果", "en": "Annual disclosure reports: review"},
    "review.generated": {"zh": "共 {reports} 份报告", "en": "{reports} reports"},
    "review.summary": {"zh": "汇总", "en": "Summary"},
    "review.unit": {"zh": "单位", "en": "body"},
    "review.file": {"zh": "文件", "en": "file"},
    "review.year": {"zh": "年度", "en": "year"},
    "review.version": {"zh": "格式", "en": "format"},
    "review.errors": {"zh": "错误", "en": "errors"},
    "review.warnings": {"zh": "警告", "en": "warnings"},
    "review.infos": {"zh": "提示", "en": "notes"},
    "review.top_rules": {"zh": "最常见的问题（按规则）", "en": "Most frequent findings (by rule)"},
    "review.no_findings": {"zh": "未发现问题", "en": "no findings"},
    "review.findings": {"zh": "发现的问题", "en": "Findings"},
    "review.where": {"zh": "原文位置", "en": "source location"},
    "review.cells": {"zh": "涉及单元格", "en": "cells"},
    "review.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "review.show_only_problems": {"zh": "只看有问题的报告", "en": "only reports with findings"},
    "review.legend": {
        "zh": "表中标色的单元格是问题涉及的单元格；鼠标移到单元格上可看到问题说明。",
        "en": "Coloured cells are the cells a finding names; hover a cell to see the finding.",
    },
    "review.sheet_findings": {"zh": "问题", "en": "findings"},
    "review.sheet_cells": {"zh": "单元格数值", "en": "cell values"},
    "review.col.rule": {"zh": "规则", "en": "rule"},
    "review.col.severity": {"zh": "级别", "en": "severity"},
    "review.col.message": {"zh": "说明", "en": "message"},
    "review.col.source": {"zh": "文件", "en": "file"},
}


def t(key: str, lang: str = "zh", **args: Any) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**args) if args else text
